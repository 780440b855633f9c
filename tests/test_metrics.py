import numpy as np
import pytest

from helpers.metrics import psnr, ssim
from helpers.noise import add_gaussian_noise


def test_psnr_matches_its_definition(images):
    noisy = add_gaussian_noise(images, 0.1, seed=0)
    expected = 10 * np.log10(1 / ((images.astype(np.float64) - noisy) ** 2).mean(axis=(1, 2)))
    np.testing.assert_allclose(psnr(images, noisy), expected, rtol=1e-6)
    assert psnr(images, noisy).shape == (8,)


def test_identical_images():
    clean = np.random.default_rng(0).random((3, 28, 28))
    assert np.isinf(psnr(clean, clean)).all()
    np.testing.assert_allclose(ssim(clean, clean), 1.0)


def test_more_noise_scores_lower(images):
    mild, heavy = add_gaussian_noise(images, 0.05, seed=0), add_gaussian_noise(images, 0.3, seed=0)
    assert (psnr(images, mild) > psnr(images, heavy)).all()
    assert (ssim(images, mild) > ssim(images, heavy)).all()
    assert ((ssim(images, heavy) > -1) & (ssim(images, mild) <= 1)).all()


def test_accepts_flat_images(images):
    np.testing.assert_allclose(psnr(images.reshape(8, -1), images.reshape(8, -1) * 0.9),
                               psnr(images, images * 0.9))


def test_rejects_bad_input(images):
    with pytest.raises(ValueError, match="differ in shape"):
        psnr(images, images[:4])
    with pytest.raises(ValueError, match="divide by 255"):
        ssim(images * 255, images)
    with pytest.raises(ValueError, match="NaN"):
        psnr(images, np.full_like(images, np.nan))
