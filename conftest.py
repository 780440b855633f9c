"""Test configuration: everything under pytest runs in fast mode, including the notebook kernels
that nbval starts (they inherit this environment)."""

import os

os.environ["VAE_FAST"] = "1"
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
