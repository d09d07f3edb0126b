"""A local stand-in for Slack: its Web API on loopback, recording chat.postMessage, and signed events.

Slack's servers cannot be reached from here, so the bot talks to this over real HTTP with
the same methods, JSON and bearer token; the events it receives are signed as Slack signs them.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
import uuid
from collections.abc import Callable
from email.message import Message
from urllib.parse import parse_qs, urlencode

import requests

from tests.e2e.loopback import LoopbackServer

# Slack's documented limits on chat.postMessage (Block Kit reference), checked as Slack does.
MAX_BLOCKS = 50
MAX_SECTION_TEXT = 3000


def refusal(method: str, body: dict) -> str | None:
    """The error Slack answers a call with, or None when it would accept it."""
    if method != "chat.postMessage":
        return None
    blocks = body.get("blocks") or []
    if isinstance(blocks, str):
        blocks = json.loads(blocks)
    too_long = any(len(block.get("text", {}).get("text", "")) > MAX_SECTION_TEXT for block in blocks)
    return "invalid_blocks" if too_long or len(blocks) > MAX_BLOCKS else None


class FakeSlackApi(LoopbackServer):
    def __init__(self) -> None:
        super().__init__()
        self.calls: list[dict] = []
        self._changed = threading.Condition()

    @property
    def url(self) -> str:
        return f"{self.base_url}/api/"

    def answer(self, path: str, headers: Message, body: bytes) -> tuple[int, dict]:
        if headers.get("Content-Type", "").startswith("application/json"):
            fields = json.loads(body or b"{}")
        else:
            fields = {key: values[0] for key, values in parse_qs(body.decode()).items()}
        method = path.removeprefix("/api/")
        error = refusal(method, fields)
        ts = f"{time.time():.6f}"  # the posted message's id, as Slack answers it
        self.record(
            {"method": method, "authorization": headers.get("Authorization"), **fields}
            | ({"error": error} if error else {"posted_ts": ts})
        )
        if error:
            return 200, {"ok": False, "error": error}
        return 200, {"ok": True, "channel": fields.get("channel"), "ts": ts}

    def record(self, call: dict) -> None:
        with self._changed:
            self.calls.append(call)
            self._changed.notify_all()

    def posts(self, where: Callable[[dict], bool] = lambda _: True) -> list[dict]:
        with self._changed:
            return [
                c for c in self.calls if c["method"] == "chat.postMessage" and "error" not in c and where(c)
            ]

    def refused(self) -> list[dict]:
        """Calls Slack would have refused, with its error code."""
        with self._changed:
            return [c for c in self.calls if "error" in c]

    def wait_for_posts(
        self, where: Callable[[dict], bool], count: int = 1, timeout_s: float = 60
    ) -> list[dict]:
        """The matching posts once there are `count` of them; fails the test after the timeout."""
        deadline = time.monotonic() + timeout_s
        with self._changed:
            while len(matching := self.posts(where)) < count:
                if not self._changed.wait(timeout=max(0.0, deadline - time.monotonic())):
                    raise AssertionError(f"expected {count} chat.postMessage calls, got {matching}")
            return matching


def sign(body: bytes, secret: str, timestamp: int | None = None) -> dict[str, str]:
    """Slack's request signature (v0): HMAC-SHA256 of `v0:{timestamp}:{body}` with the signing secret."""
    timestamp = int(time.time()) if timestamp is None else timestamp
    digest = hmac.new(secret.encode(), f"v0:{timestamp}:".encode() + body, hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": str(timestamp), "X-Slack-Signature": f"v0={digest}"}


def message_event(text: str, user: str, channel: str = "D0ADVISOR", thread_ts: str | None = None) -> dict:
    """An Events API `message.im` callback, as Slack sends it for a direct message to the app."""
    ts = f"{time.time():.6f}"
    event = {
        "type": "message",
        "channel_type": "im",
        "user": user,
        "text": text,
        "ts": ts,
        "channel": channel,
    }
    if thread_ts:
        event["thread_ts"] = thread_ts
    return {
        "token": "unused-verification-token",
        "team_id": "T0HOSPITAL",
        "api_app_id": "A0ADVISOR",
        "type": "event_callback",
        "event_id": f"Ev{uuid.uuid4().hex[:10].upper()}",
        "event_time": int(time.time()),
        "authorizations": [{"user_id": "U0ADVISORBOT", "is_bot": True}],
        "event": event,
    }


OFFICE_CHANNEL = "C0CAREEROFFICE"
OFFICER = "U0CAREEROFFICER"


def office_reply_event(text: str, thread_ts: str, user: str = OFFICER) -> dict:
    """A person at the office replying in the thread of a request in the office's channel."""
    event = message_event(text, user, channel=OFFICE_CHANNEL, thread_ts=thread_ts)
    event["event"]["channel_type"] = "channel"
    return event


def button_click(value: str, user: str, channel: str, message_ts: str, thread_ts: str | None) -> dict:
    """A `block_actions` interactivity payload: the user clicked a button the bot posted."""
    message = {"ts": message_ts, **({"thread_ts": thread_ts} if thread_ts else {})}
    return {
        "type": "block_actions",
        "user": {"id": user},
        "channel": {"id": channel},
        "message": message,
        "actions": [{"type": "button", "action_id": "a1", "block_id": "b1", "value": value}],
    }


class SlackEvents:
    """Sends signed requests to the Rasa server's Slack webhook."""

    def __init__(self, webhook: str, secret: str) -> None:
        self.webhook = webhook
        self.secret = secret

    def post_event(self, event: dict, headers: dict[str, str] | None = None, **signing) -> requests.Response:
        body = json.dumps(event).encode()
        signed = sign(body, signing.pop("secret", self.secret), **signing)
        return requests.post(
            self.webhook,
            data=body,
            headers={"Content-Type": "application/json", **signed, **(headers or {})},
            timeout=30,
        )

    def post_interaction(self, payload: dict) -> requests.Response:
        body = urlencode({"payload": json.dumps(payload)}).encode()
        return requests.post(
            self.webhook,
            data=body,
            headers={"Content-Type": "application/x-www-form-urlencoded", **sign(body, self.secret)},
            timeout=30,
        )
