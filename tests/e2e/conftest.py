from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

from tests.e2e.servers import MODEL, BotServers


@pytest.fixture(scope="session")
def bot(tmp_path_factory) -> Iterator[BotServers]:
    if not MODEL.exists():
        pytest.fail(f"no trained model at {MODEL}: run `make train` (make test does it for you)")
    servers = BotServers(tmp_path_factory.mktemp("servers"))
    try:
        servers.start()
        yield servers
    finally:
        servers.stop()


@pytest.fixture
def sender() -> str:
    """A fresh conversation for each test."""
    return f"e2e-{uuid.uuid4().hex[:12]}"
