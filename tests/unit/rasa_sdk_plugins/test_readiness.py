"""The action server is ready once its worker has warmed up, not when Sanic first serves."""

from __future__ import annotations

import asyncio
import json

import pytest

import rasa_sdk_plugins
from rasa_sdk_plugins import WARMED_UP, readiness, warmed_up_by


@pytest.fixture(autouse=True)
def cold_worker():
    WARMED_UP.clear()
    yield
    WARMED_UP.clear()


def answer() -> tuple[int, dict]:
    reply = asyncio.run(readiness(None))
    return reply.status, json.loads(reply.body)


def test_before_the_warm_up_has_run_it_answers_503_and_after_it_200():
    assert answer() == (503, {"status": "warming up"})

    warmed_up_by(lambda: None)

    assert answer() == (200, {"status": "ready"})


def test_a_failed_warm_up_still_ends_the_wait():
    def failing() -> None:
        raise OSError("no index")

    with pytest.raises(OSError):
        warmed_up_by(failing)

    assert answer()[0] == 200 and rasa_sdk_plugins.WARMED_UP.is_set()
