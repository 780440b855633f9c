"""Write the expected answers of the exercises' self-checks, ``helpers/check_cases.json``, from the solutions.

    python scripts/make_check_data.py           # rewrite helpers/check_cases.json

The installed ``helpers`` package holds no implementation of an exercise's function, so a student
cannot import an answer: its self-checks compare against the values stored in that file. They are
computed here by the solution notebooks' own functions (read from ``notebooks/solutions/``), on fixed
inputs; each case also stores the results of typical mistakes, for the hints. This script is not part
of the package; ``tests/test_check_data.py`` checks that the file is what it makes.
"""

import ast
import json
import math
import re
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
SOLUTIONS = ROOT / "notebooks" / "solutions"
OUTPUT = ROOT / "helpers" / "check_cases.json"


# --- the solution notebooks' functions ---


def solution_functions(notebook_name, *names):
    """The named functions of a solution notebook (with the functions and constants they use), ready to use."""
    import keras
    from keras import layers, ops
    from scipy import special, stats

    notebook = json.loads((SOLUTIONS / notebook_name).read_text(encoding="utf-8"))
    definitions = {}
    for cell in notebook["cells"]:
        if cell["cell_type"] != "code":
            continue
        source = re.sub(r"(?m)^(\s*)[%!].*$", r"\1pass", "".join(cell["source"]))  # IPython magics
        for node in ast.parse(source).body:
            if isinstance(node, ast.FunctionDef):
                definitions[node.name] = node
            elif isinstance(node, ast.Assign) and [type(t) for t in node.targets] == [ast.Name] \
                    and node.targets[0].id.isupper():
                definitions[node.targets[0].id] = node  # a constant such as LOG_2PI
    wanted, queue = [], list(names)
    while queue:
        name = queue.pop()
        if name in wanted:
            continue
        if name not in definitions:
            raise LookupError(f"{notebook_name} defines no function {name}")
        wanted.append(name)
        queue += [n.id for n in ast.walk(definitions[name]) if isinstance(n, ast.Name) and n.id in definitions]
    namespace = {"np": np, "ops": ops, "keras": keras, "layers": layers, "math": math, "special": special,
                 "stats": stats}
    module = ast.Module(body=[definitions[name] for name in reversed(wanted)], type_ignores=[])
    exec(compile(module, notebook_name, "exec"), namespace)
    return [namespace[name] for name in names]


def numeric(value):
    """A plain NumPy float64 array (or number) from NumPy or backend tensors."""
    from keras import ops

    return np.asarray(ops.convert_to_numpy(value), dtype=np.float64)


# --- inputs ---


def gaussian_inputs():
    rng = np.random.default_rng(12345)
    return [
        ("the standard normal itself (mean 0, log-variance 0)", np.zeros((2, 3)), np.zeros((2, 3))),
        ("a shifted mean (mean 1.5, log-variance 0)", np.full((1, 2), 1.5), np.zeros((1, 2))),
        ("random means and log-variances", rng.normal(size=(4, 5)), rng.normal(scale=0.7, size=(4, 5))),
    ]


def with_variances(rng, images, variances):
    """A (images, len(variances)) batch of codes whose columns have exactly these variances over axis 0."""
    columns = rng.normal(size=(images, len(variances)))
    columns = (columns - columns.mean(axis=0)) / columns.std(axis=0)
    return columns * np.sqrt(variances) + rng.normal(size=len(variances))


def case(name, inputs, expected, mistakes=(), **kwargs):
    return {"case": name, "inputs": inputs, "kwargs": kwargs, "expected": expected, "mistakes": list(mistakes)}


def f32(array):
    """The float32 array the check will pass."""
    return np.asarray(array, dtype=np.float32)


# --- one builder per check: (dtype the inputs are passed as, cases) ---


