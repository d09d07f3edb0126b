"""Reading a stored conversation the way a person saw it."""

from __future__ import annotations


def conversation(events: list[dict]) -> list[dict]:
    """The user and bot events of a stored conversation as they stand: a message that
    action_understand put back as it was understood (a `rewind` after it) counts once."""
    kept: list[dict] = []
    for event in events:
        if event["event"] in {"user", "bot"}:
            kept.append(event)
        elif event["event"] == "rewind":
            last_user = max(i for i, e in enumerate(kept) if e["event"] == "user")
            del kept[last_user]
    return kept


def user_texts(events: list[dict]) -> list[str]:
    return [event.get("text") for event in conversation(events) if event["event"] == "user"]
