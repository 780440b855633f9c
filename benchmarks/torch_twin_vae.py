"""The network of ``dense_vae_speed.py`` written as an eager PyTorch training loop, for comparison.

Same data (all 60,000 MNIST training images, the test set for the -ELBO), same network (Linear+ReLU
encoder and decoder), same loss (BCE from logits summed over pixels plus the analytic KL, averaged
over the batch), Adam 1e-3 and batch size; the loop most PyTorch tutorials write. PyTorch is an
optional extra of this repository (``pip install torch``), never needed by the notebooks:

    MNIST_PATH=/path/to/mnist.npz python benchmarks/torch_twin_vae.py --hidden 400 --latent 20
"""

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the helpers of this checkout
from helpers import data  # noqa: E402


def mlp(sizes):
    layers = []
    for n_in, n_out in zip(sizes[:-2], sizes[1:-1]):
        layers += [nn.Linear(n_in, n_out), nn.ReLU()]
    return nn.Sequential(*layers, nn.Linear(sizes[-2], sizes[-1]))


class VAE(nn.Module):
    def __init__(self, hidden, latent):
        super().__init__()
        self.encoder = mlp([784, *hidden, 2 * latent])
        self.decoder = mlp([latent, *hidden[::-1], 784])

    def negative_elbo(self, x):
        z_mean, z_log_var = self.encoder(x).chunk(2, dim=-1)
        z = z_mean + torch.exp(0.5 * z_log_var) * torch.randn_like(z_mean)
        logits = self.decoder(z)
        reconstruction = F.binary_cross_entropy_with_logits(logits, x, reduction="none").sum(-1)
        kl = -0.5 * (1 + z_log_var - z_mean.square() - z_log_var.exp()).sum(-1)
        return (reconstruction + kl).mean()


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--epochs", type=int, default=6)
    p.add_argument("--hidden", type=int, nargs="+", default=[400])
    p.add_argument("--latent", type=int, default=20)
    p.add_argument("--batch", type=int, default=128)
    p.add_argument("--binarise", action="store_true", help="dynamic binarisation of every batch")
    a = p.parse_args()

    torch.manual_seed(0)
    (x_train, _), (x_test, _) = data.load_mnist(flatten=True)
    if a.binarise:
        x_test = (np.random.default_rng(123).random(x_test.shape) < x_test).astype(np.float32)
    x_train, x_test = torch.from_numpy(x_train), torch.from_numpy(x_test)
    model = VAE(a.hidden, a.latent)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    print(f"torch {torch.__version__} ({torch.get_num_threads()} threads), hidden {a.hidden}, latent {a.latent}, "
          f"batch {a.batch}, {'binarised' if a.binarise else 'grey levels'}, eager", flush=True)
    seconds = []
    for epoch in range(1, a.epochs + 1):
        start = time.perf_counter()
        model.train()
        for idx in torch.randperm(len(x_train)).split(a.batch):
            x = x_train[idx]
            if a.binarise:
                x = (torch.rand_like(x) < x).float()
            loss = model.negative_elbo(x)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        seconds.append(time.perf_counter() - start)
        model.eval()
        with torch.no_grad():
            test_loss = np.mean([model.negative_elbo(x).item() for x in x_test.split(1000)])
        print(f"epoch {epoch:3d}  {seconds[-1]:6.2f} s  test -ELBO {test_loss:7.2f} nats", flush=True)
    later = np.array(seconds[1:] or seconds)
    print(f"seconds per epoch after the first: median {np.median(later):.2f}, "
          f"min {later.min():.2f}, max {later.max():.2f} ({len(later)} epochs)")


if __name__ == "__main__":
    main()
