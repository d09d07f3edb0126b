from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterator

import pytest
import yaml

from tests.e2e.servers import MODEL, REPO_ROOT, BotServers


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


@pytest.fixture(scope="session")
def is_bot_response() -> Callable[[str], bool]:
    """Tells whether a text is one of the domain's responses, with any {slot} filled in."""
    domain = yaml.safe_load((REPO_ROOT / "domain.yml").read_text())
    patterns = [
        re.compile(".+".join(map(re.escape, re.split(r"\{\w+\}", variant["text"]))), re.DOTALL)
        for variants in domain["responses"].values()
        for variant in variants
    ]
    return lambda text: any(pattern.fullmatch(text or "") for pattern in patterns)
