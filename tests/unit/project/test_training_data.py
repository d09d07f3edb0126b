"""Rules about the training data that `rasa data validate` does not check."""

from __future__ import annotations

import re

import pytest
import yaml

from tests import REPO_ROOT

MIN_EXAMPLES = 15


def examples_by_intent() -> dict[str, list[str]]:
    examples: dict[str, list[str]] = {}
    for path in sorted((REPO_ROOT / "data/nlu").glob("*.yml")):
        for block in yaml.safe_load(path.read_text()).get("nlu", []):
            lines = [re.sub(r"^- ", "", line).strip() for line in block["examples"].splitlines()]
            examples.setdefault(block["intent"], []).extend(line for line in lines if line)
    return examples


DOMAIN_INTENTS = yaml.safe_load((REPO_ROOT / "domain.yml").read_text())["intents"]


@pytest.mark.parametrize("intent", DOMAIN_INTENTS)
def test_every_intent_has_enough_distinct_examples(intent):
    examples = examples_by_intent().get(intent, [])

    assert len({example.lower() for example in examples}) >= MIN_EXAMPLES, examples


def test_no_example_is_claimed_by_two_intents():
    seen: dict[str, str] = {}
    for intent, examples in examples_by_intent().items():
        for example in examples:
            other = seen.setdefault(example.lower(), intent)
            assert other == intent, f"{example!r} is under both {other} and {intent}"
