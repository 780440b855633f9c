"""Figures the lessons share. Each function returns a Matplotlib Figure and never shows or saves it.

Image grids are drawn as one mosaic in one Axes, so ``ax=`` lets a lesson place any of them in a
figure of its own. Images may be given as (N, 28, 28), (N, 28, 28, 1) or flattened (N, 784).
"""

import math
from statistics import NormalDist

import matplotlib.pyplot as plt
import numpy as np

from helpers.config import output_dir
from helpers.validation import as_square_images


def set_style():
    """One look for every notebook: PNG figures at a readable size, no top/right spines."""
    plt.rcParams.update({
        "figure.dpi": 100,
        "savefig.dpi": 100,
        "savefig.format": "png",
        "savefig.bbox": "tight",
        "axes.spines.top": False,
        "axes.spines.right": False,
        "image.cmap": "gray",
        "font.size": 10,
    })


def save_fig(fig, name, notebook_id):
    """Save ``fig`` as ``figures/<notebook_id>/<name>.png`` (an ignored folder) and return the path."""
    if not name or not str(name).replace("_", "").replace("-", "").isalnum():
        raise ValueError(f"figure name must be letters, digits, '_' or '-', got {name!r}")
    path = output_dir("figures") / str(notebook_id) / f"{name}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path)
    return path


def plot_images(images, labels=None, ncols=10, title=None, ax=None):
    """A grid of images, ``ncols`` per row, optionally with a label under each."""
    squares = as_square_images(images)
    if labels is not None and len(labels) != len(squares):
        raise ValueError(f"got {len(squares)} images but {len(labels)} labels; expected one label per image")
    ncols = _positive_int(ncols, "ncols")
    ncols = min(ncols, len(squares))
    nrows = math.ceil(len(squares) / ncols)
    fig, ax = _figure(ax, ncols, nrows)
    _show_mosaic(ax, _mosaic(squares, nrows, ncols))
    if labels is not None:
        size = squares.shape[1] + 2
        for i, label in enumerate(labels):
            row, col = divmod(i, ncols)
            ax.text(col * size + size / 2, (row + 1) * size - 1, str(label), color="tab:orange",
                    ha="center", va="bottom", fontsize=8)
    if title:
        ax.set_title(title)
    return fig


def plot_reconstructions(originals, reconstructions, num_images=10, ax=None):
    """Originals in the top row, their reconstructions below."""
    return _plot_rows({"original": originals, "reconstructed": reconstructions}, num_images, ax)


def plot_denoised_images(noisy, denoised, clean, num_images=10, ax=None):
    """Rows: the noisy inputs, the model's denoised outputs, the clean originals."""
    return _plot_rows({"noisy": noisy, "denoised": denoised, "clean": clean}, num_images, ax)


def plot_interpolation(images, ax=None):
    """One row of images decoded along a path in latent space, from the first to the last."""
    squares = as_square_images(images)
    fig, ax = _figure(ax, len(squares), 1)
    _show_mosaic(ax, _mosaic(squares, 1, len(squares)))
    ax.set_xlabel("start  →  end")
    return fig


def plot_latent_space(z, labels, ax=None, max_points=None, seed=0):
    """Scatter of 2-D latent codes ``z`` coloured by digit label, with a legend.

    ``max_points`` draws a seeded random subset, so 10k points stay readable.
    """
    z = np.asarray(z)
    labels = np.asarray(labels)
    if z.ndim != 2 or z.shape[1] != 2:
        raise ValueError(f"z must have shape (N, 2), got {z.shape}; project larger latents to 2-D first (e.g. PCA)")
    if labels.shape != (len(z),):
        raise ValueError(f"labels must have shape ({len(z)},) to match z, got {labels.shape}")
    if not np.all(np.isfinite(z)):
        raise ValueError("z contains NaN or infinite values")
    if max_points is not None and len(z) > max_points:
        keep = np.random.default_rng(seed).choice(len(z), size=max_points, replace=False)
        z, labels = z[keep], labels[keep]
    fig, ax = _figure(ax, 6, 6, inches_per_cell=1.0)
    colours = plt.get_cmap("tab10")
    for i, label in enumerate(np.unique(labels)):
        here = labels == label
        ax.scatter(z[here, 0], z[here, 1], s=3, alpha=0.6, color=colours(i % 10), label=str(label))
    ax.set_xlabel("$z_1$")
    ax.set_ylabel("$z_2$")
    ax.legend(title="digit", markerscale=4, loc="center left", bbox_to_anchor=(1.0, 0.5), frameon=False)
    return fig


