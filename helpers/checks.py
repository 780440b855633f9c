"""Self-checks for the exercises: each tests a student's function on cases they did not see.

On success a check prints one line; on failure it raises :class:`CheckFailed`, whose message says
which case failed, what was expected and what came back, and often what the likely mistake is.
:func:`expect` does the same for a claim about an experiment's results. Checks that build Keras
layers import Keras lazily, like the rest of ``helpers``.

This package implements none of the exercises' functions: the checks compare against expected values
stored in ``check_cases.json`` (with the results of typical mistakes, for the hints), which
``scripts/make_check_data.py`` computes with the solution notebooks' own functions.
"""

import json
from functools import cache
from pathlib import Path

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


def _call(fn, name, case, *args, **kwargs):
    """The student's function on one case; an exception becomes a CheckFailed that says where."""
    try:
        return fn(*args, **kwargs)
    except CheckFailed:
        raise
    except Exception as error:
        raise CheckFailed(f"{name} on {case} raised {type(error).__name__}: {error}") from error


def _compare(name, case, got, expected, hints=(), shape_hint="", rtol=1e-4, atol=1e-5):
    got = _as_array(_to_numpy(got), name)
    if got.shape != expected.shape:
        raise CheckFailed(f"{name} on {case}: expected an array of shape {expected.shape}, got shape {got.shape}.{shape_hint}")
    if not np.allclose(got, expected, rtol=rtol, atol=atol):
        message = f"{name} on {case}:\n  expected {np.array2string(expected, precision=4)}\n  got      {np.array2string(got, precision=4)}"
        raise CheckFailed(_hinted(message, hints, got))


def _to_numpy(value):
    """Backend tensors (TensorFlow, JAX, PyTorch) as NumPy; anything else unchanged."""
    if type(value).__module__.split(".")[0] in ("tensorflow", "jax", "jaxlib", "torch"):
        import keras

        return keras.ops.convert_to_numpy(value)
    return value


def _hinted(message, hints, got):
    for test, hint in hints:
        if test(got):
            return f"{message}\n  hint: {hint}"
    return message


def expect(condition, what, expected, got, hint=""):
    """Raise :class:`CheckFailed` unless ``condition`` holds: a result check with its explanation."""
    if not condition:
        raise CheckFailed(f"{what}: expected {expected}, got {got}" + (f"\n  hint: {hint}" if hint else ""))


# --- checks against stored cases ---


@cache
def _stored():
    return json.loads(Path(__file__).with_name("check_cases.json").read_text(encoding="utf-8"))


def _stored_cases(check):
    """(description, inputs, keyword arguments, expected, [(hint, a mistake's result)]) of one check."""
    data = _stored()[check]
    for case in data["cases"]:
        inputs = [np.asarray(value, dtype=data["dtype"]) if data["dtype"] and _has_floats(value) else value
                  for value in case["inputs"]]
        yield case["case"], inputs, case["kwargs"], np.asarray(case["expected"], dtype=np.float64), case["mistakes"]


def _has_floats(value):
    """A stored array (nested lists with floats); a list of indices stays a list."""
    return isinstance(value, list) and any(isinstance(v, float) or _has_floats(v) for v in value)


def _check_stored(check, fn, name, shape_hint="", rtol=1e-4, atol=1e-5):
    """Run ``fn`` on every stored case of ``check``; explain the first wrong answer."""
    count = 0
    for case, inputs, options, expected, mistakes in _stored_cases(check):
        got = _call(fn, name, case, *inputs, **options)
        hints = [(lambda g, m=np.asarray(value, dtype=np.float64): g.shape == m.shape and np.allclose(g, m, rtol, atol),
                  hint) for hint, value in mistakes]
        _compare(name, case, got, expected, hints, shape_hint, rtol, atol)
        count += 1
    _passed(check, count)


def _check_on_tensors(fn, name, shapes, *constants):
    """``fn`` on the backend's tensors must return a tensor: NumPy code breaks inside a compiled training step."""
    from keras import ops

    rng = np.random.default_rng(0)
    tensors = [ops.convert_to_tensor(rng.random((2, *shape), dtype=np.float32)) for shape in shapes]
    got = _call(fn, name, "two images as tensors of the Keras backend", *tensors, *constants)
    if isinstance(got, (np.ndarray, np.generic)):
        raise CheckFailed(f"{name} returned a NumPy {type(got).__name__} for tensors of the Keras backend\n  hint: "
                          "a loss runs inside the compiled training step, where NumPy cannot work: use keras.ops "
                          "(ops.sum, ops.square, ops.exp, ...) instead of np.*")


# --- 01 · VAE theory ---


