from pathlib import Path

import numpy as np
import pytest

from helpers import data

FULL_MNIST = str(Path(__file__).resolve().parents[2] / "shared" / "data" / "mnist.npz")  # beside the checkout, where present


def write_npz(path, **overrides):
    """A tiny valid MNIST file (20 train, 10 test images), with some arrays replaced or removed."""
    rng = np.random.default_rng(0)
    arrays = dict(
        x_train=rng.integers(0, 256, (20, 28, 28), dtype=np.uint8),
        y_train=np.tile(np.arange(10, dtype=np.uint8), 2),
        x_test=rng.integers(0, 256, (10, 28, 28), dtype=np.uint8),
        y_test=np.arange(10, dtype=np.uint8),
    )
    arrays.update(overrides)
    np.savez(path, **{key: value for key, value in arrays.items() if value is not None})
    return path


@pytest.fixture(autouse=True)
def no_env(monkeypatch):
    monkeypatch.delenv("MNIST_PATH", raising=False)
    monkeypatch.delenv("VAE_FAST", raising=False)


@pytest.fixture
def no_keras(monkeypatch):
    def fail():
        raise ConnectionError("no internet in tests")
    monkeypatch.setattr(data, "_download_with_keras", fail)


def test_bundled_sample_is_stratified_real_mnist():
    arrays = data.read_mnist_npz(data.SAMPLE_PATH)
    assert arrays["x_train"].shape == (5000, 28, 28) and arrays["x_test"].shape == (1000, 28, 28)
    assert np.bincount(arrays["y_train"]).tolist() == [500] * 10
    assert np.bincount(arrays["y_test"]).tolist() == [100] * 10
    assert data.SAMPLE_PATH.stat().st_size < 2_000_000


def test_fast_mode_reads_the_sample_and_says_so(monkeypatch, capsys):
    monkeypatch.setenv("VAE_FAST", "1")
    monkeypatch.setattr(data, "_download_with_keras", lambda: pytest.fail("fast mode must not download"))
    (x_train, y_train), (x_test, y_test) = data.load_mnist()
    assert "bundled offline MNIST sample: 5000 training and 1000 test images" in capsys.readouterr().out
    assert x_train.shape == (5000, 28, 28) and x_train.dtype == np.float32
    assert 0 <= x_train.min() and x_train.max() <= 1 and x_train.max() > 0.99
    assert y_train.dtype == np.int64 and set(np.unique(y_test)) == set(range(10))


def test_env_path_comes_first(monkeypatch, tmp_path):
    monkeypatch.setenv("VAE_FAST", "1")
    monkeypatch.setenv("MNIST_PATH", str(write_npz(tmp_path / "m.npz")))
    (x_train, _), (x_test, _) = data.load_mnist()
    assert len(x_train) == 20 and len(x_test) == 10


def test_keras_is_second(monkeypatch, tmp_path):
    arrays = data.read_mnist_npz(write_npz(tmp_path / "m.npz"))
    monkeypatch.setattr(data, "_download_with_keras", lambda: arrays)
    (x_train, _), _ = data.load_mnist()
    np.testing.assert_allclose(x_train, arrays["x_train"] / 255.0)


def test_falls_back_to_the_sample_when_keras_fails(no_keras, capsys):
    (x_train, _), _ = data.load_mnist()
    out = capsys.readouterr().out
    assert "Keras could not load MNIST (ConnectionError)" in out and "5000 training" in out
    assert len(x_train) == 5000


def test_missing_sample_says_where_it_ships(no_keras, monkeypatch, tmp_path):
    monkeypatch.setattr(data, "SAMPLE_PATH", tmp_path / "gone.npz")
    with pytest.raises(FileNotFoundError, match="ships with a checkout of the repository.*MNIST_PATH"):
        data.load_mnist()


def test_flatten_and_stratified_subset(no_keras):
    (x_train, y_train), (x_test, y_test) = data.load_mnist(flatten=True, per_class=7, seed=3)
    assert x_train.shape == (70, 784) and x_test.shape == (70, 784)
    assert np.bincount(y_train).tolist() == [7] * 10
    (again, _), _ = data.load_mnist(flatten=True, per_class=7, seed=3)
    np.testing.assert_array_equal(x_train, again)
    (other, _), _ = data.load_mnist(flatten=True, per_class=7, seed=4)
    assert not np.array_equal(x_train, other)


