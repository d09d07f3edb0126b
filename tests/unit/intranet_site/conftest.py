"""The intranet site over the tiny knowledge folder and encoder of the retrieval tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from intranet_site.app import WidgetConfig, create_app
from intranet_site.faq_catalog import FaqCatalog
from planning.plan_links import PlanLinks
from retrieval.advisor import KnowledgeAdvisor
from retrieval.knowledge_entries import load_entries
from retrieval.knowledge_index import build_index
from tests.unit.retrieval.conftest import encoder, knowledge_dir, make_settings  # noqa: F401

TOPIC_TITLES = {
    "certifications": "certifications",
    "networking": "networking and mentors",
    "experience": "gaining experience",
}


@pytest.fixture
def widget_bundle(tmp_path) -> Path:
    bundle = tmp_path / "webchat.js"
    bundle.write_text("window.WebChat = {};")
    return bundle


class Clock:
    """Seconds since the epoch, moved by the tests."""

    def __init__(self) -> None:
        self.now = 1_790_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def plan_links(clock) -> PlanLinks:
    return PlanLinks("site-test-secret", max_age_days=30, site_url="http://intranet.example", clock=clock)


@pytest.fixture
def site(make_settings, encoder, widget_bundle, plan_links) -> Iterator[TestClient]:  # noqa: F811
    settings = make_settings()
    build_index(load_entries(settings.knowledge_dirs), encoder, settings.index_dir)
    app = create_app(
        FaqCatalog(settings.knowledge_dirs, TOPIC_TITLES),
        KnowledgeAdvisor(settings, encoder),
        WidgetConfig(socket_url="http://rasa.example:5005", bundle=widget_bundle),
        plan_links,
    )
    with TestClient(app) as client:
        yield client
