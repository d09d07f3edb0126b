"""Fixtures for the Rasa-side components; these tests run in the Rasa environment."""

from __future__ import annotations

from pathlib import Path

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.core.domain import Domain

from tests import REPO_ROOT


@pytest.fixture(scope="session")
def domain() -> Domain:
    return Domain.load(REPO_ROOT / "domain.yml")


@pytest.fixture
def component_args(tmp_path: Path) -> dict:
    """What Rasa's graph passes to a component's `create`."""
    return {
        "model_storage": LocalModelStorage(tmp_path),
        "resource": Resource("component-under-test"),
        "execution_context": ExecutionContext(GraphSchema({}), "test-model"),
    }
