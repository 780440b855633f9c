"""Notebook 03's convolutional VAE next to the keras.io network and notebook 02's dense one, trained the same way.

Every network is trained with notebooks 02 and 03's recipe: the first 50,000 training images (the
last 10,000 are their validation set), a fresh binarisation of every batch each epoch (drawn in the
tf.data pipeline after batching), Bernoulli likelihood from logits summed over pixels plus the analytic
KL, Adam with a learning rate decayed along a cosine from 1e-3 to 1e-4 over the run, batch 64 (notebook 03's),
``jit_compile=True``, ``steps_per_execution=32``, the same number of epochs. Then each is scored on the
notebooks' fixed binarisation of the 10,000 test images (seed 44): the test -ELBO in nats per image,
with z sampled from q(z|x) (the ELBO, not a reconstruction from the mean).

The keras.io network is the one of keras.io's "Variational AutoEncoder" example, copied by many tutorials
(Conv2D 32 and 64 with stride 2, Dense 16; Dense 7*7*64, Conv2DTranspose 64 and 32 with stride 2, a
last 3x3 Conv2DTranspose to one channel), rewritten in Keras 3 with the same layers and its ReLU; its
sigmoid output is dropped so that the loss is computed from logits, as for our network. The dense
network is notebook 02's (784-512-512 in both directions). ``--activation`` sets the activation of ours
and of the dense one: SiLU, as in notebook 03 (the default), or ReLU, as in notebook 02.

Prints, for each network: parameters, seconds per epoch (the first epoch includes compilation and
is shown apart), and the test -ELBO with its two terms, and writes them to a JSON file that notebook 03
reads (``--output``, default ``benchmarks/results/conv_vae_vs_keras_io.json``). Run it on an otherwise
idle machine; the committed runs and their commands are in benchmarks/README.md, for example

    MNIST_PATH=path/to/mnist.npz python benchmarks/conv_vae_vs_keras_io.py --epochs 10
    MNIST_PATH=path/to/mnist.npz python benchmarks/conv_vae_vs_keras_io.py --networks ours dense --latent-dim 32 \
        --epochs 12 --batch-size 64 --activation relu --output benchmarks/results/conv_vae_relu_batch_64.json

Notebook 03 holds the lesson's copy of ``our_encoder``/``our_decoder``; keep the two in step.
"""

import argparse
import json
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras  # noqa: E402
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
from keras import layers, ops  # noqa: E402

from helpers import data  # noqa: E402
from helpers.results import environment  # noqa: E402

OUTPUT = Path(__file__).resolve().parent / "results" / "conv_vae_vs_keras_io.json"

IMAGE_SHAPE = (28, 28, 1)


# --- the keras.io network, in Keras 3 -------------------------------------------------------------

def keras_io_encoder(latent_dim):
    inputs = keras.Input(IMAGE_SHAPE)
    x = layers.Conv2D(32, 3, activation="relu", strides=2, padding="same")(inputs)  # (14, 14, 32)
    x = layers.Conv2D(64, 3, activation="relu", strides=2, padding="same")(x)       # (7, 7, 64)
    x = layers.Flatten()(x)
    x = layers.Dense(16, activation="relu")(x)
    z_mean = layers.Dense(latent_dim, name="z_mean")(x)
    z_log_var = layers.Dense(latent_dim, name="z_log_var")(x)
    return keras.Model(inputs, [z_mean, z_log_var], name="keras_io_encoder")


def keras_io_decoder(latent_dim):
    inputs = keras.Input((latent_dim,))
    x = layers.Dense(7 * 7 * 64, activation="relu")(inputs)
    x = layers.Reshape((7, 7, 64))(x)
    x = layers.Conv2DTranspose(64, 3, activation="relu", strides=2, padding="same")(x)  # (14, 14, 64)
    x = layers.Conv2DTranspose(32, 3, activation="relu", strides=2, padding="same")(x)  # (28, 28, 32)
    logits = layers.Conv2DTranspose(1, 3, padding="same")(x)                             # (28, 28, 1)
    return keras.Model(inputs, logits, name="keras_io_decoder")


# --- notebook 03's network -----------------------------------------------------------------------

