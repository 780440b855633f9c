import numpy as np
from keras import ops
import pytest
from scipy import special

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


# --- 01 · VAE theory: exercises 2, 4 and 5 ---


def good_kl_monte_carlo(z_mean, z_log_var, epsilon):
    z = z_mean + np.exp(0.5 * z_log_var) * epsilon
    log_q = -0.5 * np.sum(np.log(2 * np.pi) + z_log_var + epsilon**2, axis=-1)
    log_p = -0.5 * np.sum(np.log(2 * np.pi) + z**2, axis=-1)
    return (log_q - log_p).mean(axis=-1)


@pytest.mark.parametrize("wrong, message", [
    (lambda m, lv, e: -good_kl_monte_carlo(m, lv, e), "sign is flipped"),
    (lambda m, lv, e: good_kl_monte_carlo(m, lv, e) * e.shape[-2], "summed over the n draws"),
    (lambda m, lv, e: good_kl_monte_carlo(m, lv, e) / e.shape[-1], "averaged over the latent dimensions"),
    (lambda m, lv, e: good_kl_monte_carlo(m, lv, e[..., None, :]), "expected an array of shape"),
])
def test_kl_monte_carlo(wrong, message, capsys):
    checks.check_kl_monte_carlo(good_kl_monte_carlo)
    assert "check_kl_monte_carlo: all 3 hidden cases pass" in capsys.readouterr().out
    with pytest.raises(checks.CheckFailed, match=message):
        checks.check_kl_monte_carlo(wrong)


@pytest.mark.parametrize("wrong, message", [
    (lambda d: d, "that is β = D"),
    (lambda d: d / 2, "that is s²"),
    (lambda d: np.sqrt(d), "so 2s² = D"),
])
def test_sigma_for_mse(wrong, message):
    checks.check_sigma_for_mse(lambda d: np.sqrt(d / 2))
    with pytest.raises(checks.CheckFailed, match=message):
        checks.check_sigma_for_mse(wrong)


def test_mse_plus_kl():
    checks.check_mse_plus_kl(lambda x, x_hat, m, lv: np.mean((x - x_hat) ** 2, axis=-1) + good_kl(m, lv))
    with pytest.raises(checks.CheckFailed, match="summed the squared errors over pixels"):
        checks.check_mse_plus_kl(lambda x, x_hat, m, lv: np.sum((x - x_hat) ** 2, axis=-1) + good_kl(m, lv))
    with pytest.raises(checks.CheckFailed, match="KL term is missing"):
        checks.check_mse_plus_kl(lambda x, x_hat, m, lv: np.mean((x - x_hat) ** 2, axis=-1))


def good_score_gradient(z, f_values, mu, log_var, c):
    return (f_values - c) * (z - mu) / np.exp(log_var)


@pytest.mark.parametrize("wrong, message", [
    (lambda z, f, m, lv, c: -good_score_gradient(z, f, m, lv, c), "sign is flipped"),
    (lambda z, f, m, lv, c: good_score_gradient(z, f, m, lv, 0.0), "baseline c is not subtracted"),
    (lambda z, f, m, lv, c: good_score_gradient(z, f, m, lv, -c), "you added it"),
    (lambda z, f, m, lv, c: good_score_gradient(z, f, m, lv, c) * np.exp(0.5 * lv), "not by σ"),
    (lambda z, f, m, lv, c: (f - c) * (z - m), "divided by σ²"),
])
def test_score_function_gradient(wrong, message):
    checks.check_score_function_gradient(good_score_gradient)
    with pytest.raises(checks.CheckFailed, match=message):
        checks.check_score_function_gradient(wrong)


# --- 02 · a dense VAE ---


def good_active(z_mean, threshold=0.01):
    return int((z_mean.var(axis=0) > threshold).sum())


