"""Debian's Chromium driven by playwright, and the chat widget as a user works it."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import Page, expect

from tests import REPO_ROOT

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
# Without the background-networking flags Chromium keeps calling Google's hosts, which this
# machine's closed network refuses; --no-sandbox because the tests may run as root.
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
SCREENSHOTS = REPO_ROOT / "results/screenshots"
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
REPLY_TIMEOUT_MS = 60_000


@dataclass
class BrowsedPage:
    """A page plus what it did that a test may want to rule out."""

    page: Page
    name: str
    outside_requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def watch(self) -> None:
        self.page.on("request", self._on_request)
        self.page.on("dialog", self._on_dialog)

    def _on_request(self, request) -> None:
        url = urlsplit(request.url)
        if url.scheme in {"http", "https", "ws", "wss"} and url.hostname not in LOCAL_HOSTS:
            self.outside_requests.append(request.url)

    def _on_dialog(self, dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def screenshot(self, step: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{self.name}-{step}.png"
        self.page.screenshot(path=path, full_page=False)
        return path


class ChatWidget:
    """rasa-webchat's launcher, input box, messages and quick replies (its rw-* classes)."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.bot_messages = page.locator(".rw-response .rw-message-text")
        self.user_messages = page.locator(".rw-client .rw-message-text")
        self.quick_replies = page.locator(".rw-replies .rw-reply")

    def open(self) -> None:
        if self.page.locator(".rw-conversation-container").count() == 0:
            self.page.locator(".rw-launcher").click()
        expect(self.page.locator(".rw-new-message")).to_be_visible()

    def say(self, text: str) -> None:
        box = self.page.locator(".rw-new-message")
        box.fill(text)
        box.press("Enter")

    def wait_for_bot(self, text: str | re.Pattern) -> None:
        """Waits until a bot message contains `text`."""
        expect(self.bot_messages.filter(has_text=text).last).to_be_visible(timeout=REPLY_TIMEOUT_MS)

    def wait_for_reply_after(self, count: int) -> None:
        """Waits until there are more than `count` bot messages."""
        self.page.wait_for_function(
            "n => document.querySelectorAll('.rw-response .rw-message-text').length > n",
            arg=count,
            timeout=REPLY_TIMEOUT_MS,
        )

    def session_id(self) -> str:
        """The conversation id the widget keeps in local storage and sends as the Rasa sender."""
        return self.page.evaluate("JSON.parse(window.localStorage.getItem('chat_session')).session_id")
