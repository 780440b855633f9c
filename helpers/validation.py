"""Input checks shared by the helpers: each raises an error saying what was wrong and what is expected."""

import math
import numbers

import numpy as np


def check_images(images, name="images"):
    """Return ``images`` as a float32 array after checking it holds finite pixel values in [0, 1]."""
    if not isinstance(images, np.ndarray):
        raise TypeError(f"{name} must be a NumPy array, got {type(images).__name__}; use np.asarray(...) first")
    if images.dtype == bool or not np.issubdtype(images.dtype, np.number) or np.iscomplexobj(images):
        raise TypeError(f"{name} must hold real numbers (e.g. float32), got dtype {images.dtype}")
    if images.size == 0:
        raise ValueError(f"{name} is empty (shape {images.shape}); expected at least one image")
    if not np.all(np.isfinite(images)):
        raise ValueError(f"{name} contains NaN or infinite values; expected finite pixel values in [0, 1]")
    low, high = images.min(), images.max()
    if low < 0 or high > 1:
        hint = " It looks like 0-255 pixel values: divide by 255 first." if high > 1 and high <= 255 and low >= 0 else ""
        raise ValueError(f"{name} has values in [{low:g}, {high:g}]; expected pixel values in [0, 1].{hint}")
    return images.astype(np.float32, copy=False)


def check_level(value, name, low=0.0, high=None):
    """Return ``value`` as a float after checking it is a finite real number in [low, high]."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number, got {type(value).__name__}")
    value = float(value)
    if not np.isfinite(value) or value < low or (high is not None and value > high):
        expected = f"in [{low:g}, {high:g}]" if high is not None else f">= {low:g}"
        raise ValueError(f"{name} must be {expected}, got {value:g}")
    return value


def check_seed(seed):
    """Accept None or a non-negative integer seed."""
    if seed is None:
        return None
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral) or seed < 0:
        raise ValueError(f"seed must be None or a non-negative integer, got {seed!r}")
    return int(seed)


def as_square_images(images, name="images"):
    """Check images in [0, 1] and return them as float32 of shape (N, H, W)."""
    images = check_images(np.asarray(images), name)  # accepts tensors and lists too
    if images.ndim == 4 and images.shape[-1] == 1:
        images = images[..., 0]
    if images.ndim == 2:
        side = math.isqrt(images.shape[1])
        if side * side != images.shape[1]:
            raise ValueError(f"{name} of shape {images.shape} are flat but not square (e.g. 784 = 28 x 28 pixels)")
        images = images.reshape(len(images), side, side)
    if images.ndim != 3:
        raise ValueError(f"{name} must have shape (N, H, W), (N, H, W, 1) or (N, H*W), got {images.shape}")
    return images
