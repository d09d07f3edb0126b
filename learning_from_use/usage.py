"""What the stored events say about use: conversations, answers, ratings, plans, gaps.

Plain functions over `StoredEvent`s, so they are tested on events made up in the test.
Days are UTC days.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from learning_from_use.answer_records import (
    ANSWER_RECORD_SLOT,
    RATING_SLOT,
    AnswerRecord,
    Outcome,
    Rating,
    RatingRecord,
    Via,
)
from learning_from_use.conversation_events import PLAN_BUILT, PLAN_FORM, StoredEvent

OUTCOMES = (Outcome.CONFIDENT, Outcome.UNSURE, Outcome.REFERRED, Outcome.DECLINED)


def day_of(timestamp: float) -> date:
    return datetime.fromtimestamp(timestamp, tz=UTC).date()


@dataclass(frozen=True)
class Dated:
    day: date
    sender_id: str


@dataclass(frozen=True)
class AskedQuestion:
    """A question people asked, in the words most of them used (masked), and how it went."""

    text: str
    times: int
    last_outcome: Outcome
    last_entry_id: str | None


@dataclass(frozen=True)
class EntryRatings:
    entry_id: str
    helpful: int
    not_helpful: int
    comments: list[str]

    @property
    def total(self) -> int:
        return self.helpful + self.not_helpful

    @property
    def helpful_share(self) -> float:
        return self.helpful / self.total if self.total else 0.0


@dataclass(frozen=True)
class Unanswered:
    """A question the knowledge base could not answer, or what someone said they were looking for."""

    text: str
    why: str  # declined | referred | none_of_these | comment
    day: date


@dataclass(frozen=True)
class Paraphrase:
    """Words that reached an entry the search did not find at once, or that people rated helpful."""

    question: str
    entry_id: str
    evidence: str  # picked_suggestion | rated_helpful


@dataclass
class Usage:
    days: list[date] = field(default_factory=list)
    conversations_per_day: Counter[date] = field(default_factory=Counter)
    outcomes_per_day: dict[date, Counter[Outcome]] = field(default_factory=dict)
    topics: Counter[str] = field(default_factory=Counter)
    questions: list[AskedQuestion] = field(default_factory=list)
    entry_ratings: list[EntryRatings] = field(default_factory=list)
    plans_started_per_day: Counter[date] = field(default_factory=Counter)
    plans_finished_per_day: Counter[date] = field(default_factory=Counter)
    unanswered: list[Unanswered] = field(default_factory=list)
    paraphrases: list[Paraphrase] = field(default_factory=list)
    answers: int = 0
    ratings: int = 0

    @property
    def is_empty(self) -> bool:
        return not self.days

    @property
    def conversations(self) -> int:
        return sum(self.conversations_per_day.values())

    @property
    def plans_started(self) -> int:
        return sum(self.plans_started_per_day.values())

    @property
    def plans_finished(self) -> int:
        return sum(self.plans_finished_per_day.values())

    def outcome_totals(self) -> Counter[Outcome]:
        totals: Counter[Outcome] = Counter()
        for counts in self.outcomes_per_day.values():
            totals.update(counts)
        return totals


def normalised(question: str) -> str:
    return re.sub(r"[^\w\[\]' ]+", "", question.casefold()).strip()


def _answer_records(events: list[StoredEvent]) -> list[tuple[AnswerRecord, StoredEvent]]:
    """One per record id, as first stored (a new session repeats the slot's last value)."""
    seen: set[str] = set()
    records = []
    for event in events:
        if event.type_name == "slot" and event.name == ANSWER_RECORD_SLOT:
            record = AnswerRecord.from_slot(event.data.get("value"))
            if record is not None and record.id not in seen:
                seen.add(record.id)
                records.append((record, event))
    return records


def _ratings(events: list[StoredEvent]) -> list[tuple[RatingRecord, StoredEvent]]:
    """One per rating id, as last stored: rating an answer again, or adding a comment, replaces it."""
    latest: dict[str, tuple[RatingRecord, StoredEvent]] = {}
    for event in events:
        if event.type_name == "slot" and event.name == RATING_SLOT:
            record = RatingRecord.from_slot(event.data.get("value"))
            if record is not None:
                first = latest.get(record.id, (None, event))[1]
                latest[record.id] = (record, first)
    return list(latest.values())


def summarise(events: list[StoredEvent]) -> Usage:
    usage = Usage()
    if not events:
        return usage
    first, last = day_of(min(e.timestamp for e in events)), day_of(max(e.timestamp for e in events))
    usage.days = [first + timedelta(days=n) for n in range((last - first).days + 1)]

    for event in events:
        day = day_of(event.timestamp)
        if event.type_name == "session_started":
            usage.conversations_per_day[day] += 1
        elif event.type_name == "active_loop" and event.name == PLAN_FORM:
            usage.plans_started_per_day[day] += 1
        elif event.type_name == "action" and event.name == PLAN_BUILT:
            usage.plans_finished_per_day[day] += 1

    asked: dict[str, list[AnswerRecord]] = defaultdict(list)
    for record, event in _answer_records(events):
        usage.answers += 1
        day = day_of(event.timestamp)
        if record.via is Via.TYPED:
            usage.outcomes_per_day.setdefault(day, Counter())[record.outcome] += 1
            asked[normalised(record.question)].append(record)
        if record.outcome is Outcome.CONFIDENT and record.topic:
            usage.topics[record.topic] += 1
        if record.outcome in (Outcome.DECLINED, Outcome.REFERRED) and record.via in (
            Via.TYPED,
            Via.NONE_OF_THESE,
        ):
            # A referral answered honestly, but the guides lack what was asked: a gap all the same.
            why = {Via.NONE_OF_THESE: "none_of_these", Via.TYPED: record.outcome.value}[record.via]
            usage.unanswered.append(Unanswered(record.question, why, day))
        if record.via is Via.SUGGESTION and record.entry_id:
            usage.paraphrases.append(Paraphrase(record.question, record.entry_id, "picked_suggestion"))

    usage.questions = sorted(
        (
            AskedQuestion(
                text=Counter(r.question for r in records).most_common(1)[0][0],
                times=len(records),
                last_outcome=records[-1].outcome,
                last_entry_id=records[-1].entry_id,
            )
            for records in asked.values()
        ),
        key=lambda q: (-q.times, q.text),
    )

    by_entry: dict[str, dict[str, list]] = defaultdict(
        lambda: {"helpful": [], "not_helpful": [], "comments": []}
    )
    for rating, event in _ratings(events):
        if not rating.entry_id:
            continue  # rates no answer (older versions kept such): not a rating, so not counted
        usage.ratings += 1
        by_entry[rating.entry_id][rating.rating.value].append(rating)
        if rating.comment:
            by_entry[rating.entry_id]["comments"].append(rating.comment)
            usage.unanswered.append(Unanswered(rating.comment, "comment", day_of(event.timestamp)))
        if rating.rating is Rating.HELPFUL and rating.entry_id and rating.question:
            usage.paraphrases.append(Paraphrase(rating.question, rating.entry_id, "rated_helpful"))
    usage.entry_ratings = sorted(
        (
            EntryRatings(entry_id, len(r["helpful"]), len(r["not_helpful"]), r["comments"])
            for entry_id, r in by_entry.items()
        ),
        key=lambda e: (-e.total, e.helpful_share, e.entry_id),
    )
    return usage
