"""Tag the solution notebooks for nbgrader, then build the assignments with nbgrader itself.

    python scripts/make_assignments.py                  # tag notebooks/solutions/*, regenerate assignments/
    python scripts/make_assignments.py --course DIR     # ... and keep the nbgrader course directory in DIR

(tests/test_make_assignments.py fails when the committed tags or assignments differ from what this makes.)

**Tags.** Every solution notebook is an nbgrader *source* notebook. The tags are written from the
cells' contents, so nobody tags a cell by hand:

- a code cell with ``### BEGIN SOLUTION`` / ``### END SOLUTION`` lines: an autograded answer cell;
- a code cell inside an exercise that calls ``checks.check_…`` or ``checks.expect``: an autograded
  test cell, worth as many points as the exercise has stars (★★ = 2), locked;
- a markdown cell inside an exercise that starts with ``**Answer``: a manually graded answer cell
  (1 point), whose text the handout replaces by "YOUR ANSWER HERE";
- every other cell: locked, read-only.

**Assignments.** In a course directory (a temporary one unless ``--course`` is given), each source
notebook is copied to ``source/NN_topic/NN_topic_assignment.ipynb`` with its title, badge and links
rewritten for ``assignments/`` (a top-level answer block also gets a comment naming what later cells
read from it), then ``nbgrader generate_assignment`` makes the release, which is copied to
``assignments/``. The course directory's ``nbgrader_config.py`` allows long cells, so that
``nbgrader autograde`` can run the training cells. The README's table of assignments (points, an
estimate of the working time) is rewritten from the handouts.
"""

import argparse
import ast
import re
import shutil
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
SOLUTIONS = ROOT / "notebooks" / "solutions"
ASSIGNMENTS = ROOT / "assignments"
BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"
EXERCISE = re.compile(r"^#{2,3} .*Exercise (\d+) (★+)", re.MULTILINE)
SECTION = re.compile(r"^## ", re.MULTILINE)
TEST_CALL = re.compile(r"\bchecks\.(check_\w+|expect)\(")
ANSWER = "**Answer"
USES = "# the cells below use: "
README = ROOT / "README.md"
TABLE_START, TABLE_END = "<!-- assignments-table:start -->", "<!-- assignments-table:end -->"
MINUTES_PER_STARS = {1: 20, 2: 40, 3: 60}  # a working-time estimate per exercise, by difficulty
CONFIG = """c = get_config()  # noqa: F821
c.CourseDirectory.root = {root!r}
c.CourseDirectory.course_id = "vae-notebooks"
# the training cells of the assignments run for minutes in full mode: allow them (seconds per cell)
c.Execute.timeout = {timeout}
c.ExecutePreprocessor.timeout = {timeout}
"""


class TaggingError(ValueError):
    """A solution notebook that cannot be turned into an assignment, with the reason."""


def assignment_id(solution_path):
    return solution_path.name.removesuffix("_solutions.ipynb")


def assignment_name(solution_path):
    return f"{assignment_id(solution_path)}_assignment.ipynb"


# --- tags ---


def nbgrader_tag(grade_id, *, solution=False, grade=False, locked=False, points=None):
    tag = {"grade": grade, "grade_id": grade_id, "locked": locked, "schema_version": 3, "solution": solution,
           "task": False}
    if grade:
        tag["points"] = points
    return tag


def tag_notebook(notebook, where):
    """Write nbgrader metadata into every cell of a solution notebook; return {exercise: kinds of cells}."""
    exercise, stars, counts, coverage = None, 0, {}, {}
    for index, cell in enumerate(notebook.cells):
        source = cell.source
        if cell.cell_type == "markdown" and SECTION.search(source):
            match = EXERCISE.search(source)
            exercise, stars = (int(match.group(1)), len(match.group(2))) if match else (None, 0)
            if match:
                coverage.setdefault(exercise, set())
        has_markers = BEGIN in source or END in source
        if has_markers and (cell.cell_type != "code" or source.count(BEGIN) != source.count(END)):
            raise TaggingError(f"{where}, cell {index}: {BEGIN!r}/{END!r} must come in pairs, in code cells only "
                               "(nbgrader reads them anywhere, prose included)")
        if cell.cell_type == "code" and has_markers:
            kind, options = "answer", {"solution": True}
        elif exercise and cell.cell_type == "code" and TEST_CALL.search(source):
            kind, options = "test", {"grade": True, "locked": True, "points": stars}
        elif exercise and cell.cell_type == "markdown" and source.lstrip().startswith(ANSWER):
            kind, options = "written", {"solution": True, "grade": True, "points": 1}
        else:
            kind, options = "given", {"locked": True}
        if kind != "given" and exercise is None:
            raise TaggingError(f"{where}, cell {index}: a {kind} cell outside any '## Exercise N ★' section")
        prefix = f"ex{exercise}_{kind}" if kind != "given" else "given"
        counts[prefix] = counts.get(prefix, 0) + 1
        cell.metadata["nbgrader"] = nbgrader_tag(f"{prefix}_{counts[prefix]}", **options)
        if exercise and kind != "given":
            coverage[exercise].add(kind)
    return coverage


