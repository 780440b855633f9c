import json
import re
from pathlib import Path

import numpy as np
import pytest

from helpers import results

ROOT = Path(__file__).resolve().parent.parent

FIGURES = {"title": "Dense VAE", "headline": {"test −ELBO (nats)": 95.123}, "epochs": 30, "wall_time_s": 540.0}
ENV = {"python": "3.11", "keras": "3.15.1", "backend": "jax", "backend_version": "0.10.2", "numpy": "2",
       "device": "CPU", "cpu_count": 2}


def no_network(relative_path, destination, how_to_make):
    raise FileNotFoundError(f"{relative_path}: {how_to_make}")


@pytest.fixture
def workdir(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(results, "environment", lambda: ENV)
    monkeypatch.setattr(results, "_download", no_network)
    return tmp_path


def test_full_mode_writes_results_json(workdir, monkeypatch):
    monkeypatch.setenv("VAE_FAST", "0")
    path = results.save_results("02_dense_vae", FIGURES)
    assert path == workdir / "results" / "02_dense_vae.json"
    record = json.loads(path.read_text())
    assert record["fast_mode"] is False and record["environment"] == ENV
    assert record["headline"] == FIGURES["headline"] and re.fullmatch(r"\d{4}-\d\d-\d\d", record["date"])
    assert results.load_results("02_dense_vae") == record


def test_fast_mode_never_touches_the_committed_results(workdir, monkeypatch):
    monkeypatch.setenv("VAE_FAST", "1")
    path = results.save_results("02_dense_vae", FIGURES)
    assert path == workdir / "results" / "fast" / "02_dense_vae.json"
    with pytest.raises(FileNotFoundError, match="run notebook 02_dense_vae in full mode"):
        results.load_results("02_dense_vae")


@pytest.mark.parametrize("figures, message", [
    ({"headline": {"a": 1}}, "lacks \\['title', 'epochs', 'wall_time_s'\\]"),
    ({**FIGURES, "headline": {}}, "non-empty dict"),
    ([1, 2], "lacks"),
])
def test_save_results_rejects_incomplete_figures(workdir, figures, message):
    with pytest.raises(ValueError, match=message):
        results.save_results("02_dense_vae", figures)


def test_results_table_rows(workdir, monkeypatch):
    monkeypatch.setenv("VAE_FAST", "0")
    assert "no full run recorded yet" in results.results_table(workdir / "results")
    results.save_results("02_dense_vae", FIGURES)
    table = results.results_table(workdir / "results")
    assert "| 02_dense_vae · Dense VAE | test −ELBO (nats) 95.12 | 30 | 9.0 min | CPU, 2 cores, JAX 0.10.2, Keras 3.15.1 |" in table


def test_results_table_shows_lists_of_figures_and_epochs_per_model(workdir, monkeypatch):
    monkeypatch.setenv("VAE_FAST", "0")
    results.save_results("04_denoising_vae", {**FIGURES, "headline": {"PSNR @0.1 / @0.5 (dB)": [30.123, 19.5]},
                                              "epochs": {"model a": 6, "model b": 4}})
    table = results.results_table(workdir / "results")
    assert "| PSNR @0.1 / @0.5 (dB) 30.12 / 19.50 | 6 (model a) + 4 (model b) |" in table


def test_readme_table_matches_the_committed_results():
    """The README's results table is generated from results/*.json: regenerate it after a full run
    with `python scripts/update_readme_results.py`."""
    readme = (ROOT / "README.md").read_text()
    start, end = readme.index(results.TABLE_START), readme.index(results.TABLE_END)
    in_readme = readme[start + len(results.TABLE_START):end].strip()
    assert in_readme == results.results_table(ROOT / "results")


def test_committed_results_come_from_full_runs():
    for path in (ROOT / "results").glob("*.json"):
        record = json.loads(path.read_text())
        assert record["fast_mode"] is False, f"{path.name} was written in fast mode"
        assert path.stem == record["notebook"] and (ROOT / "notebooks" / f"{path.stem}.ipynb").is_file()


def test_describe_environment_names_the_running_backend():
    import keras

    line = results.describe_environment()
    assert f"Keras {keras.__version__} on {keras.backend.backend()} " in line and "device: " in line


def test_per_image_figures_round_trip_and_fast_mode_writes_aside(workdir, monkeypatch):
    monkeypatch.setenv("VAE_FAST", "0")
    path = results.save_per_image("02_dense_vae", "iw_nll", np.array([89.5, 91.25]))
    assert path == workdir / "results" / "02_dense_vae_iw_nll.npy"
    np.testing.assert_array_equal(results.load_per_image("02_dense_vae", "iw_nll"), [89.5, 91.25])
    monkeypatch.setenv("VAE_FAST", "1")
    assert results.save_per_image("03_conv_vae", "iw_nll", np.ones(3)).parent.name == "fast"
    with pytest.raises(FileNotFoundError, match="run notebook 03_conv_vae in full mode"):
        results.load_per_image("03_conv_vae", "iw_nll")


@pytest.mark.parametrize("values, message", [
    (np.ones((2, 2)), "1-D float"), (np.arange(3), "1-D float"), (np.array([]), "1-D float"),
    (np.array([1.0, np.nan]), "1 are NaN"),
])
def test_save_per_image_rejects_bad_values(workdir, values, message):
    with pytest.raises(ValueError, match=message):
        results.save_per_image("02_dense_vae", "iw_nll", values)


def test_committed_files_outside_a_checkout_come_from_the_repository(tmp_path, monkeypatch):
    """On Colab only the helpers are installed: a committed file is fetched once from GitHub, then cached."""
    monkeypatch.chdir(tmp_path)
    fetched = []

    def fake_urlretrieve(url, destination):
        fetched.append(url)
        Path(destination).write_text('{"headline": {"a": 1}}')

    monkeypatch.setattr("urllib.request.urlretrieve", fake_urlretrieve)
    assert results.load_results("02_dense_vae") == {"headline": {"a": 1}}
    assert results.load_results("02_dense_vae") == {"headline": {"a": 1}}
    assert fetched == ["https://raw.githubusercontent.com/vae-notebooks/vae-notebooks/main/results/02_dense_vae.json"]

    def offline(url, destination):
        raise OSError("no network")

    monkeypatch.setattr("urllib.request.urlretrieve", offline)
    with pytest.raises(FileNotFoundError, match="could not be downloaded.*run benchmarks/x.py in full first"):
        results.load_benchmark("x")
    assert not (tmp_path / "committed" / "benchmarks" / "results" / "x.json").exists()


def test_committed_files_in_a_checkout_are_never_downloaded():
    assert results.load_results("02_dense_vae")["notebook"] == "02_dense_vae"
    with pytest.raises(FileNotFoundError, match="does not exist: run notebook 99_none in full mode first"):
        results.load_results("99_none")


def test_load_per_image_rejects_a_broken_file(workdir, monkeypatch):
    monkeypatch.setenv("VAE_FAST", "0")
    (workdir / "results").mkdir()
    (workdir / "results" / "02_dense_vae_iw_nll.npy").write_bytes(b"not numpy")
    with pytest.raises(ValueError, match="not a readable NumPy array.*run notebook 02_dense_vae in full mode"):
        results.load_per_image("02_dense_vae", "iw_nll")
    np.save(workdir / "results" / "02_dense_vae_iw_nll.npy", np.ones((2, 2)))
    with pytest.raises(ValueError, match="shape \\(2, 2\\), expected 1-D floats"):
        results.load_per_image("02_dense_vae", "iw_nll")


def test_load_results_rejects_a_broken_file(workdir):
    (workdir / "results").mkdir()
    (workdir / "results" / "02_dense_vae.json").write_text("{ truncated")
    with pytest.raises(ValueError, match="02_dense_vae.json is not valid JSON.*run notebook 02_dense_vae in full mode"):
        results.load_results("02_dense_vae")
