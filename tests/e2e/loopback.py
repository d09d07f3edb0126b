"""An HTTP server on loopback, in a thread of its own, for the services the bot calls that
cannot be reached from here (Slack's Web API, the career office's webhook)."""

from __future__ import annotations

import json
import threading
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Self


class LoopbackServer:
    """Answers each POST with `answer(path, headers, body)`: a status and a JSON reply (None: empty)."""

    def __init__(self) -> None:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                status, reply = server.answer(self.path, self.headers, raw)
                payload = b"" if reply is None else json.dumps(reply).encode()
                self.send_response(status)
                if reply is not None:
                    self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args: object) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def start(self) -> Self:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()

    def answer(self, path: str, headers: Message, body: bytes) -> tuple[int, dict | None]:
        raise NotImplementedError
