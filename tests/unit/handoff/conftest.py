"""A store in a temporary SQLite file, and settings with a webhook, for the hand-off tests."""

from __future__ import annotations

import pytest

from handoff.settings import HandoffSettings
from handoff.store import HandoffStore


@pytest.fixture
def store(tmp_path) -> HandoffStore:
    return HandoffStore(f"sqlite:///{tmp_path / 'handoff.db'}")


@pytest.fixture
def settings(tmp_path) -> HandoffSettings:
    return HandoffSettings.from_environment(
        {
            "HANDOFF_WEBHOOK_URL": "http://127.0.0.1:9/hook",
            "HANDOFF_STORE_URL": f"sqlite:///{tmp_path / 'h.db'}",
        }
    )
