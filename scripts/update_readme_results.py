"""Rewrite the results table in README.md from results/*.json (run after a full run).

    python scripts/update_readme_results.py
"""

from pathlib import Path

from helpers.results import TABLE_END, TABLE_START, results_table

README = Path(__file__).resolve().parent.parent / "README.md"


def updated_readme(text, table):
    """Return ``text`` with the block between the table markers replaced by ``table``."""
    if text.count(TABLE_START) != 1 or text.count(TABLE_END) != 1:
        raise ValueError(f"README.md must hold the markers {TABLE_START} and {TABLE_END} once each")
    head, rest = text.split(TABLE_START)
    _, tail = rest.split(TABLE_END)
    return f"{head}{TABLE_START}\n{table}\n{TABLE_END}{tail}"


if __name__ == "__main__":
    README.write_text(updated_readme(README.read_text(), results_table()))
    print(f"updated the results table in {README}")