def our_encoder(latent_dim, activation, hidden=256):
    inputs = keras.Input(IMAGE_SHAPE)
    x = layers.Conv2D(32, 3, activation=activation, strides=2, padding="same")(inputs)  # (14, 14, 32)
    x = layers.Conv2D(64, 3, activation=activation, strides=2, padding="same")(x)       # (7, 7, 64)
    x = layers.Flatten()(x)
    x = layers.Dense(hidden, activation=activation)(x)
    z_mean = layers.Dense(latent_dim, name="z_mean")(x)
    z_log_var = layers.Dense(latent_dim, name="z_log_var")(x)
    return keras.Model(inputs, [z_mean, z_log_var], name="encoder")


def our_decoder(latent_dim, activation, hidden=256):
    inputs = keras.Input((latent_dim,))
    x = layers.Dense(hidden, activation=activation)(inputs)
    x = layers.Dense(7 * 7 * 64, activation=activation)(x)
    x = layers.Reshape((7, 7, 64))(x)
    x = layers.Conv2DTranspose(32, 4, activation=activation, strides=2, padding="same")(x)  # (14, 14, 32)
    logits = layers.Conv2DTranspose(1, 4, strides=2, padding="same")(x)                      # (28, 28, 1)
    return keras.Model(inputs, logits, name="decoder")


# --- notebook 02's dense network, on images ---------------------------------------------------------

def dense_encoder(latent_dim, activation, hidden=(512, 512)):
    inputs = keras.Input(IMAGE_SHAPE)
    x = layers.Flatten()(inputs)                                                   # (784,)
    for units in hidden:
        x = layers.Dense(units, activation=activation)(x)
    z_mean = layers.Dense(latent_dim, name="z_mean")(x)
    z_log_var = layers.Dense(latent_dim, name="z_log_var")(x)
    return keras.Model(inputs, [z_mean, z_log_var], name="dense_encoder")


def dense_decoder(latent_dim, activation, hidden=(512, 512)):
    inputs = keras.Input((latent_dim,))
    x = inputs
    for units in reversed(hidden):
        x = layers.Dense(units, activation=activation)(x)
    logits = layers.Reshape(IMAGE_SHAPE)(layers.Dense(784)(x))                     # (28, 28, 1)
    return keras.Model(inputs, logits, name="dense_decoder")


NETWORKS = {"ours": (our_encoder, our_decoder), "dense": (dense_encoder, dense_decoder),
            "keras.io": (keras_io_encoder, keras_io_decoder)}
TAKES_ACTIVATION = {"ours", "dense"}  # keras.io's network is kept as published: ReLU


# --- the VAE (the lessons' pattern: Keras's own fit calls compute_loss; the sampling written out) ------

class VAE(keras.Model):
    def __init__(self, encoder, decoder, seed=0, **kwargs):
        super().__init__(**kwargs)
        self.encoder, self.decoder = encoder, decoder
        self.seed_generator = keras.random.SeedGenerator(seed)
        self.built = True  # the encoder and decoder are built functional models
        self.reconstruction_tracker = keras.metrics.Mean(name="reconstruction")
        self.kl_tracker = keras.metrics.Mean(name="kl")

    def call(self, x, training=False):
        z_mean, z_log_var = self.encoder(x, training=training)
        epsilon = keras.random.normal(ops.shape(z_mean), seed=self.seed_generator)
        return self.decoder(z_mean + ops.exp(0.5 * z_log_var) * epsilon, training=training), z_mean, z_log_var

    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):
        logits, z_mean, z_log_var = y_pred
        reconstruction = ops.sum(ops.binary_crossentropy(x, logits, from_logits=True), axis=(1, 2, 3))
        kl = -0.5 * ops.sum(1 + z_log_var - ops.square(z_mean) - ops.exp(z_log_var), axis=1)
        self.reconstruction_tracker.update_state(reconstruction)
        self.kl_tracker.update_state(kl)
        return ops.mean(reconstruction + kl)


class EpochTimer(keras.callbacks.Callback):
    def on_train_begin(self, logs=None):
        self.seconds = []

    def on_epoch_begin(self, epoch, logs=None):
        self.start = time.perf_counter()

    def on_epoch_end(self, epoch, logs=None):
        self.seconds.append(time.perf_counter() - self.start)


def binarise_batch(images):
    """A fresh Bernoulli draw per pixel, P(pixel = 1) = grey level."""
    return tf.cast(tf.random.uniform(tf.shape(images)) < images, tf.float32)


