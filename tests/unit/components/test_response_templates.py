"""Responses with JSON in their button payloads: sent as written, with no error logged."""

from __future__ import annotations

import asyncio
import logging

from rasa.core.nlg.response import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker

from components.response_templates import ResponseTemplates
from tests import REPO_ROOT

DOMAIN = Domain.load(str(REPO_ROOT / "domain.yml"))


def generate(response: str, generator=None, **kwargs) -> dict:
    tracker = DialogueStateTracker.from_events("unit-test", [], slots=DOMAIN.slots)
    generator = generator or ResponseTemplates(domain=DOMAIN)
    return asyncio.run(generator.generate(response, tracker, "rest", **kwargs))


def test_json_payloads_are_sent_as_written_and_nothing_is_logged_as_an_error(capfd, caplog):
    generate("utter_ask_study_hours", TemplatedNaturalLanguageGenerator(DOMAIN.responses))
    stock = capfd.readouterr()
    assert "interpolator.interpolate.text" in stock.out + stock.err  # what Rasa's own generator logs

    with caplog.at_level(logging.DEBUG):
        message = generate("utter_ask_study_hours")
    ours = capfd.readouterr()

    assert [button["payload"] for button in message["buttons"]] == [
        '/inform{"plan_answer": "2"}', '/inform{"plan_answer": "6"}', '/inform{"plan_answer": "12"}',
    ]  # fmt: skip
    assert "interpolator" not in ours.out + ours.err and "Traceback" not in ours.out + ours.err
    assert [record for record in caplog.records if record.levelno >= logging.ERROR] == []


def test_placeholders_in_texts_are_still_filled():
    message = generate("utter_plan_printable", link="http://intranet.example/plans/abc", days="30")

    assert "(http://intranet.example/plans/abc)" in message["text"] and "for 30 days" in message["text"]