def check_kl(kl_fn):
    """Check ``kl_fn(z_mean, z_log_var)`` returns D_KL(q || N(0, I)) per example, summed over latents."""
    _check_stored("check_kl", kl_fn, "kl_fn", SUM_OVER_LATENTS)


def check_kl_two_gaussians(kl_fn):
    """Check ``kl_fn(mean_1, log_var_1, mean_2, log_var_2)`` = D_KL(N₁ || N₂) for diagonal Gaussians."""
    _check_stored("check_kl_two_gaussians", kl_fn, "kl_fn", SUM_OVER_LATENTS)


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


def check_kl_monte_carlo(estimate_fn):
    """Check ``estimate_fn(z_mean, z_log_var, epsilon)``: the Monte-Carlo KL estimate from given draws ε."""
    _check_stored("check_kl_monte_carlo", estimate_fn, "estimate_fn",
                  " Sum over the latent dimensions (the last axis), then average over the draws (the axis before it).")


def check_sigma_for_mse(sigma_fn):
    """Check ``sigma_fn(pixels)`` returns the decoder s that makes 'MSE over pixels + KL' the loss."""
    _check_stored("check_sigma_for_mse", sigma_fn, "sigma_fn")


def check_mse_plus_kl(loss_fn):
    """Check ``loss_fn(x, x_hat, z_mean, z_log_var)``: mean squared error over pixels + KL, one value per image."""
    _check_stored("check_mse_plus_kl", loss_fn, "loss_fn", " Return one value per image: average over pixels, sum the KL over latents.")


def check_score_function_gradient(gradient_fn):
    """Check ``gradient_fn(z, f_values, mu, log_var, c)``: per-draw (f(z) - c) times the score ∂/∂μ log q(z)."""
    _check_stored("check_score_function_gradient", gradient_fn, "gradient_fn", " Return one gradient estimate per draw.")


# --- 02 · a dense VAE ---


def check_active_dimensions(count_fn):
    """Check ``count_fn(z_mean, threshold=0.01)``: how many latent dimensions have Var over images of μ_j > threshold."""
    _check_stored("check_active_dimensions", count_fn, "count_fn", " Return one number, the count of active dimensions.")


def check_iw_estimate(estimate_fn):
    """Check ``estimate_fn(log_weights)``: log_weights (batch, k) -> the k-sample estimate of -log p(x), (batch,)."""
    for case, (log_weights,), _, _, _ in _stored_cases("check_iw_estimate"):
        got = _as_array(_to_numpy(_call(estimate_fn, "estimate_fn", case, log_weights)), "estimate_fn")
        if not np.all(np.isfinite(got)):
            raise CheckFailed(f"estimate_fn on {case} returned {got}\n  hint: exp(log w) underflows to 0 for "
                              "log-weights this low: use a log-sum-exp (ops.logsumexp, scipy.special.logsumexp), "
                              "not log(mean(exp(...)))")
    _check_stored("check_iw_estimate", estimate_fn, "estimate_fn", " Reduce over the last axis (the k samples), one value per image.")


def check_beta_vae_loss(loss_fn):
    """Check ``loss_fn(reconstruction_loss, kl_loss, beta)`` = reconstruction + β KL."""
    _check_stored("check_beta_vae_loss", loss_fn, "loss_fn")


def check_gaussian_nll(nll_fn):
    """Check ``nll_fn(x, mean, log_sigma)`` on flat images (images, pixels): -log N(x; mean, σ² I) in nats,
    summed over pixels, one value per image; it must work on tensors (keras.ops) inside a training step."""
    _check_on_tensors(nll_fn, "nll_fn", [(784,), (784,)], 0.0)
    _check_stored("check_gaussian_nll", nll_fn, "nll_fn", " Sum over the pixels (the last axis), one value per image.")


def check_gaussian_nll_images(nll_fn):
    """Check ``nll_fn(x, mean, log_sigma)`` on images (images, height, width, channels): -log N(x; mean, σ² I)
    in nats, summed over every pixel of an image, one value per image; it must work on tensors (keras.ops)."""
    _check_on_tensors(nll_fn, "nll_fn", [(28, 28, 1), (28, 28, 1)], 0.0)
    _check_stored("check_gaussian_nll_images", nll_fn, "nll_fn",
                  " Sum over all the axes of an image (1, 2 and 3: height, width, channels), one value per image.")


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
            (lambda got, e=expected, ratio=in_pixels / out_pixels: ratio != 1 and got in (e * ratio, e / ratio),
             "a Conv2D works once per OUTPUT pixel and a Conv2DTranspose once per INPUT pixel: you took the other size"),
        ]
        _compare("count_fn", case, _call(count_fn, "count_fn", case, layer), np.float64(expected), hints,
                 " Return one number.")
    _passed("check_multiply_adds", len(cases))


