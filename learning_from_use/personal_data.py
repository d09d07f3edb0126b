"""Masking names, e-mail addresses and phone numbers in what people typed, before it is kept.

Phone numbers are found by libphonenumber (the `phonenumbers` port), with the hospital's
region for numbers written without a country code. Names are harder offline: the NER
models that Presidio or spaCy use for people's names cannot be downloaded here, so a name
is a word that a first-name dictionary (gender-guesser's, about 48,000 names from many
countries) knows and that is written capitalised away from the start of a sentence, or
any word that follows "my name is", "I'm", "call me", "Dr." and the like, and a known
first name after a role ("my supervisor janet") or a dash that signs a message ("- maria g"). A surname
right after a masked name goes too. Common English words that are also names ("Will",
"May", "Hope") are masked only where they are capitalised mid-sentence. Masking errs on
the side of hiding a word: a report can lose a word, a record must not keep a name.
"""

from __future__ import annotations

import re
from functools import cache

import phonenumbers
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

NAME = "[name]"
EMAIL = "[email]"
PHONE = "[phone]"
DEFAULT_REGION = "US"

EMAIL_PATTERN = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Internal extensions ("ext. 4471", "x4471") are too short for libphonenumber.
EXTENSION_PATTERN = re.compile(r"\b(?:ext(?:ension)?\.?|x)\s*\d{3,6}\b", re.IGNORECASE)
LONG_DIGIT_RUN = re.compile(r"\+?\(?\d(?:[\s().-]{0,2}\d){8,}")
APOSTROPHES = "'\u2019"  # typed and typographic
WORD_PATTERN = re.compile(rf"[^\W\d_][\w{APOSTROPHES}-]*")
SENTENCE_END = re.compile(r"[.!?:;\n]\s*$")
# Words after which the next word is a name, whatever its case.
NAME_CUES = re.compile(
    r"(?:\bmy name is|\bmy name's|\bname's|\bi am|\bi'm|\bim|\bthis is|\bcall me|\bit's|\bsigned|"
    r"\bregards,?|\bthanks,|\bdr\.?|\bmr\.?|\bmrs\.?|\bms\.?|\bmx\.?|\bnurse|\bsister|"
    # people at work named after their role ("my supervisor janet okafor"), and a signature ("- maria g")
    r"\b(?:supervisor|manager|boss|coworker|co-worker|colleague|mentor|director|team lead|charge nurse)|"
    r"(?:^|\s)[-\u2013\u2014~])\s*$",
    re.IGNORECASE,
)
# Words that follow "I am" or "this is" without being names ("I am a nurse", "this is about").
NOT_NAMES = ENGLISH_STOP_WORDS | {
    "looking", "trying", "interested", "working", "currently", "new", "hoping", "planning", "wondering",
    "thinking", "asking", "curious", "confused", "unsure", "stuck", "ready", "able", "unable", "going",
    "just", "still", "really", "also", "sure", "not", "in", "at", "from", "an", "on",
    # what a role does next ("my manager said"), never a name there
    "said", "says", "told", "tells", "asked", "asks", "wants", "wanted", "thinks", "thought", "suggested",
    "recommended", "mentioned", "offered", "gave", "agreed",
    # career words that are also in the name dictionary ("manager job", "Step 1")
    "job", "jobs", "step", "steps", "role", "track", "level", "grade", "post", "career", "lead", "rn", "md",
}  # fmt: skip


@cache
def _first_names() -> frozenset[str]:
    from gender_guesser.detector import Detector

    return frozenset(name.lower() for name in Detector(case_sensitive=False).names)


def is_capitalised(word: str) -> bool:
    return word[0].isupper() and not word.isupper()


def mask_names(text: str) -> str:
    names = _first_names()
    spans: list[tuple[int, int]] = []
    previous_masked_end = -1
    for match in WORD_PATTERN.finditer(text):
        word, start = match.group(), match.start()
        before = text[:start]
        lower = word.lower().replace("\u2019", "'")
        if lower in NOT_NAMES:
            previous_masked_end = -1
            continue
        sentence_start = not before.strip() or bool(SENTENCE_END.search(before))
        cued = bool(NAME_CUES.search(before))
        known = lower in names
        surname = previous_masked_end >= 0 and not text[previous_masked_end:start].strip()
        if (
            (cued and (known or is_capitalised(word)))
            or (known and is_capitalised(word) and not sentence_start)
            or (known and is_capitalised(word) and sentence_start and _followed_by_surname(text, match.end()))
            or (surname and (is_capitalised(word) or cued_surname(text, spans)))
        ):
            spans.append((start, match.end()))
            previous_masked_end = match.end()
        else:
            previous_masked_end = -1
    for start, end in reversed(spans):
        text = text[:start] + NAME + text[end:]
    return re.sub(rf"{re.escape(NAME)}(?:\s+{re.escape(NAME)})+", NAME, text)


def _followed_by_surname(text: str, end: int) -> bool:
    """ "Maria Lopez asked..." at a sentence start: a first name followed by a capitalised word."""
    following = WORD_PATTERN.match(text, end + 1) if text[end : end + 1] == " " else None
    return bool(
        following and is_capitalised(following.group()) and following.group().lower() not in NOT_NAMES
    )


def cued_surname(text: str, spans: list[tuple[int, int]]) -> bool:
    """After "my name is maria", a lower-case "lopez" is a surname too."""
    start = spans[-1][0]
    return bool(NAME_CUES.search(text[:start]))


def mask_phone_numbers(text: str, region: str = DEFAULT_REGION) -> str:
    found = phonenumbers.PhoneNumberMatcher(text, region, leniency=phonenumbers.Leniency.POSSIBLE)
    for match in reversed(list(found)):
        text = text[: match.start] + PHONE + text[match.end :]
    # Numbers written for another country than the hospital's region ("07700 900123" in a US
    # hospital) are not found above: any run of 9 or more digits goes too.
    text = LONG_DIGIT_RUN.sub(PHONE, text)
    return EXTENSION_PATTERN.sub(PHONE, text)


def mask_personal_data(text: str, region: str = DEFAULT_REGION) -> str:
    """The text with names, e-mail addresses and phone numbers replaced by [name], [email], [phone]."""
    text = EMAIL_PATTERN.sub(EMAIL, text)
    text = mask_phone_numbers(text, region)
    return mask_names(text)
