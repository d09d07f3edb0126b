"""Rasa glue for the office's replies (handoff/): from the request's Slack thread into the
person's conversation.

The Slack channel hands over a reply posted in the thread of a request in the office's
channel (HANDOFF_SLACK_CHANNEL). It is stored, then sent at once where the person can be
reached now: their Slack thread, or their widget when its socket is connected. Otherwise
(the REST channel, a closed widget) it waits, and arrives just before the bot's answer to
the person's next message, or when their widget reconnects. Either way it is added to the
conversation as the bot's message, marked as the office's in its data.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any

from rasa.core.channels.channel import OutputChannel
from rasa.core.channels.socketio import SocketIOOutput
from rasa.shared.core.events import BotUttered
from sanic import Blueprint, Sanic
from socketio import AsyncServer

from handoff.replies import FROM_OFFICE, as_chat_message
from handoff.settings import HandoffSettings, HandoffSettingsError
from handoff.store import HandoffRequest, HandoffStore, OfficeMessage

logger = logging.getLogger(__name__)


class OfficeReplies:
    def __init__(self) -> None:
        self.app: Sanic | None = None
        self.socket: tuple[AsyncServer, str, str] | None = None  # server, namespace, bot event
        self.slack_output: Callable[[str, str | None], OutputChannel] | None = None
        self._settings: HandoffSettings | None = None
        self._store: HandoffStore | None = None
        self._off = False

    def attach(self, blueprint: Blueprint) -> None:
        """Lets this find the server's agent once it runs (a channel's blueprint sees no app)."""

        @blueprint.listener("after_server_start")
        async def keep_app(app: Sanic, _: Any) -> None:
            self.app = app

    @property
    def settings(self) -> HandoffSettings | None:
        if self._settings is None and not self._off:
            try:
                self._settings = HandoffSettings.from_environment()
            except HandoffSettingsError as error:
                logger.error("office replies are off: %s", error)
                self._off = True
        return self._settings

    @property
    def office_channel(self) -> str | None:
        settings = self.settings
        return settings.slack.channel if settings and settings.slack else None

    @property
    def store(self) -> HandoffStore:
        if self._store is None:
            self._store = HandoffStore(self.settings.store_url)
        return self._store

    async def receive(self, thread_ts: str, text: str, author: str | None) -> bool:
        """Takes an office reply posted in the thread `thread_ts`; False when no request has that thread."""
        request = await asyncio.to_thread(self.store.request_by_office_thread, thread_ts)
        if request is None:
            return False
        reply = await asyncio.to_thread(self.store.add_reply, request.id, text, author)
        output = self._live_output(request)
        if output is None:
            logger.info(
                "office reply %s to request %s waits for the person's next visit", reply.id, request.id
            )
        else:
            await self._deliver(request.conversation_id, output, [reply])
        return True

    async def deliver_pending(self, conversation_id: str, output: OutputChannel | None) -> None:
        """Sends the office's replies that have not reached this conversation yet; never fails a message."""
        if output is None or not self.office_channel:
            return
        try:
            replies = await asyncio.to_thread(self.store.undelivered_replies, conversation_id)
            if replies:
                await self._deliver(conversation_id, output, replies)
        except Exception as error:  # the store is down: the person's own message still goes through
            logger.warning("could not look for office replies: %s: %s", type(error).__name__, error)

    def _live_output(self, request: HandoffRequest) -> OutputChannel | None:
        if request.channel == "slack" and self.slack_output is not None:
            return self.slack_output(request.reply_to.get("channel"), request.reply_to.get("thread_ts"))
        if request.channel == "socketio" and self.socket is not None:
            server, namespace, event = self.socket
            if any(True for _ in server.manager.get_participants(namespace, request.conversation_id)):
                return SocketIOOutput(server, event)
        return None

    async def _deliver(
        self, conversation_id: str, output: OutputChannel, replies: list[OfficeMessage]
    ) -> None:
        agent = self.app.ctx.agent
        office = self.settings.office
        async with agent.lock_store.lock(conversation_id):
            tracker = await agent.processor.fetch_tracker_and_update_session(conversation_id, output)
            for reply in replies:
                text = as_chat_message(office, reply)
                await output.send_text_message(conversation_id, text)
                tracker.update(BotUttered(text, data={"custom": {FROM_OFFICE: reply.id, "office": office}}))
                await asyncio.to_thread(self.store.reply_delivered, reply.id)
            await agent.processor.save_tracker(tracker)


# One per Rasa server process: the channels register with it.
OFFICE_REPLIES = OfficeReplies()