@pytest.mark.parametrize("wrong, message", [
    (lambda z, threshold=0.01: z.shape[1] - good_active(z, threshold), "counted the inactive dimensions"),
    (lambda z, threshold=0.01: int((z.std(axis=0) > threshold).sum()), "not the standard deviation"),
    (lambda z, threshold=0.01: z.var(axis=0) > threshold, "Return one number"),
])
def test_active_dimensions(wrong, message, capsys):
    checks.check_active_dimensions(good_active)
    assert "check_active_dimensions: all 3 hidden cases pass" in capsys.readouterr().out
    with pytest.raises(checks.CheckFailed, match=message):
        checks.check_active_dimensions(wrong)


def good_iw(log_weights):
    return -(special.logsumexp(log_weights, axis=-1) - np.log(log_weights.shape[-1]))


@pytest.mark.parametrize("wrong, message", [
    (lambda lw: -np.log(np.mean(np.exp(lw.astype(np.float64)), axis=-1)), "underflows"),
    (lambda lw: -good_iw(lw), "sign is flipped"),
    (lambda lw: -lw.mean(axis=-1), "averaged the log-weights, which is the ELBO"),
    (lambda lw: -special.logsumexp(lw, axis=-1), "the - log k is missing"),
    (lambda lw: good_iw(lw.T), "Reduce over the last axis"),
])
@pytest.mark.filterwarnings("ignore:divide by zero")
def test_iw_estimate(wrong, message):
    checks.check_iw_estimate(good_iw)
    with pytest.raises(checks.CheckFailed, match=message):
        checks.check_iw_estimate(wrong)


@pytest.mark.parametrize("wrong, message", [
    (lambda rec, kl, beta: beta * rec + kl, "β multiplies the KL"),
    (lambda rec, kl, beta: rec + kl, "β is missing"),
    (lambda rec, kl, beta: rec + kl / beta, "you divided"),
])
def test_beta_vae_loss(wrong, message):
    checks.check_beta_vae_loss(lambda rec, kl, beta: rec + beta * kl)
    with pytest.raises(checks.CheckFailed, match=message):
        checks.check_beta_vae_loss(wrong)


def good_gaussian_nll(x, mean, log_sigma, axis=-1):
    return ops.sum(0.5 * np.log(2 * np.pi) + log_sigma + ops.square(x - mean) / (2 * np.exp(2 * log_sigma)), axis=axis)


def pixels(x):
    return int(np.prod(x.shape[1:]))


@pytest.mark.parametrize("wrong, message", [
    (lambda x, m, ls, axis=-1: -good_gaussian_nll(x, m, ls, axis), "sign is flipped"),
    (lambda x, m, ls, axis=-1: good_gaussian_nll(x, m, ls, axis) - 0.5 * pixels(x) * np.log(2 * np.pi), "½ log 2π"),
    (lambda x, m, ls, axis=-1: good_gaussian_nll(x, m, ls, axis) - pixels(x) * ls, "log σ term"),
    (lambda x, m, ls, axis=-1: ops.sum(0.5 * np.log(2 * np.pi) + ls + ops.square(x - m) / (2 * np.exp(ls)), axis=axis),
     "not by 2σ"),
    (lambda x, m, ls, axis=-1: ops.sum(0.5 * np.log(2 * np.pi) + ls + ops.square(x - m) / np.exp(2 * ls), axis=axis),
     "factor ½"),
    (lambda x, m, ls, axis=-1: good_gaussian_nll(x, m, ls, axis) / pixels(x), "averaged over pixels"),
])
def test_gaussian_nll(wrong, message):
    checks.check_gaussian_nll(good_gaussian_nll)
    with pytest.raises(checks.CheckFailed, match=message):
        checks.check_gaussian_nll(wrong)
    checks.check_gaussian_nll_images(lambda x, m, ls: good_gaussian_nll(x, m, ls, axis=(1, 2, 3)))
    with pytest.raises(checks.CheckFailed, match=message):
        checks.check_gaussian_nll_images(lambda x, m, ls: wrong(x, m, ls, axis=(1, 2, 3)))


