"""Log records name their conversation, never the message; closed widget sockets raise no false alarm."""

from __future__ import annotations

import logging

from serving.conversation_logging import ClosedSocketPing, ConversationInLog, conversation_context


def record(level: int, message: str, *args: object, name: str = "rasa.core.processor") -> logging.LogRecord:
    return logging.LogRecord(name, level, __file__, 1, message, args, None)


def test_warnings_and_errors_for_a_conversation_end_with_its_id():
    tag = ConversationInLog()
    error, info = (
        record(logging.ERROR, "Failed to run custom action '%s'.", "action_understand"),
        record(logging.INFO, "loaded"),
    )

    with conversation_context("U1_D1_1.1"):
        assert tag.filter(error) and tag.filter(info)
    outside = record(logging.ERROR, "no conversation here")
    tag.filter(outside)

    assert error.getMessage() == "Failed to run custom action 'action_understand'. [conversation U1_D1_1.1]"
    assert info.getMessage() == "loaded"
    assert outside.getMessage() == "no conversation here"


def test_a_record_is_tagged_once_even_with_two_handlers():
    tag, other = ConversationInLog(), ConversationInLog()
    error = record(logging.ERROR, "boom")

    with conversation_context("c-1"):
        tag.filter(error)
        other.filter(error)

    assert error.getMessage() == "boom [conversation c-1]"


def test_an_abandoned_socket_ping_is_info_and_other_pending_tasks_stay_errors():
    ping = record(
        logging.ERROR,
        "Task was destroyed but it is pending!\ntask: <Task pending coro=<AsyncSocket._send_ping() "
        "running at /x/site-packages/engineio/async_socket.py:137>>",
        name="asyncio",
    )
    other = record(logging.ERROR, "Task was destroyed but it is pending!\ntask: <Task pending coro=<mine()>>")

    assert ClosedSocketPing().filter(ping) and ClosedSocketPing().filter(other)

    assert ping.levelno == logging.INFO and "harmless" in ping.getMessage()
    assert other.levelno == logging.ERROR
