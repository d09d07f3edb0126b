"""What the Rasa server's log says about a conversation: which one an error belongs to, never
what was said, and no false alarm from the widget's closed sockets.

- Rasa's own warnings and errors while it handles a message ("Failed to run custom
  action ...") do not say whose message it was. The channels set the conversation id for
  the message they hand to Rasa (`conversation_context`), and every WARNING or worse logged
  meanwhile ends with `[conversation <id>]`. The message text is never added.
- When a widget's page goes away, python-engineio leaves the socket's keep-alive ping task
  pending, and asyncio logs "Task was destroyed but it is pending!" as an ERROR with the
  task when it is collected (python-socketio issue #1119). Nothing is lost: it is logged as
  INFO instead, saying so.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

CONVERSATION: ContextVar[str | None] = ContextVar("conversation", default=None)
PENDING_TASK_MESSAGE = "Task was destroyed but it is pending"
SOCKET_PING = "engineio/async_socket.py"


@contextmanager
def conversation_context(conversation_id: str | None) -> Iterator[None]:
    """Warnings and errors logged inside name this conversation (asyncio tasks started
    inside inherit it)."""
    token = CONVERSATION.set(conversation_id)
    try:
        yield
    finally:
        CONVERSATION.reset(token)


class ConversationInLog(logging.Filter):
    """Appends `[conversation <id>]` to WARNING and worse records logged for a conversation."""

    def filter(self, record: logging.LogRecord) -> bool:
        conversation = CONVERSATION.get()
        if conversation and record.levelno >= logging.WARNING and not getattr(record, "conversation", None):
            record.msg = f"{record.getMessage()} [conversation {conversation}]"
            record.args = None
            record.conversation = conversation
        return True


class ClosedSocketPing(logging.Filter):
    """Logs asyncio's report of an abandoned engineio ping task as INFO, saying it is harmless."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if record.levelno >= logging.ERROR and PENDING_TASK_MESSAGE in message and SOCKET_PING in message:
            record.levelno, record.levelname = logging.INFO, "INFO"
            record.msg = "a closed widget connection left its keep-alive ping unfinished (harmless)"
            record.args = None
        return True


def install() -> None:
    """Adds the filters to the root logger's handlers and to asyncio's logger, once."""
    for handler in logging.getLogger().handlers:
        if not any(isinstance(f, ConversationInLog) for f in handler.filters):
            handler.addFilter(ConversationInLog())
    asyncio_logger = logging.getLogger("asyncio")
    if not any(isinstance(f, ClosedSocketPing) for f in asyncio_logger.filters):
        asyncio_logger.addFilter(ClosedSocketPing())
