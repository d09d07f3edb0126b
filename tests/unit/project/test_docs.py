"""The README is a short front door, and what it and docs/ point at exists: links, anchors,
make targets and `python -m` commands."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests import REPO_ROOT

README = REPO_ROOT / "README.md"
PAGES = [README, *sorted((REPO_ROOT / "docs").glob("*.md"))]
LINK = re.compile(r"\]\(([^)\s]+)\)")
MAKE = re.compile(r"`make ([a-z][a-z0-9-]*)")
PYTHON_M = re.compile(r"python -m ([a-z_][a-z_.]*)")


def anchor(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def anchors(page: Path) -> set[str]:
    return {anchor(line.lstrip("#")) for line in page.read_text().splitlines() if line.startswith("#")}


def test_the_readme_is_a_front_door_of_at_most_200_lines():
    assert len(README.read_text().splitlines()) <= 200


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.name)
def test_every_relative_link_reaches_a_file_and_heading(page):
    broken = []
    for target in LINK.findall(page.read_text()):
        if target.startswith(("http://", "https://", "mailto:")):
            continue
        path, _, fragment = target.partition("#")
        linked = (page.parent / path).resolve() if path else page
        if not linked.exists() or (fragment and linked.suffix == ".md" and fragment not in anchors(linked)):
            broken.append(target)
    assert broken == []


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.name)
def test_every_make_target_and_python_module_named_exists(page):
    text = page.read_text()
    makefile = (REPO_ROOT / "Makefile").read_text()
    targets = set(re.findall(r"^([a-z][a-z0-9-]*):", makefile, re.MULTILINE))
    missing_targets = sorted(set(MAKE.findall(text)) - targets)
    missing_modules = sorted(
        module
        for module in set(PYTHON_M.findall(text))
        if not (REPO_ROOT / module.replace(".", "/")).with_suffix(".py").exists()
        and not (REPO_ROOT / module.replace(".", "/") / "__main__.py").exists()
        and module not in {"rasa_sdk", "pytest", "pip", "venv"}
    )
    assert (missing_targets, missing_modules) == ([], [])
