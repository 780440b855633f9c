"""Lean training logs: one line per epoch instead of Keras's two (``verbose=2``).

Needs Keras (imported here, not by the rest of ``helpers``). Use it as
``model.fit(..., verbose=0, callbacks=[EpochLine()])``.
"""

import time

import keras


class EpochLine(keras.callbacks.Callback):
    """Print ``epoch n/N · seconds · metric value · …`` once at the end of every epoch."""

    def on_epoch_begin(self, epoch, logs=None):
        self.start = time.perf_counter()

    def on_epoch_end(self, epoch, logs=None):
        epochs = self.params.get("epochs") or "?"
        seconds = time.perf_counter() - self.start
        values = " · ".join(f"{name} {float(value):.5g}" for name, value in (logs or {}).items())
        print(f"epoch {epoch + 1:>{len(str(epochs))}}/{epochs} · {seconds:.1f} s · {values}", flush=True)
