"""Finding what a message asks: the question in a long message, and what a follow-up is about.

Pure text: the knowledge advisor searches with what these functions return and keeps the
best. A long message ("I do patient transport and see so much that's broken... is there
a path from where I am to fixing it?") is searched as a whole and by its sentences and
clauses; its question sentences are preferred, since side remarks can outscore them. A
follow-up ("how do I get it?", "what about online?") is searched with the question it
follows as well as on its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MIN_CANDIDATE_WORDS = 3
# A message this long or longer is also searched by its parts.
LONG_MESSAGE_WORDS = 18

_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+|\.{2,}\s*|\n+|\s+-{1,2}\s+")
_CLAUSE = re.compile(r",\s*(?:but|so|and|because|though|although)\s+|\s+(?:but|so)\s+", re.IGNORECASE)
_QUESTION = re.compile(
    r"\?|^\W*(?:(?:ok|so|and|but|well|also|honestly|basically|like|anyway|i guess|i mean)\W+)*"
    r"(?:what|whats|what's|how|why|when|where|who|which|is|are|am|do|does|did|can|could|should|would|will|"
    r"any|tell me|i wonder|wondering|i want to know|i'?d like to know)\b",
    re.IGNORECASE,
)
_DEPENDENT = re.compile(
    r"\b(?:it|that|this|they|them|those|these|there|its|their|one|ones|such|same|he|she)\b", re.IGNORECASE
)
_ELLIPTICAL = re.compile(
    r"^\W*(?:what about|how about|and\b|also\b|what if|so\b|but\b|same for|then\b|how long|how hard|how much|"
    r"what else|anything else|more\b|tell me more|go on|elaborate|any (?:more|other)|details|why\b|really\b|"
    r"for (?:nurses|clinical|back office|someone|me|us))",
    re.IGNORECASE,
)
_MORE = re.compile(
    r"^\W*(?:(?:ok|okay|cool|great|thanks|interesting)\W+)*(?:tell me more|more( please| info| details)?|"
    r"go on|elaborate|say more|keep going|and\?|continue|more about (?:that|this|it)|"
    r"can you (?:expand|elaborate)|what else)\W*(?:please)?\W*$",
    re.IGNORECASE,
)


# Shorthand staff write, spelt out for the search (the entries use the full words).
_SHORTHAND = {
    "rev cycle": "revenue cycle", "mgr": "manager", "mgrs": "managers", "mgmt": "management",
    "mngmt": "management", "dept": "department", "depts": "departments", "certs": "certifications",
    "cert": "certification", "exp": "experience", "yrs": "years", "yr": "year", "hrs": "hours",
    "u": "you", "ur": "your", "r": "are", "w/": "with", "b/c": "because", "bc": "because",
    "pls": "please", "plz": "please", "hosp": "hospital", "admin": "administration",
    "sup": "supervisor", "supv": "supervisor", "ppl": "people", "govt": "government",
}  # fmt: skip
_SHORTHAND_PATTERN = re.compile(
    r"(?<![\w/])("
    + "|".join(re.escape(word) for word in sorted(_SHORTHAND, key=len, reverse=True))
    + r")(?![\w/])",
    re.IGNORECASE,
)


def spelt_out(text: str) -> str:
    """The text with staff shorthand written out ("rev cycle mgr certs" -> "revenue cycle
    manager certifications")."""
    return _SHORTHAND_PATTERN.sub(lambda found: _SHORTHAND[found.group().lower()], text)


@dataclass(frozen=True)
class Candidate:
    """A text to search for a message: the whole of it, or one of its sentences or clauses."""

    text: str
    is_question: bool
    is_whole: bool


def is_question(text: str) -> bool:
    return bool(_QUESTION.search(text))


def candidate_queries(message: str) -> list[Candidate]:
    """The message, and for a long one its sentences and clauses, each marked as a question or not."""
    message = re.sub(r"\s+", " ", message).strip()
    candidates = [Candidate(message, is_question(message), is_whole=True)]
    if len(message.split()) < LONG_MESSAGE_WORDS:
        return candidates
    seen = {message.lower()}
    for sentence in _SENTENCE_END.split(message):
        for part in [sentence, *_CLAUSE.split(sentence)]:
            part = part.strip(" ,.;-")
            if len(part.split()) < MIN_CANDIDATE_WORDS or part.lower() in seen:
                continue
            seen.add(part.lower())
            candidates.append(Candidate(part, is_question(part), is_whole=False))
    return candidates


def is_follow_up(message: str) -> bool:
    """Whether a message leans on what came before: "how do I get it?", "what about online?"."""
    words = message.split()
    if not words:
        return False
    return (
        bool(_ELLIPTICAL.search(message))
        or len(words) <= 3
        or (len(words) <= 12 and bool(_DEPENDENT.search(message)))
    )


def leans_on_a_pronoun(message: str) -> bool:
    """ "is it worth joining?": a short message whose "it"/"one"/"them" names what came before,
    so its words alone may find something else, however well they score."""
    return len(message.split()) <= 12 and bool(_ANAPHOR.search(message))


def asks_for_more(message: str) -> bool:
    """ "tell me more", "go on": more on the entry in play, not a new search."""
    return bool(_MORE.search(message))


_ANAPHOR = re.compile(r"\b(?:it|one|them|that|this|those|these|they)\b", re.IGNORECASE)
_LEADING = re.compile(
    r"^(?:(?:what|whats|what's|wat|how|why|when|where|who|which|is|are|am|do|does|did|can|could|should|would|will|"
    r"i|you|we|a|an|the|to|get|do|need|about|tell|me|explain|difference|between|point|of|meaning|mean|means|"
    r"really|actually|even|so|ok|okay|hey|hi|pls|please|any|some|there|it)\b\W*)+",
    re.IGNORECASE,
)


def subject_of(question: str) -> str:
    """What a question is about, with its question words dropped: "whats the difference between
    an mha and an mba" -> "mha and an mba"."""
    return _LEADING.sub("", question.strip()).strip(" ?.!") or question


def with_context(message: str, subject: str) -> str:
    """A follow-up with what it leans on written in: its first "it"/"one"/"them" becomes the
    subject ("how do I get it?" -> "how do I get FACHE?"); a message with none ("what about
    online?") gets the subject in front."""
    if _ANAPHOR.search(message):
        return _ANAPHOR.sub(subject.replace("\\", ""), message, count=1)
    return f"{subject}: {message}"
