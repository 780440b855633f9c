"""The published collection names nothing a reader of it cannot see: no documents it grew from, no
folders outside the repository, nothing of the machines it was built on."""

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# written in pieces, so that this file does not name what it forbids
FORBIDDEN = re.compile("|".join([
    "seed" + r"[ _-]?(document|00[0-9])",  # the documents the project grew from
    r"\.\./" + "shared",                  # a folder beside the checkout
    "shared" + "/(tools|data|seeds)",
    "torch" + "_reference",               # a script that is not in the repository
    "MEASURED" + r"\.md",
    "CPU" + " lock",                      # the build machines
]), re.IGNORECASE)
BINARY = (".npz", ".png", ".jpg", ".keras")


def tracked_text_files():
    names = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    return [name for name in names if not name.endswith(BINARY)]


def test_no_tracked_file_names_anything_outside_the_repository():
    found = {}
    for name in tracked_text_files():
        path = ROOT / name
        if path.is_file():
            hits = FORBIDDEN.findall(path.read_text(encoding="utf-8", errors="replace"))
            if hits:
                found[name] = len(hits)
    assert not found, f"mentions of things outside the repository (file: count): {found}"


def test_the_pattern_catches_what_it_should():
    assert FORBIDDEN.search("as in seed " + "002's network") and FORBIDDEN.search("MNIST_PATH=../" + "shared" + "/data")
    assert FORBIDDEN.search("the seed" + "-000 network")
    assert not FORBIDDEN.search("seeded with SEED = 42; a fixed seed of 0")
