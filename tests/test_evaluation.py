import math

import numpy as np
import pytest

keras = pytest.importorskip("keras")
from keras import ops  # noqa: E402

from helpers.evaluation import importance_weighted_nll  # noqa: E402

W = np.array([2.0, -1.5, 0.5], dtype=np.float32)
B = np.array([0.1, 0.3, -0.2], dtype=np.float32)
X = np.array([[1, 0, 1], [0, 0, 1], [1, 1, 0]], dtype=np.float32)


def decoder(z):  # a 1-D latent decoded into 3 Bernoulli pixels
    return z * W + B


def encoder(x):  # a deliberately imperfect q(z|x), the same for every x
    n = len(x)
    return ops.full((n, 1), 0.3), ops.full((n, 1), -0.5)


def exact_nll(x):
    """-log p(x) by quadrature over the 1-D latent."""
    z = np.linspace(-10, 10, 200_001)[:, None]
    logits = z * W + B
    log_lik = (x * logits - np.logaddexp(0, logits)).sum(axis=1)
    log_joint = log_lik - 0.5 * (np.log(2 * np.pi) + z[:, 0] ** 2)
    return -(np.log(np.trapezoid(np.exp(log_joint), z[:, 0])))


def test_matches_the_exact_likelihood_with_many_samples():
    estimate = importance_weighted_nll(encoder, decoder, X, k=20_000, batch_size=2, k_chunk=5000, seed=0)
    np.testing.assert_allclose(estimate, [exact_nll(x) for x in X], atol=0.01)


def test_is_an_upper_bound_on_nll_that_tightens_with_k():
    exact = np.array([exact_nll(x) for x in X])
    elbo_like = importance_weighted_nll(encoder, decoder, np.repeat(X, 200, axis=0), k=1, seed=1)
    many = importance_weighted_nll(encoder, decoder, X, k=2000, seed=1)
    assert (elbo_like.reshape(3, 200).mean(axis=1) > many + 0.05).all()
    np.testing.assert_allclose(many, exact, atol=0.05)  # one draw of k=2000: close, but noisy


def test_prior_encoder_and_flat_decoder_give_784_log_2():
    flat = lambda z: ops.zeros((z.shape[0], 784))  # noqa: E731
    prior = lambda x: (ops.zeros((len(x), 4)), ops.zeros((len(x), 4)))  # noqa: E731
    x = (np.random.default_rng(0).random((5, 28, 28)) > 0.5).astype(np.float32)
    np.testing.assert_allclose(importance_weighted_nll(prior, flat, x, k=10), 784 * math.log(2), rtol=1e-5)


def test_same_seed_same_estimate():
    first = importance_weighted_nll(encoder, decoder, X, k=50, seed=3)
    np.testing.assert_array_equal(first, importance_weighted_nll(encoder, decoder, X, k=50, seed=3))
    assert not np.array_equal(first, importance_weighted_nll(encoder, decoder, X, k=50, seed=4))


def test_rejects_bad_input():
    with pytest.raises(ValueError, match="binary"):
        importance_weighted_nll(encoder, decoder, X * 0.5, k=5)
    with pytest.raises(ValueError, match="k must be a positive integer"):
        importance_weighted_nll(encoder, decoder, X, k=0)
    with pytest.raises(ValueError, match="non-empty batch"):
        importance_weighted_nll(encoder, decoder, np.zeros((0, 3)), k=5)
