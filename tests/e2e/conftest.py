from __future__ import annotations

import re
import subprocess
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import yaml

from tests.e2e.servers import ACTIONS_PYTHON, MODEL, REPO_ROOT, BotServers, server_env


@pytest.fixture(scope="session")
def knowledge_config(tmp_path_factory) -> Path:
    """Retrieval settings for the test servers: the repo's knowledge, but an index and an
    ingested folder of their own, so tests can ingest and rebuild without touching var/."""
    workdir = tmp_path_factory.mktemp("knowledge")
    settings = yaml.safe_load((REPO_ROOT / "retrieval.yml").read_text())
    settings.update(
        knowledge_dirs=[str(REPO_ROOT / "knowledge"), str(workdir / "ingested")],
        ingested_dir=str(workdir / "ingested"),
        index_dir=str(workdir / "index"),
        human_contact="the Career Development Office, extension 4321",
    )
    config = workdir / "retrieval.yml"
    config.write_text(yaml.safe_dump(settings))
    retrieval_cli(config, "build")
    return config


def retrieval_cli(config: Path, *args: str) -> subprocess.CompletedProcess:
    """`python -m retrieval ...` against the given settings file; fails the test on error."""
    result = subprocess.run(
        [str(ACTIONS_PYTHON), "-m", "retrieval", *args],
        env=server_env({"ADVISOR_RETRIEVAL_CONFIG": str(config)}), cwd=REPO_ROOT,
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    return result


@pytest.fixture(scope="session")
def bot(tmp_path_factory, knowledge_config) -> Iterator[BotServers]:
    if not MODEL.exists():
        pytest.fail(f"no trained model at {MODEL}: run `make train` (make test does it for you)")
    servers = BotServers(
        tmp_path_factory.mktemp("servers"), action_env={"ADVISOR_RETRIEVAL_CONFIG": str(knowledge_config)}
    )
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
    """Tells whether a text is the bot's own: a domain response with any {slot} filled in,
    or an answer from the knowledge base, which always ends with its source."""
    domain = yaml.safe_load((REPO_ROOT / "domain.yml").read_text())
    patterns = [
        re.compile(".+".join(map(re.escape, re.split(r"\{\w+\}", variant["text"]))), re.DOTALL)
        for variants in domain["responses"].values()
        for variant in variants
    ]
    knowledge_answer = re.compile(r".+\n\n_Source: .+ — .+_", re.DOTALL)
    return lambda text: (
        bool(knowledge_answer.fullmatch(text or ""))
        or any(pattern.fullmatch(text or "") for pattern in patterns)
    )
