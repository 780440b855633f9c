import numpy as np
import pytest

from helpers.noise import add_gaussian_noise, add_random_mask, add_salt_and_pepper

NOISES = [(add_gaussian_noise, 0.3), (add_salt_and_pepper, 0.2), (add_random_mask, 0.25)]


@pytest.mark.parametrize("noise, level", NOISES)
def test_shape_dtype_range_and_purity(noise, level, images):
    before = images.copy()
    noisy = noise(images, level, seed=1)
    assert noisy.shape == images.shape and noisy.dtype == np.float32
    assert noisy.min() >= 0 and noisy.max() <= 1
    assert noisy is not images
    np.testing.assert_array_equal(images, before)  # input untouched
    assert not np.array_equal(noisy, images)


@pytest.mark.parametrize("noise, level", NOISES)
def test_same_seed_same_noise_other_seed_other_noise(noise, level, images):
    np.testing.assert_array_equal(noise(images, level, seed=7), noise(images, level, seed=7))
    assert not np.array_equal(noise(images, level, seed=7), noise(images, level, seed=8))


@pytest.mark.parametrize("noise", [add_gaussian_noise, add_salt_and_pepper, add_random_mask])
def test_level_zero_changes_nothing(noise, images):
    np.testing.assert_array_equal(noise(images, 0.0, seed=0), images)


@pytest.mark.parametrize("noise", [add_gaussian_noise, add_salt_and_pepper, add_random_mask])
def test_accepts_other_shapes_and_integer_dtypes(noise):
    flat = np.full((3, 784), 0.5, dtype=np.float64)
    assert noise(flat, 0.1, seed=0).shape == (3, 784)
    binary = np.zeros((2, 28, 28, 1), dtype=np.uint8)
    assert noise(binary, 0.1, seed=0).dtype == np.float32


def test_gaussian_noise_level_matches_its_factor():
    grey = np.full((200, 28, 28), 0.5, dtype=np.float32)  # far from the clip at 0 and 1
    noisy = add_gaussian_noise(grey, 0.1, seed=0)
    assert abs((noisy - grey).std() - 0.1) < 0.002
    assert abs((noisy - grey).mean()) < 0.002


def test_salt_and_pepper_hits_the_requested_fraction_half_salt():
    grey = np.full((200, 28, 28), 0.5, dtype=np.float32)
    noisy = add_salt_and_pepper(grey, 0.3, seed=0)
    hit = noisy != 0.5
    assert abs(hit.mean() - 0.3) < 0.005
    assert abs((noisy[hit] == 1).mean() - 0.5) < 0.01
    assert set(np.unique(noisy[hit])) == {0.0, 1.0}


def test_random_mask_zeroes_the_requested_fraction():
    ones = np.ones((200, 28, 28), dtype=np.float32)
    masked = add_random_mask(ones, 0.4, seed=0)
    assert abs((masked == 0).mean() - 0.4) < 0.005
    assert set(np.unique(masked)) == {0.0, 1.0}


def test_full_levels():
    ones = np.ones((4, 28, 28), dtype=np.float32)
    assert (add_random_mask(ones, 1.0, seed=0) == 0).all()
    assert set(np.unique(add_salt_and_pepper(ones * 0.5, 1.0, seed=0))) == {0.0, 1.0}


@pytest.mark.parametrize("noise, level", NOISES)
@pytest.mark.parametrize("bad, error, message", [
    ([[0.1, 0.2]], TypeError, "NumPy array"),
    (np.array([["a", "b"]]), TypeError, "real numbers"),
    (np.array([[True, False]]), TypeError, "real numbers"),
    (np.zeros((0, 28, 28)), ValueError, "empty"),
    (np.array([[0.5, np.nan]]), ValueError, "NaN"),
    (np.array([[0.5, np.inf]]), ValueError, "infinite"),
    (np.array([[0, 255]], dtype=np.uint8), ValueError, "divide by 255"),
    (np.array([[-0.1, 0.5]]), ValueError, r"expected pixel values in \[0, 1\]"),
])
def test_rejects_bad_images(noise, level, bad, error, message):
    with pytest.raises(error, match=message):
        noise(bad, level, seed=0)


@pytest.mark.parametrize("noise, bad_level, error, message", [
    (add_gaussian_noise, -0.1, ValueError, "noise_factor must be >= 0"),
    (add_gaussian_noise, float("nan"), ValueError, "noise_factor"),
    (add_gaussian_noise, "0.2", TypeError, "noise_factor must be a real number"),
    (add_salt_and_pepper, 1.5, ValueError, r"amount must be in \[0, 1\]"),
    (add_salt_and_pepper, -0.01, ValueError, "amount"),
    (add_random_mask, 2, ValueError, r"fraction must be in \[0, 1\]"),
    (add_random_mask, None, TypeError, "fraction"),
])
def test_rejects_bad_levels(noise, bad_level, error, message, images):
    with pytest.raises(error, match=message):
        noise(images, bad_level, seed=0)


@pytest.mark.parametrize("seed", [-1, 1.5, "1", True])
def test_rejects_bad_seeds(seed, images):
    with pytest.raises(ValueError, match="seed must be None or a non-negative integer"):
        add_gaussian_noise(images, 0.2, seed=seed)
