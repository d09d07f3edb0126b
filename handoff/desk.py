"""Filing a question for the office and delivering it, with retries (tenacity).

`OfficeDesk.submit` stores the question first (store.py), then tries each destination
twice at once. What still fails is retried in a background thread with exponential
backoff (1 s doubling to at most 5 minutes between tries) for up to a day; `resume()` picks
up whatever was pending when the server last stopped. The person is told whether the
request reached the office now or is waiting to be retried.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from dataclasses import dataclass

from tenacity import (
    RetryCallState,
    Retrying,
    retry_if_exception_type,
    stop_after_attempt,
    stop_after_delay,
    wait_exponential,
    wait_fixed,
)
from tenacity.wait import wait_base

from handoff.destinations import (
    DeliveryError,
    Destination,
    EmailDestination,
    SlackDestination,
    WebhookDestination,
)
from handoff.settings import HandoffSettings
from handoff.store import Delivery, DeliveryStatus, Filed, HandoffStore

logger = logging.getLogger(__name__)

GIVE_UP_AFTER_S = 24 * 60 * 60
# 1 s after the first failure, doubling up to 5 minutes between tries.
BACKOFF = wait_exponential(multiplier=1, min=1, max=300)
FIRST_TRY_ATTEMPTS = 2


def destinations_of(settings: HandoffSettings) -> list[Destination]:
    found: list[Destination] = []
    if settings.slack:
        found.append(SlackDestination(settings.slack))
    if settings.email:
        found.append(EmailDestination(settings.email))
    if settings.webhook_url:
        found.append(WebhookDestination(settings.webhook_url))
    return found


@dataclass(frozen=True)
class Submission:
    filed: Filed
    delivered: bool  # every destination took it now; otherwise retries go on in the background


class OfficeDesk:
    def __init__(
        self,
        settings: HandoffSettings,
        store: HandoffStore | None = None,
        destinations: Sequence[Destination] | None = None,
        backoff: wait_base = BACKOFF,
        give_up_after_s: float = GIVE_UP_AFTER_S,
    ) -> None:
        self.settings = settings
        self._store = store
        self.destinations = {
            d.name: d for d in (destinations_of(settings) if destinations is None else destinations)
        }
        self.backoff = backoff
        self.give_up_after_s = give_up_after_s
        self._retrying: set[tuple[int, str]] = set()
        self._lock = threading.Lock()

    @property
    def store(self) -> HandoffStore:
        """Opened at first use: a bot with no destination never creates it."""
        if self._store is None:
            self._store = HandoffStore(self.settings.store_url)
        return self._store

    def submit(
        self,
        conversation_id: str,
        channel: str,
        reply_to: dict,
        question: str,
        transcript: list[dict[str, str]],
        contact: str | None,
    ) -> Submission:
        """Stores the question (raises sqlalchemy's errors when the store is down: then
        nothing was promised), then delivers it."""
        filed = self.store.file_question(
            conversation_id, channel, reply_to, question, transcript, contact, list(self.destinations)
        )
        delivered = True
        for delivery in self.store.deliveries(DeliveryStatus.PENDING, [filed.question.id]):
            try:
                Retrying(
                    stop=stop_after_attempt(FIRST_TRY_ATTEMPTS), wait=wait_fixed(0.5),
                    retry=retry_if_exception_type(DeliveryError), reraise=True,
                    before_sleep=self._note_failure(delivery),
                )(self._attempt, delivery)  # fmt: skip
            except DeliveryError as error:
                self.store.record_attempt(delivery, DeliveryStatus.PENDING, str(error))
                logger.warning(
                    "request %s not delivered to %s yet: %s", filed.request.id, delivery.destination, error
                )
                delivered = False
                self._retry_in_background(delivery)
        return Submission(filed, delivered)

    def resume(self) -> int:
        """Retries, in the background, every delivery left pending; returns how many."""
        pending = self.store.deliveries(DeliveryStatus.PENDING)
        for delivery in pending:
            self._retry_in_background(delivery)
        return len(pending)

    def _attempt(self, delivery: Delivery) -> None:
        destination = self.destinations.get(delivery.destination)
        if destination is None:
            raise DeliveryError(f"{delivery.destination} is no longer configured")
        message = self.store.message(delivery.message_id)
        request = self.store.request(message.request_id)
        ref = destination.send(request, message, self.settings.office)
        if ref and destination.name == "slack":
            self.store.set_office_thread(request.id, ref)
        self.store.record_attempt(delivery, DeliveryStatus.SENT)

    def _note_failure(self, delivery: Delivery):
        def note(state: RetryCallState) -> None:
            error = state.outcome.exception() if state.outcome else None
            self.store.record_attempt(delivery, DeliveryStatus.PENDING, str(error))

        return note

    def _retry_in_background(self, delivery: Delivery) -> None:
        key = (delivery.message_id, delivery.destination)
        with self._lock:
            if key in self._retrying:
                return
            self._retrying.add(key)

        def retry() -> None:
            try:
                Retrying(
                    stop=stop_after_delay(self.give_up_after_s), wait=self.backoff,
                    retry=retry_if_exception_type(DeliveryError), reraise=True,
                    before_sleep=self._note_failure(delivery),
                )(self._attempt, delivery)  # fmt: skip
                logger.info(
                    "delivered message %s to %s after retrying", delivery.message_id, delivery.destination
                )
            except DeliveryError as error:
                self.store.record_attempt(delivery, DeliveryStatus.FAILED, str(error))
                logger.error(
                    "gave up delivering message %s to %s: %s",
                    delivery.message_id,
                    delivery.destination,
                    error,
                )
            except Exception:  # the store went away: the delivery stays pending for resume()
                logger.exception(
                    "retrying message %s to %s stopped", delivery.message_id, delivery.destination
                )
            finally:
                with self._lock:
                    self._retrying.discard(key)

        threading.Thread(target=retry, name=f"handoff-{key[0]}-{key[1]}", daemon=True).start()
