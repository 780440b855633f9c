"""Headline figures of full runs, kept in ``results/NN_name.json`` and shown in the README table.

In fast mode the file goes to the ignored ``results/fast/`` instead, so a CI run never overwrites
the figures of a full run.
"""

import json
import platform
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

from helpers.config import fast_mode, output_dir, project_root


def environment():
    """Library versions, the Keras backend and the device, for the record."""
    import keras
    import numpy

    backend = keras.backend.backend()
    backend_version, device = _backend_version_and_device(backend)
    return {
        "python": platform.python_version(),
        "keras": keras.__version__,
        "backend": backend,
        "backend_version": backend_version,
        "numpy": numpy.__version__,
        "device": device,
        "cpu_count": _cpu_count(),
    }


def describe_environment():
    """One line for a notebook's versions cell: Python, Keras, the backend and the device."""
    env = environment()
    return (f"Python {env['python']} | Keras {env['keras']} on {env['backend']} {env['backend_version']} "
            f"| device: {env['device']}")


def _backend_version_and_device(backend):
    if backend == "tensorflow":
        import tensorflow as tf

        gpus = tf.config.list_physical_devices("GPU")
        return tf.__version__, f"GPU ({len(gpus)})" if gpus else "CPU"
    if backend == "jax":
        import jax

        gpus = [d for d in jax.devices() if d.platform == "gpu"]
        return jax.__version__, f"GPU ({len(gpus)})" if gpus else "CPU"
    if backend == "torch":
        import torch

        count = torch.cuda.device_count()
        return torch.__version__, f"GPU ({count})" if count else "CPU"
    return "unknown", "unknown"


REQUIRED = ("title", "headline", "epochs", "wall_time_s")
TABLE_START, TABLE_END = "<!-- results-table:start -->", "<!-- results-table:end -->"


def save_results(notebook_id, figures):
    """Write ``figures`` (a JSON-serialisable dict) with the environment and date; return the path.

    ``figures`` needs ``title``, ``headline`` (a dict of label -> number or list of numbers, shown in the README),
    ``epochs`` and ``wall_time_s``; anything else is kept as it is.
    """
    missing = [key for key in REQUIRED if key not in figures] if isinstance(figures, dict) else list(REQUIRED)
    if missing:
        raise ValueError(f"figures lacks {missing}; expected a dict with at least {list(REQUIRED)}")
    if not isinstance(figures["headline"], dict) or not figures["headline"]:
        raise ValueError("figures['headline'] must be a non-empty dict of label -> number")
    record = {
        "notebook": notebook_id,
        "fast_mode": fast_mode(),
        "date": datetime.now(timezone.utc).strftime("%Y-%m-%d"),
        "environment": environment(),
        **figures,
    }
    path = _written_results() / f"{notebook_id}.json"
    path.write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def _written_results():
    """Where a run writes its results: ``results/``, or the ignored ``results/fast/`` in fast mode."""
    folder = output_dir("results") / ("fast" if fast_mode() else "")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def load_results(notebook_id):
    """Read the committed results of a full run of one notebook."""
    how_to_make = f"run notebook {notebook_id} in full mode first"
    return _read_json(committed_file(f"results/{notebook_id}.json", how_to_make), how_to_make)


def save_per_image(notebook_id, name, values):
    """Write per-image figures (a 1-D float array, e.g. one NLL per test image) next to the results JSON.

    Another notebook compares itself with them image by image (``load_per_image``). Fast mode writes
    to ``results/fast/``, as ``save_results`` does.
    """
    values = np.asarray(values)
    if values.ndim != 1 or values.size == 0 or not np.issubdtype(values.dtype, np.floating):
        raise ValueError(f"values must be a non-empty 1-D float array, got {values.dtype} of shape {values.shape}")
    if not np.all(np.isfinite(values)):
        raise ValueError(f"values must be finite; {int(np.sum(~np.isfinite(values)))} are NaN or infinite")
    path = _written_results() / f"{notebook_id}_{name}.npy"
    np.save(path, values.astype(np.float32))
    return path