def kl_cases():
    (kl,) = solution_functions("01_vae_theory_solutions.ipynb", "kl_divergence")
    cases = []
    for name, z_mean, z_log_var in gaussian_inputs():
        z_mean, z_log_var = f32(z_mean), f32(z_log_var)
        e = numeric(kl(z_mean, z_log_var))
        cases.append(case(name, [z_mean, z_log_var], e, [
            ("the sign is flipped: D_KL = -½ Σ (1 + log σ² - μ² - σ²) has a minus in front", -e),
            ("you averaged over the latent dimensions; sum them", e / z_mean.shape[-1]),
            ("the factor ½ is missing", 2 * e)]))
    return "float32", cases


def kl_two_gaussians_cases():
    (kl_gaussians,) = solution_functions("01_vae_theory_solutions.ipynb", "kl_gaussians")
    rng = np.random.default_rng(2024)
    inputs = [
        ("two identical Gaussians", np.ones((2, 3)), np.zeros((2, 3)), np.ones((2, 3)), np.zeros((2, 3))),
        ("a standard normal as the second Gaussian", rng.normal(size=(3, 4)), rng.normal(size=(3, 4)),
         np.zeros((3, 4)), np.zeros((3, 4))),
        ("random Gaussians", *(rng.normal(scale=0.8, size=(4, 2)) for _ in range(4))),
    ]
    return "float64", [case(name, [m1, lv1, m2, lv2], numeric(kl_gaussians(m1, lv1, m2, lv2)), [
        ("this is D_KL(N₂ || N₁); the KL is not symmetric", numeric(kl_gaussians(m2, lv2, m1, lv1)))])
        for name, m1, lv1, m2, lv2 in inputs]


def kl_monte_carlo_cases():
    (estimate,) = solution_functions("01_vae_theory_solutions.ipynb", "kl_monte_carlo")
    rng = np.random.default_rng(99)
    inputs = [
        ("one estimate from 4 draws in 3 dimensions", rng.normal(size=3), rng.normal(size=3), rng.normal(size=(4, 3))),
        ("a batch of 2 estimates from 5 draws each", rng.normal(size=2), rng.normal(size=2), rng.normal(size=(2, 5, 2))),
        ("3 × 2 estimates from 6 draws in 1 dimension", np.array([0.7]), np.array([-0.4]), rng.normal(size=(3, 2, 6, 1))),
    ]
    cases = []
    for name, z_mean, z_log_var, epsilon in inputs:
        e, (n, dims) = numeric(estimate(z_mean, z_log_var, epsilon)), epsilon.shape[-2:]
        cases.append(case(name, [z_mean, z_log_var, epsilon], e, [
            ("the sign is flipped: average log q(z) - log p(z), not log p - log q", -e),
            ("you summed over the n draws; average them", n * e),
            ("you averaged over the latent dimensions; sum them", e / dims)]))
    return "float64", cases


def sigma_for_mse_cases():
    (sigma_for_mse,) = solution_functions("01_vae_theory_solutions.ipynb", "sigma_for_mse")
    return None, [case(f"pixels = {d}", [d], numeric(sigma_for_mse(d)), [
        ("that is β = D; β = 2s², so solve 2s² = D for s", float(d)),
        ("that is s²; take the square root", d / 2),
        ("that solves s² = D; the loss has 1/(2s²), so 2s² = D", math.sqrt(d))]) for d in (784, 3072, 2)]


def mse_plus_kl_cases():
    mse_plus_kl, kl = solution_functions("01_vae_theory_solutions.ipynb", "mse_plus_kl", "kl_divergence")
    rng = np.random.default_rng(5)
    cases = []
    for name, images, pixels, latents in [("3 images of 10 pixels, 2 latents", 3, 10, 2),
                                          ("2 images of 784 pixels, 16 latents", 2, 784, 16)]:
        x, x_hat = f32(rng.random((2, images, pixels)))
        z_mean, z_log_var = f32(rng.normal(size=(2, images, latents)))
        squared, kl_value = (x - x_hat) ** 2, numeric(kl(z_mean, z_log_var))
        cases.append(case(name, [x, x_hat, z_mean, z_log_var], numeric(mse_plus_kl(x, x_hat, z_mean, z_log_var)), [
            ("you summed the squared errors over pixels; average them", squared.sum(axis=-1) + kl_value),
            ("the KL term is missing", squared.mean(axis=-1))]))
    return "float32", cases


