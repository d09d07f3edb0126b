"""The conversation store: Rasa's SQL tracker store, refusing to carry on silently without its database."""

from __future__ import annotations

import asyncio
import sqlite3

import pytest
from rasa.core.tracker_store import FailSafeTrackerStore
from rasa.shared.core.events import UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from components.conversation_store import ConversationStore, ConversationStoreUnavailable


@pytest.fixture
def store(tmp_path, domain) -> tuple[ConversationStore, str]:
    path = tmp_path / "conversations.db"
    return ConversationStore(host=f"sqlite:///{path}", domain=domain), str(path)


def test_conversations_are_kept_and_read_back(store):
    conversations, _ = store
    tracker = DialogueStateTracker.from_events("jane", [UserUttered("hello")])
    asyncio.run(conversations.save(tracker))

    again = asyncio.run(conversations.retrieve("jane"))

    assert again.latest_message.text == "hello"


def test_a_broken_database_stops_the_turn_even_inside_rasas_fail_safe_wrapper(store):
    conversations, path = store
    with sqlite3.connect(path) as db:
        db.execute("drop table events")
    fail_safe = FailSafeTrackerStore(conversations)

    with pytest.raises(ConversationStoreUnavailable, match="no such table"):
        asyncio.run(fail_safe.retrieve("jane"))
    with pytest.raises(ConversationStoreUnavailable):
        asyncio.run(fail_safe.save(DialogueStateTracker.from_events("jane", [UserUttered("hi")])))


def test_connections_are_checked_before_use(store):
    conversations, _ = store
    assert conversations.engine.pool._pre_ping