def load_per_image(notebook_id, name):
    """Read per-image figures saved by a full run of one notebook, as a float32 array."""
    how_to_make = f"run notebook {notebook_id} in full mode first"
    path = committed_file(f"results/{notebook_id}_{name}.npy", how_to_make)
    try:
        values = np.load(path, allow_pickle=False)
    except (OSError, ValueError) as error:
        raise ValueError(f"{path} is not a readable NumPy array ({error}): {how_to_make}") from error
    if values.ndim != 1 or not np.issubdtype(values.dtype, np.floating):
        raise ValueError(f"{path} holds a {values.dtype} array of shape {values.shape}, expected 1-D floats: {how_to_make}")
    return values


def load_benchmark(name):
    """Read a benchmark's committed figures, ``benchmarks/results/<name>.json`` (see benchmarks/README.md)."""
    how_to_make = f"run benchmarks/{name}.py in full first"
    return _read_json(committed_file(f"benchmarks/results/{name}.json", how_to_make), how_to_make)


def _read_json(path, how_to_make):
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except ValueError as error:
        raise ValueError(f"{path} is not valid JSON ({error}): {how_to_make}") from error


def committed_file(relative_path, how_to_make):
    """A file committed to the repository, by its path from the repository root.

    In a checkout it is read where it is. Outside one (on Colab, where only the helpers are installed)
    it is downloaded once from the repository named in the package's metadata, into ``committed/``.
    """
    local = (project_root() or Path.cwd()) / relative_path
    if local.is_file():
        return local
    if project_root() is not None:
        raise FileNotFoundError(f"{local} does not exist: {how_to_make}")
    cached = Path.cwd() / "committed" / relative_path
    if not cached.is_file():
        _download(relative_path, cached, how_to_make)
    return cached


def _download(relative_path, destination, how_to_make):
    from importlib.metadata import PackageNotFoundError, metadata
    from urllib.request import urlretrieve

    try:
        urls = metadata("vae-notebooks-helpers").get_all("Project-URL") or []
    except PackageNotFoundError:
        urls = []
    repository = next((url.split(",", 1)[1].strip() for url in urls if url.lower().startswith("repository")), None)
    if repository is None or not repository.startswith("https://github.com/"):
        raise FileNotFoundError(f"{relative_path} is not here and no GitHub repository is known to fetch it from: "
                                f"{how_to_make}")
    url = f"https://raw.githubusercontent.com/{repository.removeprefix('https://github.com/').strip('/')}/main/{relative_path}"
    destination.parent.mkdir(parents=True, exist_ok=True)
    try:
        urlretrieve(url, destination)
    except OSError as error:
        destination.unlink(missing_ok=True)
        raise FileNotFoundError(f"{relative_path} is not here and could not be downloaded from {url} ({error}): "
                                f"{how_to_make}") from error


def results_table(folder=None):
    """The README's results table, in Markdown, from every committed ``results/*.json``."""
    folder = folder or output_dir("results")
    rows = [
        "| Notebook | Headline (test set) | Epochs | Full run | Machine |",
        "|---|---|---|---|---|",
    ]
    for path in sorted(folder.glob("*.json")):
        record = json.loads(path.read_text(encoding="utf-8"))
        headline = "; ".join(f"{label} {_number(value)}" for label, value in record["headline"].items())
        epochs = record["epochs"]
        if isinstance(epochs, dict):  # epochs per model
            epochs = " + ".join(f"{count} ({model})" for model, count in epochs.items())
        env = record["environment"]
        machine = f"{env['device']}, {env['cpu_count']} cores, {_backend_label(env)}, Keras {env['keras']}"
        rows.append(
            f"| {record['notebook']} · {record['title']} | {headline} | {epochs} "
            f"| {record['wall_time_s'] / 60:.1f} min | {machine} |"
        )
    if len(rows) == 2:
        rows.append("| (no full run recorded yet) | | | | |")
    return "\n".join(rows)


def _number(value):
    """A headline figure to two decimals; a list of them (one per setting) joined by slashes."""
    if isinstance(value, (list, tuple)):
        return " / ".join(f"{v:.2f}" for v in value)
    return f"{value:.2f}"


def _backend_label(env):
    """'TF 2.21.0', 'JAX 0.10.2' or 'PyTorch 2.13.0'."""
    names = {"tensorflow": "TF", "jax": "JAX", "torch": "PyTorch"}
    return f"{names.get(env['backend'], env['backend'])} {env['backend_version']}"


def _cpu_count():
    import os

    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
