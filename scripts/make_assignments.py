"""Make the student versions of the solution notebooks, for handing out as assignments.

    python scripts/make_assignments.py    # writes assignments/NN_topic_assignment.ipynb

(tests/test_make_assignments.py fails when the committed versions differ from what this makes.)

From each `notebooks/solutions/NN_topic_solutions.ipynb`, every block of lines between
`### BEGIN SOLUTION` and `### END SOLUTION` (the markers nbgrader and otter-grader use) becomes
`# YOUR CODE HERE` + `raise NotImplementedError()` at the block's indentation (a top-level block also
gets a comment naming what it defines that later cells use, so a student knows what to call it);
outputs and execution counts are cleared; the Colab badge points at the student version; everything else is kept. From the
first cell that raises in the student version (a top-level solution block, a `checks.check_…` call)
on, every code cell is marked `# NBVAL_RAISES_EXCEPTION` (nbval then allows, but does not require,
an error), since the cells after an exercise use its result; CI runs everything before strictly.
"""

import argparse
import ast
import re
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
SOLUTIONS = ROOT / "notebooks" / "solutions"
ASSIGNMENTS = ROOT / "assignments"
BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"
RAISES = "# NBVAL_RAISES_EXCEPTION"
CHECK_CALL = "checks.check_"
USES = "# the cells below use: "


class MarkerError(ValueError):
    """Solution markers that are missing, unbalanced or nested."""


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


def student_source(source, where):
    """Replace each solution block in one cell's source.

    Returns the new lines and, for each top-level block, (index of its stub's last line, names it binds).
    """
    out, inside, block, top_level_blocks = [], None, [], []
    for number, line in enumerate(source.splitlines(), 1):
        stripped = line.strip()
        if stripped == BEGIN:
            if inside is not None:
                raise MarkerError(f"{where}, line {number}: {BEGIN} inside another solution block (nested markers)")
            inside, block = line[: len(line) - len(line.lstrip())], []
            out += [f"{inside}# YOUR CODE HERE", f"{inside}raise NotImplementedError()"]
        elif stripped == END:
            if inside is None:
                raise MarkerError(f"{where}, line {number}: {END} without a {BEGIN} before it")
            if inside == "":
                top_level_blocks.append((len(out) - 1, bound_names("\n".join(block))))
            inside = None
        elif inside is None:
            out.append(line)
        else:
            block.append(line)
    if inside is not None:
        raise MarkerError(f"{where}: {BEGIN} is never closed by {END}")
    return out, top_level_blocks


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


def name_what_later_cells_use(cells_lines, blocks):
    """Add a comment to each top-level stub naming what it must define that later code reads."""
    for index, blocks_here in enumerate(blocks):
        for stub, names in reversed(blocks_here):  # from the end, so earlier stub positions stay valid
            later = [cells_lines[index][stub + 1:], *cells_lines[index + 1:]]
            read_later = set().union(*(read_names("\n".join(lines)) for lines in later))
            used = [name for name in names if name != "_" and name in read_later]
            if used:
                cells_lines[index].insert(stub, USES + ", ".join(used))


def student_version(notebook, source_name, target_name):
    """Return the student version of a solution notebook (a new nbformat NotebookNode)."""
    notebook = nbformat.from_dict(notebook)
    code_cells, cells_lines, blocks = [], [], []
    for index, cell in enumerate(notebook.cells):
        where = f"{source_name}, cell {index}"
        if cell.cell_type != "code":
            if any(line.strip() in (BEGIN, END) for line in cell.source.splitlines()):
                raise MarkerError(f"{where}: solution markers belong in code cells, found them in a {cell.cell_type} cell")
            continue
        lines, top_level = student_source(cell.source, where)
        code_cells.append(cell)
        cells_lines.append(lines)
        blocks.append(top_level)
    if not any(line.strip() == BEGIN for cell in code_cells for line in cell.source.splitlines()):
        raise MarkerError(f"{source_name} has no {BEGIN} ... {END} block: nothing to hand out")
    name_what_later_cells_use(cells_lines, blocks)
    raising = False
    for cell, lines, top_level in zip(code_cells, cells_lines, blocks):
        new = "\n".join(lines)
        raising = raising or bool(top_level) or CHECK_CALL in new
        if raising and RAISES not in new:
            new = f"{RAISES}\n{new}"
        cell.source, cell.outputs, cell.execution_count = new, [], None
    title = notebook.cells[0]
    title.source = title.source.replace(source_name, target_name).replace(
        "\n", f"\n\n*Student version of [{Path(source_name).name}](../{source_name}), generated by "
        "`scripts/make_assignments.py`: fill in each `# YOUR CODE HERE`, then run the check below it.*\n", 1)
    return notebook


def assignment_name(solution_path):
    return solution_path.name.replace("_solutions.ipynb", "_assignment.ipynb")


def generate():
    """{path in assignments/: notebook text} for every solution notebook."""
    out = {}
    for path in sorted(SOLUTIONS.glob("*_solutions.ipynb")):
        target = ASSIGNMENTS / assignment_name(path)
        notebook = student_version(nbformat.read(path, as_version=4),
                                   str(path.relative_to(ROOT)), str(target.relative_to(ROOT)))
        out[target] = nbformat.writes(notebook) + "\n"
    return out


def main():
    argparse.ArgumentParser(description=__doc__.splitlines()[0]).parse_args()
    wanted = generate()
    existing = set(ASSIGNMENTS.glob("*.ipynb"))
    ASSIGNMENTS.mkdir(exist_ok=True)
    for path in existing - set(wanted):
        path.unlink()
    for path, text in wanted.items():
        path.write_text(text)
        print(f"wrote {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
