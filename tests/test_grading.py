"""nbgrader itself grades the assignments: the solutions score full marks, the blank handout zero
(without crashing), one wrong answer partial marks. Two assignments here, in fast mode; all of them with
``python scripts/grade_assignments.py``."""

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location("grade_assignments", ROOT / "scripts" / "grade_assignments.py")
grade_assignments = importlib.util.module_from_spec(spec)
spec.loader.exec_module(grade_assignments)
IN_CI = ["01_vae_theory", "03_conv_vae"]


@pytest.fixture(scope="module")
def scores(tmp_path_factory):
    return grade_assignments.run(IN_CI, tmp_path_factory.mktemp("course"))


@pytest.mark.parametrize("assignment", IN_CI)
def test_nbgrader_grades_the_assignment(assignment, scores):
    assert not grade_assignments.verdicts(scores[assignment]), scores[assignment]


def test_every_assignment_has_a_planted_wrong_answer():
    solutions = sorted((ROOT / "notebooks" / "solutions").glob("*_solutions.ipynb"))
    assert {p.name.removesuffix("_solutions.ipynb") for p in solutions} <= set(grade_assignments.WRONG_ANSWERS)
