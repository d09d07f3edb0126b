"""Rasa's SQL tracker store, but an unreachable database is reported instead of papered over.

Rasa wraps every tracker store in a FailSafeTrackerStore: when the database cannot be read,
it starts the conversation afresh in memory, and when it cannot be written, it keeps the
turn in memory only. The user then gets "Sorry, I lost track of our conversation", a
half-filled plan form is forgotten for that turn, and what they said is gone once the
database is back. Here a database error stops the turn instead, before anything is said;
the channels (components/web_channels.py) tell the user to send the message again. The
error is a BaseException because FailSafeTrackerStore catches every Exception.

Connections are checked before use (pool_pre_ping), so the first message after the
database comes back is answered rather than failing on a connection the restart closed.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
import sqlalchemy.exc
from rasa.core.tracker_store import SQLTrackerStore, create_engine_kwargs
from rasa.shared.core.trackers import DialogueStateTracker


class ConversationStoreUnavailable(BaseException):
    """The database holding the conversations could not be reached."""


class ConversationStore(SQLTrackerStore):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        url = self.engine.url
        self.engine.dispose()
        self.engine = sa.create_engine(url, pool_pre_ping=True, **create_engine_kwargs(url))
        self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)

    async def retrieve(self, sender_id: str) -> DialogueStateTracker | None:
        try:
            return await super().retrieve(sender_id)
        except sqlalchemy.exc.DBAPIError as error:
            raise ConversationStoreUnavailable(first_line(error)) from error

    async def retrieve_full_tracker(self, sender_id: str) -> DialogueStateTracker | None:
        try:
            return await super().retrieve_full_tracker(sender_id)
        except sqlalchemy.exc.DBAPIError as error:
            raise ConversationStoreUnavailable(first_line(error)) from error

    async def save(self, tracker: DialogueStateTracker) -> None:
        try:
            await super().save(tracker)
        except sqlalchemy.exc.DBAPIError as error:
            raise ConversationStoreUnavailable(first_line(error)) from error


def first_line(error: BaseException) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
