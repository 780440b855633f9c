"""Self-checks for the exercises: each tests a student's function on cases they did not see.

On success a check prints one line; on failure it raises :class:`CheckFailed`, whose message says
which case failed, what was expected and what came back, and often what the likely mistake is.
"""

import numpy as np


class CheckFailed(AssertionError):
    """A self-check found a wrong answer; the message says what was expected and what came back."""


def _passed(name, cases):
    print(f"✓ {name}: all {cases} hidden cases pass")


def _as_array(value, what):
    try:
        return np.asarray(value, dtype=np.float64)
    except Exception as error:
        raise CheckFailed(f"{what} returned {type(value).__name__}, which is not an array of numbers: {error}") from error


SUM_OVER_LATENTS = " Sum over the latent dimensions (the last axis) and keep one value per example."


def _compare(name, case, got, expected, hints=(), shape_hint="", rtol=1e-4, atol=1e-5):
    got = _as_array(got, name)
    if got.shape != expected.shape:
        raise CheckFailed(f"{name} on {case}: expected an array of shape {expected.shape}, got shape {got.shape}.{shape_hint}")
    if not np.allclose(got, expected, rtol=rtol, atol=atol):
        message = f"{name} on {case}:\n  expected {np.array2string(expected, precision=4)}\n  got      {np.array2string(got, precision=4)}"
        for test, hint in hints:
            if test(got):
                message += f"\n  hint: {hint}"
                break
        raise CheckFailed(message)


def _gaussian_cases():
    rng = np.random.default_rng(12345)
    return [
        ("the standard normal itself (mean 0, log-variance 0)", np.zeros((2, 3)), np.zeros((2, 3))),
        ("a shifted mean (mean 1.5, log-variance 0)", np.full((1, 2), 1.5), np.zeros((1, 2))),
        ("random means and log-variances", rng.normal(size=(4, 5)), rng.normal(scale=0.7, size=(4, 5))),
    ]


def kl_to_standard_normal(z_mean, z_log_var):
    """Reference: D_KL(N(μ, σ²) || N(0, I)) = -½ Σ (1 + log σ² - μ² - σ²), summed over the last axis."""
    return -0.5 * np.sum(1 + z_log_var - z_mean**2 - np.exp(z_log_var), axis=-1)


def check_kl(kl_fn):
    """Check ``kl_fn(z_mean, z_log_var)`` returns D_KL(q || N(0, I)) per example, summed over latents."""
    cases = _gaussian_cases()
    for case, z_mean, z_log_var in cases:
        expected = kl_to_standard_normal(z_mean, z_log_var)
        hints = [
            (lambda got, e=expected: np.allclose(got, -e), "the sign is flipped: D_KL = -½ Σ (1 + log σ² - μ² - σ²) has a minus in front"),
            (lambda got, e=expected: np.allclose(got, e / z_mean.shape[-1]), "you averaged over the latent dimensions; sum them"),
            (lambda got, e=expected: np.allclose(got, 2 * e), "the factor ½ is missing"),
        ]
        _compare("kl_fn", case, kl_fn(z_mean.astype(np.float32), z_log_var.astype(np.float32)), expected, hints,
                 SUM_OVER_LATENTS)
    _passed("check_kl", len(cases))


