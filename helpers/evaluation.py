"""Evaluating a trained VAE: the importance-weighted estimate of log p(x) (Burda et al., 2015).

Shared by the dense and convolutional lessons; the ELBO itself is computed by each lesson's model.
Needs Keras (imported lazily, so the rest of ``helpers`` works without TensorFlow).
"""

import math

import numpy as np


def importance_weighted_nll(encoder, decoder, x, k=1000, batch_size=100, k_chunk=100, seed=0):
    """Estimate -log p(x) in nats for each binary image in ``x`` with ``k`` importance samples.

    log p(x) ≈ log (1/k) Σ_j p(x | z_j) p(z_j) / q(z_j | x),  z_j ~ q(z | x)

    ``encoder(x)`` returns ``(z_mean, z_log_var)`` (further outputs are ignored), ``decoder(z)``
    returns Bernoulli logits with the shape of one image. The estimate is a lower bound on log p(x)
    that tightens as ``k`` grows; k = 1 gives the ELBO. Samples are drawn ``k_chunk`` at a time, so
    memory stays at about ``batch_size * k_chunk`` decoded images. Returns a float64 array (N,).
    """
    import keras
    from keras import ops

    x = np.asarray(x, dtype=np.float32)
    if x.ndim < 2 or len(x) == 0:
        raise ValueError(f"x must be a non-empty batch of images, got shape {x.shape}")
    if not np.all((x == 0) | (x == 1)):
        raise ValueError("x must be binary (0/1 pixels) for a Bernoulli likelihood; binarise it first")
    for name, value in (("k", k), ("batch_size", batch_size), ("k_chunk", k_chunk)):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
            raise ValueError(f"{name} must be a positive integer, got {value!r}")

    seed_generator = keras.random.SeedGenerator(seed)
    log_2pi = math.log(2 * math.pi)
    nll = []
    for start in range(0, len(x), batch_size):
        x_batch = x[start:start + batch_size]                          # (B, ...)
        z_mean, z_log_var = encoder(x_batch)[:2]                        # (B, D) each
        x_flat = ops.reshape(x_batch, (1, len(x_batch), -1))            # (1, B, pixels)
        log_weights = []
        for done in range(0, k, k_chunk):
            m = min(k_chunk, k - done)
            epsilon = keras.random.normal((m, *z_mean.shape), seed=seed_generator)  # (m, B, D)
            z = z_mean + ops.exp(0.5 * z_log_var) * epsilon
            log_q = -0.5 * ops.sum(log_2pi + z_log_var + ops.square(epsilon), axis=-1)  # log q(z|x)
            log_prior = -0.5 * ops.sum(log_2pi + ops.square(z), axis=-1)              # log p(z)
            logits = ops.reshape(decoder(ops.reshape(z, (-1, z.shape[-1]))), (m, len(x_batch), -1))
            log_lik = ops.sum(x_flat * logits - ops.softplus(logits), axis=-1)     # log p(x|z), Bernoulli
            log_weights.append(log_lik + log_prior - log_q)                         # (m, B)
        log_weights = ops.concatenate(log_weights, axis=0)                          # (k, B)
        log_px = ops.logsumexp(log_weights, axis=0) - math.log(k)
        nll.append(-ops.convert_to_numpy(log_px).astype(np.float64))
    return np.concatenate(nll)
