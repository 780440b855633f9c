"""The self-checks of notebook 05's exercises pass right answers and explain the typical wrong ones."""

import numpy as np
import pytest

from helpers import checks


def good_mask(kernel_size, mask_type):
    mask = np.zeros((kernel_size, kernel_size))
    mask[:kernel_size // 2] = 1
    mask[kernel_size // 2, :kernel_size // 2 + (mask_type == "B")] = 1
    return mask


def test_causal_mask(capsys):
    checks.check_causal_mask(good_mask)
    assert "check_causal_mask: all 5 hidden cases pass" in capsys.readouterr().out


def right_half_too(kernel_size, mask_type):
    mask = good_mask(kernel_size, mask_type)
    mask[kernel_size // 2, kernel_size // 2 + 1:] = 1
    return mask


@pytest.mark.parametrize("wrong, message", [
    (lambda k, t: good_mask(k, "B" if t == "A" else "A"), 'mask "A" hides the centre'),
    (lambda k, t: good_mask(k, t)[::-1], "rows ABOVE the centre"),
    (lambda k, t: good_mask(k, t).T, "rows ABOVE the centre"),
    (lambda k, t: 1 - good_mask(k, t), "1 means 'may look'"),
    (right_half_too, "only the pixels LEFT of the centre"),
    (lambda k, t: good_mask(k, t)[None], r"expected an array of shape \(3, 3\)"),
    (lambda k, t: (_ for _ in ()).throw(KeyError(t)), "raised KeyError"),
])
def test_causal_mask_mistakes_are_explained(wrong, message):
    with pytest.raises(checks.CheckFailed, match=message):
        checks.check_causal_mask(wrong)


def good_free_bits(kl, free_bits):
    return np.maximum(kl.mean(axis=0), free_bits).sum()


@pytest.mark.parametrize("wrong, message", [
    (lambda kl, fb: np.maximum(kl, fb).sum(axis=1).mean(), "average the KL over the batch first"),
    (lambda kl, fb: max(fb, kl.mean(axis=0).sum()), "each latent dimension, not to the total"),
    (lambda kl, fb: np.minimum(kl.mean(axis=0), fb).sum(), "max, not min"),
    (lambda kl, fb: np.maximum(kl.mean(axis=0), fb).mean(), "sum over the latent dimensions"),
    (lambda kl, fb: np.maximum(kl.mean(axis=0), fb), r"expected an array of shape \(\)"),
])
def test_free_bits_kl(wrong, message, capsys):
    checks.check_free_bits_kl(good_free_bits)
    assert "check_free_bits_kl: all 4 hidden cases pass" in capsys.readouterr().out
    with pytest.raises(checks.CheckFailed, match=message):
        checks.check_free_bits_kl(wrong)


def good_cyclical(epoch, cycle_epochs, ramp_fraction=0.5):
    return min(1.0, (epoch % cycle_epochs) / cycle_epochs / ramp_fraction)


@pytest.mark.parametrize("wrong, message", [
    (lambda e, c, ramp_fraction=0.5: good_cyclical(e + 1, c, ramp_fraction), "epochs are counted from 0"),
    (lambda e, c, ramp_fraction=0.5: min(1.0, e / c / ramp_fraction), "restart from 0 at the start of every cycle"),
    (lambda e, c, ramp_fraction=0.5: (e % c) / c / ramp_fraction, "never exceeds 1"),
    (lambda e, c: good_cyclical(e, c), "raised TypeError"),
])
def test_cyclical_beta(wrong, message, capsys):
    checks.check_cyclical_beta(good_cyclical)
    assert "check_cyclical_beta: all 3 hidden cases pass" in capsys.readouterr().out
    with pytest.raises(checks.CheckFailed, match=message):
        checks.check_cyclical_beta(wrong)


def one_nearest_neighbour(z_train, y_train, z_test, y_test):
    nearest = ((z_test[:, None] - z_train[None]) ** 2).sum(-1).argmin(axis=1)
    return np.mean(y_train[nearest] == y_test)


@pytest.mark.parametrize("wrong, message", [
    (lambda a, b, c, d: 100 * checks.nearest_centroid_accuracy_reference(a, b, c, d), "not a percentage"),
    (one_nearest_neighbour, "1-NN"),
    (lambda a, b, c, d: checks.nearest_centroid_accuracy_reference(c, d, c, d), "from the training codes"),
])
def test_nearest_centroid_accuracy(wrong, message, capsys):
    checks.check_nearest_centroid_accuracy(checks.nearest_centroid_accuracy_reference)
    assert "check_nearest_centroid_accuracy: all 3 hidden cases pass" in capsys.readouterr().out
    with pytest.raises(checks.CheckFailed, match=message):
        checks.check_nearest_centroid_accuracy(wrong)


def test_keras_ops_answers_pass():
    """Students may answer with keras.ops; the checks take tensors as well as arrays."""
    from keras import ops

    checks.check_free_bits_kl(lambda kl, fb: ops.sum(ops.maximum(ops.mean(kl, axis=0), fb)))