def check_coverage(coverage, where):
    """Every exercise has code to write and a test of it."""
    if not coverage:
        raise TaggingError(f"{where}: no '## Exercise N ★' section found")
    for exercise, kinds in sorted(coverage.items()):
        missing = {"answer", "test"} - kinds
        if missing:
            raise TaggingError(f"{where}: exercise {exercise} has no {' and no '.join(sorted(missing))} cell")


def points(notebook):
    """(autograded points, manually graded points) of a tagged notebook."""
    auto = manual = 0
    for cell in notebook.cells:
        tag = cell.metadata.get("nbgrader", {})
        if tag.get("grade"):
            if tag.get("solution"):
                manual += tag["points"]
            else:
                auto += tag["points"]
    return auto, manual


# --- the source copy that nbgrader turns into the handout ---


def bound_names(code):
    """Names a block of top-level code defines (functions, classes, variables), in order."""
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return []
    names = []

    def visit(node):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                names.append(child.name)  # its body binds local names only
            elif not isinstance(child, (ast.Lambda, ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)):
                if isinstance(child, ast.Name) and isinstance(child.ctx, ast.Store):
                    names.append(child.id)
                visit(child)

    visit(tree)
    return list(dict.fromkeys(names))


def read_names(code):
    """Names that code reads without binding them itself (every identifier, if it is not plain Python)."""
    try:
        tree = ast.parse(code)
    except SyntaxError:  # e.g. an IPython magic: be generous
        return set(re.findall(r"(?<![\w.])[A-Za-z_]\w*", code))
    read, bound = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            (bound if isinstance(node.ctx, ast.Store) else read).add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            bound.add(node.name)
        elif isinstance(node, ast.arg):
            bound.add(node.arg)
    return read - bound


def top_level_blocks(source):
    """(line index of BEGIN, code of the block) for each solution block that starts at column 0."""
    lines, blocks, start = source.splitlines(), [], None
    for number, line in enumerate(lines):
        if line == BEGIN:
            start = number
        elif line == END and start is not None:
            blocks.append((start, "\n".join(lines[start + 1:number])))
            start = None
    return blocks


def name_what_later_cells_use(notebook):
    """Before each top-level answer block, a comment naming what it defines that later cells read."""
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    for position, cell in enumerate(code):
        lines = cell.source.splitlines()
        for start, block in reversed(top_level_blocks(cell.source)):
            later = "\n".join(lines[start:]).replace(block, "") + "\n" + "\n".join(c.source for c in code[position + 1:])
            used = [name for name in bound_names(block) if name != "_" and name in read_names(later)]
            if used:
                lines.insert(start, USES + ", ".join(used))
        cell.source = "\n".join(lines)


def for_assignments_folder(notebook, solution_path):
    """Title, badge and links of a solution notebook rewritten for its handout in assignments/."""
    solution_rel = str(solution_path.relative_to(ROOT))
    handout_rel = f"assignments/{assignment_name(solution_path)}"
    title = notebook.cells[0]
    first, _, rest = title.source.partition("\n")
    number_and_topic = first.removeprefix("# ").split(" — ")[0]
    paragraphs = [p.strip() for p in rest.split("\n\n")
                  if p.strip() and ("solution" not in p.lower() or "colab-badge" in p)]
    title.source = "\n\n".join([f"# {number_and_topic} — assignment", *paragraphs]).replace(solution_rel, handout_rel)
    title.source += (f"\n\n*The exercises of the lesson [{number_and_topic}](../notebooks/{assignment_id(solution_path)}.ipynb)."
                     " Write your code where a cell says `# YOUR CODE HERE`, then run the check cell below it;"
                     " write your answers where a cell says YOUR ANSWER HERE.*")
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            source = re.sub(r"\]\(\.\./(\d\d_[\w]+\.ipynb)", r"](../notebooks/\1", cell.source)
            cell.source = source.replace("](../../", "](../")
    return notebook


