"""Headline figures of full runs, kept in ``results/NN_name.json`` and shown in the README table.

In fast mode the file goes to the ignored ``results/fast/`` instead, so a CI run never overwrites
the figures of a full run.
"""

import json
import platform
from datetime import datetime, timezone

from helpers.config import fast_mode, output_dir


def environment():
    """Library versions and the device, for the record."""
    import keras
    import numpy
    import tensorflow as tf

    gpus = tf.config.list_physical_devices("GPU")
    return {
        "python": platform.python_version(),
        "tensorflow": tf.__version__,
        "keras": keras.__version__,
        "numpy": numpy.__version__,
        "device": f"GPU ({len(gpus)})" if gpus else "CPU",
        "cpu_count": _cpu_count(),
    }


REQUIRED = ("title", "headline", "epochs", "wall_time_s")
TABLE_START, TABLE_END = "<!-- results-table:start -->", "<!-- results-table:end -->"


def save_results(notebook_id, figures):
    """Write ``figures`` (a JSON-serialisable dict) with the environment and date; return the path.

    ``figures`` needs ``title``, ``headline`` (a dict of label -> number, shown in the README),
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
    folder = output_dir("results") / ("fast" if fast_mode() else "")
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{notebook_id}.json"
    path.write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def load_results(notebook_id):
    """Read the committed results of a full run of one notebook."""
    path = output_dir("results") / f"{notebook_id}.json"
    if not path.is_file():
        raise FileNotFoundError(f"{path} does not exist: run notebook {notebook_id} in full mode first")
    return json.loads(path.read_text(encoding="utf-8"))


def results_table(folder=None):
    """The README's results table, in Markdown, from every committed ``results/*.json``."""
    folder = folder or output_dir("results")
    rows = [
        "| Notebook | Headline (test set) | Epochs | Full run | Machine |",
        "|---|---|---|---|---|",
    ]
    for path in sorted(folder.glob("*.json")):
        record = json.loads(path.read_text(encoding="utf-8"))
        headline = "; ".join(f"{label} {value:.2f}" for label, value in record["headline"].items())
        env = record["environment"]
        machine = f"{env['device']}, {env['cpu_count']} cores, TF {env['tensorflow']}, Keras {env['keras']}"
        rows.append(
            f"| {record['notebook']} · {record['title']} | {headline} | {record['epochs']} "
            f"| {record['wall_time_s'] / 60:.1f} min | {machine} |"
        )
    if len(rows) == 2:
        rows.append("| (no full run recorded yet) | | | | |")
    return "\n".join(rows)


def _cpu_count():
    import os

    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
