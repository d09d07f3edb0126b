"""Rasa's REST and socket.io channels, hardened for a hospital intranet.

credentials.yml names these classes instead of `rest` and `socketio`. On top of Rasa's:
- When a message cannot be handled, the user is told so. Rasa's REST channel answers an
  empty list (the widget shows nothing) when, say, the lock store is down, and logs the
  message text with the error. Here the user gets a reply that says what happened and to
  send the message again, and the log names the error, not the text. The conversation
  store (components/conversation_store.py) reports an unreachable database the same way.
- The socket.io channel accepts connections only from the web pages in RASA_CORS (the same
  allow-list `--cors` gives the REST channel). Rasa 3.6 turns python-socketio's origin
  check off, and browsers apply no CORS to websockets, so any page could chat as its user.
"""

from __future__ import annotations

import logging
import os
from asyncio import CancelledError
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.rest import RestInput
from rasa.core.channels.socketio import SocketIOInput
from rasa.core.lock_store import LockError
from sanic import Blueprint

from components.conversation_store import ConversationStoreUnavailable

logger = logging.getLogger(__name__)

ALLOWED_ORIGINS_VARIABLE = "RASA_CORS"
STORE_DOWN_REPLY = (
    "Sorry, I can't reach the place where our conversation is kept, so I couldn't take in "
    "your last message. Please send it again in a minute; if this keeps happening, let the IT team know."
)
FAILURE_REPLY = (
    "Sorry, something went wrong on my side and I couldn't take in your last message. "
    "Please send it again; if this keeps happening, let the IT team know."
)

MessageHandler = Callable[[UserMessage], Awaitable[Any]]


def is_store_outage(error: BaseException) -> bool:
    """A database or Redis that cannot be reached, or a conversation lock that cannot be taken."""
    if isinstance(error, (LockError, ConversationStoreUnavailable)):
        return True
    module = type(error).__module__
    return module.startswith(("sqlalchemy.", "redis.", "psycopg2")) or isinstance(error, ConnectionError)


def replying_on_failure(on_new_message: MessageHandler) -> MessageHandler:
    """Wraps Rasa's message handler so that a failure is answered instead of swallowed."""

    async def handle(message: UserMessage) -> Any:
        try:
            return await on_new_message(message)
        except CancelledError:
            raise
        except (Exception, ConversationStoreUnavailable) as error:
            outage = is_store_outage(error)
            # The exception and the sender, never the message: it may hold personal details.
            logger.error(
                "could not handle a message from %s: %s: %s",
                message.sender_id,
                type(error).__name__,
                str(error).splitlines()[0] if str(error) else "",
                exc_info=not outage,
            )
            if message.output_channel is not None:
                reply = STORE_DOWN_REPLY if outage else FAILURE_REPLY
                await message.output_channel.send_text_message(message.sender_id, reply)
            return None

    return handle


def allowed_origins(environ: dict[str, str] | None = None) -> list[str] | None:
    """The web pages allowed to open a socket.io connection: RASA_CORS, space-separated;
    None when "*" allows any; [] (same origin only) when unset."""
    value = (environ if environ is not None else os.environ).get(ALLOWED_ORIGINS_VARIABLE, "")
    origins = value.split()
    return None if "*" in origins else [origin.rstrip("/") for origin in origins]


def origin_allowed(origin: str | None, host_url: str, allowed: list[str] | None) -> bool:
    """Whether a connection from `origin` to the server at `host_url` may chat."""
    if origin is None or allowed is None:
        # No Origin header: not a browser page (scripts, server-to-server).
        return True
    origin = origin.rstrip("/")
    return origin == host_url or origin in allowed


class RestChannel(RestInput):
    """POST /webhooks/rest/webhook, as Rasa's, but failures are answered."""

    @classmethod
    def name(cls) -> str:
        return "rest"

    def blueprint(self, on_new_message: MessageHandler) -> Blueprint:
        return super().blueprint(replying_on_failure(on_new_message))


class SocketIOChannel(SocketIOInput):
    """socket.io for the web widget, as Rasa's, with an origin allow-list and failures answered."""

    @classmethod
    def name(cls) -> str:
        return "socketio"

    def blueprint(self, on_new_message: MessageHandler) -> Blueprint:
        blueprint = super().blueprint(replying_on_failure(on_new_message))
        namespace = self.namespace or "/"
        rasa_connect = self.sio.handlers[namespace]["connect"]
        allowed = allowed_origins()

        async def connect(sid: str, environ: dict, auth: dict | None = None) -> bool:
            origin = environ.get("HTTP_ORIGIN")
            host_url = f"{environ.get('wsgi.url_scheme', 'http')}://{environ.get('HTTP_HOST', '')}"
            if not origin_allowed(origin, host_url, allowed):
                logger.warning(
                    "refused a socket.io connection from %s: not in %s", origin, ALLOWED_ORIGINS_VARIABLE
                )
                return False
            return await rasa_connect(sid, environ, auth)

        self.sio.on("connect", namespace=self.namespace)(connect)
        return blueprint