def check_kl_per_dimension(kl_fn):
    """Check ``kl_fn(z_mean, z_log_var)``: the KL of each latent dimension averaged over images, shape (latent,)."""
    _check_stored("check_kl_per_dimension", kl_fn, "kl_fn", " Average over the images (axis 0) and keep one value per latent dimension.")


def check_traversal_grid(grid_fn):
    """Check ``grid_fn(z_start, dims, values)``: one row of codes per dimension in ``dims``, z_j set to each value."""
    for case, (z_start, dims, values), _, expected, _ in _stored_cases("check_traversal_grid"):
        start = z_start.copy()
        _call(grid_fn, "grid_fn", case, start, dims, values)
        if not np.array_equal(start, z_start):
            raise CheckFailed(f"grid_fn on {case} changed z_start itself: work on copies (np.repeat, np.tile or .copy())")
    _check_stored("check_traversal_grid", grid_fn, "grid_fn",
                  " Return (len(dims) × len(values), latent) codes, all values of one dimension after another.")


def check_batch_norm(build_encoder, build_decoder, latent_dim=3):
    """Check the builders put Conv → BatchNormalization → activation wherever a convolution had an activation."""
    from keras import layers

    def is_activation(layer):  # a ReLU layer, or an Activation layer with a non-linear function (SiLU, ReLU, ...)
        return isinstance(layer, layers.ReLU) or (isinstance(layer, layers.Activation)
                                                  and getattr(layer.activation, "__name__", "") != "linear")

    networks = [("build_encoder_bn", build_encoder, [(None, latent_dim)] * 2),
                ("build_decoder_bn", build_decoder, [(None, 28, 28, 1)])]
    for name, build, shapes in networks:
        model = _call(build, name, f"latent_dim = {latent_dim}", latent_dim)
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
                                  "BatchNormalization, then the activation (normalise before the non-linearity)")
            kinds = [type(layer).__name__ for layer in following]
            if not (len(following) == 2 and isinstance(following[0], layers.BatchNormalization)
                    and is_activation(following[1])):
                hint = ("the activation comes after BatchNormalization, not before" if following and is_activation(following[0])
                        else "put BatchNormalization between each convolution and its activation")
                raise CheckFailed(f"{name}: {conv.name} is followed by {kinds}; expected "
                                  f"['BatchNormalization', an activation layer]\n  hint: {hint}")
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


def check_gaussian_or_salt_and_pepper(corrupt_fn):
    """Check ``corrupt_fn(images, level, seed)`` is a corruption (as :func:`check_corruption` asks) that
    gives each image, at random, Gaussian noise at ``level`` or salt-and-pepper at amount ``level / 2``."""
    check_corruption(corrupt_fn)
    grey = np.full((64, 28, 28, 1), 0.5, dtype=np.float32)
    out = np.asarray(_call(corrupt_fn, "corrupt_fn", "64 grey images at level 0.2", grey, 0.2, seed=7), np.float64)
    changed = np.abs(out - 0.5) > 1e-6
    kinds = []
    for image, hit in zip(out, changed):
        fraction = hit.mean()
        if fraction < 0.5 and np.all(np.isin(image[hit], (0.0, 1.0))):
            kinds.append("salt")
            expect(0.06 < fraction < 0.14, "salt-and-pepper at level 0.2: fraction of pixels set to 0 or 1",
                   "about 0.1 (amount level / 2)", round(float(fraction), 3))
        else:
            kinds.append("gaussian")
            spread = float((image - 0.5).std())
            expect(0.16 < spread < 0.24, "Gaussian noise at level 0.2 on a grey image: standard deviation",
                   "about 0.2", round(spread, 3), hint="add level × N(0, 1) to every pixel, then clip")
    count = kinds.count("salt")
    expect(8 < count < 56, "images given salt-and-pepper noise, of 64", "about half, chosen at random", count,
           hint="choose the kind per image (e.g. rng.random(len(images)) < 0.5), not once for the batch"
           if count in (0, 64) else "")
    _passed("check_gaussian_or_salt_and_pepper", 3)


def check_auroc(auroc_fn):
    """Check ``auroc_fn(negatives, positives)``: the area under the ROC curve of a score."""
    _check_stored("check_auroc", auroc_fn, "auroc_fn")


def check_uncertainty_score(score_fn):
    """Check ``score_fn(draws)``: for draws of shape (samples, images, height, width, 1), each image's mean
    over pixels of the standard deviation over the samples."""
    _check_stored("check_uncertainty_score", score_fn, "score_fn",
                  " The samples are on axis 0: take the std over axis 0, then the mean over each image's pixels.")


