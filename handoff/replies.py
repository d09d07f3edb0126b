"""How an office reply reads in the person's conversation: clearly from a person, naming the office."""

from __future__ import annotations

from handoff.store import OfficeMessage

# Marks the message in its data, so channels and the report can tell it from the bot's own words.
FROM_OFFICE = "office_reply"


def as_chat_message(office: str, reply: OfficeMessage) -> str:
    # One line break, not a paragraph: channels split paragraphs into separate messages.
    return f"**A person from the {office} replied** (this is not the bot):\n{reply.text.strip()}"
