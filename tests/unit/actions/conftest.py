"""Fixtures for running actions the way rasa-sdk's executor does, without a server."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

import pytest
import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from tests import REPO_ROOT

# Printable plan links signed with a key of the tests' own, not the one `make run` keeps in var/.
os.environ.setdefault("ADVISOR_PLAN_LINK_SECRET", "unit-test-plan-link-secret")


@pytest.fixture
def dispatcher() -> CollectingDispatcher:
    return CollectingDispatcher()


@pytest.fixture(scope="session")
def domain() -> dict[str, Any]:
    return yaml.safe_load((REPO_ROOT / "domain.yml").read_text())


@pytest.fixture
def tracker_for() -> Callable[..., Tracker]:
    """Builds a tracker whose latest user message has the given intent and text."""

    def build(intent: str | None, text: str = "a question", slots: dict | None = None) -> Tracker:
        latest_message = {
            "text": text,
            "intent": {"name": intent, "confidence": 0.98} if intent else {},
            "entities": [],
        }
        return Tracker(
            sender_id="unit-test",
            slots=slots or {},
            latest_message=latest_message,
            events=[],
            paused=False,
            followup_action=None,
            active_loop={},
            latest_action_name="action_listen",
        )

    return build
