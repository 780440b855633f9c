"""Every committed notebook is executed from one clean full run and is fit to read on GitHub."""

import json
import re
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
REPOSITORY = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["urls"]["Repository"]
REPO_URL = REPOSITORY.removeprefix("https://").replace("github.com/", "github/", 1) + "/blob/main"
LESSONS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
SOLUTIONS = sorted((ROOT / "notebooks" / "solutions").glob("*.ipynb"))
MAX_BYTES = 2_000_000
MAX_LINES_PER_CELL = 150
PROGRESS_BAR = re.compile(r"\d+/\d+ [━─=]{3,}|\r")  # Keras's "12/390 ━━━━" or a carriage return
SECTIONS = ["## Setup", "## Exercises", "## Summary", "## References"]
# stderr a committed notebook may show. Empty on purpose: TensorFlow's start-up lines are removed by
# scripts/run_notebooks.py (STARTUP_NOISE there); a warning or error anywhere else is a finding to fix.
# Add a regular expression here only for a message a lesson shows on purpose, with a comment saying why.
STDERR_ALLOWED = []


def load(path):
    return json.loads(path.read_text())


def code_cells(notebook):
    return [c for c in notebook["cells"] if c["cell_type"] == "code" and "".join(c["source"]).strip()]


def text_of(output):
    if output["output_type"] == "stream":
        return "".join(output["text"])
    return "".join(output.get("data", {}).get("text/plain", ""))


def name(path):
    return str(path.relative_to(ROOT))


@pytest.mark.parametrize("path", LESSONS + SOLUTIONS, ids=name)
def test_executed_in_order_without_errors(path):
    cells = code_cells(load(path))
    counts = [c["execution_count"] for c in cells]
    assert counts == list(range(1, len(cells) + 1)), (
        f"{name(path)}: execution counts {counts} are not 1..{len(cells)}; "
        "regenerate it with scripts/run_notebooks.py")
    errors = [o for c in cells for o in c["outputs"] if o["output_type"] == "error"]
    assert not errors, f"{name(path)} has error outputs: {[e['ename'] for e in errors]}"
    assert any(c["outputs"] for c in cells), f"{name(path)} has no outputs"
    assert not any("execution" in c.get("metadata", {}) for c in cells), f"{name(path)} keeps execution timestamps"


@pytest.mark.parametrize("path", LESSONS + SOLUTIONS, ids=name)
def test_outputs_are_lean(path):
    assert path.stat().st_size < MAX_BYTES, f"{name(path)} is {path.stat().st_size / 1e6:.1f} MB"
    for number, cell in enumerate(code_cells(load(path)), 1):
        text = "".join(text_of(o) for o in cell["outputs"])
        assert not PROGRESS_BAR.search(text), f"{name(path)} cell {number} holds a progress bar"
        assert text.count("\n") <= MAX_LINES_PER_CELL, f"{name(path)} cell {number} prints {text.count(chr(10))} lines"
        for output in cell["outputs"]:
            assert "image/svg+xml" not in output.get("data", {}), f"{name(path)} cell {number}: SVG, use PNG"


@pytest.mark.parametrize("path", LESSONS + SOLUTIONS, ids=name)
def test_no_stderr_in_outputs(path):
    for number, cell in enumerate(code_cells(load(path)), 1):
        for output in cell["outputs"]:
            if output["output_type"] != "stream" or output["name"] != "stderr":
                continue
            unexpected = [line for line in text_of(output).splitlines()
                          if line.strip() and not any(re.search(allowed, line) for allowed in STDERR_ALLOWED)]
            assert not unexpected, f"{name(path)} cell {number} writes to stderr: {unexpected[:3]}"


@pytest.mark.parametrize("path", LESSONS + SOLUTIONS, ids=name)
def test_title_has_colab_badge_to_itself(path):
    first = load(path)["cells"][0]
    source = "".join(first["source"])
    assert first["cell_type"] == "markdown" and source.startswith("# "), f"{name(path)} must open with a title"
    badge = f"https://colab.research.google.com/{REPO_URL}/{name(path)}"
    assert badge in source, f"{name(path)}: the title cell needs the Colab badge {badge}"


@pytest.mark.parametrize("path", LESSONS, ids=name)
def test_lesson_has_the_standard_sections(path):
    headings = [line.strip() for c in load(path)["cells"] if c["cell_type"] == "markdown"
                for line in "".join(c["source"]).splitlines() if line.startswith("## ")]
    for section in SECTIONS:
        assert section in headings, f"{name(path)} lacks the section {section!r}"
    markdown = "".join("".join(c["source"]) for c in load(path)["cells"] if c["cell_type"] == "markdown")
    assert "In this notebook" in markdown and "Prerequisites" in markdown and "Runtime" in markdown


@pytest.mark.parametrize("path", LESSONS + SOLUTIONS, ids=name)
def test_readme_lists_it(path):
    assert name(path) in (ROOT / "README.md").read_text(), f"README.md does not link {name(path)}"


@pytest.mark.parametrize("path", SOLUTIONS, ids=name)
def test_solutions_mark_their_code(path):
    sources = ["".join(c["source"]) for c in code_cells(load(path))]
    assert any("### BEGIN SOLUTION" in s for s in sources), f"{name(path)} has no solution markers"
    for source in sources:
        assert source.count("### BEGIN SOLUTION") == source.count("### END SOLUTION"), \
            f"{name(path)}: unbalanced solution markers in a cell starting {source[:60]!r}"
