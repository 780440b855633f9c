"""Classical denoisers for notebook 04, each followed by a tone curve, and their tuning on validation images.

Every filter takes images of shape (N, 28, 28, 1) in [0, 1] and its parameters, and returns denoised images of
the same shape. ``tune`` picks a filter's parameters *and* its tone curve by mean PSNR on validation pairs.

The tone curve ``clip(gain * (x - offset), 0, 1)`` undoes what clipping the noise does to a digit: the black
background turns grey (clipped noise is positive on average) and white strokes turn darker; a filter only
averages those shifts, two numbers tuned on validation images undo most of them.
"""

import itertools

import bm3d
import numpy as np
from scipy import ndimage
from skimage.restoration import denoise_nl_means

from helpers.validation import check_images, check_level

GAINS = tuple(np.round(np.arange(1.0, 4.01, 0.125), 3))   # tone-curve grid: 25 gains × 21 offsets
OFFSETS = tuple(np.round(np.arange(0.0, 0.401, 0.02), 2))
MOSAIC = 10  # BM3D denoises 10 × 10 digits at a time, as one 280 × 280 image


def _images(images):
    """(N, 28, 28, 1) float32 in [0, 1], checked."""
    images = check_images(images)
    if images.ndim != 4 or images.shape[-1] != 1:
        raise ValueError(f"images must have shape (N, height, width, 1), got {images.shape}")
    return images


def gaussian(noisy, width):
    """A Gaussian filter of standard deviation ``width`` pixels (0: the noisy image unchanged)."""
    noisy, width = _images(noisy), check_level(width, "width")
    return ndimage.gaussian_filter(noisy, sigma=(0, width, width, 0)) if width > 0 else noisy.copy()


def median(noisy, size):
    """A size × size median filter."""
    noisy = _images(noisy)
    if not isinstance(size, (int, np.integer)) or size < 1 or size % 2 == 0:
        raise ValueError(f"size must be an odd positive integer, got {size!r}")
    return ndimage.median_filter(noisy, size=(1, size, size, 1))


def nl_means(noisy, sigma, h_factor):
    """Non-local means (Buades et al., 2005), 5 × 5 patches searched within 6 pixels; ``sigma`` is the noise's
    standard deviation and the filter strength is h = ``h_factor`` · sigma."""
    noisy, sigma = _images(noisy), check_level(sigma, "sigma")
    h = check_level(h_factor, "h_factor") * sigma
    return np.stack([denoise_nl_means(image[..., 0], h=h, sigma=sigma, patch_size=5, patch_distance=6,
                                      fast_mode=True) for image in noisy])[..., None].astype(np.float32)


def bm3d_filter(noisy, sigma):
    """BM3D (Dabov et al., 2007) with noise standard deviation ``sigma``, run on mosaics of 10 × 10 digits:
    one call per mosaic is about ten times faster than one per digit (the digits are padded to a multiple of 100
    with blank images)."""
    noisy, sigma = _images(noisy), check_level(sigma, "sigma")
    count, size = len(noisy), noisy.shape[1]
    per_mosaic = MOSAIC * MOSAIC
    padded = np.concatenate([noisy[..., 0], np.zeros((-count % per_mosaic, size, size), np.float32)])
    out = []
    for first in range(0, len(padded), per_mosaic):
        tiles = padded[first:first + per_mosaic].reshape(MOSAIC, MOSAIC, size, size)
        mosaic = tiles.transpose(0, 2, 1, 3).reshape(MOSAIC * size, MOSAIC * size)
        clean = bm3d.bm3d(mosaic, sigma_psd=sigma)
        out.append(clean.reshape(MOSAIC, size, MOSAIC, size).transpose(0, 2, 1, 3).reshape(per_mosaic, size, size))
    return np.clip(np.concatenate(out)[:count, ..., None], 0, 1).astype(np.float32)


def tone_curve(images, gain, offset):
    """``clip(gain * (images - offset), 0, 1)``: darkens a grey background and brightens faded strokes."""
    images = check_images(np.asarray(images))
    gain, offset = check_level(gain, "gain"), check_level(offset, "offset", high=1.0)
    return _apply_tone(images, gain, offset)


def _apply_tone(images, gain, offset):
    """The tone curve without input checks, for the tuning loop."""
    return np.clip(gain * (images - offset), 0.0, 1.0).astype(np.float32)


def mean_psnr(clean, images):
    """Mean over images of the PSNR in dB (data range 1); the same numbers as ``helpers.metrics.psnr``, vectorised."""
    mse = np.mean(np.square(clean.astype(np.float64) - images), axis=tuple(range(1, clean.ndim)))
    return float(np.mean(-10 * np.log10(np.maximum(mse, 1e-12))))


def tune(filter_fn, grid, noisy, clean):
    """Try every combination of ``grid`` (a dict: parameter name -> values) and, for each, every tone curve of
    GAINS × OFFSETS; return ``(params, (gain, offset), mean PSNR)`` of the best on the validation pairs."""
    noisy, clean = _images(noisy), _images(clean)
    if noisy.shape != clean.shape:
        raise ValueError(f"noisy and clean validation images differ in shape: {noisy.shape} vs {clean.shape}")
    if not grid or any(len(values) == 0 for values in grid.values()):
        raise ValueError(f"grid must map each parameter name to at least one value, got {grid!r}")
    best = (None, None, -np.inf)
    for values in itertools.product(*grid.values()):
        params = dict(zip(grid, values))
        filtered = filter_fn(noisy, **params)
        for gain, offset in itertools.product(GAINS, OFFSETS):
            score = mean_psnr(clean, _apply_tone(filtered, gain, offset))
            if score > best[2]:
                best = (params, (float(gain), float(offset)), score)
    return best