def test_gaussian_nll_catches_numpy_and_the_wrong_axes():
    with pytest.raises(checks.CheckFailed, match="(?s)returned a NumPy .*use keras.ops"):
        checks.check_gaussian_nll(lambda x, m, ls: np.sum((x - m) ** 2, axis=-1))
    with pytest.raises(checks.CheckFailed, match=r"Sum over all the axes of an image"):
        checks.check_gaussian_nll_images(good_gaussian_nll)  # the last axis only: (images, 28, 28)
    with pytest.raises(checks.CheckFailed, match="raised"):
        checks.check_gaussian_nll(lambda x, m, ls: good_gaussian_nll(x, m, ls, axis=(1, 2, 3)))


def test_expect():
    checks.expect(True, "anything", expected="x", got="x")
    with pytest.raises(checks.CheckFailed, match="slope: expected -0.5 ± 0.05, got -0.7\n  hint: more repeats"):
        checks.expect(False, "slope", expected="-0.5 ± 0.05", got=-0.7, hint="more repeats")


# --- 03 · a convolutional VAE ---


def good_multiply_adds(layer):
    from keras import layers
    if isinstance(layer, layers.Dense):
        return layer.kernel.shape[0] * layer.kernel.shape[1]
    if isinstance(layer, layers.Conv2DTranspose):
        _, height, width, channels_in = layer.input.shape
        return height * width * layer.kernel_size[0] * layer.kernel_size[1] * channels_in * layer.filters
    if isinstance(layer, layers.Conv2D):
        _, height, width, channels_out = layer.output.shape
        return height * width * layer.kernel_size[0] * layer.kernel_size[1] * layer.input.shape[-1] * channels_out
    return 0


def conv_on_input_size(layer):
    from keras import layers
    if isinstance(layer, layers.Conv2D) and not isinstance(layer, layers.Conv2DTranspose):
        _, height, width, channels_in = layer.input.shape
        return height * width * layer.kernel_size[0] * layer.kernel_size[1] * channels_in * layer.filters
    return good_multiply_adds(layer)


def transpose_on_output_size(layer):
    from keras import layers
    if isinstance(layer, layers.Conv2DTranspose):
        _, height, width, _ = layer.output.shape
        return height * width * layer.kernel_size[0] * layer.kernel_size[1] * layer.input.shape[-1] * layer.filters
    return good_multiply_adds(layer)


@pytest.mark.parametrize("wrong, message", [
    (lambda layer: good_multiply_adds(layer) + (layer.bias.shape[0] if hasattr(layer, "bias") else 0), "biases are left out"),
    (conv_on_input_size, "once per OUTPUT pixel"),
    (transpose_on_output_size, "once per INPUT pixel"),
    (lambda layer: layer.no_such_attribute, "count_fn on .* raised AttributeError"),
])
def test_multiply_adds(wrong, message, capsys):
    checks.check_multiply_adds(good_multiply_adds)
    assert "check_multiply_adds: all 5 hidden cases pass" in capsys.readouterr().out
    with pytest.raises(checks.CheckFailed, match=message):
        checks.check_multiply_adds(wrong)


def test_kl_per_dimension():
    per_dimension = lambda m, lv: -0.5 * (1 + lv - m**2 - np.exp(lv))  # noqa: E731
    checks.check_kl_per_dimension(lambda m, lv: per_dimension(m, lv).mean(axis=0))
    with pytest.raises(checks.CheckFailed, match="summed over the images"):
        checks.check_kl_per_dimension(lambda m, lv: per_dimension(m, lv).sum(axis=0))
    with pytest.raises(checks.CheckFailed, match="one value per latent dimension"):
        checks.check_kl_per_dimension(lambda m, lv: per_dimension(m, lv).sum(axis=-1))


def good_grid(z_start, dims, values):
    rows = []
    for dim in dims:
        z = np.repeat(z_start[None], len(values), axis=0)
        z[:, dim] = values
        rows.append(z)
    return np.concatenate(rows)


def grid_adding(z_start, dims, values):
    grid = good_grid(z_start, dims, values)
    for row, dim in enumerate(dims):
        grid[row * len(values):(row + 1) * len(values), dim] += z_start[dim]
    return grid


