"""The action server's log names the conversation an action ran for, never what was said."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import pytest

from rasa_sdk_plugins import configure_logging, sender_of
from serving.conversation_logging import CONVERSATION, ConversationInLog


@dataclass
class Call:
    path: str
    body: Any

    @property
    def json(self) -> Any:
        if isinstance(self.body, Exception):
            raise self.body
        return self.body


@pytest.mark.parametrize(
    ("call", "sender"),
    [
        (Call("/webhook", {"sender_id": "U1_D1_1.1", "tracker": {}}), "U1_D1_1.1"),
        (Call("/webhook", {"next_action": "x"}), None),
        (Call("/webhook", ["not", "an", "object"]), None),
        (Call("/webhook", ValueError("malformed JSON")), None),
        (Call("/health", None), None),
    ],
    ids=["action-call", "no-sender", "list-body", "malformed", "health"],
)
def test_the_conversation_comes_from_the_action_calls_sender_id(call, sender):
    assert sender_of(call) == sender


def test_after_configuration_warnings_for_a_conversation_name_it(caplog):
    configure_logging()
    assert all(
        any(isinstance(f, ConversationInLog) for f in handler.filters)
        for handler in logging.getLogger().handlers
    )
    assert logging.getLogger("faiss.loader").getEffectiveLevel() >= logging.WARNING

    token = CONVERSATION.set("quiet-42")
    try:
        record = logging.LogRecord(
            "actions.answer_question", logging.ERROR, __file__, 1, "no index", None, None
        )
        ConversationInLog().filter(record)
    finally:
        CONVERSATION.reset(token)
    assert record.getMessage() == "no index [conversation quiet-42]"
