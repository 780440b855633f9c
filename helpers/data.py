"""Loading MNIST: from MNIST_PATH, else Keras's cache or download, else the bundled sample.

Images come back as float32 in [0, 1] with shape (N, 28, 28) (or (N, 784) with ``flatten=True``),
labels as int64 digits 0-9.
"""

import os
from pathlib import Path

import numpy as np

from helpers.config import fast_mode

PATH_ENV = "MNIST_PATH"
SAMPLE_PATH = Path(__file__).resolve().parent.parent / "assets" / "mnist_sample.npz"
KEYS = ("x_train", "y_train", "x_test", "y_test")


def load_mnist(path=None, flatten=False, per_class=None, seed=0):
    """Return ``(x_train, y_train), (x_test, y_test)`` for MNIST.

    Source, first that applies: ``path``; the ``.npz`` named by the environment variable
    ``MNIST_PATH``; in fast mode the bundled sample; ``keras.datasets.mnist.load_data()`` (Keras's
    cache or a download); the bundled sample ``assets/mnist_sample.npz`` (a line is printed).

    ``per_class`` takes a stratified subset of that many images of every digit from each split;
    ``seed`` chooses which. ``flatten=True`` returns images of shape (N, 784).
    """
    path = path or os.environ.get(PATH_ENV)
    if path:
        arrays = read_mnist_npz(path)
    elif fast_mode():
        arrays = _read_sample()
    else:
        try:
            arrays = _download_with_keras()
        except Exception as error:  # no Keras, no internet, a broken cache: use the sample
            print(f"Keras could not load MNIST ({type(error).__name__}); falling back to the bundled sample.")
            arrays = _read_sample()

    splits = []
    for x, y in ((arrays["x_train"], arrays["y_train"]), (arrays["x_test"], arrays["y_test"])):
        if per_class is not None:
            x, y = stratified_subset(x, y, per_class, seed=seed)
        x = x.astype(np.float32) / 255.0
        if flatten:
            x = x.reshape(len(x), -1)
        splits.append((x, y.astype(np.int64)))
    return tuple(splits)


def stratified_subset(x, y, per_class, seed=0):
    """Take ``per_class`` examples of every label, in a seeded random order."""
    if isinstance(per_class, bool) or not isinstance(per_class, (int, np.integer)) or per_class < 1:
        raise ValueError(f"per_class must be a positive integer, got {per_class!r}")
    x, y = np.asarray(x), np.asarray(y)
    if len(x) != len(y):
        raise ValueError(f"x and y differ in length: {len(x)} images but {len(y)} labels")
    rng = np.random.default_rng(seed)
    chosen = []
    for label in np.unique(y):
        where = np.flatnonzero(y == label)
        if len(where) < per_class:
            raise ValueError(
                f"asked for {per_class} images per class but label {label} has only {len(where)}"
            )
        chosen.append(rng.choice(where, size=per_class, replace=False))
    order = rng.permutation(np.concatenate(chosen))
    return x[order], y[order]


class MnistFileError(ValueError):
    """An MNIST ``.npz`` that is missing, unreadable or not in Keras's layout."""


def read_mnist_npz(path):
    """Read and check an ``.npz`` in Keras's MNIST layout; uint8 arrays, unscaled."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"MNIST file {path} does not exist (expected an .npz in Keras's layout)")
    try:
        with np.load(path, allow_pickle=False) as npz:
            missing = [key for key in KEYS if key not in npz.files]
            if missing:
                raise MnistFileError(
                    f"MNIST file {path} lacks the arrays {missing}: expected keys {list(KEYS)}, found {npz.files}"
                )
            arrays = {key: npz[key] for key in KEYS}
    except MnistFileError:
        raise
    except Exception as error:  # not a zip, truncated, pickled objects, ...
        raise MnistFileError(
            f"MNIST file {path} is unreadable or truncated ({type(error).__name__}: {error}); "
            "expected an .npz archive in Keras's layout"
        ) from error
    _check_layout(arrays, path)
    return arrays


def _check_layout(arrays, path):
    for split in ("train", "test"):
        x, y = arrays[f"x_{split}"], arrays[f"y_{split}"]
        if x.dtype != np.uint8 or x.ndim != 3 or x.shape[1:] != (28, 28):
            raise MnistFileError(
                f"MNIST file {path}: x_{split} has shape {x.shape} and dtype {x.dtype}; "
                "expected uint8 images of shape (N, 28, 28)"
            )
        if not np.issubdtype(y.dtype, np.integer) or y.shape != (len(x),):
            raise MnistFileError(
                f"MNIST file {path}: y_{split} has shape {y.shape} and dtype {y.dtype}; "
                f"expected {len(x)} integer labels, shape ({len(x)},)"
            )
        if len(y) and (y.min() < 0 or y.max() > 9):
            raise MnistFileError(f"MNIST file {path}: y_{split} holds labels outside 0-9")
        if len(x) == 0:
            raise MnistFileError(f"MNIST file {path}: x_{split} is empty")


def _read_sample():
    if not SAMPLE_PATH.is_file():
        raise FileNotFoundError(
            f"the bundled sample {SAMPLE_PATH} is not here (it ships with a checkout of the repository, "
            f"not with a pip-installed helpers package): set {PATH_ENV} to an MNIST .npz, or let Keras download it"
        )
    arrays = read_mnist_npz(SAMPLE_PATH)
    print(
        f"Using the bundled offline MNIST sample: {len(arrays['x_train'])} training and "
        f"{len(arrays['x_test'])} test images."
    )
    return arrays


def _download_with_keras():
    import keras

    (x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
    return dict(x_train=x_train, y_train=y_train, x_test=x_test, y_test=y_test)
