"""The solution notebooks carry nbgrader tags written by scripts/make_assignments.py, and assignments/
is exactly what nbgrader's generate_assignment makes of them: no answers, no solution run."""

import copy
import importlib.util
import json
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location("make_assignments", ROOT / "scripts" / "make_assignments.py")
make_assignments = importlib.util.module_from_spec(spec)
spec.loader.exec_module(make_assignments)
SOLUTIONS = sorted(make_assignments.SOLUTIONS.glob("*_solutions.ipynb"))


def name(path):
    return path.name


def demo(*cells):
    """A small solution notebook: a title, then (cell type, source) pairs."""
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# 09 · Demo: solutions")])
    for kind, source in cells:
        new = nbformat.v4.new_code_cell if kind == "code" else nbformat.v4.new_markdown_cell
        notebook.cells.append(new(source))
    return notebook


EXERCISE = [("markdown", "## Exercise 1 ★★ · A KL\n\nWrite `kl`. Why is it positive?"),
            ("code", "def kl(m, v):\n    ### BEGIN SOLUTION\n    return 0\n    ### END SOLUTION"),
            ("code", "checks.check_kl(kl)"),
            ("markdown", "**Answer.** Because of Jensen's inequality.")]


def tags(notebook):
    return [(c.metadata["nbgrader"]["grade_id"], c.metadata["nbgrader"].get("points")) for c in notebook.cells]


def test_cells_are_tagged_from_their_contents():
    notebook = demo(("code", "import numpy as np"), *EXERCISE, ("markdown", "## Summary"))
    coverage = make_assignments.tag_notebook(notebook, "demo")
    assert tags(notebook) == [("given_1", None), ("given_2", None), ("given_3", None), ("ex1_answer_1", None),
                              ("ex1_test_1", 2), ("ex1_written_1", 1), ("given_4", None)]
    assert coverage == {1: {"answer", "test", "written"}}
    assert make_assignments.points(notebook) == (2, 1)
    answer, test = notebook.cells[3].metadata["nbgrader"], notebook.cells[4].metadata["nbgrader"]
    assert answer["solution"] and not answer["grade"] and test["grade"] and test["locked"]


@pytest.mark.parametrize("cells, message", [
    ([("markdown", "## Setup\n\nthe lines `### BEGIN SOLUTION` / `### END SOLUTION` mark answers")], "in code cells only"),
    ([("code", "### BEGIN SOLUTION\nx = 1")], "must come in pairs"),
    ([("code", "### BEGIN SOLUTION\nx = 1\n### END SOLUTION")], "outside any '## Exercise N ★' section"),
])
def test_unusable_sources_are_refused_with_the_reason(cells, message):
    with pytest.raises(make_assignments.TaggingError, match=message):
        make_assignments.tag_notebook(demo(*cells), "demo")


def test_an_exercise_without_a_test_is_refused():
    notebook = demo(*EXERCISE[:2])
    with pytest.raises(make_assignments.TaggingError, match="exercise 1 has no test cell"):
        make_assignments.check_coverage(make_assignments.tag_notebook(notebook, "demo"), "demo")


def test_a_top_level_answer_names_what_later_cells_use():
    notebook = demo(("code", "### BEGIN SOLUTION\nscale = 2\nhelper = 3\n### END SOLUTION"), ("code", "print(scale)"))
    make_assignments.name_what_later_cells_use(notebook)
    assert notebook.cells[1].source.startswith("# the cells below use: scale\n### BEGIN SOLUTION")


@pytest.mark.parametrize("path", SOLUTIONS, ids=name)
def test_solutions_carry_current_tags_and_cover_every_exercise(path):
    committed = nbformat.read(path, as_version=4)
    fresh = copy.deepcopy(committed)
    coverage = make_assignments.tag_notebook(fresh, path.name)
    make_assignments.check_coverage(coverage, path.name)
    assert tags(committed) == tags(fresh), f"{path.name}: run python scripts/make_assignments.py"
    questions = {exercise for exercise, kinds in coverage.items() if "written" in kinds}
    assert questions, f"{path.name}: no **Answer** cell for any open question"


@pytest.fixture(scope="module")
def releases(tmp_path_factory):
    course = tmp_path_factory.mktemp("course")
    return make_assignments.make_course(course, SOLUTIONS)


@pytest.mark.parametrize("path", SOLUTIONS, ids=name)
def test_committed_assignment_is_what_nbgrader_makes(path, releases):
    committed = ROOT / "assignments" / make_assignments.assignment_name(path)
    assert committed.is_file(), "run python scripts/make_assignments.py"
    assert committed.read_text() == releases[path].read_text(), (
        f"{committed.name} differs from nbgrader's release: run python scripts/make_assignments.py")


def test_readme_table_of_assignments_is_current(releases):
    readme = (ROOT / "README.md").read_text()
    table = make_assignments.assignments_table(releases)
    assert table in readme, "the README's table of assignments is stale: run python scripts/make_assignments.py"


@pytest.mark.parametrize("path", SOLUTIONS, ids=name)
def test_handout_holds_no_answers(path, releases):
    handout = json.loads(releases[path].read_text())
    text = "\n".join("".join(cell["source"]) for cell in handout["cells"])
    assert "BEGIN SOLUTION" not in text and "HIDDEN TESTS" not in text
    assert not any("".join(cell["source"]).lstrip().startswith("**Answer") for cell in handout["cells"])
    assert "solutions/" not in text and "_solutions" not in text, "the handout links to the solutions"
    assert "YOUR CODE HERE" in text and "YOUR ANSWER HERE" in text
    assert all(not cell.get("outputs") and not cell.get("execution_count") for cell in handout["cells"]
               if cell["cell_type"] == "code")
    assert not any("execution" in cell["metadata"] for cell in handout["cells"]), "timestamps of the solution run"
    title = "".join(handout["cells"][0]["source"]).splitlines()[0]
    assert title.startswith(f"# {path.name[:2]} · ") and title.endswith(" — assignment") and "solution" not in title.lower().split()
    for target in {link.split(")")[0] for link in text.split("](../")[1:]}:
        assert (ROOT / target.split("#")[0]).exists(), f"broken link ../{target} in {releases[path].name}"
