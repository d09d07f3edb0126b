"""Where a request goes: the office's Slack channel, an e-mail inbox, a JSON webhook.

Each destination sends one message of a request (its first question, or one that joined it
later) and raises DeliveryError when it could not; desk.py retries. Nothing here decides
what is masked: the request's transcript and question were masked when they were stored.
"""

from __future__ import annotations

import smtplib
from datetime import datetime, timezone
from email.message import EmailMessage
from typing import Any, Protocol

import httpx

from handoff.settings import EmailSettings, SlackSettings
from handoff.store import HandoffRequest, OfficeMessage

TIMEOUT_S = 10.0
TRANSCRIPT_LINES = 40  # the end of a long conversation is what the office needs


class DeliveryError(RuntimeError):
    """The destination did not take the message; worth trying again later."""


class Destination(Protocol):
    name: str

    def send(self, request: HandoffRequest, message: OfficeMessage, office: str) -> str | None:
        """Sends `message` of `request`; returns the destination's id for it (Slack's ts) or None."""


def iso(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, timezone.utc).isoformat(timespec="seconds")


def transcript_lines(request: HandoffRequest) -> list[str]:
    lines = [
        f"{'Person' if turn['from'] == 'person' else 'Bot'}: {turn['text']}"
        for turn in request.transcript[-TRANSCRIPT_LINES:]
    ]
    skipped = len(request.transcript) - len(lines)
    return ([f"(… {skipped} earlier messages)"] if skipped > 0 else []) + lines


def plain_text(request: HandoffRequest, message: OfficeMessage, joined: bool) -> str:
    """The request as the office reads it in an e-mail."""
    head = (
        "They asked again in the same conversation"
        if joined
        else "A person asked the career advisor for a person"
    )
    parts = [
        f"{head} (request {request.id}, conversation {request.conversation_id}, via {request.channel}).",
        "",
        f"Question: {message.text}",
        f"How to reach them: {request.contact or 'not given (answer in Slack to reach them in the chat)'}",
        "",
        "The conversation so far (names, e-mail addresses and phone numbers masked):",
        *transcript_lines(request),
    ]
    return "\n".join(parts)


def webhook_body(
    request: HandoffRequest, message: OfficeMessage, office: str, joined: bool
) -> dict[str, Any]:
    """The JSON the webhook receives (documented in docs/handoff.md)."""
    return {
        "type": "handoff.question_added" if joined else "handoff.requested",
        "request_id": request.id,
        "conversation_id": request.conversation_id,
        "channel": request.channel,
        "office": office,
        "question": message.text,
        "contact": request.contact,
        "asked_at": iso(message.at),
        "requested_at": iso(request.created_at),
        "transcript": request.transcript,
    }


def _is_joined(request: HandoffRequest, message: OfficeMessage) -> bool:
    return message.at > request.created_at


class SlackDestination:
    """One message per request in the office's channel (chat.postMessage with the bot's
    token); questions that join it later, in its thread. The office answers in that thread."""

    name = "slack"

    def __init__(self, settings: SlackSettings, client: httpx.Client | None = None) -> None:
        self.settings = settings
        self.client = client or httpx.Client(timeout=TIMEOUT_S)

    def send(self, request: HandoffRequest, message: OfficeMessage, office: str) -> str | None:
        joined = _is_joined(request, message)
        if joined and request.office_thread is None:
            raise DeliveryError("the request's own message is not in the channel yet")
        if joined:
            text = f"*They asked again:* {message.text}" + (
                f"\n*How to reach them:* {request.contact}" if request.contact else ""
            )
        else:
            text = "\n".join([
                f"*A question for the {office}* (request `{request.id}`, via {request.channel}, "
                f"conversation `{request.conversation_id}`)",
                f"*Question:* {message.text}",
                f"*How to reach them:* {request.contact or 'not given'}",
                "*The conversation so far* (names, e-mail addresses and phone numbers masked):",
                *(f"> {line}" for line in transcript_lines(request)),
                "_Reply in this thread: your reply goes to them in their chat._",
            ])  # fmt: skip
        body: dict[str, Any] = {"channel": self.settings.channel, "text": text, "unfurl_links": False}
        if joined:
            body["thread_ts"] = request.office_thread
        try:
            response = self.client.post(
                f"{self.settings.api_url}chat.postMessage",
                json=body,
                headers={"Authorization": f"Bearer {self.settings.token}"},
            )
            reply = response.json()
        except (httpx.HTTPError, ValueError) as error:
            raise DeliveryError(f"Slack: {type(error).__name__}: {error}") from error
        if response.status_code >= 400 or not reply.get("ok"):
            raise DeliveryError(f"Slack refused: {reply.get('error') or response.status_code}")
        return None if joined else reply.get("ts")


class EmailDestination:
    name = "email"

    def __init__(self, settings: EmailSettings) -> None:
        self.settings = settings

    def send(self, request: HandoffRequest, message: OfficeMessage, office: str) -> str | None:
        joined = _is_joined(request, message)
        mail = EmailMessage()
        mail["Subject"] = (
            f"{'Re: ' if joined else ''}Career advisor: a question for the {office} [{request.id}]"
        )
        mail["From"] = self.settings.sender
        mail["To"] = self.settings.to
        mail.set_content(plain_text(request, message, joined))
        try:
            with smtplib.SMTP(self.settings.host, self.settings.port, timeout=TIMEOUT_S) as smtp:
                if self.settings.starttls:
                    smtp.starttls()
                if self.settings.user:
                    smtp.login(self.settings.user, self.settings.password)
                smtp.send_message(mail)
        except (OSError, smtplib.SMTPException) as error:
            raise DeliveryError(f"SMTP {self.settings.host}:{self.settings.port}: {error}") from error
        return None


class WebhookDestination:
    name = "webhook"

    def __init__(self, url: str, client: httpx.Client | None = None) -> None:
        self.url = url
        self.client = client or httpx.Client(timeout=TIMEOUT_S)

    def send(self, request: HandoffRequest, message: OfficeMessage, office: str) -> str | None:
        body = webhook_body(request, message, office, _is_joined(request, message))
        try:
            response = self.client.post(self.url, json=body)
        except httpx.HTTPError as error:
            raise DeliveryError(f"webhook: {type(error).__name__}: {error}") from error
        if response.status_code >= 300:
            raise DeliveryError(f"webhook answered {response.status_code}")
        return None
