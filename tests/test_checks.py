import numpy as np
import pytest

from helpers import checks


def good_kl(z_mean, z_log_var):
    return -0.5 * np.sum(1 + z_log_var - z_mean**2 - np.exp(z_log_var), axis=-1)


def test_correct_kl_passes(capsys):
    checks.check_kl(good_kl)
    assert "check_kl: all 3 hidden cases pass" in capsys.readouterr().out


@pytest.mark.parametrize("wrong, message", [
    (lambda m, lv: -good_kl(m, lv), "sign is flipped"),
    (lambda m, lv: good_kl(m, lv) / m.shape[-1], "averaged over the latent dimensions"),
    (lambda m, lv: 2 * good_kl(m, lv), "factor ½ is missing"),
    (lambda m, lv: -0.5 * (1 + lv - m**2 - np.exp(lv)), r"expected an array of shape \(2,\), got shape \(2, 3\)"),
    (lambda m, lv: "nope", "not an array of numbers"),
])
def test_typical_kl_mistakes_are_explained(wrong, message):
    with pytest.raises(checks.CheckFailed, match=message):
        checks.check_kl(wrong)


def test_kl_failure_shows_expected_and_got():
    with pytest.raises(checks.CheckFailed) as info:
        checks.check_kl(lambda m, lv: good_kl(m, lv) + 1)
    assert "expected" in str(info.value) and "got" in str(info.value) and "the standard normal itself" in str(info.value)


def kl_two(m1, lv1, m2, lv2):
    return 0.5 * np.sum(lv2 - lv1 + (np.exp(lv1) + (m1 - m2) ** 2) / np.exp(lv2) - 1, axis=-1)


def test_kl_two_gaussians():
    checks.check_kl_two_gaussians(kl_two)
    with pytest.raises(checks.CheckFailed, match="not symmetric"):
        checks.check_kl_two_gaussians(lambda m1, lv1, m2, lv2: kl_two(m2, lv2, m1, lv1))


def test_reparameterize():
    checks.check_reparameterize(lambda m, lv, e: m + np.exp(0.5 * lv) * e)
    with pytest.raises(checks.CheckFailed, match=r"exp\(½ log σ²\), not exp\(log σ²\)"):
        checks.check_reparameterize(lambda m, lv, e: m + np.exp(lv) * e)


def test_sampling_layer():
    rng = np.random.default_rng(0)
    checks.check_sampling_layer(lambda inputs: inputs[0] + np.exp(0.5 * inputs[1]) * rng.normal(size=inputs[0].shape))
    with pytest.raises(checks.CheckFailed, match="did you use exp"):
        checks.check_sampling_layer(lambda inputs: inputs[0] + np.exp(inputs[1]) * rng.normal(size=inputs[0].shape))
    with pytest.raises(checks.CheckFailed, match="same z"):
        checks.check_sampling_layer(  # the same ε on every call
            lambda inputs: inputs[0] + np.exp(0.5 * inputs[1]) * np.random.default_rng(0).normal(size=inputs[0].shape))
    with pytest.raises(checks.CheckFailed, match="raised ValueError"):
        checks.check_sampling_layer(lambda inputs: (_ for _ in ()).throw(ValueError("boom")))
