"""The lessons' model code is backend-agnostic: notebooks 02 and 03 run in fast mode under JAX too.

nbval runs every notebook on TensorFlow (the default backend); this runs the two lessons that introduce
the model pattern again in a kernel started with ``KERAS_BACKEND=jax`` and fails on any error. Lessons 04
and 05 use the same pattern; they are left out to keep CI under ten minutes (04 spends most of its fast
run tuning classical filters, which do not depend on the backend).
"""

import os
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
ON_JAX = [ROOT / "notebooks" / name for name in
          ("02_dense_vae.ipynb", "03_conv_vae.ipynb")]


@pytest.mark.parametrize("path", ON_JAX, ids=lambda path: path.name)
def test_lesson_runs_on_jax(path, monkeypatch):
    monkeypatch.setenv("KERAS_BACKEND", "jax")
    monkeypatch.setenv("VAE_FAST", "1")
    monkeypatch.setenv("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    notebook = nbformat.read(path, as_version=4)
    NotebookClient(notebook, timeout=600, kernel_name="python3",
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    versions = "".join(output.get("text", "") for cell in notebook.cells if cell.cell_type == "code"
                       for output in cell.outputs)
    assert "on jax" in versions, f"{path.name} did not report the JAX backend in its versions cell"
