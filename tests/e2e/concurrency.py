"""Two messages for one person at the same moment, and what the stored conversation must show."""

from __future__ import annotations

import threading
from collections.abc import Callable

from tests.e2e.conversations import conversation

QUESTIONS = ["what skills does a healthcare manager need?", "which certifications should I get?"]


def ask_at_once(asks: list[Callable[[], list[dict]]]) -> list[list[dict]]:
    """Runs each ask in its own thread, released together; returns the replies in order."""
    start, replies = threading.Barrier(len(asks)), [[] for _ in asks]

    def run(i: int) -> None:
        start.wait()
        replies[i] = asks[i]()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(asks))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return replies


def assert_each_question_answered_in_turn(events: list[dict], questions: list[str]) -> None:
    """Both questions are in the stored conversation, each followed by its own answer
    before the next question: handled one after the other, nothing lost."""
    turns = [event.get("text") or "" for event in conversation(events)]
    asked = [i for i, text in enumerate(turns) if text in questions]
    assert len(asked) == len(questions), turns
    for here, after in zip(asked, [*asked[1:], len(turns)], strict=True):
        assert "_Source: " in "".join(turns[here + 1 : after]), f"no answer after {turns[here]!r}"
