"""Reading the events the report needs from Rasa's SQL tracker store (SQLite or PostgreSQL).

Rasa's SQLTrackerStore keeps one row per event in the table `events`, with the event's
type, its slot / action / loop name in `action_name`, a timestamp, and the event as JSON.
The report reads only the rows it needs, never the text of user messages.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
import yaml
from sqlalchemy.engine import make_url

from learning_from_use.answer_records import ANSWER_RECORD_SLOT, RATING_SLOT
from retrieval.settings import REPO_ROOT

PLAN_FORM = "career_plan_form"
PLAN_BUILT = "action_build_plan"

EVENTS = sa.table(
    "events",
    sa.column("id", sa.Integer),
    sa.column("sender_id", sa.String),
    sa.column("type_name", sa.String),
    sa.column("timestamp", sa.Float),
    sa.column("action_name", sa.String),
    sa.column("data", sa.Text),
)


class StoreUnavailable(Exception):
    """The tracker store cannot be read; the message says which store and why."""


@dataclass(frozen=True)
class StoredEvent:
    sender_id: str
    type_name: str
    name: str | None  # the slot, action or loop name
    timestamp: float
    data: dict


def tracker_store_url(environ: Mapping[str, str] = os.environ) -> str:
    """The store the bot writes to: TRACKER_STORE_URL, else endpoints.yml's (as `make run` does)."""
    if environ.get("TRACKER_STORE_URL"):
        return environ["TRACKER_STORE_URL"]
    endpoints = yaml.safe_load((REPO_ROOT / "endpoints.yml").read_text(encoding="utf-8"))
    return endpoints["tracker_store"]["url"]


def describe(url: str) -> str:
    """The store's address without its password, for messages and the report."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except sa.exc.ArgumentError:
        return "an invalid address"


def _sqlite_path(url: str) -> Path | None:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return None
    path = Path(parsed.database)
    return path if path.is_absolute() else REPO_ROOT / path


def _wanted() -> sa.ColumnElement[bool]:
    return sa.or_(
        EVENTS.c.type_name == "session_started",
        sa.and_(EVENTS.c.type_name == "slot", EVENTS.c.action_name.in_([ANSWER_RECORD_SLOT, RATING_SLOT])),
        sa.and_(EVENTS.c.type_name == "active_loop", EVENTS.c.action_name == PLAN_FORM),
        sa.and_(EVENTS.c.type_name == "action", EVENTS.c.action_name == PLAN_BUILT),
    )


def read_events(url: str) -> list[StoredEvent]:
    """The report's events in the order they were stored; none when the store has no conversations yet."""
    try:
        sqlite_path = _sqlite_path(url)
    except sa.exc.ArgumentError as error:
        raise StoreUnavailable(f"the tracker store address {url!r} is not a database URL: {error}") from error
    if sqlite_path is not None:
        if not sqlite_path.exists():
            return []  # the bot has not been used yet; do not create the file
        url = f"sqlite:///{sqlite_path}"
    try:
        engine = sa.create_engine(url)
    except (sa.exc.ArgumentError, ModuleNotFoundError) as error:
        raise StoreUnavailable(f"cannot use the tracker store {describe(url)}: {error}") from error
    try:
        with engine.connect() as connection:
            if not sa.inspect(connection).has_table("events"):
                return []
            query = sa.select(EVENTS).where(_wanted()).order_by(EVENTS.c.id)
            return list(_parsed(connection.execute(query)))
    except sa.exc.DBAPIError as error:
        first_line = str(error.orig).strip().splitlines()[0] if error.orig else str(error)
        raise StoreUnavailable(f"cannot read the tracker store {describe(url)}: {first_line}") from error
    finally:
        engine.dispose()


def _parsed(rows) -> Iterator[StoredEvent]:
    for row in rows:
        try:
            data = json.loads(row.data or "{}")
        except json.JSONDecodeError:
            continue  # a row another program wrote; nothing to learn from it
        yield StoredEvent(
            sender_id=row.sender_id,
            type_name=row.type_name,
            name=row.action_name,
            timestamp=float(row.timestamp or data.get("timestamp") or 0.0),
            data=data if isinstance(data, dict) else {},
        )
