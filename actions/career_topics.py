"""The topics the career advisor covers, keyed by the NLU intent that asks about them.

Plain Python with no Rasa imports, so the knowledge and plan modules can share it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CareerTopic:
    id: str
    title: str
    intent: str


TOPICS: tuple[CareerTopic, ...] = (
    CareerTopic("qualifications", "qualifications and degrees", "ask_qualifications"),
    CareerTopic("certifications", "certifications", "ask_certifications"),
    CareerTopic("skills", "management skills", "ask_skills"),
    CareerTopic("networking", "networking and mentors", "ask_networking"),
    CareerTopic("first_roles", "first management roles", "ask_first_roles"),
    CareerTopic("career_paths", "career paths", "ask_career_paths"),
)

_BY_INTENT = {topic.intent: topic for topic in TOPICS}


def topic_for_intent(intent: str | None) -> CareerTopic | None:
    """The topic an intent asks about, or None for intents outside the topic list."""
    return _BY_INTENT.get(intent or "")
