import matplotlib

matplotlib.use("Agg")  # no windows in tests

import matplotlib.pyplot as plt
import numpy as np
import pytest


@pytest.fixture
def images():
    """Eight seeded 28x28 images in [0, 1]."""
    return np.random.default_rng(0).random((8, 28, 28), dtype=np.float32)


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")
