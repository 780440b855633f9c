import importlib.util
import json
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location("make_assignments", ROOT / "scripts" / "make_assignments.py")
make_assignments = importlib.util.module_from_spec(spec)
spec.loader.exec_module(make_assignments)

SOURCE = "notebooks/solutions/09_demo_solutions.ipynb"
TARGET = "assignments/09_demo_assignment.ipynb"
BADGE = "https://colab.research.google.com/github/vae-notebooks/vae-notebooks/blob/main/"


def notebook(*code_sources, markdown_extra=None):
    cells = [nbformat.v4.new_markdown_cell(f"# 09 · Demo solutions\n[![Open In Colab](badge.svg)]({BADGE}{SOURCE})")]
    if markdown_extra:
        cells.append(nbformat.v4.new_markdown_cell(markdown_extra))
    for source in code_sources:
        cell = nbformat.v4.new_code_cell(source, execution_count=1)
        cell.outputs = [nbformat.v4.new_output("stream", text="hello\n")]
        cells.append(cell)
    return nbformat.v4.new_notebook(cells=cells)


def student(*code_sources, **kwargs):
    return make_assignments.student_version(notebook(*code_sources, **kwargs), SOURCE, TARGET)


FUNCTION = """def kl(z_mean, z_log_var):
    ### BEGIN SOLUTION
    return -0.5 * (1 + z_log_var - z_mean**2 - np.exp(z_log_var)).sum(-1)
    ### END SOLUTION"""


def test_function_body_is_replaced_and_outputs_cleared():
    result = student("import numpy as np", FUNCTION, "checks.check_kl(kl)")
    code = [c for c in result.cells if c.cell_type == "code"]
    assert code[1].source == "def kl(z_mean, z_log_var):\n    # YOUR CODE HERE\n    raise NotImplementedError()"
    assert all(c.outputs == [] and c.execution_count is None for c in code)
    assert code[0].source == "import numpy as np"  # untouched, runs fine in the student version


def test_cells_from_the_first_that_raises_on_are_marked_for_nbval():
    result = student(FUNCTION, "checks.check_kl(kl)", "print(kl)", "### BEGIN SOLUTION\nbeta = 4\n### END SOLUTION")
    code = [c.source for c in result.cells if c.cell_type == "code"]
    assert not code[0].startswith("# NBVAL_RAISES_EXCEPTION")  # defining the function does not raise
    assert code[1].startswith("# NBVAL_RAISES_EXCEPTION\n")   # calling the check does
    assert code[2] == "# NBVAL_RAISES_EXCEPTION\nprint(kl)"     # later cells may use the result
    assert code[3] == "# NBVAL_RAISES_EXCEPTION\n# YOUR CODE HERE\nraise NotImplementedError()"


def test_top_level_solution_marks_it_and_what_follows():
    result = student("x = 1", "### BEGIN SOLUTION\ny = x\n### END SOLUTION", "print(y)")
    code = [c.source for c in result.cells if c.cell_type == "code"]
    assert code[0] == "x = 1"
    assert code[1].startswith("# NBVAL_RAISES_EXCEPTION\n") and code[2].startswith("# NBVAL_RAISES_EXCEPTION\n")


def test_several_blocks_in_one_cell():
    source = ("a = 1\n### BEGIN SOLUTION\nb = 2\n### END SOLUTION\nc = 3\n"
              "if c:\n    ### BEGIN SOLUTION\n    d = 4\n    ### END SOLUTION\n")
    result = student(source).cells[1].source
    assert result.count("raise NotImplementedError()") == 2
    assert "a = 1" in result and "c = 3" in result and "b = 2" not in result and "d = 4" not in result
    assert "    # YOUR CODE HERE\n    raise NotImplementedError()" in result


def test_title_badge_points_at_the_student_version():
    title = student(FUNCTION).cells[0].source
    assert f"{BADGE}{TARGET}" in title and f"({BADGE}{SOURCE})" not in title
    assert "Student version" in title


@pytest.mark.parametrize("source, message", [
    ("x = 1\n### END SOLUTION", r"cell 1, line 2: ### END SOLUTION without a ### BEGIN SOLUTION"),
    ("### BEGIN SOLUTION\nx = 1", r"cell 1: ### BEGIN SOLUTION is never closed"),
    ("### BEGIN SOLUTION\n### BEGIN SOLUTION\n### END SOLUTION\n### END SOLUTION", r"cell 1, line 2: .*nested"),
    ("x = 1", r"09_demo_solutions.ipynb has no ### BEGIN SOLUTION"),
])
def test_bad_markers_name_the_notebook_and_cell(source, message):
    with pytest.raises(make_assignments.MarkerError, match=message):
        student(source)
    with pytest.raises(make_assignments.MarkerError, match="09_demo_solutions.ipynb"):
        student(source)


def test_markers_mentioned_in_prose_are_fine():
    result = student(FUNCTION, markdown_extra="Solutions sit between `### BEGIN SOLUTION` and `### END SOLUTION`.")
    assert "raise NotImplementedError()" in result.cells[2].source


def test_markers_in_markdown_are_refused():
    with pytest.raises(make_assignments.MarkerError, match="cell 1: solution markers belong in code cells"):
        student(FUNCTION, markdown_extra="### BEGIN SOLUTION\nanswer\n### END SOLUTION")


def test_the_committed_assignments_are_current():
    """Regenerate with `python scripts/make_assignments.py` after changing a solution notebook."""
    wanted = make_assignments.generate()
    committed = set((ROOT / "assignments").glob("*.ipynb"))
    assert committed == set(wanted), "assignments/ does not hold exactly one student version per solution notebook"
    for path, text in wanted.items():
        assert path.read_text() == text, f"{path.name} is out of date: run scripts/make_assignments.py"
        json.loads(text)


def test_a_top_level_stub_names_what_later_cells_use():
    solution = ("### BEGIN SOLUTION\ndef score(x):\n    inner = x + 1\n    return inner\n"
                "helper = 2\nresults, total = [score(3)], 3\n### END SOLUTION")
    result = student(solution, "print(results)\nchecks.check_score(score)", "print(total, np.total)")
    code = [c.source for c in result.cells if c.cell_type == "code"]
    assert code[0] == ("# NBVAL_RAISES_EXCEPTION\n# YOUR CODE HERE\n# the cells below use: score, results, total\n"
                       "raise NotImplementedError()")  # not `helper` (unused later), not `inner` (local)


def test_names_a_later_cell_binds_for_itself_are_not_listed():
    solution = "### BEGIN SOLUTION\nfor level in (1, 2):\n    scores = [level]\n### END SOLUTION"
    result = student(solution, "for level in (3,):\n    print(level, scores)")
    assert "# the cells below use: scores\n" in result.cells[1].source
