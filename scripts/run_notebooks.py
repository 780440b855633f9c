"""Execute notebooks in place, top to bottom, in full mode, so committed outputs come from one run.

    MNIST_PATH=../shared/data/mnist.npz python scripts/run_notebooks.py            # every lesson
    MNIST_PATH=../shared/data/mnist.npz python scripts/run_notebooks.py notebooks/02_dense_vae.ipynb

Each notebook runs in a fresh kernel with its own folder as the working directory, like
"Restart & Run All". The fast-mode switch is removed from the environment first. Prints the wall
time of each notebook. Afterwards it refreshes the README's results table.
"""

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent


def run(path, timeout):
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(notebook, timeout=timeout, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}})
    start = time.perf_counter()
    client.execute()
    nbformat.write(notebook, path)
    return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path,
                        help="notebooks to run (default: notebooks/*.ipynb and notebooks/solutions/*.ipynb)")
    parser.add_argument("--timeout", type=int, default=1800, help="seconds allowed per cell")
    args = parser.parse_args()
    os.environ.pop("VAE_FAST", None)
    os.environ.setdefault("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    paths = args.notebooks or sorted((ROOT / "notebooks").glob("*.ipynb")) + sorted(
        (ROOT / "notebooks" / "solutions").glob("*.ipynb"))
    for path in paths:
        print(f"running {path} ...", flush=True)
        print(f"  done in {run(path.resolve(), args.timeout) / 60:.1f} min", flush=True)
    subprocess.run([sys.executable, str(ROOT / "scripts" / "update_readme_results.py")], check=True)


if __name__ == "__main__":
    main()