def check_kl_two_gaussians(kl_fn):
    """Check ``kl_fn(mean_1, log_var_1, mean_2, log_var_2)`` = D_KL(N₁ || N₂) for diagonal Gaussians."""
    rng = np.random.default_rng(2024)
    cases = [
        ("two identical Gaussians", np.ones((2, 3)), np.zeros((2, 3)), np.ones((2, 3)), np.zeros((2, 3))),
        ("a standard normal as the second Gaussian", rng.normal(size=(3, 4)), rng.normal(size=(3, 4)),
         np.zeros((3, 4)), np.zeros((3, 4))),
        ("random Gaussians", *(rng.normal(scale=0.8, size=(4, 2)) for _ in range(4))),
    ]
    for case, m1, lv1, m2, lv2 in cases:
        expected = 0.5 * np.sum(lv2 - lv1 + (np.exp(lv1) + (m1 - m2) ** 2) / np.exp(lv2) - 1, axis=-1)
        reverse = 0.5 * np.sum(lv1 - lv2 + (np.exp(lv2) + (m1 - m2) ** 2) / np.exp(lv1) - 1, axis=-1)
        hints = [(lambda got, r=reverse: np.allclose(got, r), "this is D_KL(N₂ || N₁); the KL is not symmetric")]
        _compare("kl_fn", case, kl_fn(m1, lv1, m2, lv2), expected, hints, SUM_OVER_LATENTS)
    _passed("check_kl_two_gaussians", len(cases))


def check_reparameterize(reparameterize_fn):
    """Check ``reparameterize_fn(z_mean, z_log_var, epsilon)`` returns z = μ + σ ⊙ ε."""
    rng = np.random.default_rng(7)
    cases = [(case, m, lv, rng.normal(size=m.shape)) for case, m, lv in _gaussian_cases()]
    for case, z_mean, z_log_var, epsilon in cases:
        expected = z_mean + np.exp(0.5 * z_log_var) * epsilon
        hints = [
            (lambda got, e=z_mean + np.exp(z_log_var) * epsilon: np.allclose(got, e), "σ = exp(½ log σ²), not exp(log σ²)"),
            (lambda got, e=z_mean + z_log_var * epsilon: np.allclose(got, e), "z_log_var is log σ²: take exp(½ z_log_var) first"),
        ]
        _compare("reparameterize_fn", case + " with fixed ε", reparameterize_fn(z_mean, z_log_var, epsilon), expected, hints)
    _passed("check_reparameterize", len(cases))


def check_sampling_layer(layer, draws=20_000):
    """Check a Keras sampling layer: ``layer([z_mean, z_log_var])`` draws z ~ N(μ, σ²) of the right shape."""
    z_mean = np.array([[0.0, 2.0, -1.0]], dtype=np.float32)
    z_log_var = np.array([[0.0, np.log(0.25), np.log(4.0)]], dtype=np.float32)
    batch_mean, batch_log_var = np.repeat(z_mean, draws, axis=0), np.repeat(z_log_var, draws, axis=0)
    try:
        z = _as_array(layer([batch_mean, batch_log_var]), "the layer")
    except CheckFailed:
        raise
    except Exception as error:
        raise CheckFailed(f"calling layer([z_mean, z_log_var]) with two arrays of shape {batch_mean.shape} "
                          f"raised {type(error).__name__}: {error}") from error
    if z.shape != batch_mean.shape:
        raise CheckFailed(f"the layer returned shape {z.shape}; expected {batch_mean.shape}, the shape of z_mean")
    std = np.exp(0.5 * z_log_var[0])
    tolerance = 5 * std / np.sqrt(draws)
    if np.any(np.abs(z.mean(axis=0) - z_mean[0]) > tolerance):
        raise CheckFailed(f"over {draws} draws the mean of z is {z.mean(axis=0).round(3)}; expected about {z_mean[0]}")
    if np.any(np.abs(z.std(axis=0) - std) > 0.05 * std):
        hint = " (σ = exp(½ log σ²): did you use exp(log σ²)?)" if np.allclose(z.std(axis=0), std**2, rtol=0.05) else ""
        raise CheckFailed(f"over {draws} draws the standard deviation of z is {z.std(axis=0).round(3)}; "
                          f"expected about {std.round(3)}{hint}")
    again = _as_array(layer([batch_mean[:5], batch_log_var[:5]]), "the layer")
    if np.allclose(again, layer([batch_mean[:5], batch_log_var[:5]])):
        raise CheckFailed("two calls gave the same z: draw fresh ε on every call (keras.random.normal with a SeedGenerator)")
    _passed("check_sampling_layer", 4)
