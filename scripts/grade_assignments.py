"""Prove the assignments with nbgrader itself: the solutions score full marks, a blank handout zero.

    python scripts/grade_assignments.py                    # every assignment, in fast mode
    python scripts/grade_assignments.py 01_vae_theory      # one

In a temporary course directory it generates the assignments (``scripts/make_assignments.py``), then
runs ``nbgrader autograde`` on three submissions of each, in fast mode (``VAE_FAST=1``):

- the solution notebook itself: every autograded point;
- the handout exactly as released: zero points, and nbgrader finishes;
- the solution with one answer planted wrong (``WRONG_ANSWERS``): some points, not all.

Prints the code scores and exits non-zero if one is not as expected. CI runs two assignments through
``tests/test_grading.py``; this script runs them all (about a minute per assignment in fast mode).
"""

import argparse
import os
import re
import shutil
import sys
import tempfile
from pathlib import Path

import nbformat

sys.path.insert(0, str(Path(__file__).resolve().parent))
import make_assignments  # noqa: E402

STUDENTS = ("solution", "blank", "one_wrong")
# for each assignment, the answer cell to spoil and a typical wrong answer to put there
WRONG_ANSWERS = {
    "01_vae_theory": ("ex1_answer_1", "def kl_one_dimension(mu, log_var):\n"
                      "    return 0.5 * (1 + log_var - mu**2 - np.exp(log_var))  # the sign is flipped"),
    "02_dense_vae": ("ex1_answer_1", "def active_dimensions(z_mean, threshold=0.01):\n"
                     "    return int((z_mean.std(axis=0) > threshold).sum())  # std, not variance"),
    "03_conv_vae": ("ex1_answer_1", "def multiply_adds(layer):\n    return layer.count_params()  # parameters, not products"),
    "04_denoising_vae": ("ex1_answer_1", "def corrupt(images, level, seed):\n    return images  # no noise at all"),
    "05_posterior_collapse": ("ex1_answer_1", "raise ValueError('a wrong answer')"),
}


def submission(source, student):
    """A student's notebook: the solutions, the blank handout, or the solutions with one wrong answer."""
    notebook = nbformat.read(source, as_version=4)
    assignment = source.parent.name
    for cell in notebook.cells:
        tag = cell.metadata.get("nbgrader", {})
        if not tag.get("solution") or cell.cell_type != "code":
            continue
        if student == "blank":
            cell.source = re.sub(rf"(?ms)^(\s*){make_assignments.BEGIN}$.*?^\s*{make_assignments.END}$",
                                 r"\1# YOUR CODE HERE\n\1raise NotImplementedError()", cell.source)
        elif student == "one_wrong" and tag["grade_id"] == WRONG_ANSWERS[assignment][0]:
            cell.source = WRONG_ANSWERS[assignment][1]
    return notebook


def grade(course, assignment):
    """{student: (code score, max code score)} after nbgrader autograde of the three submissions."""
    from nbgrader.api import Gradebook

    source = next((course / "source" / assignment).glob("*.ipynb"))
    for student in STUDENTS:
        folder = course / "submitted" / student / assignment
        folder.mkdir(parents=True, exist_ok=True)
        if student == "blank":  # the handout exactly as nbgrader released it
            shutil.copyfile(course / "release" / assignment / source.name, folder / source.name)
        else:
            nbformat.write(submission(source, student), folder / source.name)
        make_assignments.nbgrader(course, "autograde", assignment, f"--student={student}", "--force",
                                  "--create")
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        return {student: (notebook.code_score, notebook.max_code_score) for student in STUDENTS
                for notebook in [gradebook.find_submission_notebook(source.stem, assignment, student)]}


def verdicts(scores):
    """What is wrong with the scores of one assignment (empty when all is as expected)."""
    (full, most), (blank, _), (wrong, _) = (scores[student] for student in STUDENTS)
    problems = []
    if most == 0 or full != most:
        problems.append(f"the solutions scored {full} of {most}; expected full marks")
    if blank != 0:
        problems.append(f"the blank handout scored {blank}; expected 0")
    if not 0 < wrong < most:
        problems.append(f"one wrong answer scored {wrong} of {most}; expected partial marks")
    return problems


def run(assignments, course):
    os.environ["VAE_FAST"] = "1"
    paths = [p for p in sorted(make_assignments.SOLUTIONS.glob("*_solutions.ipynb"))
             if not assignments or make_assignments.assignment_id(p) in assignments]
    make_assignments.make_course(course, paths, timeout=600)
    return {make_assignments.assignment_id(p): grade(course, make_assignments.assignment_id(p)) for p in paths}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("assignments", nargs="*", help="e.g. 01_vae_theory (default: all)")
    args = parser.parse_args()
    failed = False
    with tempfile.TemporaryDirectory() as temporary:
        for assignment, scores in run(args.assignments, Path(temporary) / "course").items():
            problems = verdicts(scores)
            failed = failed or bool(problems)
            summary = ", ".join(f"{student} {score:g}/{most:g}" for student, (score, most) in scores.items())
            print(f"{assignment}: {summary}" + "".join(f"\n  ✗ {p}" for p in problems), flush=True)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