def train_dataset(images, batch_size, seed):
    """Shuffled batches, freshly binarised every epoch, as in notebooks 02 and 03."""
    images = tf.constant(images)                                              # (N, 28, 28, 1)
    return (tf.data.Dataset.range(len(images)).shuffle(len(images), seed=seed)
            .batch(batch_size, drop_remainder=True)
            .map(lambda idx: binarise_batch(tf.gather(images, idx)))
            .prefetch(tf.data.AUTOTUNE))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--latent-dim", type=int, default=2)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--networks", nargs="+", choices=sorted(NETWORKS), default=["ours", "keras.io"])
    parser.add_argument("--activation", default="silu", choices=["silu", "relu"],
                        help="of our and the dense network (notebook 03 uses silu, notebook 02 relu)")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--output", type=Path, default=OUTPUT,
                        help="where to write the figures as JSON (default: benchmarks/results/)")
    args = parser.parse_args()

    (x_train, _), (x_test, _) = data.load_mnist()
    x_train, x_test = x_train[..., None], x_test[..., None]                  # (N, 28, 28, 1)
    x_train = x_train[:len(x_train) * 5 // 6]                                # the first 50k of 60k, as in notebook 03
    x_test_binary = (np.random.default_rng(44).random(x_test.shape) < x_test).astype("float32")
    steps_per_epoch = len(x_train) // args.batch_size
    print(f"TensorFlow {tf.__version__} | Keras {keras.__version__} | {len(x_train)} training images, "
          f"{len(x_test)} test images | latent {args.latent_dim}, batch {args.batch_size}, {args.epochs} epochs, "
          f"{args.activation} (ours, dense)")

    results = {}
    for name in args.networks:
        keras.utils.set_random_seed(args.seed)
        make_encoder, make_decoder = NETWORKS[name]
        options = {"activation": args.activation} if name in TAKES_ACTIVATION else {}
        vae = VAE(make_encoder(args.latent_dim, **options), make_decoder(args.latent_dim, **options), seed=args.seed)
        learning_rate = keras.optimizers.schedules.CosineDecay(
            1e-3, decay_steps=args.epochs * steps_per_epoch, alpha=0.1)
        vae.compile(optimizer=keras.optimizers.Adam(learning_rate), jit_compile=True, steps_per_execution=32)
        train = train_dataset(x_train, args.batch_size, seed=args.seed)
        timer = EpochTimer()
        vae.fit(train, epochs=args.epochs, verbose=2, callbacks=[timer])
        test = vae.evaluate(tf.data.Dataset.from_tensor_slices(x_test_binary).batch(500), verbose=0,
                            return_dict=True)
        later = timer.seconds[1:] or timer.seconds
        results[name] = {"parameters": vae.encoder.count_params() + vae.decoder.count_params(),
                         "first_epoch_seconds": round(timer.seconds[0], 1),
                         "seconds_per_epoch": round(float(np.median(later)), 1),
                         "seconds_per_epoch_range": [round(min(later), 1), round(max(later), 1)],
                         "activation": options.get("activation", "relu"),
                         "test_negative_elbo": round(test["loss"], 2),
                         "reconstruction": round(test["reconstruction"], 2), "kl": round(test["kl"], 2)}
        print(f"{name}: test -ELBO {test['loss']:.2f} nats (reconstruction {test['reconstruction']:.2f}, "
              f"KL {test['kl']:.2f}); first epoch {timer.seconds[0]:.1f} s, later epochs median "
              f"{np.median(later):.1f} s", flush=True)

    print(f"\n| network | activation | parameters | s/epoch (first, incl. compile) | s/epoch (median of the later ones, range) "
          f"| test -ELBO after {args.epochs} epochs (nats) | reconstruction | KL |")
    print("|---|---|---|---|---|---|---|---|")
    for name, row in results.items():
        low, high = row["seconds_per_epoch_range"]
        print(f"| {name} | {row['activation']} | {row['parameters']:,} | {row['first_epoch_seconds']:.1f} | {row['seconds_per_epoch']:.1f} "
              f"({low:.1f}–{high:.1f}) | {row['test_negative_elbo']:.2f} | {row['reconstruction']:.2f} | {row['kl']:.2f} |")
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps({
        "benchmark": "conv_vae_vs_keras_io", "command": " ".join(["python benchmarks/conv_vae_vs_keras_io.py", *sys.argv[1:]]),
        "environment": environment(), "epochs": args.epochs, "latent_dim": args.latent_dim,
        "batch_size": args.batch_size, "activation": args.activation, "training_images": len(x_train), "test_images": len(x_test),
        "networks": results}, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
