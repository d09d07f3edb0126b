"""Rasa's Redis lock store, with its ticket bookkeeping made atomic across Rasa servers.

Rasa 3.6's RedisLockStore keeps each conversation's ticket lock as one JSON value and
changes it by GET, modify, SET. Two Rasa servers that receive a message for the same
conversation at the same moment can both read the lock before either writes it, take the
same ticket, and handle the two messages at once; the SQL tracker store then saves only
one of them (it appends by event count), so a message is lost. `make cluster`'s test saw
this: two questions sent to the two replicas at once, one missing from the conversation.

Here every change to a conversation's lock (issuing a ticket, dropping expired ones,
finishing and deleting) runs under a short Redis mutex for that conversation (redis-py's
Lock: SET NX with an expiry, released by a script that checks the owner).
"""

from __future__ import annotations

from rasa.core.lock_store import LOCK_LIFETIME, RedisLockStore
from rasa.utils.endpoints import EndpointConfig

# The mutex is held for one GET and one SET; these bound a Redis that stalls.
MUTEX_TIMEOUT_S = 5.0
MUTEX_WAIT_S = 10.0


class AtomicRedisLockStore(RedisLockStore):
    def __init__(self, endpoint_config: EndpointConfig) -> None:
        # Rasa builds lock stores named by module path from their endpoint config.
        super().__init__(host=endpoint_config.url, **endpoint_config.kwargs)

    def _mutex(self, conversation_id: str):
        return self.red.lock(
            f"{self.key_prefix}{conversation_id}:mutex",
            timeout=MUTEX_TIMEOUT_S,
            blocking_timeout=MUTEX_WAIT_S,
        )

    def issue_ticket(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME) -> int:
        with self._mutex(conversation_id):
            return super().issue_ticket(conversation_id, lock_lifetime)

    def update_lock(self, conversation_id: str) -> None:
        with self._mutex(conversation_id):
            super().update_lock(conversation_id)

    def cleanup(self, conversation_id: str, ticket_number: int) -> None:
        # Finishing, checking for waiters and deleting are one step: a ticket issued in
        # between would otherwise lose its lock and fail with "Could not acquire lock".
        with self._mutex(conversation_id):
            super().cleanup(conversation_id, ticket_number)