def plot_latent_manifold(decoder, n=15, quantile_range=(0.05, 0.95), codes=None, ax=None):
    """Decode an ``n`` x ``n`` grid of 2-D latent points, placed at quantiles along each axis.

    Without ``codes`` the quantiles are those of N(0, 1), the prior; with ``codes`` (an array (N, 2),
    e.g. the means μ of the test images) they are the codes' own quantiles along each axis, so every
    column and every row holds the same share of the data. ``decoder`` maps an array of shape (n*n, 2)
    to images in [0, 1]; it is called **once** for the whole grid. For a decoder that outputs logits
    pass e.g. ``lambda z: keras.ops.sigmoid(decoder(z))``.
    """
    n = _positive_int(n, "n")
    low, high = quantile_range
    if not 0 < low < high < 1:
        raise ValueError(f"quantile_range must satisfy 0 < low < high < 1, got {quantile_range}")
    levels = np.linspace(low, high, n)
    if codes is None:
        values_x = values_y = np.array([NormalDist().inv_cdf(q) for q in levels], dtype=np.float32)
    else:
        codes = np.asarray(codes, dtype=np.float64)
        if codes.ndim != 2 or codes.shape[1] != 2 or len(codes) < 2 or not np.all(np.isfinite(codes)):
            raise ValueError(f"codes must be a finite array of shape (N >= 2, 2), got shape {codes.shape}")
        values_x, values_y = (np.quantile(codes[:, axis], levels).astype(np.float32) for axis in (0, 1))
    grid = np.array([[x, y] for y in values_y[::-1] for x in values_x], dtype=np.float32)  # top row: high z_2
    try:
        decoded = np.asarray(decoder(grid))
    except Exception as error:
        raise ValueError(f"decoder failed on a batch of shape {grid.shape}: {error}") from error
    if len(decoded) != len(grid):
        raise ValueError(f"decoder returned {len(decoded)} images for {len(grid)} latent points")
    if decoded.size and (decoded.min() < 0 or decoded.max() > 1):
        raise ValueError("decoder returned values outside [0, 1]; if it outputs logits, wrap it in a sigmoid")
    squares = as_square_images(decoded)
    fig, ax = _figure(ax, n, n, inches_per_cell=0.5)
    size = squares.shape[1] + 2
    _show_mosaic(ax, _mosaic(squares, n, n))
    ticks = np.arange(n) * size + size / 2
    ax.set_xticks(ticks, [_tick(v) for v in values_x], fontsize=7)
    ax.set_yticks(ticks, [_tick(v) for v in values_y[::-1]], fontsize=7)
    ax.set_xlabel("$z_1$")
    ax.set_ylabel("$z_2$")
    return fig


def _tick(value):
    """One decimal, and never "-0.0": a value that rounds to zero reads 0.0."""
    return f"{round(float(value), 1) + 0.0:.1f}"


def plot_history(history, terms=None):
    """One panel per loss term, training and (if present) validation curves, against epochs.

    ``history`` is a ``keras.callbacks.History`` or its ``.history`` dict; ``terms`` defaults to every
    key without a ``val_`` prefix.
    """
    logs = getattr(history, "history", history)
    if not isinstance(logs, dict) or not logs:
        raise ValueError("history must be a Keras History or a non-empty dict of per-epoch values")
    terms = terms or [key for key in logs if not key.startswith("val_")]
    missing = [term for term in terms if term not in logs]
    if missing:
        raise ValueError(f"history has no {missing}; it has {sorted(logs)}")
    fig, axes = plt.subplots(1, len(terms), figsize=(4 * len(terms), 3), squeeze=False)
    for ax, term in zip(axes[0], terms):
        epochs = np.arange(1, len(logs[term]) + 1)
        ax.plot(epochs, logs[term], marker=".", label="train")
        if f"val_{term}" in logs:
            ax.plot(epochs, logs[f"val_{term}"], marker=".", label="validation")
        ax.set_title(term)
        ax.set_xlabel("epoch")
        ax.legend()
    fig.tight_layout()
    return fig


def _plot_rows(rows, num_images, ax):
    num_images = _positive_int(num_images, "num_images")
    arrays = {name: as_square_images(images, name) for name, images in rows.items()}
    counts = {name: len(array) for name, array in arrays.items()}
    if len(set(counts.values())) != 1:
        raise ValueError(f"the rows must hold the same number of images, got {counts}")
    shapes = {name: array.shape[1:] for name, array in arrays.items()}
    if len(set(shapes.values())) != 1:
        raise ValueError(f"the rows must hold images of the same size, got {shapes}")
    num_images = min(num_images, next(iter(counts.values())))
    squares = np.concatenate([array[:num_images] for array in arrays.values()])
    fig, ax = _figure(ax, num_images, len(arrays))
    _show_mosaic(ax, _mosaic(squares, len(arrays), num_images))
    size = squares.shape[1] + 2
    ax.set_yticks(np.arange(len(arrays)) * size + size / 2, list(arrays))
    ax.tick_params(left=False)
    return fig


def _mosaic(squares, nrows, ncols, pad=2, separator=0.15):
    height, width = squares.shape[1:]
    canvas = np.full((nrows * (height + pad), ncols * (width + pad)), separator, dtype=np.float32)
    for i, image in enumerate(squares[: nrows * ncols]):
        row, col = divmod(i, ncols)
        top, left = row * (height + pad) + pad // 2, col * (width + pad) + pad // 2
        canvas[top: top + height, left: left + width] = image
    return canvas


def _show_mosaic(ax, canvas):
    ax.imshow(canvas, cmap="gray_r", vmin=0, vmax=1, interpolation="nearest")
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_visible(False)


def _figure(ax, ncols, nrows, inches_per_cell=0.8):
    if ax is not None:
        return ax.figure, ax
    fig, ax = plt.subplots(figsize=(max(2.0, ncols * inches_per_cell), max(1.0, nrows * inches_per_cell)))
    return fig, ax


def _positive_int(value, name):
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(f"{name} must be a positive integer, got {value!r}")
    return int(value)
