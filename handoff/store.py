"""Where requests to the office, the office's replies and their deliveries are kept.

A request is stored before anything is sent, with one delivery row per destination, so a
restart of either server loses nothing: pending deliveries are picked up again, and replies
that could not reach the person yet wait for their next message. SQLAlchemy Core, written
to run on both 1.4 (the Rasa server's environment) and 2.x (the action server's); SQLite by
default, PostgreSQL for several servers.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Collection
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from statistics import median
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import make_url

metadata = sa.MetaData()

requests_table = sa.Table(
    "handoff_requests", metadata,
    sa.Column("id", sa.String(32), primary_key=True),
    sa.Column("conversation_id", sa.String(255), nullable=False, index=True),
    sa.Column("channel", sa.String(64), nullable=False),
    sa.Column("reply_to", sa.Text, nullable=False),  # JSON: where the person's channel answers
    sa.Column("contact", sa.Text),
    sa.Column("transcript", sa.Text, nullable=False),  # JSON list, masked
    sa.Column("created_at", sa.Float, nullable=False),
    sa.Column("office_thread", sa.String(64), index=True),  # Slack ts of the request's message
)  # fmt: skip

messages_table = sa.Table(
    "handoff_messages", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("request_id", sa.String(32), sa.ForeignKey("handoff_requests.id"), nullable=False, index=True),
    sa.Column("kind", sa.String(16), nullable=False),  # question (from the person) or reply (from the office)
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("author", sa.String(255)),
    sa.Column("at", sa.Float, nullable=False),
    sa.Column("delivered_at", sa.Float),  # replies: when the person's conversation got it
)  # fmt: skip

deliveries_table = sa.Table(
    "handoff_deliveries", metadata,
    sa.Column("message_id", sa.Integer, sa.ForeignKey("handoff_messages.id"), primary_key=True),
    sa.Column("destination", sa.String(32), primary_key=True),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("attempts", sa.Integer, nullable=False, default=0),
    sa.Column("last_error", sa.Text),
    sa.Column("sent_at", sa.Float),
)  # fmt: skip


class MessageKind(str, Enum):
    QUESTION = "question"
    REPLY = "reply"


class DeliveryStatus(str, Enum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"  # given up after the retries


@dataclass(frozen=True)
class HandoffRequest:
    """One conversation's request to the office; later questions in it join it."""

    id: str
    conversation_id: str
    channel: str  # the person's channel: rest, socketio, slack
    reply_to: dict[str, Any]  # Slack: {"channel": ..., "thread_ts": ...}
    contact: str | None
    transcript: list[dict[str, str]]  # [{"from": "person" | "bot", "text": ...}], masked
    created_at: float  # epoch seconds
    office_thread: str | None = None


@dataclass(frozen=True)
class OfficeMessage:
    id: int
    request_id: str
    kind: MessageKind
    text: str
    author: str | None
    at: float
    delivered_at: float | None = None


@dataclass(frozen=True)
class Delivery:
    message_id: int
    destination: str
    status: DeliveryStatus
    attempts: int = 0
    last_error: str | None = None


@dataclass(frozen=True)
class Filed:
    """What filing a question did: the request (new or joined) and the question's message."""

    request: HandoffRequest
    question: OfficeMessage
    joined: bool


@dataclass(frozen=True)
class HandoffCounts:
    """For `make report`: requests, how many got an answer, and how long the first answer took."""

    requests: int
    answered: int
    hours_to_answer: list[float] = field(default_factory=list)

    @property
    def median_hours(self) -> float | None:
        return median(self.hours_to_answer) if self.hours_to_answer else None


def sqlite_file(url: str) -> Path | None:
    """The file of an SQLite URL (None for other databases and in-memory SQLite)."""
    parsed = make_url(url)
    if not parsed.drivername.startswith("sqlite") or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


def counts_in(url: str) -> HandoffCounts:
    """The counts for `make report`; a missing SQLite file is a store with no requests (and stays missing)."""
    file = sqlite_file(url)
    return HandoffCounts(0, 0) if file is not None and not file.exists() else HandoffStore(url).counts()


