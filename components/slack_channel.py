"""Rasa's Slack connector, configured from the environment, answering once per event, in Slack's own markup.

credentials.yml names this class instead of `slack` because Rasa's `${VAR}` expansion
refuses to start when a variable is unset, and Slack must simply be off then. On top of
Rasa's SlackInput it adds what Slack users notice:
- Slack re-sends an event it thinks failed (`X-Slack-Retry-Num`, with a reason). Rasa drops
  `http_timeout` retries unread (so an event whose first delivery never arrived is never
  answered) and answers the others again. Here events are remembered by their `event_id`:
  each is answered once, whatever the retry's reason.
- Only what a person wrote is answered: edits, deletions, file shares, joins and the
  like (any message `subtype`), and messages of bots, this one included, are ignored.
- Each Slack thread is a conversation of its own (credentials.yml:
  `conversation_granularity: thread`), so one person's two threads don't share a form.
- Replies are converted from the Markdown the bot writes to Slack's mrkdwn (links,
  bold, lists) and sent as one message rather than one per paragraph.
- Buttons become Block Kit `actions` blocks of up to 25 buttons; Rasa's drops every
  button when there are more than 5.
- In the career office's channel (HANDOFF_SLACK_CHANNEL), a reply in a request's thread
  goes to the person who asked (components/office_replies.py); nothing else there is answered.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Awaitable, Callable
from http import HTTPStatus
from typing import Any

from cachetools import TTLCache
from markdown_to_mrkdwn import SlackMarkdownConverter
from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from rasa.core.channels.slack import SlackBot, SlackInput
from rasa.shared.exceptions import RasaException
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from slack_sdk.web.async_client import AsyncWebClient

from components.office_replies import OFFICE_REPLIES
from components.web_channels import replying_on_failure

logger = logging.getLogger(__name__)

TOKEN_VARIABLE = "SLACK_BOT_TOKEN"
SECRET_VARIABLE = "SLACK_SIGNING_SECRET"
API_URL_VARIABLE = "SLACK_API_URL"
DEFAULT_API_URL = "https://slack.com/api/"
# Slack retries an event three times over about an hour and a half.
SEEN_EVENTS_TTL_S = 2 * 60 * 60
SEEN_EVENTS_MAX = 50_000
# A retry reason Slack never sends: Rasa replaces an empty list with ["http_timeout"].
NO_RETRY_REASON = ["none"]
BUTTONS_PER_BLOCK = 25
BUTTON_TITLE_MAX = 75
# Slack refuses a section block whose text is longer (block kit reference: section.text).
SECTION_TEXT_MAX = 3000
# Message subtypes that are still a person writing (Events API reference: message subtypes);
# a reply in a thread that is also sent to the channel is one.
PERSON_SUBTYPES = frozenset({None, "thread_broadcast"})

_converter = SlackMarkdownConverter()


class SlackConfigError(RasaException):
    """Only one of the token and the signing secret is set."""


def to_mrkdwn(markdown: str) -> str:
    """The bot's Markdown as Slack mrkdwn; &, < and > escaped as Slack requires of plain text."""
    escaped = markdown.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _converter.convert(escaped)


def section_blocks(text: str, limit: int = SECTION_TEXT_MAX) -> list[dict[str, Any]]:
    """mrkdwn sections of at most `limit` characters (Slack refuses longer ones with
    invalid_blocks), split between lines so a long career plan arrives whole."""
    sections: list[str] = []
    for line in text.split("\n"):
        while len(line) > limit:  # a single line longer than a section: cut it
            sections.append(line[:limit])
            line = line[limit:]
        if sections and len(sections[-1]) + 1 + len(line) <= limit:
            sections[-1] += "\n" + line
        else:
            sections.append(line)
    return [
        {"type": "section", "text": {"type": "mrkdwn", "text": section}} for section in sections if section
    ]


def button_blocks(buttons: list[dict[str, Any]]) -> list[dict[str, Any]]:
    elements = [
        {
            "type": "button",
            "text": {"type": "plain_text", "text": button["title"][:BUTTON_TITLE_MAX]},
            "value": button["payload"],
        }
        for button in buttons
    ]
    return [
        {"type": "actions", "elements": elements[start : start + BUTTONS_PER_BLOCK]}
        for start in range(0, len(elements), BUTTONS_PER_BLOCK)
    ]


class SlackReplies(SlackBot):
    """Posts replies through Slack's Web API (or SLACK_API_URL, for a proxy or a test double)."""

    def __init__(
        self,
        token: str,
        slack_channel: str | None = None,
        thread_id: str | None = None,
        proxy: str | None = None,
        api_url: str = DEFAULT_API_URL,
    ) -> None:
        super().__init__(token, slack_channel, thread_id, proxy)
        self.client = AsyncWebClient(token, base_url=api_url, proxy=proxy)

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        text = to_mrkdwn(text.strip())
        await self._post_message(
            channel=self.slack_channel or recipient_id,
            text=text,
            blocks=section_blocks(text),
        )

    async def send_text_with_buttons(
        self, recipient_id: str, text: str, buttons: list[dict[str, Any]], **kwargs: Any
    ) -> None:
        text = to_mrkdwn(text.strip())
        await self._post_message(
            channel=self.slack_channel or recipient_id,
            text=text,
            blocks=[*section_blocks(text), *button_blocks(buttons)],
        )


