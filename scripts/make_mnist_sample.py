"""Make assets/mnist_sample.npz: a stratified, seeded sample of real MNIST for offline use and CI.

    python scripts/make_mnist_sample.py /path/to/mnist.npz

Takes the same number of images of every digit from the training and the test split, keeps Keras's
layout (uint8 images, uint8 labels) and writes a compressed .npz. Re-running it gives the same file.
"""

import argparse
from pathlib import Path

import numpy as np

from helpers.data import SAMPLE_PATH, read_mnist_npz, stratified_subset

TRAIN_PER_CLASS = 500
TEST_PER_CLASS = 100
SEED = 2013  # the year of Kingma & Welling's paper


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mnist", type=Path, help="the full MNIST .npz in Keras's layout")
    parser.add_argument("--out", type=Path, default=SAMPLE_PATH)
    args = parser.parse_args()

    full = read_mnist_npz(args.mnist)
    x_train, y_train = stratified_subset(full["x_train"], full["y_train"], TRAIN_PER_CLASS, seed=SEED)
    x_test, y_test = stratified_subset(full["x_test"], full["y_test"], TEST_PER_CLASS, seed=SEED + 1)
    np.savez_compressed(
        args.out,
        x_train=x_train, y_train=y_train.astype(np.uint8),
        x_test=x_test, y_test=y_test.astype(np.uint8),
    )
    print(f"wrote {args.out}: {len(x_train)} training and {len(x_test)} test images, "
          f"{args.out.stat().st_size / 1e6:.2f} MB")


if __name__ == "__main__":
    main()
