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


def said_in(messages: dict) -> list[str]:
    """Every message a message set (tests/messages/*.yml) has someone say."""
    said = []
    for cases in messages.values():
        for case in cases:
            said += [case[key] for key in ("text", "opening") if key in case]
            said += [turn["text"] for turn in case.get("turns", [])]
            said += list((case.get("answers") or {}).values())
            said += [detour["text"] for detour in case.get("detours", [])]
            if case.get("stop"):
                said += [case["stop"]["text"], case["stop"]["resume"]]
    return said


def normalised(text: str) -> str:
    return re.sub(r"[^a-z0-9 ]", "", text.lower()).strip()


# Held-out messages that happen to equal phrasings the bot had before the set was written
# (the help menu's question, form examples); left in both, and these are all there are.
OLDER_PHRASINGS = {
    "what does a healthcare administrator actually do",
    "what can you help me with",
    "a couple of years",
    "unit coordinator",
}


def test_the_held_out_messages_are_never_trained_on():
    """tests/messages/held_out.yml measures the bot; neither the intent classifier's examples,
    the knowledge base's phrasings nor the dev and calibration sets may repeat one of its messages."""
    held_out = {
        normalised(text)
        for text in said_in(yaml.safe_load((REPO_ROOT / "tests/messages/held_out.yml").read_text()))
    }
    trained = [example for examples in examples_by_intent().values() for example in examples]
    for path in (REPO_ROOT / "knowledge").rglob("*.md"):
        front = path.read_text().split("---")
        if len(front) > 2:
            trained += (yaml.safe_load(front[1]) or {}).get("questions", [])
    for tuning in ("dev.yml", "calibration.yml"):
        trained += said_in(yaml.safe_load((REPO_ROOT / "tests/messages" / tuning).read_text()))

    repeated = {
        normalised(text) for text in trained if normalised(text) in held_out and len(normalised(text)) > 12
    }
    assert repeated <= OLDER_PHRASINGS, repeated - OLDER_PHRASINGS
    assert len(held_out) >= 150
