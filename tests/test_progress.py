import re

import keras
import numpy as np

from helpers.progress import EpochLine


def test_one_line_per_epoch_with_training_and_validation_metrics(capsys):
    keras.utils.set_random_seed(0)
    x = np.random.default_rng(0).normal(size=(64, 3)).astype("float32")
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    model.fit(x, x[:, :1], validation_data=(x, x[:, :1]), epochs=12, batch_size=16, verbose=0, callbacks=[EpochLine()])
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 12
    pattern = r"epoch {:>2}/12 · \d+\.\d s · loss -?\d[\d.e+-]* · val_loss -?\d[\d.e+-]*"
    for epoch, line in enumerate(lines, start=1):
        assert re.fullmatch(pattern.format(epoch), line), line
