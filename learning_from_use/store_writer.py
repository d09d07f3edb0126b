"""Writes conversations into a tracker store the way Rasa's SQLTrackerStore does, without a
bot: for the tests of the report (tests/unit/learning_from_use) and its benchmark
(bench/report_speed.py). conversation_events.py reads what this writes.
"""

from __future__ import annotations

import json

import sqlalchemy as sa

from learning_from_use.answer_records import ANSWER_RECORD_SLOT, RATING_SLOT, AnswerRecord, RatingRecord

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
