"""helpers.classical: the tuned classical denoisers of notebook 04."""

import numpy as np
import pytest

from helpers import classical, noise


@pytest.fixture
def squares():
    """Eight 28 x 28 images: a white square on black, in a different place in each."""
    images = np.zeros((8, 28, 28, 1), np.float32)
    for i in range(8):
        images[i, 4 + i:14 + i, 6:16 + i] = 1.0
    return images


def mse(a, b):
    return float(np.mean(np.square(a - b)))


@pytest.mark.parametrize("denoise, params", [
    (classical.gaussian, {"width": 0.7}),
    (classical.median, {"size": 3}),
    (classical.nl_means, {"sigma": 0.2, "h_factor": 0.8}),
    (classical.bm3d_filter, {"sigma": 0.2}),
])
def test_each_filter_keeps_the_shape_and_removes_noise(squares, denoise, params):
    noisy = noise.add_gaussian_noise(squares, 0.3, seed=0)
    out = denoise(noisy, **params)
    assert out.shape == squares.shape and out.dtype == np.float32
    assert out.min() >= 0 and out.max() <= 1
    assert mse(out, squares) < 0.7 * mse(noisy, squares)


def test_zero_width_is_no_filtering(squares):
    noisy = noise.add_gaussian_noise(squares, 0.2, seed=1)
    assert np.array_equal(classical.gaussian(noisy, 0.0), noisy)


def test_bm3d_mosaics_handle_any_number_of_images(squares):
    noisy = noise.add_gaussian_noise(squares, 0.2, seed=2)
    three = classical.bm3d_filter(noisy[:3], 0.15)
    assert three.shape == (3, 28, 28, 1)


def test_tone_curve_removes_a_grey_background(squares):
    hazy = np.clip(0.1 + 0.8 * squares, 0, 1)
    assert np.allclose(classical.tone_curve(hazy, 1.25, 0.1), squares, atol=1e-6)
    assert np.array_equal(classical.tone_curve(squares, 1.0, 0.0), squares)


def test_tune_finds_the_filter_and_tone_curve_that_help(squares):
    noisy = noise.add_gaussian_noise(squares, 0.3, seed=3)
    params, (gain, offset), score = classical.tune(classical.gaussian, {"width": (0.0, 0.7)}, noisy, squares)
    assert params == {"width": 0.7}
    assert offset > 0 and gain > 1                            # clipped noise brightens the background
    assert score > classical.mean_psnr(squares, classical.gaussian(noisy, 0.7)) + 1
    clean_params, clean_tone, _ = classical.tune(classical.gaussian, {"width": (0.0, 0.7)}, squares, squares)
    assert clean_params == {"width": 0.0} and clean_tone == (1.0, 0.0)  # nothing to undo on clean images


def test_mean_psnr_matches_the_metric(squares):
    from helpers import metrics
    noisy = noise.add_gaussian_noise(squares, 0.2, seed=4)
    assert classical.mean_psnr(squares, noisy) == pytest.approx(metrics.psnr(squares, noisy).mean(), abs=1e-3)


@pytest.mark.parametrize("call, message", [
    (lambda s: classical.gaussian(s[..., 0], 1.0), "shape"),
    (lambda s: classical.gaussian(np.full_like(s, np.nan), 1.0), "NaN"),
    (lambda s: classical.gaussian(s * 255, 1.0), "divide by 255"),
    (lambda s: classical.gaussian(s, -1.0), "width"),
    (lambda s: classical.median(s, 4), "odd"),
    (lambda s: classical.nl_means(s, -0.1, 0.8), "sigma"),
    (lambda s: classical.tone_curve(s, 1.0, 2.0), "offset"),
    (lambda s: classical.tune(classical.gaussian, {"width": (0.5,)}, s, s[:4]), "differ in shape"),
    (lambda s: classical.tune(classical.gaussian, {"width": ()}, s, s), "at least one value"),
])
def test_bad_input_says_what_was_wrong(squares, call, message):
    with pytest.raises((ValueError, TypeError), match=message):
        call(squares)
