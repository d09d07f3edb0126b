"""The end-to-end tier runs on pytest-xdist workers; the fixtures whose tests must stay on
one worker (tests/e2e/conftest.py ONE_WORKER_FIXTURES) must exist, or a renamed fixture would
quietly split an outage over two bots."""

from __future__ import annotations

import ast

from tests import REPO_ROOT

E2E = REPO_ROOT / "tests/e2e"


def fixtures_defined(tree: ast.Module) -> set[str]:
    def is_fixture(decorator: ast.expr) -> bool:
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        return isinstance(target, ast.Attribute) and target.attr == "fixture"

    return {
        node.name
        for node in tree.body
        if isinstance(node, ast.FunctionDef) and any(map(is_fixture, node.decorator_list))
    }


def one_worker_fixtures() -> tuple[str, ...]:
    conftest = ast.parse((E2E / "conftest.py").read_text())
    [value] = [
        node.value
        for node in conftest.body
        if isinstance(node, ast.Assign) and [t.id for t in node.targets] == ["ONE_WORKER_FIXTURES"]
    ]
    return ast.literal_eval(value)


def test_every_fixture_kept_on_one_worker_is_defined_in_the_end_to_end_tier():
    defined = set().union(*(fixtures_defined(ast.parse(path.read_text())) for path in E2E.glob("*.py")))
    named = one_worker_fixtures()

    assert {"action_server_outage", "action_server_misconfigured"} <= set(named)
    assert set(named) - defined == set()


def test_make_runs_the_end_to_end_tier_on_workers_that_keep_those_groups():
    recipe = (REPO_ROOT / "Makefile").read_text().split("\ntest-e2e:")[1].split("\n\n")[0]

    assert "-n $(E2E_WORKERS) --dist loadgroup" in recipe
