import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.figure import Figure

from helpers import plotting


def test_plot_images_grid_and_labels(images):
    fig = plotting.plot_images(images, labels=list(range(8)), ncols=4, title="digits")
    assert isinstance(fig, Figure) and len(fig.axes) == 1
    mosaic = fig.axes[0].images[0].get_array()
    assert mosaic.shape == (2 * 30, 4 * 30)  # 2 rows x 4 columns of 28 px + 2 px padding
    assert len(fig.axes[0].texts) == 8


def test_plot_images_accepts_flat_and_channel_last(images):
    flat = plotting.plot_images(images.reshape(8, 784))
    channel = plotting.plot_images(images[..., None])
    np.testing.assert_array_equal(flat.axes[0].images[0].get_array(), channel.axes[0].images[0].get_array())


def test_plot_images_draws_into_a_given_axes(images):
    fig, axes = plt.subplots(1, 2)
    assert plotting.plot_images(images, ax=axes[1]) is fig
    assert len(fig.axes) == 2 and len(axes[1].images) == 1 and not axes[0].images


def test_plot_images_rejects_bad_input(images):
    with pytest.raises(ValueError, match="8 images but 3 labels"):
        plotting.plot_images(images, labels=[1, 2, 3])
    with pytest.raises(ValueError, match="flat but not square"):
        plotting.plot_images(np.zeros((2, 780)))
    with pytest.raises(ValueError, match="divide by 255"):
        plotting.plot_images(images * 255)
    with pytest.raises(ValueError, match="ncols must be a positive integer"):
        plotting.plot_images(images, ncols=0)


@pytest.mark.parametrize("plot, rows", [
    (lambda a, b, c, **kw: plotting.plot_reconstructions(a, b, **kw), 2),
    (lambda a, b, c, **kw: plotting.plot_denoised_images(a, b, c, **kw), 3),
])
def test_row_plots(plot, rows, images):
    fig = plot(images, images * 0.5, images * 0.1, num_images=5)
    assert len(fig.axes) == 1
    assert fig.axes[0].images[0].get_array().shape == (rows * 30, 5 * 30)
    assert len(fig.axes[0].get_yticklabels()) == rows


def test_denoised_rows_are_labelled_in_order(images):
    fig = plotting.plot_denoised_images(images, images, images)
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == ["noisy", "denoised", "clean"]


def test_row_plots_reject_mismatched_inputs(images):
    with pytest.raises(ValueError, match="same number of images"):
        plotting.plot_denoised_images(images, images[:5], images)
    with pytest.raises(ValueError, match="same size"):
        plotting.plot_reconstructions(images, np.zeros((8, 14, 14)))
    with pytest.raises(ValueError, match="NaN"):
        plotting.plot_reconstructions(images, np.full((8, 28, 28), np.nan))


def test_plot_interpolation(images):
    fig = plotting.plot_interpolation(images)
    assert len(fig.axes) == 1 and fig.axes[0].images[0].get_array().shape == (30, 8 * 30)


def test_plot_latent_space_colours_by_label_with_legend():
    rng = np.random.default_rng(0)
    z, labels = rng.normal(size=(500, 2)), rng.integers(0, 10, 500)
    fig = plotting.plot_latent_space(z, labels)
    ax = fig.axes[0]
    assert len(fig.axes) == 1 and len(ax.collections) == 10
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [str(d) for d in range(10)]
    subset = plotting.plot_latent_space(z, labels, max_points=100)
    assert sum(len(c.get_offsets()) for c in subset.axes[0].collections) == 100


def test_plot_latent_space_rejects_bad_input():
    with pytest.raises(ValueError, match=r"shape \(N, 2\)"):
        plotting.plot_latent_space(np.zeros((5, 3)), np.zeros(5))
    with pytest.raises(ValueError, match=r"labels must have shape \(5,\)"):
        plotting.plot_latent_space(np.zeros((5, 2)), np.zeros(4))
    with pytest.raises(ValueError, match="NaN"):
        plotting.plot_latent_space(np.full((5, 2), np.nan), np.zeros(5))


