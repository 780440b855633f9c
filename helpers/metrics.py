"""Image-quality metrics for batches of images in [0, 1], computed with scikit-image.

Both return one value per image (a float64 array of length N); average them for a table.
"""

import numpy as np
from skimage.metrics import peak_signal_noise_ratio, structural_similarity

from helpers.validation import as_square_images


def psnr(reference, images):
    """Peak signal-to-noise ratio in dB of each image against its reference (data range 1)."""
    reference, images = _pair(reference, images)
    out = np.empty(len(images))
    for i, (ref, img) in enumerate(zip(reference, images)):
        out[i] = np.inf if np.array_equal(ref, img) else peak_signal_noise_ratio(ref, img, data_range=1.0)
    return out


def ssim(reference, images):
    """Structural similarity of each image to its reference (data range 1, 7x7 window)."""
    reference, images = _pair(reference, images)
    return np.array([structural_similarity(ref, img, data_range=1.0) for ref, img in zip(reference, images)])


def _pair(reference, images):
    reference = as_square_images(reference, "reference").astype(np.float64)
    images = as_square_images(images, "images").astype(np.float64)
    if reference.shape != images.shape:
        raise ValueError(f"reference and images differ in shape: {reference.shape} vs {images.shape}")
    return reference, images