@pytest.mark.parametrize("per_class", [0, -1, 2.5, True])
def test_stratified_subset_rejects_bad_counts(per_class):
    with pytest.raises(ValueError, match="per_class must be a positive integer"):
        data.stratified_subset(np.zeros((10, 2)), np.arange(10), per_class)


def test_stratified_subset_rejects_too_many_and_mismatch():
    with pytest.raises(ValueError, match="label 0 has only 1"):
        data.stratified_subset(np.zeros((10, 2)), np.arange(10), 2)
    with pytest.raises(ValueError, match="10 images but 9 labels"):
        data.stratified_subset(np.zeros((10, 2)), np.arange(9), 1)


def test_missing_file_is_named(monkeypatch, tmp_path):
    monkeypatch.setenv("MNIST_PATH", str(tmp_path / "nope.npz"))
    with pytest.raises(FileNotFoundError, match="nope.npz does not exist"):
        data.load_mnist()


def test_truncated_file_is_named(tmp_path):
    path = write_npz(tmp_path / "m.npz")
    path.write_bytes(path.read_bytes()[:3000])
    with pytest.raises(data.MnistFileError, match="m.npz is unreadable or truncated"):
        data.read_mnist_npz(path)


def test_not_a_zip(tmp_path):
    path = tmp_path / "m.npz"
    path.write_text("hello")
    with pytest.raises(ValueError, match="m.npz is unreadable"):
        data.read_mnist_npz(path)


@pytest.mark.parametrize("overrides, message", [
    (dict(y_test=None), r"lacks the arrays \['y_test'\]"),
    (dict(x_train=np.zeros((20, 28, 28), dtype=np.float32)), "x_train has shape .* dtype float32; expected uint8"),
    (dict(x_test=np.zeros((10, 784), dtype=np.uint8)), r"x_test has shape \(10, 784\)"),
    (dict(y_train=np.zeros(19, dtype=np.uint8)), "expected 20 integer labels"),
    (dict(y_train=np.zeros(20, dtype=np.float32)), "y_train has shape .* dtype float32"),
    (dict(y_test=np.full(10, 11, dtype=np.uint8)), "labels outside 0-9"),
    (dict(x_train=np.zeros((0, 28, 28), dtype=np.uint8), y_train=np.zeros(0, dtype=np.uint8)), "x_train is empty"),
])
def test_wrong_layouts_are_explained(tmp_path, overrides, message):
    with pytest.raises(data.MnistFileError, match=message):
        data.read_mnist_npz(write_npz(tmp_path / "m.npz", **overrides))


def test_pickled_objects_are_refused(tmp_path):
    path = write_npz(tmp_path / "m.npz", y_test=np.array([object()] * 10, dtype=object))
    with pytest.raises(data.MnistFileError, match="unreadable"):
        data.read_mnist_npz(path)


@pytest.mark.skipif(not Path(FULL_MNIST).is_file(), reason="the full MNIST is not on this machine")
def test_full_file_and_sample_is_a_subset_of_it():
    full = data.read_mnist_npz(FULL_MNIST)
    assert full["x_train"].shape == (60000, 28, 28) and full["x_test"].shape == (10000, 28, 28)
    sample = data.read_mnist_npz(data.SAMPLE_PATH)
    test_rows = {image.tobytes() for image in full["x_test"]}
    assert all(image.tobytes() in test_rows for image in sample["x_test"])


def test_fast_mode_switch_rejects_nonsense(monkeypatch):
    from helpers.config import fast_mode, pick

    monkeypatch.setenv("VAE_FAST", "1")
    assert fast_mode() and pick(full=30, fast=1) == 1
    monkeypatch.setenv("VAE_FAST", "0")
    assert not fast_mode() and pick(full=30, fast=1) == 30
    monkeypatch.setenv("VAE_FAST", "maybe")
    with pytest.raises(ValueError, match="VAE_FAST='maybe' is not understood"):
        fast_mode()
