"""The self-checks' stored answers are what the solution notebooks' functions give, and the installed
helpers implement none of the exercises' functions."""

import ast
import importlib.util
import json
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location("make_check_data", ROOT / "scripts" / "make_check_data.py")
make_check_data = importlib.util.module_from_spec(spec)
spec.loader.exec_module(make_check_data)
# the functions the exercises ask students to write (see the Exercises of each lesson)
EXERCISE_FUNCTIONS = {"kl_one_dimension", "kl_monte_carlo", "kl_gaussians", "sigma_for_mse", "mse_plus_kl",
                      "score_function_gradient", "active_dimensions", "iw_estimate", "beta_vae_loss",
                      "gaussian_nll", "multiply_adds", "kl_per_dimension", "traversal_grid",
                      "gaussian_or_salt_and_pepper", "auroc", "uncertainty_score", "kl_divergence",
                      "kl_to_standard_normal", "auroc_reference"}


def same(a, b):
    """Equal structure and text, numbers equal to rounding."""
    if isinstance(a, dict):
        return isinstance(b, dict) and a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return isinstance(b, list) and len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return bool(np.isclose(a, b, rtol=1e-6, atol=1e-9))
    return a == b


def test_stored_answers_match_the_solution_notebooks():
    stored = json.loads((ROOT / "helpers" / "check_cases.json").read_text(encoding="utf-8"))
    fresh = json.loads(json.dumps(make_check_data.make()))
    assert stored.keys() == fresh.keys(), "run python scripts/make_check_data.py"
    stale = [name for name in fresh if not same(fresh[name], stored[name])]
    assert not stale, f"helpers/check_cases.json is stale for {stale}: run python scripts/make_check_data.py"


def test_helpers_define_no_exercise_function():
    defined = {node.name for path in (ROOT / "helpers").glob("*.py")
               for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
               if isinstance(node, (ast.FunctionDef, ast.ClassDef))}
    assert not defined & EXERCISE_FUNCTIONS, f"helpers implements {sorted(defined & EXERCISE_FUNCTIONS)}"
