"""The repository's address lives in pyproject.toml; every badge and install line agrees with it."""

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location("set_repo_url", ROOT / "scripts" / "set_repo_url.py")
set_repo_url = importlib.util.module_from_spec(spec)
spec.loader.exec_module(set_repo_url)


def test_every_link_uses_the_repository_of_pyproject():
    slug = set_repo_url.repository_slug()
    disagreeing = {str(path.relative_to(ROOT)): sorted(found - {slug})
                   for path in set_repo_url.tracked_files()
                   if (found := set_repo_url.slugs_in(path.read_text(encoding="utf-8"))) - {slug}}
    assert not disagreeing, f"links that do not use {slug}: {disagreeing}; run python scripts/set_repo_url.py"


def test_links_are_found_in_badges_and_install_lines():
    text = ('[![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)]'
            '(https://colab.research.google.com/github/someone/fork/blob/main/notebooks/01_vae_theory.ipynb)\n'
            '%pip install -q "vae-notebooks-helpers @ git+https://github.com/someone/fork"\n')
    assert set_repo_url.slugs_in(text) == {"someone/fork"}
    assert set_repo_url.LINKS.sub(lambda m: m.group(1) + "a/b", text).count("a/b") == 2


def test_lessons_and_readme_carry_links():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert set_repo_url.slugs_in(readme), "README.md has no Colab badge"