class SlackChannel(SlackInput):
    """Slack's Events API and interactivity at /webhooks/slack/webhook."""

    def __init__(self, *args: Any, api_url: str = DEFAULT_API_URL, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.api_url = api_url
        self._seen_events: TTLCache = TTLCache(maxsize=SEEN_EVENTS_MAX, ttl=SEEN_EVENTS_TTL_S)
        self._seen_lock = threading.Lock()

    @classmethod
    def name(cls) -> str:
        return "slack"

    @staticmethod
    def _is_user_message(slack_event: dict[str, Any]) -> bool:
        """Whether an Events API callback is a person's new message (Rasa's check also
        lets through file shares and other subtypes, and the bot's own posts without a bot_id)."""
        event = slack_event.get("event")
        if not isinstance(event, dict) or event.get("type") not in {"message", "app_mention"}:
            return False
        authorizations = slack_event.get("authorizations") or [{}]
        this_bot = authorizations[0].get("user_id") if isinstance(authorizations[0], dict) else None
        return (
            bool(event.get("text"))
            and bool(event.get("user"))
            and event.get("subtype") in PERSON_SUBTYPES
            and not event.get("bot_id")
            and not event.get("bot_profile")
            and event.get("user") != this_bot
        )

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        credentials = credentials or {}
        token = os.environ.get(TOKEN_VARIABLE, "").strip()
        secret = os.environ.get(SECRET_VARIABLE, "").strip()
        if not token and not secret:
            logger.info("Slack is off: %s and %s are not set", TOKEN_VARIABLE, SECRET_VARIABLE)
            return SlackOff()
        if not token or not secret:
            missing = TOKEN_VARIABLE if not token else SECRET_VARIABLE
            raise SlackConfigError(
                f"Slack needs both {TOKEN_VARIABLE} and {SECRET_VARIABLE}; {missing} is not set. "
                f"Set it, or unset both to run without Slack."
            )
        channel = cls(
            token,
            credentials.get("slack_channel"),
            credentials.get("proxy"),
            credentials.get("slack_retry_reason_header", "x-slack-retry-reason"),
            credentials.get("slack_retry_number_header", "x-slack-retry-num"),
            # Rasa drops retries with these reasons unread; none is dropped here, because
            # first_delivery() answers each event once whatever the reason.
            NO_RETRY_REASON,
            credentials.get("use_threads", True),
            secret,
            credentials.get("conversation_granularity", "thread"),
            api_url=os.environ.get(API_URL_VARIABLE) or DEFAULT_API_URL,
        )
        OFFICE_REPLIES.slack_output = channel.get_output_channel
        return channel

    def first_delivery(self, event_id: str | None) -> bool:
        """True the first time an event id is seen (and for payloads without one, such as button clicks)."""
        if not event_id:
            return True
        with self._seen_lock:
            if event_id in self._seen_events:
                return False
            self._seen_events[event_id] = True
            return True

    async def process_message(
        self,
        request: Request,
        on_new_message: Callable[[UserMessage], Awaitable[Any]],
        text: str,
        sender_id: str | None,
        metadata: dict | None,
    ) -> Any:
        is_event = request.headers.get("content-type") == "application/json"
        event_id = request.json.get("event_id") if is_event else None
        if not self.first_delivery(event_id):
            logger.info(
                "Slack re-sent event %s (retry %s, %s); it was already answered",
                event_id,
                request.headers.get(self.retry_num_header),
                request.headers.get(self.retry_reason_header),
            )
            return response.text("", status=HTTPStatus.OK, headers={"X-Slack-No-Retry": "1"})
        office_channel = OFFICE_REPLIES.office_channel
        if office_channel and (metadata or {}).get("out_channel") == office_channel:
            return await self._take_office_message(request)
        return await super().process_message(request, on_new_message, text, sender_id, metadata)

    def _is_supported_channel(self, slack_event: dict, metadata: dict) -> bool:
        office_channel = OFFICE_REPLIES.office_channel
        return super()._is_supported_channel(slack_event, metadata) or (
            office_channel is not None and metadata.get("out_channel") == office_channel
        )

    async def _take_office_message(self, request: Request) -> HTTPResponse:
        """A message in the office's channel: a reply in a request's thread goes to the
        person who asked; the office's other talk is not the bot's business."""
        event = request.json.get("event") or {}
        thread_ts = event.get("thread_ts")
        if thread_ts and thread_ts != event.get("ts"):
            taken = await OFFICE_REPLIES.receive(thread_ts, event.get("text", ""), event.get("user"))
            if not taken:
                logger.info("a reply in the office channel's thread %s belongs to no request", thread_ts)
        return response.text("", status=HTTPStatus.OK)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        blueprint = super().blueprint(replying_on_failure(on_new_message))
        OFFICE_REPLIES.attach(blueprint)
        return blueprint

    def get_output_channel(self, channel: str | None = None, thread_id: str | None = None) -> OutputChannel:
        channel = channel or self.slack_channel
        return SlackReplies(self.slack_token, channel, thread_id, self.proxy, self.api_url)


class SlackOff(InputChannel):
    """Stands in for Slack when it is not configured: the webhook answers 404 and says why."""

    @classmethod
    def name(cls) -> str:
        return "slack"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        off = Blueprint("slack_webhook_off", __name__)
        reason = f"Slack is off: set {TOKEN_VARIABLE} and {SECRET_VARIABLE} to turn it on"

        @off.route("/webhook", methods=["GET", "POST"])
        async def webhook(_: Request) -> HTTPResponse:
            return response.json({"error": reason}, status=HTTPStatus.NOT_FOUND)

        return off
