"""How a knowledge answer is offered and kept: the buttons under it (follow-up questions,
👍/👎) and the record stored of it. Shared by the actions that answer from the knowledge
base (answer_question.py), explain a plan step from it (career_plan.py) and take its
rating (answer_rating.py), and the "Ask a person" button offered where it cannot help.
"""

from __future__ import annotations

import json

from actions.services import office_desk
from learning_from_use.answer_records import AnswerRecord, Outcome, Via
from retrieval.answers import Band, Reply, Suggestion
from retrieval.knowledge_entries import REFERRAL

# The entities a button's payload carries: the knowledge entry asked for, the answer rated.
ENTRY_ENTITY = "entry_id"
ANSWER_ENTITY = "answer_id"


def button_for(suggestion: Suggestion) -> dict[str, str]:
    entities = json.dumps({ENTRY_ENTITY: suggestion.passage_id})
    return {"title": suggestion.question, "payload": f"/ask_question{entities}"}


def rating_buttons(answer_id: str) -> list[dict[str, str]]:
    entities = json.dumps({ANSWER_ENTITY: answer_id})
    return [
        {"title": "👍 Helpful", "payload": f"/rate_helpful{entities}"},
        {"title": "👎 Not helpful", "payload": f"/rate_not_helpful{entities}"},
    ]


ASK_PERSON_BUTTON = {"title": "Ask a person", "payload": "/ask_person"}


def ask_person_buttons() -> list[dict[str, str]]:
    """The "Ask a person" button, offered when requests can reach the office (actions/handoff.py)."""
    desk = office_desk()
    return [ASK_PERSON_BUTTON] if desk is not None and desk.settings.on else []


def record_of(reply: Reply, question: str, via: Via, previous: AnswerRecord | None) -> AnswerRecord:
    """What is kept about this answer; a pick from "did you mean" keeps the words first typed."""
    outcome = {Band.CONFIDENT: Outcome.CONFIDENT, Band.UNSURE: Outcome.UNSURE}.get(
        reply.band, Outcome.DECLINED
    )
    if outcome is Outcome.CONFIDENT and reply.passage is not None and reply.passage.kind == REFERRAL:
        outcome = Outcome.REFERRED
    score: float | None = reply.score
    if via is Via.SUGGESTION and previous is not None:
        question, score = previous.question, previous.score
    elif via is Via.BUTTON:
        score = None  # chosen by the user, not found by a search
    passage = reply.passage
    return AnswerRecord(
        question=question,
        outcome=outcome,
        via=via,
        score=score,
        entry_id=passage.entry_id if passage else None,
        passage_id=passage.id if passage else None,
        topic=passage.topic if passage else None,
        suggestions=[s.passage_id for s in reply.suggestions] if reply.band is Band.UNSURE else [],
    )
