"""The REST and socket.io channels' additions: failures answered (without logging the text), origins."""

from __future__ import annotations

import asyncio
import logging

import pytest
import sqlalchemy.exc
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.lock_store import LockError

from components.web_channels import (
    FAILURE_REPLY,
    STORE_DOWN_REPLY,
    allowed_origins,
    origin_allowed,
    replying_on_failure,
)

PRIVATE_TEXT = "I am Jane Roe, jane.roe@example.org, and I want to leave my ward"


def handle(raising: BaseException | None) -> tuple[list[dict], object]:
    async def rasa_handler(message: UserMessage) -> str:
        if raising is not None:
            raise raising
        await message.output_channel.send_text_message(message.sender_id, "an answer")
        return "handled"

    collector = CollectingOutputChannel()
    result = asyncio.run(replying_on_failure(rasa_handler)(UserMessage(PRIVATE_TEXT, collector, "jane")))
    return collector.messages, result


def test_a_handled_message_passes_through_untouched():
    messages, result = handle(None)

    assert [m["text"] for m in messages] == ["an answer"] and result == "handled"


@pytest.mark.parametrize(
    "error",
    [
        sqlalchemy.exc.OperationalError("select", {}, Exception("connection refused")),
        LockError("could not acquire the lock"),
        ConnectionRefusedError("redis is down"),
    ],
)
def test_an_unreachable_store_is_explained_to_the_user(error, caplog):
    with caplog.at_level(logging.INFO):
        messages, _ = handle(error)

    assert [m["text"] for m in messages] == [STORE_DOWN_REPLY]
    assert "send it again" in STORE_DOWN_REPLY
    assert type(error).__name__ in caplog.text and "jane" in caplog.text
    assert "Jane Roe" not in caplog.text and "example.org" not in caplog.text


def test_any_other_failure_gets_a_generic_apology_and_the_traceback_is_logged(caplog):
    messages, _ = handle(KeyError("slots"))

    assert [m["text"] for m in messages] == [FAILURE_REPLY]
    assert "Traceback" in caplog.text and PRIVATE_TEXT not in caplog.text


def test_a_cancelled_request_is_not_answered():
    with pytest.raises(asyncio.CancelledError):
        handle(asyncio.CancelledError())


def test_the_origin_allow_list_comes_from_rasa_cors():
    assert allowed_origins({"RASA_CORS": "http://intranet.example.org https://a.example.org/"}) == [
        "http://intranet.example.org",
        "https://a.example.org",
    ]
    assert allowed_origins({"RASA_CORS": "*"}) is None
    assert allowed_origins({}) == []


@pytest.mark.parametrize(
    ("origin", "allowed", "expected"),
    [
        ("http://intranet.example.org", ["http://intranet.example.org"], True),
        ("http://evil.example.com", ["http://intranet.example.org"], False),
        ("http://localhost:5005", [], True),  # the Rasa server's own origin
        ("http://localhost:8080", [], False),
        ("http://evil.example.com", None, True),  # RASA_CORS="*"
        (None, ["http://intranet.example.org"], True),  # not a browser
    ],
)
def test_origins(origin, allowed, expected):
    assert origin_allowed(origin, "http://localhost:5005", allowed) is expected


def test_an_unavailable_conversation_store_is_explained_too(caplog):
    from components.conversation_store import ConversationStoreUnavailable

    messages, _ = handle(ConversationStoreUnavailable("connection refused"))

    assert [m["text"] for m in messages] == [STORE_DOWN_REPLY]
    assert "ConversationStoreUnavailable" in caplog.text