def _request(row: Any) -> HandoffRequest:
    return HandoffRequest(
        row.id, row.conversation_id, row.channel, json.loads(row.reply_to), row.contact,
        json.loads(row.transcript), row.created_at, row.office_thread,
    )  # fmt: skip


def _message(row: Any) -> OfficeMessage:
    return OfficeMessage(
        row.id, row.request_id, MessageKind(row.kind), row.text, row.author, row.at, row.delivered_at
    )


class HandoffStore:
    """The tables above at `url` (an SQLAlchemy URL), created when missing.

    Raises sqlalchemy.exc.SQLAlchemyError when the database cannot be reached."""

    def __init__(self, url: str) -> None:
        file = sqlite_file(url)
        if file is not None:
            file.parent.mkdir(parents=True, exist_ok=True)
        parsed = make_url(url)
        if parsed.drivername in ("postgresql", "postgres"):
            # Whichever PostgreSQL driver this environment has: psycopg2 with Rasa, psycopg 3 here.
            try:
                import psycopg2  # noqa: F401
            except ImportError:
                parsed = parsed.set(drivername="postgresql+psycopg")
        self.engine = sa.create_engine(parsed, future=True, pool_pre_ping=True)
        metadata.create_all(self.engine)

    def file_question(
        self,
        conversation_id: str,
        channel: str,
        reply_to: dict[str, Any],
        question: str,
        transcript: list[dict[str, str]],
        contact: str | None,
        destinations: list[str],
        now: float | None = None,
    ) -> Filed:
        """Stores a question, as a new request or joining the conversation's earlier one,
        with a pending delivery to each destination. The contact and transcript of a joined
        request are brought up to date."""
        now = time.time() if now is None else now
        with self.engine.begin() as db:
            row = db.execute(
                sa.select(requests_table)
                .where(requests_table.c.conversation_id == conversation_id)
                .order_by(requests_table.c.created_at)
            ).first()
            joined = row is not None
            if joined:
                request_id = row.id
                changes: dict[str, Any] = {"transcript": json.dumps(transcript)}
                if contact:
                    changes["contact"] = contact
                db.execute(requests_table.update().where(requests_table.c.id == request_id).values(**changes))
            else:
                request_id = uuid.uuid4().hex[:12]
                db.execute(
                    requests_table.insert().values(
                        id=request_id, conversation_id=conversation_id, channel=channel,
                        reply_to=json.dumps(reply_to), contact=contact or None,
                        transcript=json.dumps(transcript), created_at=now,
                    )
                )  # fmt: skip
            message_id = db.execute(
                messages_table.insert().values(
                    request_id=request_id, kind=MessageKind.QUESTION.value, text=question, at=now
                )
            ).inserted_primary_key[0]
            for destination in destinations:
                db.execute(
                    deliveries_table.insert().values(
                        message_id=message_id, destination=destination,
                        status=DeliveryStatus.PENDING.value, attempts=0,
                    )
                )  # fmt: skip
        return Filed(self.request(request_id), self.message(message_id), joined)

    def request(self, request_id: str) -> HandoffRequest:
        with self.engine.connect() as db:
            return _request(
                db.execute(sa.select(requests_table).where(requests_table.c.id == request_id)).one()
            )

    def request_by_office_thread(self, thread_ts: str) -> HandoffRequest | None:
        with self.engine.connect() as db:
            row = db.execute(
                sa.select(requests_table).where(requests_table.c.office_thread == thread_ts)
            ).first()
        return _request(row) if row else None

    def message(self, message_id: int) -> OfficeMessage:
        with self.engine.connect() as db:
            return _message(
                db.execute(sa.select(messages_table).where(messages_table.c.id == message_id)).one()
            )

    def messages(self, request_id: str) -> list[OfficeMessage]:
        with self.engine.connect() as db:
            rows = db.execute(
                sa.select(messages_table)
                .where(messages_table.c.request_id == request_id)
                .order_by(messages_table.c.id)
            )
            return [_message(row) for row in rows]

    def set_office_thread(self, request_id: str, thread_ts: str) -> None:
        with self.engine.begin() as db:
            db.execute(
                requests_table.update()
                .where(requests_table.c.id == request_id, requests_table.c.office_thread.is_(None))
                .values(office_thread=thread_ts)
            )

    def deliveries(
        self, status: DeliveryStatus | None = None, message_ids: Collection[int] | None = None
    ) -> list[Delivery]:
        """The deliveries, of every message or of `message_ids`, in any status or in `status`."""
        query = sa.select(deliveries_table).order_by(deliveries_table.c.message_id)
        if status is not None:
            query = query.where(deliveries_table.c.status == status.value)
        if message_ids is not None:
            query = query.where(deliveries_table.c.message_id.in_(list(message_ids)))
        with self.engine.connect() as db:
            return [
                Delivery(
                    row.message_id, row.destination, DeliveryStatus(row.status), row.attempts, row.last_error
                )
                for row in db.execute(query)
            ]

    def record_attempt(
        self, delivery: Delivery, status: DeliveryStatus, error: str | None = None, now: float | None = None
    ) -> None:
        with self.engine.begin() as db:
            db.execute(
                deliveries_table.update()
                .where(
                    deliveries_table.c.message_id == delivery.message_id,
                    deliveries_table.c.destination == delivery.destination,
                )
                .values(
                    status=status.value,
                    attempts=deliveries_table.c.attempts + 1,
                    last_error=error,
                    sent_at=(time.time() if now is None else now) if status is DeliveryStatus.SENT else None,
                )
            )

    def add_reply(
        self, request_id: str, text: str, author: str | None, now: float | None = None
    ) -> OfficeMessage:
        with self.engine.begin() as db:
            message_id = db.execute(
                messages_table.insert().values(
                    request_id=request_id, kind=MessageKind.REPLY.value, text=text, author=author,
                    at=time.time() if now is None else now,
                )
            ).inserted_primary_key[0]  # fmt: skip
        return self.message(message_id)

    def reply_delivered(self, message_id: int, now: float | None = None) -> None:
        with self.engine.begin() as db:
            db.execute(
                messages_table.update()
                .where(messages_table.c.id == message_id)
                .values(delivered_at=time.time() if now is None else now)
            )

    def undelivered_replies(self, conversation_id: str) -> list[OfficeMessage]:
        """The office's replies that have not reached this conversation yet, oldest first."""
        query = (
            sa.select(messages_table)
            .join(requests_table, messages_table.c.request_id == requests_table.c.id)
            .where(
                requests_table.c.conversation_id == conversation_id,
                messages_table.c.kind == MessageKind.REPLY.value,
                messages_table.c.delivered_at.is_(None),
            )
            .order_by(messages_table.c.id)
        )
        with self.engine.connect() as db:
            return [_message(row) for row in db.execute(query)]

    def counts(self, since: float | None = None) -> HandoffCounts:
        """Requests made since `since` (epoch seconds; all when None), answered ones, and
        hours from each request to the office's first reply."""
        first_reply = (
            sa.select(messages_table.c.request_id, sa.func.min(messages_table.c.at).label("at"))
            .where(messages_table.c.kind == MessageKind.REPLY.value)
            .group_by(messages_table.c.request_id)
            .subquery()
        )
        query = sa.select(requests_table.c.created_at, first_reply.c.at).outerjoin(
            first_reply, first_reply.c.request_id == requests_table.c.id
        )
        if since is not None:
            query = query.where(requests_table.c.created_at >= since)
        with self.engine.connect() as db:
            rows = db.execute(query).all()
        hours = [(row[1] - row[0]) / 3600 for row in rows if row[1] is not None]
        return HandoffCounts(requests=len(rows), answered=len(hours), hours_to_answer=hours)
