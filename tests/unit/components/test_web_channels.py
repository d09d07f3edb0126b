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
    request_problem,
    socket_message_problem,
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


@pytest.mark.parametrize(
    ("body", "field", "problem"),
    [
        ([{"sender": "a", "message": "hi"}], "body", "must be a JSON object, not a list"),
        ({"message": "hi"}, "sender", "is required"),
        ({"sender": "", "message": "hi"}, "sender", "must not be empty"),
        ({"sender": None, "message": "hi"}, "sender", "is required"),
        ({"sender": 42, "message": "hi"}, "sender", "must be a string, not a number"),
        ({"sender": "x" * 256, "message": "hi"}, "sender", "at most 255 characters, not 256"),
        ({"sender": "a\nb", "message": "hi"}, "sender", "control characters"),
        ({"sender": "a"}, "message", "is required"),
        ({"sender": "a", "message": None}, "message", "is required"),
        ({"sender": "a", "message": 123}, "message", "must be a string, not a number"),
        ({"sender": "a", "message": ["hi"]}, "message", "must be a string, not a list"),
        ({"sender": "a", "message": "  "}, "message", "must not be empty"),
        (
            {"sender": "a", "message": "hi", "metadata": "oops"},
            "metadata",
            "must be a JSON object, not a string",
        ),
    ],
)
def test_a_malformed_rest_request_is_refused_naming_its_field(body, field, problem):
    found = request_problem(body)

    assert found is not None and found[0] == field and problem in found[1]


def test_a_well_formed_rest_request_passes():
    assert request_problem({"sender": "x" * 255, "message": "hi", "metadata": {"a": 1}}) is None
    assert request_problem({"sender": "nurse-1", "message": "hi", "metadata": None}) is None


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        ("hi", "payload must be an object"),
        ({"message": "hi"}, "session_id is required"),
        ({"message": "hi", "session_id": "other"}, "not the session this socket joined"),
        ({"message": "", "session_id": "mine"}, "message must be a non-empty string"),
        ({"message": 5, "session_id": "mine"}, "message must be a non-empty string"),
        ({"message": "hi", "session_id": "mine", "customData": [1]}, "customData must be an object"),
        (
            {"message": "hi", "session_id": "mine", "customData": "{oops"},
            "customData is text that is not JSON",
        ),
    ],
)
def test_a_malformed_socket_message_is_named(data, problem):
    assert problem in socket_message_problem(data, ["sid-1", "mine"])


def test_a_socket_message_for_its_own_session_passes():
    assert (
        socket_message_problem({"message": "hi", "session_id": "mine", "customData": {}}, ["sid-1", "mine"])
        is None
    )
    assert (
        socket_message_problem({"message": "hi"}, None) is None
    )  # sessions not kept: the socket is the conversation
