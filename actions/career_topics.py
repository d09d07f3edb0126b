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
    # What the help menu's button for this topic asks the knowledge base.
    question: str
    in_menu: bool = True


TOPICS: tuple[CareerTopic, ...] = (
    CareerTopic(
        "qualifications",
        "qualifications and degrees",
        "ask_qualifications",
        "What qualifications do I need to become a hospital manager?",
    ),
    CareerTopic(
        "certifications",
        "certifications",
        "ask_certifications",
        "Which certifications should a healthcare manager get?",
    ),
    CareerTopic("skills", "management skills", "ask_skills", "What soft skills do hospital managers need?"),
    CareerTopic(
        "networking",
        "networking and mentors",
        "ask_networking",
        "How do I build a professional network inside my hospital?",
    ),
    CareerTopic(
        "first_roles",
        "first management roles",
        "ask_first_roles",
        "What is a good first management job in a hospital?",
    ),
    CareerTopic(
        "career_paths",
        "career paths",
        "ask_career_paths",
        "Give me the summary of how to move up from back office to management",
    ),
    CareerTopic(
        "role_duties",
        "what the job involves",
        "ask_role_duties",
        "What does a healthcare administrator actually do?",
    ),
    CareerTopic(
        "experience",
        "gaining experience",
        "ask_experience",
        "How can I get leadership experience when I am not a manager yet?",
    ),
    CareerTopic(
        "job_outlook",
        "job outlook",
        "ask_job_outlook",
        "Is there demand for healthcare managers?",
        in_menu=False,
    ),
    CareerTopic(
        "general", "other questions", "ask_question", "What is healthcare management?", in_menu=False
    ),
)

_BY_INTENT = {topic.intent: topic for topic in TOPICS}


def topic_for_intent(intent: str | None) -> CareerTopic | None:
    """The topic an intent asks about, or None for intents outside the topic list."""
    return _BY_INTENT.get(intent or "")
