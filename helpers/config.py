"""The single fast-mode switch, and where the project's files live.

Fast mode (``VAE_FAST=1``) is for CI: notebooks shrink their data and epochs with :func:`pick`, but
every cell still runs the same code. It is read here and nowhere else.
"""

import os
from pathlib import Path

FAST_ENV = "VAE_FAST"


def fast_mode() -> bool:
    """True when the environment variable ``VAE_FAST`` is set to 1 (or true/yes)."""
    value = os.environ.get(FAST_ENV, "").strip().lower()
    if value in ("", "0", "false", "no"):
        return False
    if value in ("1", "true", "yes"):
        return True
    raise ValueError(f"{FAST_ENV}={value!r} is not understood: expected 1/true/yes or 0/false/no (or unset)")


def pick(full, fast):
    """Return ``fast`` in fast mode and ``full`` otherwise, e.g. ``EPOCHS = pick(full=30, fast=1)``."""
    return fast if fast_mode() else full


def compile_options(steps_per_execution=32, jit_compile=True):
    """Speed options for ``model.compile(..., **compile_options())`` that suit the Keras backend.

    TensorFlow and JAX get them as given: ``jit_compile`` (XLA, also on a CPU) and
    ``steps_per_execution`` training steps per call into the compiled function. PyTorch allows only one
    step per call, and its ``jit_compile`` (``torch.compile``) spends minutes compiling each small
    model, so there: eager, one step per call.
    """
    import keras

    if keras.backend.backend() == "torch":
        return {"jit_compile": False, "steps_per_execution": 1}
    return {"jit_compile": jit_compile, "steps_per_execution": steps_per_execution}


def project_root() -> Path | None:
    """The repository root when running from a checkout (notebooks/ or the root itself), else None."""
    for folder in (Path.cwd(), *Path.cwd().parents):
        if (folder / "pyproject.toml").is_file() and (folder / "helpers").is_dir():
            return folder
    return None


def output_dir(kind: str) -> Path:
    """Folder for generated files of one kind (``figures``, ``models``, ``results``), created on demand.

    In a checkout it sits at the repository root; elsewhere (e.g. Colab) in the working directory.
    """
    root = project_root() or Path.cwd()
    folder = root / kind
    folder.mkdir(parents=True, exist_ok=True)
    return folder
