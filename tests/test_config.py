import keras
import pytest

from helpers import config


@pytest.mark.parametrize("value, expected", [("1", True), ("yes", True), ("0", False), ("", False)])
def test_fast_mode_reads_the_switch(monkeypatch, value, expected):
    monkeypatch.setenv("VAE_FAST", value)
    assert config.fast_mode() is expected and config.pick(full=30, fast=1) == (1 if expected else 30)


def test_fast_mode_refuses_what_it_does_not_understand(monkeypatch):
    monkeypatch.setenv("VAE_FAST", "maybe")
    with pytest.raises(ValueError, match="VAE_FAST='maybe' is not understood"):
        config.fast_mode()


@pytest.mark.parametrize("backend, expected", [("tensorflow", (True, 16)), ("jax", (True, 16)), ("torch", (False, 1))])
def test_compile_options_suit_the_backend(monkeypatch, backend, expected):
    monkeypatch.setattr(keras.backend, "backend", lambda: backend)
    options = config.compile_options(steps_per_execution=16)
    assert (options["jit_compile"], options["steps_per_execution"]) == expected
    assert config.compile_options(8, jit_compile=False)["jit_compile"] is False
