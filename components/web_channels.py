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
- The career office's replies that could not reach a person at once (components/office_replies.py)
  arrive just before the answer to their next message, and in the widget when it reconnects.
- Requests are checked before Rasa sees them. Rasa's REST channel puts a request without a
  sender into one conversation called "default" that every such request shares, answers
  a missing message with an apology, a non-string one with silence and a JSON list with
  a 500. Here each of those gets a 400 naming the field, and nothing is stored. A socket.io
  message is ignored with a warning unless it is well formed and carries the session this
  socket joined.
"""

from __future__ import annotations

import json
import logging
import os
import re
from asyncio import CancelledError
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.rest import RestInput
from rasa.core.channels.socketio import SocketIOInput, SocketIOOutput
from rasa.core.lock_store import LockError
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from components.conversation_store import ConversationStoreUnavailable
from components.office_replies import OFFICE_REPLIES
from serving import conversation_logging
from serving.conversation_logging import conversation_context

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

# Rasa's SQL tracker store keeps sender ids in a 255-character column.
MAX_SENDER_CHARS = 255
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def request_problem(body: Any) -> tuple[str, str] | None:
    """What is wrong with a REST request body, as (field, problem); None when it is fine.

    A body must be a JSON object with a non-empty string `sender` (at most 255 characters,
    no control characters) and a non-empty string `message`; `metadata`, when given, an object.
    """
    if not isinstance(body, dict):
        return "body", f"must be a JSON object, not {_json_type(body)}"
    sender = body.get("sender")
    problem = sender_problem(sender)
    if problem:
        return "sender", problem
    message = body.get("message")
    if not isinstance(message, str):
        return (
            "message",
            "is required, as a string" if message is None else f"must be a string, not {_json_type(message)}",
        )
    if not message.strip():
        return "message", "must not be empty"
    metadata = body.get("metadata")
    if metadata is not None and not isinstance(metadata, dict):
        return "metadata", f"must be a JSON object, not {_json_type(metadata)}"
    return None


def sender_problem(sender: Any) -> str | None:
    if sender is None:
        return "is required, as a string naming the conversation"
    if not isinstance(sender, str):
        return f"must be a string, not {_json_type(sender)}"
    if not sender.strip():
        return "must not be empty"
    if len(sender) > MAX_SENDER_CHARS:
        return f"must be at most {MAX_SENDER_CHARS} characters, not {len(sender)}"
    if _CONTROL_CHARACTERS.search(sender):
        return "must not hold control characters"
    return None


def _json_type(value: Any) -> str:
    names = {dict: "an object", list: "a list", str: "a string", bool: "true or false", type(None): "null"}
    return names.get(type(value), "a number" if isinstance(value, (int, float)) else type(value).__name__)


def socket_message_problem(
    data: Any, joined: list[str] | None, metadata_key: str = "customData"
) -> str | None:
    """What is wrong with a socket.io `user_uttered` payload from a socket in the rooms
    `joined` (None: sessions are not kept, the socket is the conversation); None when fine."""
    if not isinstance(data, dict):
        return f"the payload must be an object, not {_json_type(data)}"
    if joined is not None:
        problem = sender_problem(data.get("session_id"))
        if problem:
            return f"session_id {problem}"
        if data["session_id"] not in joined:
            return "session_id is not the session this socket joined"
    message = data.get("message")
    if not isinstance(message, str) or not message.strip():
        return "message must be a non-empty string"
    metadata = data.get(metadata_key)
    if isinstance(metadata, str):  # Rasa accepts it as JSON text
        try:
            metadata = json.loads(metadata)
        except ValueError:
            return f"{metadata_key} is text that is not JSON"
    if metadata is not None and not isinstance(metadata, dict):
        return f"{metadata_key} must be an object, not {_json_type(metadata)}"
    return None


def is_store_outage(error: BaseException) -> bool:
    """A database or Redis that cannot be reached, or a conversation lock that cannot be taken."""
    if isinstance(error, (LockError, ConversationStoreUnavailable)):
        return True
    module = type(error).__module__
    return module.startswith(("sqlalchemy.", "redis.", "psycopg2")) or isinstance(error, ConnectionError)


def replying_on_failure(on_new_message: MessageHandler) -> MessageHandler:
    """Wraps Rasa's message handler so that a failure is answered instead of swallowed, and
    what is logged while handling a message names its conversation."""
    conversation_logging.install()

    async def handle(message: UserMessage) -> Any:
        try:
            with conversation_context(message.sender_id):
                # The office's replies that could not reach this person yet come first.
                await OFFICE_REPLIES.deliver_pending(message.sender_id, message.output_channel)
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
        blueprint = super().blueprint(replying_on_failure(on_new_message))
        OFFICE_REPLIES.attach(blueprint)

        @blueprint.on_request
        async def refuse_malformed(request: Request) -> HTTPResponse | None:
            if request.method != "POST" or not request.path.endswith("/webhook"):
                return None
            try:
                body = json.loads(request.body or b"")
            except ValueError:
                return refusal("body", "must be a JSON object (this is not JSON)")
            problem = request_problem(body)
            return refusal(*problem) if problem else None

        return blueprint


def refusal(field: str, problem: str) -> HTTPResponse:
    return response.json({"error": f"{field} {problem}", "field": field}, status=400)


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

        rasa_handle_message = self.sio.handlers[namespace][self.user_message_evt]

        async def handle_message(sid: str, data: Any) -> None:
            joined = self.sio.rooms(sid, namespace=namespace) if self.session_persistence else None
            problem = socket_message_problem(data, joined, self.metadata_key)
            if problem:
                # The socket stays connected; the widget can send a good message next.
                logger.warning("ignored a socket.io message from %s: %s", sid, problem)
                return
            await rasa_handle_message(sid, data)

        self.sio.on(self.user_message_evt, namespace=self.namespace)(handle_message)

        OFFICE_REPLIES.attach(blueprint)
        OFFICE_REPLIES.socket = (self.sio, namespace, self.bot_message_evt)
        rasa_session_request = self.sio.handlers[namespace]["session_request"]

        async def session_request(sid: str, data: Any) -> None:
            await rasa_session_request(sid, data)
            session = data.get("session_id") if isinstance(data, dict) else None
            if (
                self.session_persistence
                and isinstance(session, str)
                and session in self.sio.rooms(sid, namespace)
            ):
                # Back on the page: what the office answered meanwhile arrives now.
                await OFFICE_REPLIES.deliver_pending(session, SocketIOOutput(self.sio, self.bot_message_evt))

        self.sio.on("session_request", namespace=self.namespace)(session_request)
        return blueprint
