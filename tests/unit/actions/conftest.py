"""Fixtures for running actions the way rasa-sdk's executor does, without a server."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from functools import cache
from typing import Any

import pytest
import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import services
from retrieval.advisor import KnowledgeAdvisor
from tests import REPO_ROOT
from tests.unit.retrieval.conftest import HashingEncoder

# Printable plan links signed with a key of the tests' own, not the one `make run` keeps in var/.
os.environ.setdefault("ADVISOR_PLAN_LINK_SECRET", "unit-test-plan-link-secret")


@pytest.fixture(scope="session", autouse=True)
def hashing_encoder_for_reading_messages() -> Iterator[None]:
    """Actions read job titles and small talk with the knowledge base's model; here the tiny
    deterministic encoder stands in for it, so the tier needs nothing but Python (loading
    all-mpnet-base-v2 took 15 s). The model's own reading is tested end to end and by `make eval`."""
    services.shared_advisor.cache_clear()
    services.message_reader.cache_clear()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(services, "shared_advisor", cache(lambda: KnowledgeAdvisor(encoder=HashingEncoder())))
        yield
    services.message_reader.cache_clear()


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