def score_function_gradient_cases():
    (gradient,) = solution_functions("01_vae_theory_solutions.ipynb", "score_function_gradient")
    rng = np.random.default_rng(11)
    z = rng.normal(1.0, 0.5, size=6)
    inputs = [
        ("6 draws, no baseline (c = 0)", z, (z - 3) ** 2, 1.0, math.log(0.25), 0.0),
        ("6 draws, baseline c = 4", z, (z - 3) ** 2, 1.0, math.log(0.25), 4.0),
        ("one draw per (μ, log σ²) pair, c = -1", rng.normal(size=4), rng.normal(size=4), rng.normal(size=4),
         rng.normal(scale=0.5, size=4), -1.0),
    ]
    cases = []
    for name, z, f, mu, log_var, c in inputs:
        e = numeric(gradient(z, f, mu, log_var, c))
        no_baseline = numeric(gradient(z, f, mu, log_var, 0.0))
        mistakes = [("the sign is flipped: ∂/∂μ log q(z) = (z - μ)/σ²", -e),
                    ("subtract c from f(z); you added it", numeric(gradient(z, f, mu, log_var, -c))),
                    ("divide by σ² = exp(log σ²), not by σ", e * np.exp(0.5 * np.asarray(log_var))),
                    ("the score (z - μ) is divided by σ²", e * np.exp(np.asarray(log_var)))]
        if c != 0:
            mistakes.insert(1, ("the baseline c is not subtracted from f(z)", no_baseline))
        cases.append(case(name, [z, f, mu, log_var, c], e, mistakes))
    return "float64", cases


def active_dimensions_cases():
    (count,) = solution_functions("02_dense_vae_solutions.ipynb", "active_dimensions")
    rng = np.random.default_rng(8)
    inputs = [
        ("5 dimensions, default threshold 0.01", f32(with_variances(rng, 200, [1.0, 1e-4, 0.5, 0.005, 0.02])), {}),
        ("4 dimensions, threshold 0.1", f32(with_variances(rng, 50, [0.05, 2.0, 0.2, 0.0])), {"threshold": 0.1}),
        ("3 dimensions, all switched off", f32(with_variances(rng, 30, [1e-3, 1e-5, 0.0])), {}),
    ]
    cases = []
    for name, z_mean, options in inputs:
        threshold, e = options.get("threshold", 0.01), numeric(count(z_mean, **options))
        cases.append(case(name, [z_mean], e, [
            ("you counted the inactive dimensions", z_mean.shape[1] - e),
            ("compare the variance with the threshold, not the standard deviation",
             float((z_mean.std(axis=0) > threshold).sum())),
            ("take the variance over the images (axis 0), one per latent dimension",
             float((z_mean.var(axis=1) > threshold).sum()))], **options))
    return "float32", cases


def iw_estimate_cases():
    (estimate,) = solution_functions("02_dense_vae_solutions.ipynb", "iw_estimate")
    rng = np.random.default_rng(21)
    inputs = [("2 images, k = 1", rng.normal(-100, 5, size=(2, 1))), ("3 images, k = 10", rng.normal(-110, 3, size=(3, 10))),
              ("2 images, k = 50, log-weights near -900", rng.normal(-900, 2, size=(2, 50)))]
    cases = []
    for name, log_weights in inputs:
        log_weights = f32(log_weights)
        e, k = numeric(estimate(log_weights)), log_weights.shape[-1]
        cases.append(case(name, [log_weights], e, [
            ("the sign is flipped: return -log p(x), a positive number of nats", -e),
            ("you averaged the log-weights, which is the ELBO; average the weights inside the log: logsumexp - log k",
             -log_weights.mean(axis=-1)),
            ("the - log k is missing: average the k weights, don't sum them", e - math.log(k))]))
    return "float32", cases


