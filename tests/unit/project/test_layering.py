"""Code outside tests/ never imports tests/: what the servers, benches and tools share with
the tests lives in their own packages (serving/, learning_from_use/store_writer.py)."""

from __future__ import annotations

import ast
import itertools

from tests import REPO_ROOT

OUTSIDE_TESTS = [
    "actions", "bench", "components", "intranet_site", "learning_from_use", "local_cluster",
    "handoff", "planning", "rasa_sdk_plugins", "retrieval", "scripts", "serving", "understanding",
]  # fmt: skip


def imported_modules(tree: ast.Module) -> set[str]:
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_nothing_outside_tests_imports_tests():
    offenders = {
        str(path.relative_to(REPO_ROOT)): sorted(
            m for m in imported_modules(ast.parse(path.read_text())) if m.split(".")[0] == "tests"
        )
        for package in OUTSIDE_TESTS
        for path in sorted((REPO_ROOT / package).rglob("*.py"))
    }

    assert {path: modules for path, modules in offenders.items() if modules} == {}


def test_the_check_sees_the_packages_it_guards():
    assert all((REPO_ROOT / package).is_dir() for package in OUTSIDE_TESTS)
    assert "serving.bot_servers" in imported_modules(ast.parse((REPO_ROOT / "bench/startup.py").read_text()))


def test_every_command_line_in_the_packages_uses_typer():
    """One CLI library. scripts/render_endpoints.py keeps argparse: it runs in Rasa's
    environment and container image, which have no typer (nor rich, which typer brings)."""
    others = {"argparse", "click", "fire", "docopt"}
    offenders = {
        str(path.relative_to(REPO_ROOT)): sorted(imported_modules(ast.parse(path.read_text())) & others)
        for package in OUTSIDE_TESTS
        if package != "scripts"
        for path in sorted((REPO_ROOT / package).rglob("*.py"))
    }

    assert {path: modules for path, modules in offenders.items() if modules} == {}


def test_the_unit_tier_mirrors_the_source_tree():
    """tests/unit/<package>/ for each package it tests (project/ holds the rules about the whole)."""
    folders = {
        path.name
        for path in (REPO_ROOT / "tests/unit").iterdir()
        if path.is_dir() and path.name != "__pycache__"
    }

    assert folders - {"project"} <= set(OUTSIDE_TESTS)
    assert {"actions", "components", "retrieval", "planning", "understanding", "learning_from_use"} <= folders


def server_command_lines(tree: ast.Module) -> list[str]:
    """List literals that start one of the servers: `-m rasa_sdk`, `-m intranet_site`,
    `-m supervisor.supervisord`, or `run --model` (Rasa)."""
    servers = {"rasa_sdk", "intranet_site", "supervisor.supervisord"}
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.List):
            continue
        words = [
            item.value for item in node.elts if isinstance(item, ast.Constant) and isinstance(item.value, str)
        ]
        pairs = set(itertools.pairwise(words))
        if any(("-m", server) in pairs for server in servers) or ("run", "--model") in pairs:
            found.append(" ".join(words))
    return found


def test_each_server_is_defined_once_in_serving():
    """The servers' command lines live in serving/processes.py (supervisord's in
    supervision.py); everything else, tests included, starts them through it."""
    allowed = {REPO_ROOT / "serving/processes.py", REPO_ROOT / "serving/supervision.py"}
    offenders = {
        str(path.relative_to(REPO_ROOT)): server_command_lines(ast.parse(path.read_text()))
        for package in [*OUTSIDE_TESTS, "tests"]
        for path in sorted((REPO_ROOT / package).rglob("*.py"))
        if path not in allowed
    }
    defined = server_command_lines(ast.parse((REPO_ROOT / "serving/processes.py").read_text()))

    assert {path: found for path, found in offenders.items() if found} == {}
    assert len(defined) == 3, defined  # the action server, Rasa, the intranet site
    assert not (REPO_ROOT / "scripts/serve").exists(), "make run is `python -m serving run`"
