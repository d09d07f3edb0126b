"""A tracker store written the way Rasa's SQLTrackerStore writes one, with made-up conversations."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa

from learning_from_use.answer_records import (
    ANSWER_RECORD_SLOT,
    RATING_SLOT,
    AnswerRecord,
    Outcome,
    Rating,
    RatingRecord,
    Via,
)
from tests.unit.knowledge_retrieval.conftest import HashingEncoder

DAY_1 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC).timestamp()
DAY_2 = datetime(2026, 11, 4, 15, 0, tzinfo=UTC).timestamp()

RASA_EVENTS_TABLE = sa.Table(
    "events",
    sa.MetaData(),
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("sender_id", sa.String(255), nullable=False, index=True),
    sa.Column("type_name", sa.String(255), nullable=False),
    sa.Column("timestamp", sa.Float),
    sa.Column("intent_name", sa.String(255)),
    sa.Column("action_name", sa.String(255)),
    sa.Column("data", sa.Text),
)


class StoreWriter:
    """Appends events as Rasa does: the event as JSON, its slot/action/loop name in action_name."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = sa.create_engine(url)
        RASA_EVENTS_TABLE.create(self.engine, checkfirst=True)

    def add(self, sender: str, event: dict, at: float) -> None:
        self.add_many([(sender, event, at)])

    def add_many(self, events: list[tuple[str, dict, float]]) -> None:
        """Appends (sender, event, timestamp) rows in one transaction."""
        rows = []
        for sender, event, at in events:
            event = {**event, "timestamp": at}
            rows.append({
                "sender_id": sender, "type_name": event["event"], "timestamp": at,
                "intent_name": (event.get("parse_data") or {}).get("intent", {}).get("name"),
                "action_name": event.get("name"), "data": json.dumps(event),
            })  # fmt: skip
        with self.engine.begin() as connection:
            connection.execute(RASA_EVENTS_TABLE.insert(), rows)

    def session(self, sender: str, at: float) -> None:
        self.add(sender, {"event": "action", "name": "action_session_start"}, at)
        self.add(sender, {"event": "session_started"}, at)

    def user(self, sender: str, text: str, at: float) -> None:
        self.add(
            sender, {"event": "user", "text": text, "parse_data": {"intent": {"name": "ask_skills"}}}, at
        )

    def answer(self, sender: str, record: AnswerRecord, at: float) -> AnswerRecord:
        self.add(sender, {"event": "slot", "name": ANSWER_RECORD_SLOT, "value": record.as_slot()}, at)
        return record

    def rating(self, sender: str, record: RatingRecord, at: float) -> None:
        self.add(sender, {"event": "slot", "name": RATING_SLOT, "value": record.as_slot()}, at)

    def plan(self, sender: str, at: float, finished: bool) -> None:
        self.add(sender, {"event": "active_loop", "name": "career_plan_form"}, at)
        if finished:
            self.add(sender, {"event": "active_loop", "name": None}, at + 60)
            self.add(sender, {"event": "action", "name": "action_build_plan"}, at + 61)


def confident(question: str, entry: str, topic: str = "certifications", score: float = 0.8) -> AnswerRecord:
    return AnswerRecord(question, Outcome.CONFIDENT, Via.TYPED, score, entry, entry, topic)


def declined(question: str) -> AnswerRecord:
    return AnswerRecord(question, Outcome.DECLINED, Via.TYPED, 0.3)


def fill_store(store: StoreWriter) -> None:
    """Two days of use: answers, ratings with a comment, declines, a "did you mean" pick, plans."""
    store.session("ana", DAY_1)
    store.user("ana", "which certifications should I get", DAY_1 + 1)
    cphq = store.answer("ana", confident("which certifications should I get", "certs"), DAY_1 + 2)
    store.rating("ana", RatingRecord.for_answer(Rating.HELPFUL, cphq), DAY_1 + 3)
    store.answer("ana", declined("where can staff park at the hospital"), DAY_1 + 4)
    store.plan("ana", DAY_1 + 10, finished=True)
    # A new session repeats the slots' last values: the same records again.
    store.session("ana", DAY_2)
    store.answer("ana", cphq, DAY_2)
    store.session("ben", DAY_2)
    again = store.answer("ben", confident("Which certifications should I get?", "certs"), DAY_2 + 1)
    not_helpful = RatingRecord.for_answer(Rating.NOT_HELPFUL, again)
    store.rating("ben", not_helpful, DAY_2 + 2)
    store.rating("ben", dataclasses.replace(not_helpful, comment="which certification pays more"), DAY_2 + 3)
    store.answer("ben", declined("where can staff park at night near the hospital"), DAY_2 + 4)
    unsure = AnswerRecord("cphq worth it?", Outcome.UNSURE, Via.TYPED, 0.58, suggestions=["certs", "x"])
    store.answer("ben", unsure, DAY_2 + 5)
    picked = AnswerRecord(
        "cphq worth it?", Outcome.CONFIDENT, Via.SUGGESTION, 0.58, "certs", "certs", "certifications"
    )
    store.answer("ben", picked, DAY_2 + 6)
    store.plan("ben", DAY_2 + 10, finished=False)


@pytest.fixture
def sqlite_store(tmp_path) -> Callable[[], StoreWriter]:
    return lambda: StoreWriter(f"sqlite:///{Path(tmp_path) / 'conversations.db'}")


@pytest.fixture
def encoder() -> HashingEncoder:
    return HashingEncoder()
