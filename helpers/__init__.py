"""Shared helpers for the VAE Notebooks: data loading, noise injection, plotting, metrics.

The models themselves (sampling layer, encoder, decoder, VAE, loss) are the lessons and live in
the notebooks, not here. Import the submodules explicitly, e.g. ``from helpers import data``.
"""

__version__ = "0.1.0"
