"""Self-checks for the exercises: each tests a student's function on cases they did not see.

On success a check prints one line; on failure it raises :class:`CheckFailed`, whose message says
which case failed, what was expected and what came back, and often what the likely mistake is.
:func:`expect` does the same for a claim about an experiment's results. Checks that build Keras
layers import Keras lazily, like the rest of ``helpers``.
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
        raise CheckFailed(_hinted(message, hints, got))


def _hinted(message, hints, got):
    for test, hint in hints:
        if test(got):
            return f"{message}\n  hint: {hint}"
    return message


def expect(condition, what, expected, got, hint=""):
    """Raise :class:`CheckFailed` unless ``condition`` holds: a result check with its explanation."""
    if not condition:
        raise CheckFailed(f"{what}: expected {expected}, got {got}" + (f"\n  hint: {hint}" if hint else ""))


# --- 01 · VAE theory ---


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


def kl_monte_carlo(z_mean, z_log_var, epsilon):
    """Reference: mean over the n draws (axis -2) of log q(z) - log p(z), z = μ + σ ε, summed over latents."""
    z = z_mean + np.exp(0.5 * z_log_var) * epsilon
    log_ratio = -0.5 * np.sum(z_log_var + epsilon**2 - z**2, axis=-1)  # log q - log p; the log 2π cancel
    return log_ratio.mean(axis=-1)


def check_kl_monte_carlo(estimate_fn):
    """Check ``estimate_fn(z_mean, z_log_var, epsilon)``: the Monte-Carlo KL estimate from given draws ε."""
    rng = np.random.default_rng(99)
    cases = [
        ("one estimate from 4 draws in 3 dimensions", rng.normal(size=3), rng.normal(size=3), rng.normal(size=(4, 3))),
        ("a batch of 2 estimates from 5 draws each", rng.normal(size=2), rng.normal(size=2), rng.normal(size=(2, 5, 2))),
        ("3 × 2 estimates from 6 draws in 1 dimension", np.array([0.7]), np.array([-0.4]), rng.normal(size=(3, 2, 6, 1))),
    ]
    for case, z_mean, z_log_var, epsilon in cases:
        expected = kl_monte_carlo(z_mean, z_log_var, epsilon)
        n, dims = epsilon.shape[-2:]
        hints = [
            (lambda got, e=expected: np.allclose(got, -e),
             "the sign is flipped: average log q(z) - log p(z), not log p - log q"),
            (lambda got, e=expected: np.allclose(got, n * e), "you summed over the n draws; average them"),
            (lambda got, e=expected: np.allclose(got, e / dims), "you averaged over the latent dimensions; sum them"),
        ]
        _compare("estimate_fn", case, estimate_fn(z_mean, z_log_var, epsilon), expected, hints,
                 " Sum over the latent dimensions (the last axis), then average over the draws (the axis before it).")
    _passed("check_kl_monte_carlo", len(cases))


def check_sigma_for_mse(sigma_fn):
    """Check ``sigma_fn(pixels)`` returns the decoder s that makes 'MSE over pixels + KL' the loss: √(pixels/2)."""
    cases = [784, 3072, 2]
    for pixels in cases:
        expected = np.sqrt(pixels / 2)
        hints = [
            (lambda got, d=pixels: np.isclose(got, d), "that is β = D; β = 2s², so solve 2s² = D for s"),
            (lambda got, d=pixels: np.isclose(got, d / 2), "that is s²; take the square root"),
            (lambda got, d=pixels: np.isclose(got, np.sqrt(d)), "that solves s² = D; the loss has 1/(2s²), so 2s² = D"),
        ]
        _compare("sigma_fn", f"pixels = {pixels}", sigma_fn(pixels), np.float64(expected), hints)
    _passed("check_sigma_for_mse", len(cases))


def check_mse_plus_kl(loss_fn):
    """Check ``loss_fn(x, x_hat, z_mean, z_log_var)``: mean squared error over pixels + KL, one value per image."""
    rng = np.random.default_rng(5)
    cases = [("3 images of 10 pixels, 2 latents", 3, 10, 2), ("2 images of 784 pixels, 16 latents", 2, 784, 16)]
    for case, images, pixels, latents in cases:
        x, x_hat = rng.random((2, images, pixels)).astype(np.float32)
        z_mean, z_log_var = rng.normal(size=(2, images, latents)).astype(np.float32)
        kl, squared = kl_to_standard_normal(z_mean, z_log_var), (x - x_hat) ** 2
        expected = squared.mean(axis=-1) + kl
        hints = [
            (lambda got, e=squared.sum(axis=-1) + kl: np.allclose(got, e, rtol=1e-4),
             "you summed the squared errors over pixels; average them"),
            (lambda got, e=squared.mean(axis=-1): np.allclose(got, e, rtol=1e-4), "the KL term is missing"),
        ]
        _compare("loss_fn", case, loss_fn(x, x_hat, z_mean, z_log_var), expected.astype(np.float64), hints,
                 " Return one value per image: average over pixels, sum the KL over latents.")
    _passed("check_mse_plus_kl", len(cases))


def check_score_function_gradient(gradient_fn):
    """Check ``gradient_fn(z, f_values, mu, log_var, c)``: per-draw (f(z) - c) ∂/∂μ log q(z) = (f - c)(z - μ)/σ²."""
    rng = np.random.default_rng(11)
    z = rng.normal(1.0, 0.5, size=6)
    cases = [
        ("6 draws, no baseline (c = 0)", z, (z - 3) ** 2, 1.0, np.log(0.25), 0.0),
        ("6 draws, baseline c = 4", z, (z - 3) ** 2, 1.0, np.log(0.25), 4.0),
        ("one draw per (μ, log σ²) pair, c = -1", rng.normal(size=4), rng.normal(size=4), rng.normal(size=4),
         rng.normal(scale=0.5, size=4), -1.0),
    ]
    for case, z, f_values, mu, log_var, c in cases:
        score = (z - mu) / np.exp(log_var)                                        # ∂/∂μ log q(z)
        expected = (f_values - c) * score
        hints = [
            (lambda got, e=expected: np.allclose(got, -e), "the sign is flipped: ∂/∂μ log q(z) = (z - μ)/σ²"),
            (lambda got, e=f_values * score: c != 0 and np.allclose(got, e), "the baseline c is not subtracted from f(z)"),
            (lambda got, e=(f_values + c) * score: np.allclose(got, e), "subtract c from f(z); you added it"),
            (lambda got, e=(f_values - c) * (z - mu) / np.exp(0.5 * log_var): np.allclose(got, e),
             "divide by σ² = exp(log σ²), not by σ"),
            (lambda got, e=(f_values - c) * (z - mu): np.allclose(got, e), "the score (z - μ) is divided by σ²"),
        ]
        _compare("gradient_fn", case, gradient_fn(z, f_values, mu, log_var, c), expected, hints,
                 " Return one gradient estimate per draw.")
    _passed("check_score_function_gradient", len(cases))


# --- 02 · a dense VAE ---


def _with_variances(rng, images, variances):
    """A (images, len(variances)) batch of codes whose columns have exactly these variances over axis 0."""
    columns = rng.normal(size=(images, len(variances)))
    columns = (columns - columns.mean(axis=0)) / columns.std(axis=0)
    return (columns * np.sqrt(variances) + rng.normal(size=len(variances))).astype(np.float32)


def check_active_dimensions(count_fn):
    """Check ``count_fn(z_mean, threshold=0.01)``: how many latent dimensions have Var over images of μ_j > threshold."""
    rng = np.random.default_rng(8)
    cases = [
        ("5 dimensions, default threshold 0.01", _with_variances(rng, 200, [1.0, 1e-4, 0.5, 0.005, 0.02]), {}),
        ("4 dimensions, threshold 0.1", _with_variances(rng, 50, [0.05, 2.0, 0.2, 0.0]), {"threshold": 0.1}),
        ("3 dimensions, all switched off", _with_variances(rng, 30, [1e-3, 1e-5, 0.0]), {}),
    ]
    for case, z_mean, options in cases:
        threshold = options.get("threshold", 0.01)
        expected = np.float64((z_mean.var(axis=0) > threshold).sum())
        hints = [
            (lambda got, e=z_mean.shape[1] - expected: got == e, "you counted the inactive dimensions"),
            (lambda got, e=(z_mean.std(axis=0) > threshold).sum(): got == e,
             "compare the variance with the threshold, not the standard deviation"),
            (lambda got, e=(z_mean.var(axis=1) > threshold).sum(): got == e,
             "take the variance over the images (axis 0), one per latent dimension"),
        ]
        got = count_fn(z_mean, **options)
        _compare("count_fn", case, got, expected, hints, " Return one number, the count of active dimensions.")
    _passed("check_active_dimensions", len(cases))


def iw_estimate(log_weights):
    """Reference: -log (1/k Σ_j w_j) over the last axis, computed stably from log w_j."""
    top = log_weights.max(axis=-1, keepdims=True)
    return -(np.log(np.mean(np.exp(log_weights - top), axis=-1)) + top[..., 0])


def check_iw_estimate(estimate_fn):
    """Check ``estimate_fn(log_weights)``: log_weights (batch, k) -> the k-sample estimate of -log p(x), (batch,)."""
    rng = np.random.default_rng(21)
    cases = [
        ("2 images, k = 1", rng.normal(-100, 5, size=(2, 1))),
        ("3 images, k = 10", rng.normal(-110, 3, size=(3, 10))),
        ("2 images, k = 50, log-weights near -900", rng.normal(-900, 2, size=(2, 50))),
    ]
    for case, log_weights in cases:
        expected, k = iw_estimate(log_weights), log_weights.shape[-1]
        hints = [
            (lambda got: not np.all(np.isfinite(got)), "exp(log w) underflows to 0 for log-weights this low: use a "
             "log-sum-exp (ops.logsumexp, scipy.special.logsumexp), not log(mean(exp(...)))"),
            (lambda got, e=expected: np.allclose(got, -e),
             "the sign is flipped: return -log p(x), a positive number of nats"),
            (lambda got, e=-log_weights.mean(axis=-1): np.allclose(got, e), "you averaged the log-weights, which is the "
             "ELBO; average the weights inside the log: logsumexp - log k"),
            (lambda got, e=expected - np.log(k): np.allclose(got, e),
             "the - log k is missing: average the k weights, don't sum them"),
        ]
        _compare("estimate_fn", case, estimate_fn(log_weights.astype(np.float32)), expected, hints,
                 " Reduce over the last axis (the k samples), one value per image.")
    _passed("check_iw_estimate", len(cases))


def check_beta_vae_loss(loss_fn):
    """Check ``loss_fn(reconstruction_loss, kl_loss, beta)`` = reconstruction + β KL."""
    cases = [("scalars, β = 4", 90.0, 20.0, 4.0), ("scalars, β = 0.25", 70.0, 50.0, 0.25),
             ("a batch of three, β = 2", np.array([80.0, 95.0, 101.0]), np.array([21.0, 19.5, 25.0]), 2.0)]
    for case, reconstruction, kl, beta in cases:
        expected = np.asarray(reconstruction + beta * kl)
        hints = [
            (lambda got, e=beta * reconstruction + kl: np.allclose(got, e), "β multiplies the KL, not the reconstruction"),
            (lambda got, e=reconstruction + kl: np.allclose(got, e), "β is missing: that is the plain -ELBO"),
            (lambda got, e=reconstruction + kl / beta: np.allclose(got, e), "multiply the KL by β; you divided"),
        ]
        _compare("loss_fn", case, loss_fn(reconstruction, kl, beta), expected, hints)
    _passed("check_beta_vae_loss", len(cases))


def gaussian_nll(x, mean, log_sigma):
    """Reference: -log N(x; mean, σ² I) summed over the last axis, σ = exp(log_sigma)."""
    return np.sum(0.5 * np.log(2 * np.pi) + log_sigma + (x - mean) ** 2 / (2 * np.exp(2 * log_sigma)), axis=-1)


def check_gaussian_nll(nll_fn):
    """Check ``nll_fn(x, mean, log_sigma)``: -log N(x; mean, σ² I) in nats, summed over pixels, one per image."""
    rng = np.random.default_rng(31)
    cases = [("2 images of 6 pixels, σ = 1", 2, 6, 0.0), ("3 images of 10 pixels, log σ = -1.5", 3, 10, -1.5),
             ("1 image of 784 pixels, log σ = 0.3", 1, 784, 0.3)]
    for case, images, pixels, log_sigma in cases:
        x, mean = rng.random((2, images, pixels)).astype(np.float32)
        expected = gaussian_nll(x.astype(np.float64), mean, np.float64(log_sigma))
        squared, variance = (x - mean).astype(np.float64) ** 2, np.exp(2.0 * log_sigma)
        hints = [
            (lambda got, e=expected: np.allclose(got, -e, rtol=1e-4), "the sign is flipped: return -log p(x|z)"),
            (lambda got, e=expected - 0.5 * pixels * np.log(2 * np.pi): np.allclose(got, e, rtol=1e-4),
             "the constant ½ log 2π per pixel is missing"),
            (lambda got, e=expected - pixels * log_sigma: np.allclose(got, e, rtol=1e-4),
             "the log σ term per pixel is missing"),
            (lambda got, e=expected + (squared / (2 * np.exp(log_sigma)) - squared / (2 * variance)).sum(-1):
             np.allclose(got, e, rtol=1e-4), "divide the squared error by 2σ² = 2 exp(2 log σ), not by 2σ"),
            (lambda got, e=expected + (squared / (2 * variance)).sum(-1): np.allclose(got, e, rtol=1e-4),
             "the factor ½ in (x - m)²/(2σ²) is missing"),
            (lambda got, e=expected / pixels: np.allclose(got, e, rtol=1e-4), "you averaged over pixels; sum them"),
        ]
        _compare("nll_fn", case, nll_fn(x, mean, log_sigma), expected, hints,
                 " Sum over the pixels (the last axis), one value per image.")
    _passed("check_gaussian_nll", len(cases))


# --- 03 · a convolutional VAE ---


def check_multiply_adds(count_fn):
    """Check ``count_fn(layer)``: multiply–adds of one built layer for one image (Dense, Conv2D, Conv2DTranspose)."""
    from keras import Input, layers

    def built(layer, shape):
        layer(Input(shape=shape))
        return layer

    cases = [
        ("Dense(7) on 5 inputs", built(layers.Dense(7), (5,)), 5 * 7),
        ("Conv2D(4, 3, strides=2, padding='same') on (8, 8, 2)",
         built(layers.Conv2D(4, 3, strides=2, padding="same"), (8, 8, 2)), 4 * 4 * 3 * 3 * 2 * 4),
        ("Conv2D(3, 5, padding='valid') on (9, 9, 1)", built(layers.Conv2D(3, 5), (9, 9, 1)), 5 * 5 * 5 * 5 * 1 * 3),
        ("Conv2DTranspose(2, 4, strides=2, padding='same') on (3, 3, 5)",
         built(layers.Conv2DTranspose(2, 4, strides=2, padding="same"), (3, 3, 5)), 3 * 3 * 4 * 4 * 5 * 2),
        ("Flatten on (3, 3, 5), which multiplies nothing", built(layers.Flatten(), (3, 3, 5)), 0),
    ]
    for case, layer, expected in cases:
        out_pixels = int(np.prod(layer.output.shape[1:-1])) if len(layer.output.shape) == 4 else 1
        in_pixels = int(np.prod(layer.input.shape[1:-1])) if len(layer.input.shape) == 4 else 1
        hints = [
            (lambda got, e=expected: got == e + sum(int(np.prod(w.shape)) for w in layer.weights if w.path.endswith("bias")),
             "biases are left out: count only the products with kernel weights"),
            (lambda got, e=expected * in_pixels / out_pixels: in_pixels != out_pixels and got == e,
             "a Conv2D works once per OUTPUT pixel and a Conv2DTranspose once per INPUT pixel: you took the other size"),
        ]
        _compare("count_fn", case, count_fn(layer), np.float64(expected), hints, " Return one number.")
    _passed("check_multiply_adds", len(cases))


def check_kl_per_dimension(kl_fn):
    """Check ``kl_fn(z_mean, z_log_var)``: the KL of each latent dimension averaged over images, shape (latent,)."""
    cases = _gaussian_cases()
    for case, z_mean, z_log_var in cases:
        per_dimension = -0.5 * (1 + z_log_var - z_mean**2 - np.exp(z_log_var))  # (images, latent)
        expected = per_dimension.mean(axis=0)
        hints = [
            (lambda got, e=expected: np.allclose(got, -e), "the sign is flipped: the KL is -½ (1 + log σ² - μ² - σ²)"),
            (lambda got, e=per_dimension.sum(axis=0): len(z_mean) > 1 and np.allclose(got, e),
             "you summed over the images; average them"),
        ]
        _compare("kl_fn", case, kl_fn(z_mean.astype(np.float32), z_log_var.astype(np.float32)), expected, hints,
                 " Average over the images (axis 0) and keep one value per latent dimension.")
    _passed("check_kl_per_dimension", len(cases))


def check_traversal_grid(grid_fn):
    """Check ``grid_fn(z_start, dims, values)``: one row of codes per dimension in ``dims``, z_j set to each value."""
    rng = np.random.default_rng(41)
    cases = [("latent 4, dimensions [2, 0], values -1, 0, 1", rng.normal(size=4), [2, 0], np.array([-1.0, 0.0, 1.0])),
             ("latent 3, dimension [1], 5 values", rng.normal(size=3), [1], np.linspace(-3, 3, 5))]
    for case, z_start, dims, values in cases:
        expected = np.repeat(np.tile(z_start, (len(values), 1))[None], len(dims), axis=0)  # (dims, values, latent)
        for row, dim in enumerate(dims):
            expected[row, :, dim] = values
        expected = expected.reshape(-1, len(z_start))
        added = expected.copy()
        for row, dim in enumerate(dims):
            added[row * len(values):(row + 1) * len(values), dim] += z_start[dim]
        transposed = expected.reshape(len(dims), len(values), -1).transpose(1, 0, 2).reshape(expected.shape)
        hints = [
            (lambda got, e=added: np.allclose(got, e), "set z_j to each value; you added the value to z_j"),
            (lambda got, e=transposed: len(dims) > 1 and np.allclose(got, e),
             "the rows are in the wrong order: all values of the first dimension first, then the next dimension"),
        ]
        start = z_start.astype(np.float32)
        got = grid_fn(start, dims, values.astype(np.float32))
        if not np.array_equal(start, z_start.astype(np.float32)):
            raise CheckFailed(f"grid_fn on {case} changed z_start itself: work on copies (np.repeat, np.tile or .copy())")
        _compare("grid_fn", case, got, expected, hints,
                 f" Return (len(dims) × len(values), latent) codes: here ({len(dims) * len(values)}, {len(z_start)}).")
    _passed("check_traversal_grid", len(cases))


def check_batch_norm(build_encoder, build_decoder, latent_dim=3):
    """Check the builders put Conv → BatchNormalization → ReLU everywhere a convolution had a ReLU."""
    from keras import layers

    def is_relu(layer):
        return isinstance(layer, layers.ReLU) or (isinstance(layer, layers.Activation)
                                                  and getattr(layer.activation, "__name__", "") == "relu")

    networks = [("build_encoder_bn", build_encoder, [(None, latent_dim)] * 2),
                ("build_decoder_bn", build_decoder, [(None, 28, 28, 1)])]
    for name, build, shapes in networks:
        model = build(latent_dim)
        got_shapes = [tuple(output.shape) for output in model.outputs]
        if got_shapes != shapes:
            raise CheckFailed(f"{name}({latent_dim}) has outputs of shapes {got_shapes}; expected {shapes}")
        chain = [layer for layer in model.layers if not isinstance(layer, layers.InputLayer)]
        convolutions = [i for i, layer in enumerate(chain) if isinstance(layer, (layers.Conv2D, layers.Conv2DTranspose))]
        for i in convolutions[:-1] if name == "build_decoder_bn" else convolutions:  # the decoder's last one makes logits
            conv, following = chain[i], chain[i + 1:i + 3]
            activation = getattr(conv.activation, "__name__", "")
            if activation != "linear":
                raise CheckFailed(f"{name}: {conv.name} applies {activation} itself; give it no activation, then "
                                  "BatchNormalization, then ReLU (normalise before the non-linearity)")
            kinds = [type(layer).__name__ for layer in following]
            if not (len(following) == 2 and isinstance(following[0], layers.BatchNormalization) and is_relu(following[1])):
                hint = ("ReLU comes after BatchNormalization, not before" if following and is_relu(following[0])
                        else "put BatchNormalization between each convolution and its ReLU")
                raise CheckFailed(f"{name}: {conv.name} is followed by {kinds}; expected "
                                  f"['BatchNormalization', 'ReLU']\n  hint: {hint}")
    _passed("check_batch_norm", len(networks))


# --- 04 · a denoising VAE ---


def _digit_batches():
    rng = np.random.default_rng(404)
    images = rng.uniform(size=(6, 28, 28, 1)).astype(np.float32)
    images[:, :4] = 0.0   # a black border, as on MNIST digits
    images[:3, 10:18, 10:18] = 1.0
    return images


def check_corruption(corrupt_fn):
    """Check ``corrupt_fn(images, level, seed)`` is a corruption ``NoisyDigits`` can use.

    It must return a new array of the same shape and dtype with values in [0, 1], leave its input
    unchanged, give the same output for the same seed and another for another seed, change nothing
    at level 0, and change more at a higher level.
    """
    images = _digit_batches()
    original = images.copy()

    def run(level, seed, batch=images):
        try:
            return corrupt_fn(batch, level, seed=seed)
        except Exception as error:
            raise CheckFailed(f"corrupt_fn(images of shape {batch.shape}, level={level}, seed={seed}) "
                              f"raised {type(error).__name__}: {error}") from error

    out = run(0.2, 1)
    if not isinstance(out, np.ndarray) or out.shape != images.shape or out.dtype != images.dtype:
        got = f"{type(out).__name__} of shape {getattr(out, 'shape', '?')} and dtype {getattr(out, 'dtype', '?')}"
        raise CheckFailed(f"expected a NumPy array of shape {images.shape} and dtype {images.dtype}, got {got}")
    if not np.array_equal(images, original):
        raise CheckFailed("corrupt_fn changed its input images in place: corrupt a copy (e.g. images.copy())")
    if np.isnan(out).any() or out.min() < 0 or out.max() > 1:
        raise CheckFailed(f"values must stay in [0, 1]; got [{np.nanmin(out):.3f}, {np.nanmax(out):.3f}]"
                          + (" and NaN" if np.isnan(out).any() else "") + ": clip after adding the noise")
    if not np.array_equal(out, run(0.2, 1)):
        raise CheckFailed("the same seed gave different images: draw the noise from np.random.default_rng(seed)")
    if np.array_equal(out, run(0.2, 2)):
        raise CheckFailed("seeds 1 and 2 gave the same images: the noise must depend on the seed")
    if not np.allclose(run(0.0, 3), images):
        raise CheckFailed("level 0 changed the images: at level 0 there should be no noise")
    light, heavy = (np.abs(run(level, 4) - images).mean() for level in (0.1, 0.4))
    if not heavy > light:
        raise CheckFailed(f"mean absolute change {light:.4f} at level 0.1 and {heavy:.4f} at level 0.4: "
                          "a higher level should corrupt more")
    _passed("check_corruption", 7)


def auroc_reference(negatives, positives):
    """P(a positive scores above a negative), ties counted half (the Mann-Whitney U statistic)."""
    negatives, positives = np.asarray(negatives, float), np.asarray(positives, float)
    above = (positives[:, None] > negatives[None, :]).mean()
    ties = (positives[:, None] == negatives[None, :]).mean()
    return above + 0.5 * ties


def check_auroc(auroc_fn):
    """Check ``auroc_fn(negatives, positives)``: the area under the ROC curve of a score."""
    rng = np.random.default_rng(5)
    cases = [
        ("perfectly separated scores", np.array([0.1, 0.2, 0.3]), np.array([0.5, 0.9])),
        ("scores in the wrong order", np.array([5.0, 6.0]), np.array([1.0, 2.0, 3.0])),
        ("ties between the classes", np.array([1.0, 2.0, 2.0, 3.0]), np.array([2.0, 3.0, 4.0])),
        ("overlapping random scores", rng.normal(size=50), rng.normal(0.8, size=70)),
    ]
    for case, negatives, positives in cases:
        expected = np.asarray(auroc_reference(negatives, positives))
        hints = [(lambda got, e=expected: np.allclose(got, 1 - e), "negatives and positives are swapped"),
                 (lambda got, n=negatives, p=positives: np.allclose(got, (p[:, None] > n[None, :]).mean()),
                  "count a tie as one half")]
        _compare("auroc_fn", case, auroc_fn(negatives, positives), expected, hints)
    _passed("check_auroc", len(cases))


def check_uncertainty_score(score_fn):
    """Check ``score_fn(draws)``: for draws of shape (samples, images, 28, 28, 1), each image's mean
    over pixels of the standard deviation over the samples."""
    rng = np.random.default_rng(6)
    draws = rng.uniform(size=(5, 3, 28, 28, 1)).astype(np.float32)
    draws[:, 0] = 0.5                                   # an image on which all samples agree
    cases = [("three images, five samples", draws), ("one image, two samples", draws[:2, 1:2])]
    for case, d in cases:
        expected = d.std(axis=0).mean(axis=(1, 2, 3))
        hints = [(lambda got, d=d: np.allclose(got, d.var(axis=0).mean(axis=(1, 2, 3))), "that is the variance; take its square root"),
                 (lambda got, d=d: np.allclose(got, d.std(axis=0, ddof=1).mean(axis=(1, 2, 3))), "use the plain standard deviation (ddof=0)")]
        _compare("score_fn", case, score_fn(d), expected, hints,
                 " The samples are on axis 0: take the std over axis 0, then the mean over each image's pixels.")
    _passed("check_uncertainty_score", len(cases))