def grid_in_place(z_start, dims, values):
    z_start[dims[0]] = values[0]
    return good_grid(z_start, dims, values)


@pytest.mark.parametrize("wrong, message", [
    (grid_adding, "you added the value"),
    (lambda z, dims, values: good_grid(z, dims, values).reshape(len(dims), len(values), -1).transpose(1, 0, 2).reshape(-1, len(z)),
     "rows are in the wrong order"),
    (grid_in_place, "changed z_start itself"),
    (lambda z, dims, values: good_grid(z, dims, values)[:-1], r"Return \(len\(dims\) × len\(values\), latent\)"),
])
def test_traversal_grid(wrong, message):
    checks.check_traversal_grid(good_grid)
    with pytest.raises(checks.CheckFailed, match=message):
        checks.check_traversal_grid(wrong)


def batch_norm_builders(order="bn-relu"):
    from keras import Input, Model, layers

    def conv_block(layer, h):
        if order == "conv-relu":
            layer.activation = layers.Activation("relu").activation
            return layer(h)
        if order == "relu-bn":
            return layers.BatchNormalization()(layers.ReLU()(layer(h)))
        if order == "bn-silu":
            return layers.Activation("silu")(layers.BatchNormalization()(layer(h)))
        if order == "bn-linear":
            return layers.Activation("linear")(layers.BatchNormalization()(layer(h)))
        return layers.ReLU()(layers.BatchNormalization()(layer(h)))

    def encoder(latent_dim):
        x = Input(shape=(28, 28, 1))
        h = conv_block(layers.Conv2D(4, 3, strides=2, padding="same", use_bias=False), x)
        h = conv_block(layers.Conv2D(8, 3, strides=2, padding="same", use_bias=False), h)
        h = layers.Flatten()(h)
        return Model(x, [layers.Dense(latent_dim)(h), layers.Dense(latent_dim)(h)])

    def decoder(latent_dim):
        z = Input(shape=(latent_dim,))
        h = layers.Reshape((7, 7, 8))(layers.Dense(7 * 7 * 8, activation="relu")(z))
        h = conv_block(layers.Conv2DTranspose(4, 4, strides=2, padding="same", use_bias=False), h)
        return Model(z, layers.Conv2DTranspose(1, 4, strides=2, padding="same")(h))

    return encoder, decoder


@pytest.mark.parametrize("order, message", [("conv-relu", "applies relu itself"), ("relu-bn", "the activation comes after"),
                                            ("bn-linear", "between each convolution and its activation")])
def test_batch_norm(order, message, capsys):
    for good in ("bn-relu", "bn-silu"):
        checks.check_batch_norm(*batch_norm_builders(good))
        assert "check_batch_norm: all 2 hidden cases pass" in capsys.readouterr().out
    with pytest.raises(checks.CheckFailed, match=message):
        checks.check_batch_norm(*batch_norm_builders(order))
# --- 04 · a denoising VAE ---

def good_corruption(images, level, seed):
    rng = np.random.default_rng(seed)
    return np.clip(images + level * rng.standard_normal(images.shape), 0, 1).astype(images.dtype)


def in_place_corruption(images, level, seed):
    images += level * np.random.default_rng(seed).standard_normal(images.shape).astype(images.dtype)
    return np.clip(images, 0, 1)


def test_corruption_check_passes_the_helpers_noise():
    from helpers import noise
    for corrupt in (good_corruption, noise.add_gaussian_noise, noise.add_salt_and_pepper, noise.add_random_mask):
        checks.check_corruption(corrupt)


