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
# Predicted by a rule in a pipeline component, never learnt from examples.
COMPONENT_INTENTS = {"message_too_long"}


@pytest.mark.parametrize("intent", sorted(set(DOMAIN_INTENTS) - COMPONENT_INTENTS))
def test_every_intent_has_enough_distinct_examples(intent):
    examples = examples_by_intent().get(intent, [])

    assert len({example.lower() for example in examples}) >= MIN_EXAMPLES, examples


def test_no_example_is_claimed_by_two_intents():
    seen: dict[str, str] = {}
    for intent, examples in examples_by_intent().items():
        for example in examples:
            other = seen.setdefault(example.lower(), intent)
            assert other == intent, f"{example!r} is under both {other} and {intent}"


def test_the_length_limit_the_bot_states_is_the_one_it_applies():
    config = yaml.safe_load((REPO_ROOT / "config.yml").read_text())
    [guard] = [c for c in config["pipeline"] if c["name"].endswith("LongMessageClassifier")]
    responses = yaml.safe_load((REPO_ROOT / "domain.yml").read_text())["responses"]
    [reply] = responses["utter_message_too_long"]

    assert f"{guard['max_characters']:,} characters" in reply["text"]
    assert not examples_by_intent().get("message_too_long"), "the component alone predicts it"
