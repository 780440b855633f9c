"""Seconds per epoch of notebook 02's dense VAE in Keras 3, side by side with an eager PyTorch loop.

The Keras model here is a twin of the PyTorch reference ``../shared/tools/torch_reference_vae.py``
(an MLP VAE in the style of seed 002: Linear+ReLU encoder and decoder, Bernoulli likelihood from
logits summed over pixels, analytic KL, Adam 1e-3), trained on all 60k MNIST training images with
the same batch size. It prints seconds per epoch (the first epoch, which includes tracing and XLA
compilation, is shown apart) and the test -ELBO in nats per image after each epoch.

Run both on the same machine, one after the other, holding the shared CPU lock on a shared box:

    # Keras 3 twin (from the repository root, with the project's environment)
    MNIST_PATH=../shared/data/mnist.npz python benchmarks/dense_vae_speed.py --hidden 400 --latent 20 --batch 128
    # the eager PyTorch reference, same network and batch (pip install torch==2.13.0 in its own venv)
    python ../shared/tools/torch_reference_vae.py ../shared/data/mnist.npz --hidden 400 --latent 20 --batch 128

Add ``--binarize`` to both for dynamically binarised training digits (what notebook 02 trains on);
``--hidden 512 512 --latent 32 --batch 500`` is the notebook's own configuration. The switches
``--binarize-in-step`` draws the binarisation inside ``train_step`` instead of in
``tf.data``. ``--no-jit``, ``--steps-per-execution 1`` and ``--no-prefetch`` turn off, one at a time, what Keras
offers for speed, so their effect can be measured.
"""

import argparse
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the helpers of this checkout

import keras  # noqa: E402
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
from keras import layers, ops  # noqa: E402

from helpers import data  # noqa: E402


