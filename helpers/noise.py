"""Corrupting images for the denoising lesson. Pure functions of ``(images, level, seed)``.

Each takes float images in [0, 1] of any shape and returns a new float32 array of the same shape,
values in [0, 1]; the same seed gives the same result.
"""

import numpy as np

from helpers.validation import check_images, check_level, check_seed


def add_gaussian_noise(images, noise_factor, seed=None):
    """``images + noise_factor * N(0, 1)``, clipped to [0, 1] (the recipe of most denoising tutorials)."""
    images = check_images(images)
    noise_factor = check_level(noise_factor, "noise_factor")
    rng = np.random.default_rng(check_seed(seed))
    noisy = images + noise_factor * rng.standard_normal(images.shape, dtype=np.float32)
    return np.clip(noisy, 0.0, 1.0).astype(np.float32)


def add_salt_and_pepper(images, amount, seed=None):
    """Set a fraction ``amount`` of the pixels to 0 or 1 (each with probability one half)."""
    images = check_images(images)
    amount = check_level(amount, "amount", high=1.0)
    rng = np.random.default_rng(check_seed(seed))
    hit = rng.random(images.shape) < amount
    salt = rng.random(images.shape) < 0.5
    return np.where(hit, salt.astype(np.float32), images).astype(np.float32)


def add_random_mask(images, fraction, seed=None):
    """Set a fraction ``fraction`` of the pixels, chosen at random, to 0 (missing)."""
    images = check_images(images)
    fraction = check_level(fraction, "fraction", high=1.0)
    rng = np.random.default_rng(check_seed(seed))
    keep = rng.random(images.shape) >= fraction
    return np.where(keep, images, 0.0).astype(np.float32)