# --- 05 · posterior collapse, β and the rate–distortion trade-off ---


def causal_mask_reference(kernel_size, mask_type):
    """Reference: a (k, k) PixelCNN mask, 1 where the kernel may look (rows above; the left of the centre
    row; the centre itself only for mask "B")."""
    mask = np.zeros((kernel_size, kernel_size))
    centre = kernel_size // 2
    mask[:centre] = 1.0
    mask[centre, :centre + (mask_type == "B")] = 1.0
    return mask


def check_causal_mask(mask_fn):
    """Check ``mask_fn(kernel_size, mask_type)``: the (k, k) mask of a masked convolution, "A" or "B"."""
    cases = [(3, "A"), (3, "B"), (5, "A"), (7, "B"), (1, "B")]
    for kernel_size, mask_type in cases:
        expected = causal_mask_reference(kernel_size, mask_type)
        other = causal_mask_reference(kernel_size, "B" if mask_type == "A" else "A")
        hints = [
            (lambda got, o=other: kernel_size > 1 and np.array_equal(got, o),
             'mask "A" hides the centre pixel (the pixel being predicted), mask "B" lets it through'),
            (lambda got, e=expected: np.array_equal(got, e[::-1]) or np.array_equal(got, e.T),
             "the past is the rows ABOVE the centre and, in the centre row, the pixels to its LEFT (raster order)"),
            (lambda got, e=expected: np.array_equal(got, 1 - e), "you marked the pixels to hide with 1: 1 means 'may look'"),
            (lambda got, e=expected: np.array_equal(got[kernel_size // 2], np.r_[e[kernel_size // 2, :kernel_size // 2 + 1],
                                                                            np.ones(kernel_size - kernel_size // 2 - 1)]),
             "in the centre row only the pixels LEFT of the centre are in the past"),
        ]
        try:
            got = mask_fn(kernel_size, mask_type)
        except Exception as error:
            raise CheckFailed(f"mask_fn({kernel_size}, {mask_type!r}) raised {type(error).__name__}: {error}") from error
        _compare("mask_fn", f'kernel_size = {kernel_size}, mask "{mask_type}"', got, expected, hints,
                 f" Return a ({kernel_size}, {kernel_size}) array of 0s and 1s.")
    _passed("check_causal_mask", len(cases))


def check_free_bits_kl(penalty_fn):
    """Check ``penalty_fn(kl_per_dimension, free_bits)``: Σ_j max(λ, mean over the batch of KL_j),
    from a (batch, latent) array of per-example, per-dimension KLs (Kingma et al., 2016)."""
    rng = np.random.default_rng(505)
    cases = [
        ("a batch of 4, 3 dimensions, λ = 0.5", rng.exponential(0.6, size=(4, 3)), 0.5),
        ("λ = 0: the plain KL", rng.exponential(1.0, size=(5, 4)), 0.0),
        ("every dimension below λ = 2", rng.uniform(0, 0.5, size=(3, 6)), 2.0),
        ("examples on both sides of λ = 1 in one dimension", np.array([[0.2, 3.0], [1.9, 0.1], [0.3, 0.4]]), 1.0),
    ]
    for case, kl, free_bits in cases:
        expected = np.asarray(np.maximum(kl.mean(axis=0), free_bits).sum())
        hints = [
            (lambda got, kl=kl, fb=free_bits: np.allclose(got, np.maximum(kl, fb).sum(axis=1).mean()),
             "average the KL over the batch first, then apply max(λ, ·) to each dimension: the floor is on the "
             "batch average, not on every example"),
            (lambda got, kl=kl, fb=free_bits: np.allclose(got, max(fb, kl.mean(axis=0).sum())),
             "the floor λ applies to each latent dimension, not to the total KL"),
            (lambda got, kl=kl, fb=free_bits: np.allclose(got, np.minimum(kl.mean(axis=0), fb).sum()),
             "max, not min: below λ nats a dimension costs a flat λ"),
            (lambda got, kl=kl, fb=free_bits: np.allclose(got, np.maximum(kl.mean(axis=0), fb).mean()),
             "sum over the latent dimensions, don't average them"),
        ]
        _compare("penalty_fn", case, penalty_fn(kl.astype(np.float32), free_bits), expected, hints,
                 " Return one number: the penalty for the whole batch.")
    _passed("check_free_bits_kl", len(cases))


def cyclical_beta_reference(epoch, cycle_epochs, ramp_fraction=0.5):
    """Reference (Fu et al., 2019): β rises linearly from 0 to 1 over the first ramp_fraction of every
    cycle of cycle_epochs epochs (epoch counted from 0), then stays at 1 until the cycle ends."""
    position = (epoch % cycle_epochs) / cycle_epochs
    return min(1.0, position / ramp_fraction)


def check_cyclical_beta(beta_fn):
    """Check ``beta_fn(epoch, cycle_epochs, ramp_fraction=0.5)``: the cyclical KL weight of Fu et al. (2019)."""
    cases = [("cycles of 4 epochs, ramp 0.5 (the default)", 8, 4, None),
             ("cycles of 3 epochs, ramp 1.0", 7, 3, 1.0),
             ("cycles of 5 epochs, ramp 0.4", 10, 5, 0.4)]
    for case, epochs, cycle, ramp in cases:
        options = {} if ramp is None else {"ramp_fraction": ramp}
        ramp = 0.5 if ramp is None else ramp
        expected = np.array([cyclical_beta_reference(e, cycle, ramp) for e in range(epochs)])
        hints = [
            (lambda got, c=cycle, r=ramp: np.allclose(got, [cyclical_beta_reference(e + 1, c, r) for e in range(epochs)]),
             "epochs are counted from 0, and the first epoch of every cycle has β = 0"),
            (lambda got, c=cycle, r=ramp: np.allclose(got, [min(1.0, e / c / r) for e in range(epochs)]),
             "β must restart from 0 at the start of every cycle: take the epoch modulo cycle_epochs"),
            (lambda got: np.max(got) > 1, "β never exceeds 1: clip it once the ramp is over"),
        ]
        try:
            got = [float(beta_fn(e, cycle, **options)) for e in range(epochs)]
        except Exception as error:
            raise CheckFailed(f"beta_fn(epoch, {cycle}{', ramp_fraction=' + str(ramp) if options else ''}) raised "
                              f"{type(error).__name__}: {error}") from error
        _compare("beta_fn", f"{case}, epochs 0 to {epochs - 1}", np.array(got), expected, hints)
    _passed("check_cyclical_beta", len(cases))


def nearest_centroid_accuracy_reference(z_train, y_train, z_test, y_test):
    """Reference: the share of test codes whose nearest class mean (of the training codes) has their label."""
    labels = np.unique(y_train)
    centroids = np.stack([z_train[y_train == label].mean(axis=0) for label in labels])
    distances = ((z_test[:, None, :] - centroids[None]) ** 2).sum(axis=-1)
    return np.mean(labels[distances.argmin(axis=1)] == y_test)


def check_nearest_centroid_accuracy(accuracy_fn):
    """Check ``accuracy_fn(z_train, y_train, z_test, y_test)``: accuracy of the nearest-class-mean classifier."""
    rng = np.random.default_rng(55)
    cases = []
    for case, classes, dims, spread in (("3 well separated classes in 2-D", 3, 2, 0.3),
                                        ("5 overlapping classes in 4-D", 5, 4, 1.5),
                                        ("labels 2, 5 and 7 in 3-D", 3, 3, 1.0)):
        centres = rng.normal(scale=2.0, size=(classes, dims))
        names = np.array([2, 5, 7]) if case.startswith("labels") else np.arange(classes)
        y_train, y_test = rng.integers(classes, size=60), rng.integers(classes, size=40)
        z_train = centres[y_train] + rng.normal(scale=spread, size=(60, dims))
        z_test = centres[y_test] + rng.normal(scale=spread, size=(40, dims))
        cases.append((case, z_train, names[y_train], z_test, names[y_test]))
    for case, z_train, y_train, z_test, y_test in cases:
        expected = np.asarray(nearest_centroid_accuracy_reference(z_train, y_train, z_test, y_test))
        one_nn = np.mean(y_train[((z_test[:, None] - z_train[None]) ** 2).sum(-1).argmin(axis=1)] == y_test)
        hints = [
            (lambda got, e=expected: np.allclose(got, 100 * e), "return a fraction between 0 and 1, not a percentage"),
            (lambda got, e=one_nn: not np.isclose(e, expected) and np.allclose(got, e),
             "that is the nearest training code (1-NN); compare with the mean code of each class instead"),
            (lambda got, e=nearest_centroid_accuracy_reference(z_test, y_test, z_test, y_test):
             not np.isclose(e, expected) and np.allclose(got, e),
             "compute the class means from the training codes, not the test codes"),
        ]
        _compare("accuracy_fn", case, accuracy_fn(z_train, y_train, z_test, y_test), expected, hints,
                 " Return one number, the accuracy on the test codes.")
    _passed("check_nearest_centroid_accuracy", len(cases))