def beta_vae_loss_cases():
    (loss,) = solution_functions("02_dense_vae_solutions.ipynb", "beta_vae_loss")
    inputs = [("scalars, β = 4", 90.0, 20.0, 4.0), ("scalars, β = 0.25", 70.0, 50.0, 0.25),
              ("a batch of three, β = 2", np.array([80.0, 95.0, 101.0]), np.array([21.0, 19.5, 25.0]), 2.0)]
    return "float64", [case(name, [r, kl, beta], numeric(loss(r, kl, beta)), [
        ("β multiplies the KL, not the reconstruction", numeric(loss(kl, r, beta))),
        ("β is missing: that is the plain -ELBO", numeric(loss(r, kl, 1.0))),
        ("multiply the KL by β; you divided", numeric(loss(r, kl, 1 / beta)))]) for name, r, kl, beta in inputs]


def gaussian_nll_mistakes(e, x, mean, log_sigma, pixel_axes):
    pixels = int(np.prod([x.shape[a] for a in pixel_axes]))
    squared, variance = ((x - mean) ** 2).sum(axis=pixel_axes), math.exp(2 * log_sigma)
    return [("the sign is flipped: return -log p(x|z)", -e),
            ("the constant ½ log 2π per pixel is missing", e - 0.5 * pixels * math.log(2 * math.pi)),
            ("the log σ term per pixel is missing", e - pixels * log_sigma),
            ("divide the squared error by 2σ² = 2 exp(2 log σ), not by 2σ",
             e + squared / (2 * math.exp(log_sigma)) - squared / (2 * variance)),
            ("the factor ½ in (x - m)²/(2σ²) is missing", e + squared / (2 * variance)),
            ("you averaged over pixels; sum them", e / pixels)]


def gaussian_nll_cases():
    (nll,) = solution_functions("02_dense_vae_solutions.ipynb", "gaussian_nll")
    rng = np.random.default_rng(31)
    cases = []
    for name, images, pixels, log_sigma in [("2 images of 6 pixels, σ = 1", 2, 6, 0.0),
                                            ("3 images of 10 pixels, log σ = -1.5", 3, 10, -1.5),
                                            ("1 image of 784 pixels, log σ = 0.3", 1, 784, 0.3)]:
        x, mean = f32(rng.random((2, images, pixels)))
        e = numeric(nll(x, mean, log_sigma))
        cases.append(case(name, [x, mean, log_sigma], e, gaussian_nll_mistakes(e, x, mean, log_sigma, (1,))))
    return "float32", cases


def gaussian_nll_images_cases():
    (nll,) = solution_functions("04_denoising_vae_solutions.ipynb", "gaussian_nll")
    rng = np.random.default_rng(32)
    cases = []
    for name, images, shape, log_sigma in [("2 images of 7 × 7 × 1, σ = 1", 2, (7, 7, 1), 0.0),
                                           ("3 images of 4 × 5 × 1, log σ = -1.5", 3, (4, 5, 1), -1.5),
                                           ("1 image of 28 × 28 × 1, log σ = 0.3", 1, (28, 28, 1), 0.3)]:
        x, mean = f32(rng.random((2, images, *shape)))
        e = numeric(nll(x, mean, log_sigma))
        cases.append(case(name, [x, mean, log_sigma], e, gaussian_nll_mistakes(e, x, mean, log_sigma, (1, 2, 3))))
    return "float32", cases


def kl_per_dimension_cases():
    (kl_per_dimension,) = solution_functions("04_denoising_vae_solutions.ipynb", "kl_per_dimension")
    cases = []
    for name, z_mean, z_log_var in gaussian_inputs():
        z_mean, z_log_var = f32(z_mean), f32(z_log_var)
        e = numeric(kl_per_dimension(z_mean, z_log_var))
        mistakes = [("the sign is flipped: the KL is -½ (1 + log σ² - μ² - σ²)", -e)]
        if len(z_mean) > 1:
            mistakes.append(("you summed over the images; average them", e * len(z_mean)))
        cases.append(case(name, [z_mean, z_log_var], e, mistakes))
    return "float32", cases


