"""Seconds per epoch of notebook 02's dense VAE on each Keras backend (and its eager PyTorch twin).

The model is written as in the lessons: a ``VAE(keras.Model)`` overriding ``compute_loss`` with
``keras.ops`` only, a ``tf.data`` input pipeline, so the same file runs on every backend. It trains
on all 60,000 MNIST training images (grey levels, or binarised afresh every batch with
``--binarise``), Bernoulli likelihood from logits summed over pixels plus the analytic KL, Adam 1e-3,
and prints the seconds of each epoch (the first includes tracing and compilation and is shown apart)
and the test -ELBO in nats per image.

    MNIST_PATH=/path/to/mnist.npz KERAS_BACKEND=tensorflow python benchmarks/dense_vae_speed.py
    MNIST_PATH=/path/to/mnist.npz KERAS_BACKEND=jax        python benchmarks/dense_vae_speed.py
    MNIST_PATH=/path/to/mnist.npz KERAS_BACKEND=torch      python benchmarks/dense_vae_speed.py
    MNIST_PATH=/path/to/mnist.npz python benchmarks/torch_twin_vae.py   # the same network, eager PyTorch

``--hidden 512 512 --latent 32 --binarise`` is notebook 02's configuration; the default, 784-400-20
on grey levels, is the network most tutorials use. ``--no-jit`` and ``--steps-per-execution 1`` turn
off what Keras offers for speed (on PyTorch, ``helpers.config.compile_options`` always trains eagerly,
one step per call). Figures and the exact commands: ``benchmarks/README.md``.
"""

import argparse
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the helpers of this checkout

import keras  # noqa: E402
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402  (the tf.data input pipeline, on every backend)
from keras import layers, ops  # noqa: E402

from helpers import data  # noqa: E402
from helpers.config import compile_options  # noqa: E402
from helpers.results import describe_environment  # noqa: E402


class Sampling(layers.Layer):
    """z = μ + σ ⊙ ε, ε ~ N(0, I), drawn through a SeedGenerator."""

    def __init__(self, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.seed_generator = keras.random.SeedGenerator(seed)

    def call(self, inputs):
        z_mean, z_log_var = inputs
        epsilon = keras.random.normal(ops.shape(z_mean), seed=self.seed_generator)
        return z_mean + ops.exp(0.5 * z_log_var) * epsilon


def mlp(inputs, units, outputs):
    h = inputs
    for n in units:
        h = layers.Dense(n, activation="relu")(h)
    return [layers.Dense(n)(h) for n in outputs]


class VAE(keras.Model):
    """−ELBO = BCE from logits summed over pixels + analytic KL, averaged over the batch."""

    def __init__(self, hidden, latent, seed=0, **kwargs):
        super().__init__(**kwargs)
        x = keras.Input((784,))
        self.encoder = keras.Model(x, mlp(x, hidden, [latent, latent]))
        z = keras.Input((latent,))
        self.decoder = keras.Model(z, mlp(z, hidden[::-1], [784]))
        self.sampling = Sampling(seed)

    def call(self, x, training=False):
        z_mean, z_log_var = self.encoder(x, training=training)
        return self.decoder(self.sampling([z_mean, z_log_var]), training=training), z_mean, z_log_var

    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):
        logits, z_mean, z_log_var = y_pred
        reconstruction = ops.sum(ops.binary_crossentropy(x, logits, from_logits=True), axis=-1)
        kl = -0.5 * ops.sum(1 + z_log_var - ops.square(z_mean) - ops.exp(z_log_var), axis=-1)
        return ops.mean(reconstruction + kl)


class EpochTimer(keras.callbacks.Callback):
    def on_epoch_begin(self, epoch, logs=None):
        self.start = time.perf_counter()

    def on_epoch_end(self, epoch, logs=None):
        self.seconds = time.perf_counter() - self.start


def datasets(batch, binarise):
    (x_train, _), (x_test, _) = data.load_mnist(flatten=True)
    if binarise:  # one fixed draw for the test set
        x_test = (np.random.default_rng(123).random(x_test.shape) < x_test).astype(np.float32)
    images = tf.constant(x_train)
    train = (tf.data.Dataset.range(len(x_train)).shuffle(len(x_train), seed=0)
             .batch(batch, drop_remainder=True).map(lambda i: tf.gather(images, i)))
    if binarise:  # map after batch: one vectorised draw per batch
        train = train.map(lambda x: tf.cast(tf.random.uniform(tf.shape(x)) < x, tf.float32))
    return train.prefetch(tf.data.AUTOTUNE), tf.data.Dataset.from_tensor_slices(x_test).batch(1000)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--epochs", type=int, default=6)
    p.add_argument("--hidden", type=int, nargs="+", default=[400])
    p.add_argument("--latent", type=int, default=20)
    p.add_argument("--batch", type=int, default=128)
    p.add_argument("--binarise", action="store_true", help="dynamic binarisation in tf.data")
    p.add_argument("--steps-per-execution", type=int, default=32)
    p.add_argument("--no-jit", action="store_true", help="compile with jit_compile=False")
    a = p.parse_args()

    keras.utils.set_random_seed(0)
    train, test = datasets(a.batch, a.binarise)
    model = VAE(a.hidden, a.latent)
    options = compile_options(a.steps_per_execution, jit_compile=not a.no_jit)  # PyTorch: eager, one step
    model.compile(optimizer=keras.optimizers.Adam(1e-3), **options)
    print(describe_environment())
    print(f"hidden {a.hidden}, latent {a.latent}, batch {a.batch}, "
          f"{'binarised' if a.binarise else 'grey levels'}, jit_compile={options['jit_compile']}, "
          f"steps_per_execution={options['steps_per_execution']}", flush=True)
    timer, seconds = EpochTimer(), []
    for epoch in range(1, a.epochs + 1):
        model.fit(train, epochs=1, verbose=0, shuffle=False, callbacks=[timer])
        seconds.append(timer.seconds)
        test_loss = model.evaluate(test, verbose=0)
        note = "  (includes tracing and compilation)" if epoch == 1 else ""
        print(f"epoch {epoch:3d}  {timer.seconds:6.2f} s  test -ELBO {test_loss:7.2f} nats{note}", flush=True)
    if len(seconds) > 1:
        later = np.array(seconds[1:])
        print(f"seconds per epoch after the first: median {np.median(later):.2f}, "
              f"min {later.min():.2f}, max {later.max():.2f} ({len(later)} epochs)")


if __name__ == "__main__":
    main()
