"""The career development office's side, on loopback: its mailbox (a real SMTP server,
aiosmtpd) and a JSON webhook receiver that can be taken down and brought back."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from email import message_from_bytes, policy
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from aiosmtpd.controller import Controller

from serving.processes import free_port


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


class WebhookReceiver:
    """Takes POSTed JSON with 200, or answers 503 while `down` is set."""

    def __init__(self) -> None:
        self.bodies: list[dict] = []
        self.refused = 0
        self.down = threading.Event()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                if receiver.down.is_set():
                    receiver.refused += 1
                    self.send_response(503)
                else:
                    receiver.bodies.append(json.loads(raw))
                    self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/handoff"

    def start(self) -> WebhookReceiver:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()

    def about(self, conversation_id: str) -> list[dict]:
        return [body for body in self.bodies if body["conversation_id"] == conversation_id]