@keras.saving.register_keras_serializable(package="bench")
class Sampling(layers.Layer):
    """z = mu + sigma * epsilon, epsilon ~ N(0, I), drawn through a SeedGenerator."""

    def __init__(self, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.seed = seed
        self.seed_generator = keras.random.SeedGenerator(seed)

    def call(self, inputs):
        z_mean, z_log_var = inputs
        epsilon = keras.random.normal(ops.shape(z_mean), seed=self.seed_generator)
        return z_mean + ops.exp(0.5 * z_log_var) * epsilon

    def get_config(self):
        return {**super().get_config(), "seed": self.seed}


class VAE(keras.Model):
    def __init__(self, hidden, latent, seed=0, binarize_in_step=False, **kwargs):
        super().__init__(**kwargs)
        self.binarize_in_step = binarize_in_step
        self.binarize_seed = keras.random.SeedGenerator(seed + 1)
        x_in = keras.Input((784,))
        h = x_in
        for units in hidden:
            h = layers.Dense(units, activation="relu")(h)
        z_mean = layers.Dense(latent)(h)
        z_log_var = layers.Dense(latent)(h)
        self.encoder = keras.Model(x_in, [z_mean, z_log_var])
        z_in = keras.Input((latent,))
        h = z_in
        for units in hidden[::-1]:
            h = layers.Dense(units, activation="relu")(h)
        self.decoder = keras.Model(z_in, layers.Dense(784)(h))
        self.sampling = Sampling(seed)
        self.loss_tracker = keras.metrics.Mean(name="loss")

    def neg_elbo(self, x):
        z_mean, z_log_var = self.encoder(x)
        logits = self.decoder(self.sampling([z_mean, z_log_var]))
        reconstruction = ops.sum(ops.softplus(logits) - x * logits, axis=-1)  # BCE from logits
        kl = -0.5 * ops.sum(1 + z_log_var - ops.square(z_mean) - ops.exp(z_log_var), axis=-1)
        return ops.mean(reconstruction + kl)

    def train_step(self, x):
        if self.binarize_in_step:  # the slow alternative: draw inside the compiled step
            x = ops.cast(keras.random.uniform(ops.shape(x), seed=self.binarize_seed) < x, "float32")
        with tf.GradientTape() as tape:
            loss = self.neg_elbo(x)
        grads = tape.gradient(loss, self.trainable_weights)
        self.optimizer.apply(grads, self.trainable_weights)
        self.loss_tracker.update_state(loss)
        return {"loss": self.loss_tracker.result()}

    def test_step(self, x):
        self.loss_tracker.update_state(self.neg_elbo(x))
        return {"loss": self.loss_tracker.result()}

    @property
    def metrics(self):
        return [self.loss_tracker]


class EpochTimer(keras.callbacks.Callback):
    def on_epoch_begin(self, epoch, logs=None):
        self.start = time.perf_counter()

    def on_epoch_end(self, epoch, logs=None):
        self.seconds = time.perf_counter() - self.start


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--epochs", type=int, default=5)
    p.add_argument("--hidden", type=int, nargs="+", default=[400])
    p.add_argument("--latent", type=int, default=20)
    p.add_argument("--batch", type=int, default=128)
    p.add_argument("--binarize", action="store_true", help="dynamic binarisation (map after batch)")
    p.add_argument("--binarize-in-step", action="store_true",
                   help="dynamic binarisation drawn inside train_step (keras.random + SeedGenerator) instead")
    p.add_argument("--steps-per-execution", type=int, default=32)
    p.add_argument("--no-jit", action="store_true", help="compile with jit_compile=False")
    p.add_argument("--element-shuffle", action="store_true", help="shuffle images one by one, then batch")
    p.add_argument("--no-prefetch", action="store_true", help="no tf.data prefetching")
    a = p.parse_args()

    keras.utils.set_random_seed(0)
    (x_train, _), (x_test, _) = data.load_mnist(flatten=True)
    if a.binarize:
        x_test = (np.random.default_rng(123).random(x_test.shape) < x_test).astype(np.float32)
    if a.element_shuffle:
        train = tf.data.Dataset.from_tensor_slices(x_train).shuffle(len(x_train), seed=0).batch(a.batch)
    else:  # shuffle indices, gather one batch at a time: no per-image overhead
        images = tf.constant(x_train)
        train = (tf.data.Dataset.range(len(x_train)).shuffle(len(x_train), seed=0).batch(a.batch)
                 .map(lambda i: tf.gather(images, i)))
    if a.binarize and a.binarize_in_step:
        raise SystemExit("choose one of --binarize (in tf.data) and --binarize-in-step")
    if a.binarize_in_step:  # the fixed test binarisation, as with --binarize
        x_test = (np.random.default_rng(123).random(x_test.shape) < x_test).astype(np.float32)
    if a.binarize:  # map after batch: one vectorised draw per batch
        train = train.map(lambda x: tf.cast(tf.random.uniform(tf.shape(x)) < x, tf.float32))
    if not a.no_prefetch:
        train = train.prefetch(tf.data.AUTOTUNE)
    test = tf.data.Dataset.from_tensor_slices(x_test).batch(1000)

    model = VAE(a.hidden, a.latent, binarize_in_step=a.binarize_in_step)
    model.compile(optimizer=keras.optimizers.Adam(1e-3), jit_compile=not a.no_jit,
                  steps_per_execution=a.steps_per_execution)
    print(f"keras {keras.__version__}, tensorflow {tf.__version__}, hidden {a.hidden}, latent {a.latent}, "
          f"batch {a.batch}, {'binarised in train_step' if a.binarize_in_step else 'binarised in tf.data' if a.binarize else 'grayscale'}, jit_compile={not a.no_jit}, "
          f"steps_per_execution={a.steps_per_execution}, prefetch={not a.no_prefetch}", flush=True)
    timer = EpochTimer()
    seconds = []
    for epoch in range(1, a.epochs + 1):
        model.fit(train, epochs=1, verbose=0, callbacks=[timer])
        seconds.append(timer.seconds)
        test_loss = model.evaluate(test, verbose=0)
        test_loss = test_loss[0] if isinstance(test_loss, list) else test_loss
        note = "  (includes tracing and XLA compilation)" if epoch == 1 else ""
        print(f"epoch {epoch:3d}  {timer.seconds:6.2f} s  test -ELBO {test_loss:7.2f} nats{note}", flush=True)
    if len(seconds) > 1:
        later = np.array(seconds[1:])
        print(f"seconds per epoch after the first: median {np.median(later):.2f}, "
              f"min {later.min():.2f}, max {later.max():.2f} ({len(later)} epochs)")


if __name__ == "__main__":
    main()
