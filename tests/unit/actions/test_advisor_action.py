"""Every custom action is held to the event rule by its base class (actions/advisor_action.py)."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest
from rasa_sdk import Action, FormValidationAction
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

import actions
from actions.advisor_action import AdvisorAction, SilentAction


def action_classes() -> list[type[Action]]:
    """The concrete rasa-sdk actions defined in the actions package (what the server serves)."""
    found = []
    for module_info in pkgutil.iter_modules(actions.__path__):
        module = importlib.import_module(f"actions.{module_info.name}")
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, Action) and cls.__module__ == module.__name__ and not inspect.isabstract(cls):
                found.append(cls)
    return found


def test_the_package_defines_the_actions_the_server_serves():
    names = {cls.__name__ for cls in action_classes()}
    assert {"ActionUnderstand", "ActionAnswerQuestion", "ActionShowPlan", "ValidateCareerPlanForm"} <= names


@pytest.mark.parametrize("cls", action_classes(), ids=lambda cls: cls.__name__)
def test_every_action_is_an_advisor_action_or_a_form_validation(cls):
    """Form validations may return nothing: Rasa's form loop runs after them and asks."""
    assert issubclass(cls, (AdvisorAction, FormValidationAction))
    if issubclass(cls, AdvisorAction):
        assert cls.run is AdvisorAction.run, f"{cls.__name__} must implement act(), not override run()"


class Quiet(AdvisorAction):
    def __init__(self, events=(), says: str | None = None) -> None:
        self.events, self.says = list(events), says

    def name(self) -> str:
        return "action_quiet"

    def act(self, dispatcher, tracker, domain):
        if self.says:
            dispatcher.utter_message(text=self.says)
        return self.events


def test_an_action_that_returns_nothing_and_says_nothing_raises_instead_of_passing_for_an_outage():
    with pytest.raises(SilentAction, match="action_quiet returned no event and sent no message"):
        Quiet().run(CollectingDispatcher(), None, {})


def test_an_event_or_a_message_is_enough():
    assert Quiet([SlotSet("last_topic", None)]).run(CollectingDispatcher(), None, {}) == [
        SlotSet("last_topic", None)
    ]
    dispatcher = CollectingDispatcher()
    assert Quiet(says="Hello").run(dispatcher, None, {}) == [] and dispatcher.messages[0]["text"] == "Hello"


def test_a_message_sent_before_the_action_ran_does_not_count():
    dispatcher = CollectingDispatcher()
    dispatcher.utter_message(text="from an earlier step")
    with pytest.raises(SilentAction):
        Quiet().run(dispatcher, None, {})