def test_plot_latent_manifold_decodes_once_at_normal_quantiles():
    # quantiles 0.05, 0.275, 0.5, 0.725, 0.95 of N(0, 1)
    calls = []

    def decoder(z):
        calls.append(z.copy())
        return np.tile((z[:, :1] > 0).astype(np.float32), (1, 784))  # white where z_1 > 0

    fig = plotting.plot_latent_manifold(decoder, n=5)
    assert len(calls) == 1 and calls[0].shape == (25, 2) and calls[0].dtype == np.float32
    z = calls[0]
    np.testing.assert_allclose(np.unique(z[:, 0]), [-1.6449, -0.5978, 0.0, 0.5978, 1.6449], atol=1e-4)
    assert z[0, 1] > 0 and z[-1, 1] < 0  # top row is high z_2
    assert len(fig.axes) == 1 and fig.axes[0].images[0].get_array().shape == (5 * 30, 5 * 30)


def test_plot_latent_manifold_at_quantiles_of_the_codes_without_minus_zero_ticks():
    calls = []

    def decoder(z):
        calls.append(z.copy())
        return np.zeros((len(z), 784), dtype=np.float32)

    codes = np.stack([np.linspace(-4, 4, 101), np.linspace(-0.04, 8, 101)], axis=1)  # axis 1 from -0.04 to 8
    fig = plotting.plot_latent_manifold(decoder, n=3, quantile_range=(0.01, 0.99), codes=codes)
    z = calls[0]
    np.testing.assert_allclose(np.unique(z[:, 0]), [-3.92, 0.0, 3.92], atol=1e-5)
    np.testing.assert_allclose(np.unique(z[:, 1]), [0.0404, 3.98, 7.9196], atol=1e-4)
    assert [t.get_text() for t in fig.axes[0].get_xticklabels()] == ["-3.9", "0.0", "3.9"]
    assert "-0.0" not in [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert plotting._tick(-0.04) == "0.0" and plotting._tick(-0.06) == "-0.1"
    with pytest.raises(ValueError, match="codes must be a finite array of shape"):
        plotting.plot_latent_manifold(decoder, codes=np.zeros((5, 3)))
    with pytest.raises(ValueError, match="codes must be a finite array"):
        plotting.plot_latent_manifold(decoder, codes=np.array([[0.0, np.nan], [1.0, 1.0]]))


def test_plot_latent_manifold_rejects_logits_and_bad_parameters():
    with pytest.raises(ValueError, match="outside \\[0, 1\\].*sigmoid"):
        plotting.plot_latent_manifold(lambda z: np.full((len(z), 784), 3.0), n=3)
    with pytest.raises(ValueError, match="returned 1 images for 9"):
        plotting.plot_latent_manifold(lambda z: np.zeros((1, 784)), n=3)
    with pytest.raises(ValueError, match="quantile_range"):
        plotting.plot_latent_manifold(lambda z: z, quantile_range=(0, 1))
    with pytest.raises(ValueError, match="n must be a positive integer"):
        plotting.plot_latent_manifold(lambda z: z, n=0)


def test_plot_history_one_panel_per_term():
    history = {"loss": [3, 2], "kl_loss": [1, 1.5], "val_loss": [3.5, 2.5], "val_kl_loss": [1, 1]}
    fig = plotting.plot_history(history)
    assert len(fig.axes) == 2
    assert [line.get_label() for line in fig.axes[0].lines] == ["train", "validation"]
    assert len(plotting.plot_history(history, terms=["kl_loss"]).axes) == 1
    with pytest.raises(ValueError, match="has no \\['reconstruction_loss'\\]"):
        plotting.plot_history(history, terms=["reconstruction_loss"])
    with pytest.raises(ValueError, match="non-empty dict"):
        plotting.plot_history({})


def test_save_fig_writes_png_under_figures(tmp_path, monkeypatch, images):
    monkeypatch.chdir(tmp_path)
    path = plotting.save_fig(plotting.plot_images(images), "digits", "02")
    assert path == tmp_path / "figures" / "02" / "digits.png"
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    with pytest.raises(ValueError, match="figure name"):
        plotting.save_fig(plt.figure(), "../escape", "02")


def test_set_style_sets_png():
    plotting.set_style()
    assert plt.rcParams["savefig.format"] == "png"