@pytest.mark.parametrize("wrong, message", [
    (in_place_corruption, "in place"),
    (lambda x, level, seed: x + level * np.random.default_rng(seed).standard_normal(x.shape).astype(x.dtype), "clip"),
    (lambda x, level, seed: good_corruption(x, level, None), "same seed gave different images"),
    (lambda x, level, seed: good_corruption(x, level, 0), "must depend on the seed"),
    (lambda x, level, seed: good_corruption(x, level + 0.1, seed), "level 0 changed"),
    (lambda x, level, seed: good_corruption(x, 0.2 if level else 0.0, seed), "higher level should corrupt more"),
    (lambda x, level, seed: good_corruption(x, level, seed).astype(np.float64), "dtype float32"),
    (lambda x, level: x, "raised TypeError"),
])
def test_corruption_mistakes_are_explained(wrong, message):
    with pytest.raises(checks.CheckFailed, match=message):
        checks.check_corruption(wrong)


def rank_auroc(negatives, positives):
    ranks = np.argsort(np.argsort(np.concatenate([negatives, positives]), kind="stable"), kind="stable") + 1.0
    return (ranks[len(negatives):].sum() - len(positives) * (len(positives) + 1) / 2) / (len(negatives) * len(positives))


def pairwise_auroc(negatives, positives):
    negatives, positives = np.asarray(negatives, float)[None, :], np.asarray(positives, float)[:, None]
    return (positives > negatives).mean() + 0.5 * (positives == negatives).mean()


def test_auroc_check():
    checks.check_auroc(pairwise_auroc)
    with pytest.raises(checks.CheckFailed, match="swapped"):
        checks.check_auroc(lambda n, p: pairwise_auroc(p, n))
    with pytest.raises(checks.CheckFailed, match="tie as one half"):
        checks.check_auroc(lambda n, p: (np.asarray(p)[:, None] > np.asarray(n)[None, :]).mean())
    with pytest.raises(checks.CheckFailed, match="ties between the classes"):
        checks.check_auroc(rank_auroc)  # ranks without averaging ties


def test_uncertainty_score_check():
    checks.check_uncertainty_score(lambda d: d.std(axis=0).mean(axis=(1, 2, 3)))
    with pytest.raises(checks.CheckFailed, match="variance"):
        checks.check_uncertainty_score(lambda d: d.var(axis=0).mean(axis=(1, 2, 3)))
    with pytest.raises(checks.CheckFailed, match="std over axis 0"):
        checks.check_uncertainty_score(lambda d: d.std(axis=1).mean(axis=(1, 2, 3)))




def test_gaussian_or_salt_and_pepper_check():
    from helpers import noise

    def mixed(images, level, seed):
        rng = np.random.default_rng(seed)
        gaussian = noise.add_gaussian_noise(images, level, seed=seed)
        salted = noise.add_salt_and_pepper(images, level / 2, seed=seed + 1)
        pick = rng.random(len(images)) < 0.5
        return np.where(pick.reshape(-1, *[1] * (images.ndim - 1)), gaussian, salted).astype(images.dtype)

    checks.check_gaussian_or_salt_and_pepper(mixed)
    with pytest.raises(checks.CheckFailed, match="about half, chosen at random"):
        checks.check_gaussian_or_salt_and_pepper(lambda images, level, seed: noise.add_gaussian_noise(images, level, seed))
    with pytest.raises(checks.CheckFailed, match="amount level / 2"):
        checks.check_gaussian_or_salt_and_pepper(
            lambda images, level, seed: mixed(images, 2 * level, seed) if level == 0.2 else mixed(images, level, seed))


def test_a_crashing_answer_is_a_check_failure():
    with pytest.raises(checks.CheckFailed, match="kl_fn on .* raised ZeroDivisionError"):
        checks.check_kl(lambda z_mean, z_log_var: 1 / 0)
    with pytest.raises(checks.CheckFailed, match="build_encoder_bn on latent_dim = 3 raised ZeroDivisionError"):
        checks.check_batch_norm(lambda latent_dim: 1 / 0, lambda latent_dim: None)


def test_keras_ops_answers_pass():
    checks.check_kl(lambda m, lv: -0.5 * ops.sum(1 + lv - ops.square(m) - ops.exp(lv), axis=-1))
    checks.check_iw_estimate(lambda lw: -(ops.logsumexp(lw, axis=-1) - np.log(lw.shape[-1])))