def prepare_source(solution_path):
    """The tagged solution notebook as nbgrader's source for the handout (outputs are cleared by nbgrader)."""
    notebook = nbformat.read(solution_path, as_version=4)
    coverage = tag_notebook(notebook, solution_path.name)
    check_coverage(coverage, solution_path.name)
    name_what_later_cells_use(notebook)
    for cell in notebook.cells:
        cell.metadata.pop("execution", None)  # timestamps of the solution run
    return for_assignments_folder(notebook, solution_path)


def exercise_stars(notebook):
    """The stars of each exercise, in order."""
    return [len(match.group(2)) for cell in notebook.cells if cell.cell_type == "markdown"
            for match in [EXERCISE.search(cell.source)] if match]


def assignments_table(releases):
    """The README's Markdown table of the handouts: points and an estimate of the working time."""
    slug = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["urls"]["Repository"].removeprefix(
        "https://github.com/")
    rows = ["| Lesson | Handout | Open | Exercises | Points (autograded + by hand) | Working time (estimate) |",
            "|---|---|---|---|---|---|"]
    for path, release in releases.items():
        notebook = nbformat.read(release, as_version=4)
        title = notebook.cells[0].source.splitlines()[0].removeprefix("# ").removesuffix(" — assignment")
        stars = exercise_stars(notebook)
        auto, manual = points(notebook)
        hours = sum(MINUTES_PER_STARS[min(s, 3)] for s in stars) / 60
        link = f"assignments/{release.name}"
        badge = (f"[![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)]"
                 f"(https://colab.research.google.com/github/{slug}/blob/main/{link})")
        rows.append(f"| {title} | [{release.name}]({link}) | {badge} | {' '.join('★' * s for s in stars)} "
                    f"| {auto} + {manual} | about {hours:.1f} h |")
    return "\n".join(rows)


def write_table(table):
    text = README.read_text(encoding="utf-8")
    start, end = text.index(TABLE_START) + len(TABLE_START), text.index(TABLE_END)
    README.write_text(text[:start] + "\n" + table + "\n" + text[end:], encoding="utf-8")


# --- nbgrader ---


def nbgrader(course, *arguments):
    result = subprocess.run([sys.executable, "-m", "nbgrader", *arguments, f"--CourseDirectory.root={course}"],
                            cwd=course, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"nbgrader {' '.join(arguments)} failed:\n{result.stdout}\n{result.stderr}")
    return result


def make_course(course, solution_paths, timeout=1800):
    """Write the course directory's config and sources and run nbgrader generate_assignment on each."""
    course.mkdir(parents=True, exist_ok=True)
    (course / "nbgrader_config.py").write_text(CONFIG.format(root=str(course), timeout=timeout))
    releases = {}
    for path in solution_paths:
        folder = course / "source" / assignment_id(path)
        folder.mkdir(parents=True, exist_ok=True)
        nbformat.write(prepare_source(path), folder / assignment_name(path))
        nbgrader(course, "generate_assignment", assignment_id(path), "--force")
        releases[path] = course / "release" / assignment_id(path) / assignment_name(path)
    return releases


def tag_solutions(solution_paths):
    """Write the tags into the solution notebooks themselves; return the paths that changed."""
    changed = []
    for path in solution_paths:
        notebook = nbformat.read(path, as_version=4)
        before = nbformat.writes(notebook)
        check_coverage(tag_notebook(notebook, path.name), path.name)
        if nbformat.writes(notebook) != before:
            nbformat.write(notebook, path)
            changed.append(path)
    return changed


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--course", type=Path, help="keep the nbgrader course directory here (default: a temporary one)")
    args = parser.parse_args()
    paths = sorted(SOLUTIONS.glob("*_solutions.ipynb"))
    for path in tag_solutions(paths):
        print(f"tagged {path.relative_to(ROOT)}")
    with tempfile.TemporaryDirectory() as temporary:
        course = (args.course or Path(temporary) / "course").resolve()
        releases = make_course(course, paths)
        ASSIGNMENTS.mkdir(exist_ok=True)
        for stale in set(ASSIGNMENTS.glob("*.ipynb")) - {ASSIGNMENTS / r.name for r in releases.values()}:
            stale.unlink()
        for path, release in releases.items():
            shutil.copyfile(release, ASSIGNMENTS / release.name)
            auto, manual = points(nbformat.read(release, as_version=4))
            print(f"wrote assignments/{release.name}: {auto} autograded + {manual} manually graded points")
        write_table(assignments_table({path: ASSIGNMENTS / release.name for path, release in releases.items()}))
    print("wrote the README's table of assignments")
    if args.course:
        print(f"course directory: {course}")


if __name__ == "__main__":
    main()
