"""The career development office's side, on loopback: its mailbox (a real SMTP server,
aiosmtpd) and a JSON webhook receiver that can be taken down and brought back."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from email import message_from_bytes, policy
from email.message import EmailMessage, Message

from aiosmtpd.controller import Controller

from serving.processes import free_port
from tests.e2e.loopback import LoopbackServer


def wait_for(found: Callable[[], list], what: str, timeout_s: float = 60) -> list:
    """The non-empty list `found` returns once it has something; fails the test after the timeout."""
    deadline = time.monotonic() + timeout_s
    while not (items := found()):
        if time.monotonic() > deadline:
            raise AssertionError(f"no {what} after {timeout_s} s")
        time.sleep(0.2)
    return items


class OfficeInbox:
    def __init__(self) -> None:
        self.port = free_port()
        self.mails: list[EmailMessage] = []
        inbox = self

        class Handler:
            async def handle_DATA(self, server, session, envelope) -> str:
                inbox.mails.append(message_from_bytes(envelope.content, policy=policy.default))
                return "250 Message accepted"

        self._controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)

    def start(self) -> OfficeInbox:
        self._controller.start()
        return self

    def stop(self) -> None:
        self._controller.stop()

    def about(self, request_id: str) -> list[EmailMessage]:
        return [mail for mail in self.mails if request_id in mail["Subject"]]


class WebhookReceiver(LoopbackServer):
    """Takes POSTed JSON with 200, or answers 503 while `down` is set."""

    def __init__(self) -> None:
        super().__init__()
        self.bodies: list[dict] = []
        self.refused = 0
        self.down = threading.Event()

    @property
    def url(self) -> str:
        return f"{self.base_url}/handoff"

    def answer(self, path: str, headers: Message, body: bytes) -> tuple[int, None]:
        if self.down.is_set():
            self.refused += 1
            return 503, None
        self.bodies.append(json.loads(body))
        return 200, None

    def about(self, conversation_id: str) -> list[dict]:
        return [body for body in self.bodies if body["conversation_id"] == conversation_id]
