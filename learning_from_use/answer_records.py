"""What the bot keeps about each knowledge answer and each rating, for the report.

Both are slot values (the slots `answer_record` and `answer_rating`, type any), so they
live in the tracker store beside the conversation, on SQLite or PostgreSQL alike, with
the time they were set. The question in them is masked; the report never reads what the
user typed from anywhere else. Slots are carried over into a new session, so the same
record can appear twice in a store: each has an id, and readers keep one per id.
"""

from __future__ import annotations

import uuid
from dataclasses import asdict, dataclass, field
from enum import Enum
from typing import Any

ANSWER_RECORD_SLOT = "answer_record"
RATING_SLOT = "answer_rating"
MAX_KEPT_CHARS = 500


class Outcome(str, Enum):
    CONFIDENT = "confident"
    UNSURE = "unsure"
    DECLINED = "declined"
    # Answered by a referral: the guides leave it open, and the reply says who would know.
    REFERRED = "referred"


class Via(str, Enum):
    """How the question reached the knowledge base."""

    TYPED = "typed"  # the user's own words
    MENU = "menu"  # a topic button of the help menu
    BUTTON = "button"  # a follow-up button under an answer
    SUGGESTION = "suggestion"  # a "did you mean" button picked after an unsure search
    NONE_OF_THESE = "none_of_these"  # "None of these" after an unsure search


class Rating(str, Enum):
    HELPFUL = "helpful"
    NOT_HELPFUL = "not_helpful"


def new_id() -> str:
    return uuid.uuid4().hex[:16]


@dataclass(frozen=True)
class AnswerRecord:
    question: str  # masked
    outcome: Outcome
    via: Via
    score: float | None = None
    entry_id: str | None = None
    passage_id: str | None = None
    topic: str | None = None
    suggestions: list[str] = field(default_factory=list)  # passage ids offered when unsure
    id: str = field(default_factory=new_id)

    def as_slot(self) -> dict[str, Any]:
        value = asdict(self)
        value.update(outcome=self.outcome.value, via=self.via.value)
        if self.score is not None:
            value["score"] = round(self.score, 4)
        return value

    @classmethod
    def from_slot(cls, value: Any) -> AnswerRecord | None:
        """The record a slot holds; None for anything else (an old or foreign value)."""
        if not isinstance(value, dict):
            return None
        try:
            return cls(
                question=str(value["question"]),
                outcome=Outcome(value["outcome"]),
                via=Via(value["via"]),
                score=value.get("score"),
                entry_id=value.get("entry_id"),
                passage_id=value.get("passage_id"),
                topic=value.get("topic"),
                suggestions=list(value.get("suggestions") or []),
                id=str(value["id"]),
            )
        except (KeyError, ValueError, TypeError):
            return None


@dataclass(frozen=True)
class RatingRecord:
    """A 👍 or 👎 on one answer, with what the user was looking for when they said (masked)."""

    rating: Rating
    answer_id: str | None
    question: str | None = None
    entry_id: str | None = None
    passage_id: str | None = None
    topic: str | None = None
    score: float | None = None
    comment: str | None = None
    # One rating per answer: rating again replaces it (a store keeps the last value per id).
    id: str = field(default_factory=new_id)

    @classmethod
    def for_answer(cls, rating: Rating, answer: AnswerRecord | None) -> RatingRecord:
        if answer is None:
            return cls(rating=rating, answer_id=None)
        return cls(
            rating=rating,
            answer_id=answer.id,
            question=answer.question,
            entry_id=answer.entry_id,
            passage_id=answer.passage_id,
            topic=answer.topic,
            score=answer.score,
            id=f"rating-{answer.id}",
        )

    def as_slot(self) -> dict[str, Any]:
        value = asdict(self)
        value["rating"] = self.rating.value
        return value

    @classmethod
    def from_slot(cls, value: Any) -> RatingRecord | None:
        if not isinstance(value, dict):
            return None
        try:
            return cls(
                rating=Rating(value["rating"]),
                answer_id=value.get("answer_id"),
                question=value.get("question"),
                entry_id=value.get("entry_id"),
                passage_id=value.get("passage_id"),
                topic=value.get("topic"),
                score=value.get("score"),
                comment=value.get("comment"),
                id=str(value["id"]),
            )
        except (KeyError, ValueError, TypeError):
            return None
