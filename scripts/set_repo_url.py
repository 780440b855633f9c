"""Write the repository's address into every Colab badge and Colab install line.

    python scripts/set_repo_url.py                                     # from pyproject.toml
    python scripts/set_repo_url.py https://github.com/someone/my-fork  # a fork: sets it, then rewrites

The address lives in one place, ``[project.urls] Repository`` in ``pyproject.toml``; this script copies
it into the notebooks, README and CONTRIBUTING (``tests/test_repo_url.py`` checks that they agree).
"""

import argparse
import re
import subprocess
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = ROOT / "pyproject.toml"
GITHUB_URL = re.compile(r"^https://github\.com/([\w.-]+/[\w.-]+?)/?$")
# the two places a slug appears: Colab's "open from GitHub" links and pip's "git+https" installs
LINKS = re.compile(r"(colab\.research\.google\.com/github/|git\+https://github\.com/)([\w.-]+/[\w.-]+?)(?=/blob/|[\"'\s)])")
SUFFIXES = (".ipynb", ".md", ".py")


def repository_slug():
    """'owner/name' from pyproject.toml's [project.urls] Repository."""
    url = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"]["urls"]["Repository"]
    match = GITHUB_URL.match(url)
    if not match:
        raise ValueError(f"pyproject.toml: Repository = {url!r} is not https://github.com/<owner>/<name>")
    return match.group(1)


def set_repository(url):
    if not GITHUB_URL.match(url):
        raise SystemExit(f"{url!r} is not a GitHub address like https://github.com/<owner>/<name>")
    text = PYPROJECT.read_text(encoding="utf-8")
    PYPROJECT.write_text(re.sub(r'(?m)^Repository = ".*"$', f'Repository = "{url.rstrip("/")}"', text),
                         encoding="utf-8")


def tracked_files():
    """The files whose links follow the repository (tests keep their own examples)."""
    names = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    return [ROOT / name for name in names
            if name.endswith(SUFFIXES) and not name.startswith("tests/") and (ROOT / name).is_file()]


def slugs_in(text):
    return {match.group(2) for match in LINKS.finditer(text)}


def rewrite(slug):
    """Replace every badge and install slug by ``slug``; return the files changed."""
    changed = []
    for path in tracked_files():
        text = path.read_text(encoding="utf-8")
        new = LINKS.sub(lambda match: match.group(1) + slug, text)
        if new != text:
            path.write_text(new, encoding="utf-8")
            changed.append(path.relative_to(ROOT))
    return changed


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url", nargs="?", help="a new https://github.com/<owner>/<name> to set first")
    args = parser.parse_args()
    if args.url:
        set_repository(args.url)
    slug = repository_slug()
    changed = rewrite(slug)
    print(f"repository {slug}: rewrote {len(changed)} file(s)" + "".join(f"\n  {path}" for path in changed))


if __name__ == "__main__":
    main()
