"""The base of every custom action: a call that answered always leaves a trace.

Rasa 3.6 records a custom action it could not reach as executed with no events and carries
on silently. components/action_server_failure.py takes exactly that, a custom action
followed by nothing, as "the action server is down" and apologises. So an action that did
run must leave something on the conversation: an event or a message. `run` checks this
for every action; one that would return nothing and say nothing raises `SilentAction`
instead of passing for an outage (tests/unit/actions/test_advisor_action.py holds every
action in the package to this base).
"""

from __future__ import annotations

import abc
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher


class SilentAction(RuntimeError):
    """An action returned no event and sent no message (Rasa would read it as an outage)."""


class AdvisorAction(Action, abc.ABC):
    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        said_before = len(dispatcher.messages)
        events = self.act(dispatcher, tracker, domain)
        if not events and len(dispatcher.messages) == said_before:
            raise SilentAction(
                f"{self.name()} returned no event and sent no message; Rasa would take it for "
                "an unreachable action server and apologise"
            )
        return events

    @abc.abstractmethod
    def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        """What the action does: the events it returns (messages go through `dispatcher`)."""
