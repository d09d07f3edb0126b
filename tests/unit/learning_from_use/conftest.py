"""A tracker store written the way Rasa's SQLTrackerStore writes one, with made-up conversations."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from learning_from_use.answer_records import (
    AnswerRecord,
    Outcome,
    Rating,
    RatingRecord,
    Via,
)
from learning_from_use.store_writer import StoreWriter
from tests.unit.retrieval.conftest import HashingEncoder

DAY_1 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC).timestamp()
DAY_2 = datetime(2026, 11, 4, 15, 0, tzinfo=UTC).timestamp()


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