def traversal_grid_cases():
    (grid,) = solution_functions("03_conv_vae_solutions.ipynb", "traversal_grid")
    rng = np.random.default_rng(41)
    inputs = [("latent 4, dimensions [2, 0], values -1, 0, 1", rng.normal(size=4), [2, 0], np.array([-1.0, 0.0, 1.0])),
              ("latent 3, dimension [1], 5 values", rng.normal(size=3), [1], np.linspace(-3, 3, 5))]
    cases = []
    for name, z_start, dims, values in inputs:
        z_start, values = f32(z_start), f32(values)
        e = numeric(grid(z_start.copy(), dims, values))
        added = e.reshape(len(dims), len(values), -1).copy()
        for row, dim in enumerate(dims):
            added[row, :, dim] += z_start[dim]
        mistakes = [("set z_j to each value; you added the value to z_j", added.reshape(e.shape))]
        if len(dims) > 1:
            mistakes.append(("the rows are in the wrong order: all values of the first dimension first, then the next",
                             e.reshape(len(dims), len(values), -1).transpose(1, 0, 2).reshape(e.shape)))
        cases.append(case(name, [z_start, dims, values], e, mistakes))
    return "float32", cases


def auroc_cases():
    (auroc,) = solution_functions("04_denoising_vae_solutions.ipynb", "auroc")
    rng = np.random.default_rng(5)
    inputs = [("perfectly separated scores", np.array([0.1, 0.2, 0.3]), np.array([0.5, 0.9])),
              ("scores in the wrong order", np.array([5.0, 6.0]), np.array([1.0, 2.0, 3.0])),
              ("ties between the classes", np.array([1.0, 2.0, 2.0, 3.0]), np.array([2.0, 3.0, 4.0])),
              ("overlapping random scores", rng.normal(size=50), rng.normal(0.8, size=70))]
    return "float64", [case(name, [n, p], numeric(auroc(n, p)), [
        ("negatives and positives are swapped", 1 - numeric(auroc(n, p))),
        ("count a tie as one half", float((p[:, None] > n[None, :]).mean()))]) for name, n, p in inputs]


def uncertainty_score_cases():
    (score,) = solution_functions("04_denoising_vae_solutions.ipynb", "uncertainty_score")
    rng = np.random.default_rng(6)
    draws = f32(rng.uniform(size=(5, 3, 7, 7, 1)))
    draws[:, 0] = 0.5                                   # an image on which all samples agree
    cases = []
    for name, d in [("three images, five samples", draws), ("one image, two samples", draws[:2, 1:2])]:
        cases.append(case(name, [d], numeric(score(d)), [
            ("that is the variance; take its square root", d.var(axis=0).mean(axis=(1, 2, 3))),
            ("use the plain standard deviation (ddof=0)", d.std(axis=0, ddof=1).mean(axis=(1, 2, 3)))]))
    return "float32", cases


BUILDERS = {
    "check_kl": kl_cases, "check_kl_two_gaussians": kl_two_gaussians_cases,
    "check_kl_monte_carlo": kl_monte_carlo_cases, "check_sigma_for_mse": sigma_for_mse_cases,
    "check_mse_plus_kl": mse_plus_kl_cases, "check_score_function_gradient": score_function_gradient_cases,
    "check_active_dimensions": active_dimensions_cases, "check_iw_estimate": iw_estimate_cases,
    "check_beta_vae_loss": beta_vae_loss_cases, "check_gaussian_nll": gaussian_nll_cases,
    "check_gaussian_nll_images": gaussian_nll_images_cases, "check_kl_per_dimension": kl_per_dimension_cases,
    "check_traversal_grid": traversal_grid_cases, "check_auroc": auroc_cases,
    "check_uncertainty_score": uncertainty_score_cases,
}


def plain(value):
    """JSON-ready: arrays become nested lists, NumPy numbers plain numbers."""
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(item) for item in value]
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, np.generic):
        return value.item()
    return value


def make():
    """{check name: {"dtype": …, "cases": […]}}, as written to helpers/check_cases.json."""
    data = {}
    for name, build in BUILDERS.items():
        dtype, cases = build()
        data[name] = {"dtype": dtype, "cases": plain(cases)}
    return data


def main():
    OUTPUT.write_text(json.dumps(make(), ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {OUTPUT.relative_to(ROOT)} ({OUTPUT.stat().st_size / 1e3:.0f} kB, {len(BUILDERS)} checks)")


if __name__ == "__main__":
    main()
