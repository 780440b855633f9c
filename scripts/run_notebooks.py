"""Execute notebooks in place, top to bottom, in full mode, so committed outputs come from one run.

    MNIST_PATH=/path/to/mnist.npz python scripts/run_notebooks.py            # every lesson and solution
    MNIST_PATH=/path/to/mnist.npz python scripts/run_notebooks.py notebooks/02_dense_vae.ipynb

Each notebook runs in a fresh kernel with its own folder as the working directory, like
"Restart & Run All". The fast-mode switch is removed from the environment first. Prints the wall
time of each notebook. Afterwards it refreshes the README's results table.

TensorFlow's C++ logging is quietened at the source: the kernels start with ``TF_CPP_MIN_LOG_LEVEL=1``,
which drops its INFO lines (XLA service start-up, compiled clusters) and keeps warnings and errors.
A few start-up lines come before TensorFlow reads that setting, so no setting stops them; the runner
drops exactly those, listed in ``STARTUP_NOISE``, from the saved outputs. Any other stderr output is
kept, and the hygiene test fails on it.
"""

import argparse
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent

# TensorFlow's start-up lines on a CPU-only machine: messages about the machine, not about the lesson
STARTUP_NOISE = re.compile(
    r"^(WARNING: All log messages before absl::InitializeLog\(\) is called are written to STDERR"
    r"|[IWE]\d{4} [\d:. ]+\d+ (port\.cc:\d+\] oneDNN custom operations are on"
    r"|cudart_stub\.cc:\d+\] Could not find cuda drivers on your machine"
    r"|cpu_feature_guard\.cc:\d+\] This TensorFlow binary is optimized"
    r"|cuda_platform\.cc:\d+\] failed call to cuInit: )"
    r"|To enable the following instructions: .* in other operations, rebuild TensorFlow)"
)


def drop_startup_noise(notebook):
    """Remove TensorFlow's known start-up lines from stderr outputs; drop outputs left empty, and
    the cells' execution timestamps."""
    for cell in notebook.cells:
        cell.metadata.pop("execution", None)
        if cell.cell_type != "code":
            continue
        kept = []
        for output in cell.outputs:
            if output.output_type == "stream" and output.name == "stderr":
                lines = [line for line in output.text.splitlines(keepends=True)
                         if not STARTUP_NOISE.match(line)]
                if not "".join(lines).strip():
                    continue
                output.text = "".join(lines)
            kept.append(output)
        cell.outputs = kept
    return notebook


def run(path, timeout):
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(notebook, timeout=timeout, kernel_name="python3", record_timing=False,
                            resources={"metadata": {"path": str(path.parent)}})
    start = time.perf_counter()
    client.execute()
    nbformat.write(drop_startup_noise(notebook), path)
    return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path,
                        help="notebooks to run (default: notebooks/*.ipynb and notebooks/solutions/*.ipynb)")
    parser.add_argument("--timeout", type=int, default=1800, help="seconds allowed per cell")
    args = parser.parse_args()
    os.environ.pop("VAE_FAST", None)
    os.environ["TF_CPP_MIN_LOG_LEVEL"] = "1"  # TensorFlow's C++ INFO lines off; warnings and errors kept
    os.environ.setdefault("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    paths = args.notebooks or sorted((ROOT / "notebooks").glob("*.ipynb")) + sorted(
        (ROOT / "notebooks" / "solutions").glob("*.ipynb"))
    for path in paths:
        print(f"running {path} ...", flush=True)
        print(f"  done in {run(path.resolve(), args.timeout) / 60:.1f} min", flush=True)
    subprocess.run([sys.executable, str(ROOT / "scripts" / "update_readme_results.py")], check=True)


if __name__ == "__main__":
    main()
