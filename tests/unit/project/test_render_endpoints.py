"""scripts/render_endpoints.py: the stores the environment names, over endpoints.yml's defaults."""

from __future__ import annotations

import importlib.util
import subprocess
import sys

import pytest

from tests import REPO_ROOT

_spec = importlib.util.spec_from_file_location("render_endpoints", REPO_ROOT / "scripts/render_endpoints.py")
render_endpoints = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(render_endpoints)


def test_by_default_conversations_go_to_the_sqlite_file_and_locks_stay_in_memory():
    endpoints = render_endpoints.render({}, action_port=6001)

    assert endpoints["action_endpoint"]["url"] == "http://localhost:6001/webhook"
    assert endpoints["tracker_store"] == {
        "type": "components.conversation_store.ConversationStore",
        "url": "sqlite:///var/data/conversations.db",
    }
    assert "lock_store" not in endpoints


def test_the_environment_switches_to_postgres_and_redis():
    endpoints = render_endpoints.render(
        {
            "TRACKER_STORE_URL": "postgresql://advisor:pw@db:5432/advisor",
            "LOCK_STORE_URL": "redis://:s3cret@cache:6380/2",
        },
        action_port=5055,
    )

    assert endpoints["tracker_store"] == {
        "type": "components.conversation_store.ConversationStore",
        "url": "postgresql://advisor:pw@db:5432/advisor",
    }
    assert endpoints["lock_store"] == {
        "type": "components.conversation_locks.AtomicRedisLockStore",
        "url": "cache", "port": 6380, "use_ssl": False, "db": 2, "password": "s3cret",
    }  # fmt: skip


def test_an_sqlite_file_gets_its_folder(tmp_path):
    render_endpoints.render({"TRACKER_STORE_URL": f"sqlite:///{tmp_path / 'data/conv.db'}"}, action_port=5055)

    assert (tmp_path / "data").is_dir()


@pytest.mark.parametrize("url", ["http://cache:6379", "redis://", "cache:6379"])
def test_a_malformed_lock_store_url_is_refused_with_the_expected_shape(tmp_path, url):
    result = subprocess.run(
        [sys.executable, str(REPO_ROOT / "scripts/render_endpoints.py"), str(tmp_path / "out.yml")],
        env={"LOCK_STORE_URL": url, "PATH": "/usr/bin:/bin"}, capture_output=True, text=True,
    )  # fmt: skip

    assert result.returncode == 1
    assert "LOCK_STORE_URL must look like redis://" in result.stderr
    assert not (tmp_path / "out.yml").exists()


def test_an_action_server_on_another_host_is_named_by_url(tmp_path):
    out = tmp_path / "endpoints.yml"
    subprocess.run(
        [sys.executable, str(REPO_ROOT / "scripts/render_endpoints.py"), str(out),
         "--action-url", "http://actions:5055/webhook"],
        check=True, env={"TRACKER_STORE_URL": "sqlite:///" + str(tmp_path / "c.db")},
    )  # fmt: skip

    assert "url: http://actions:5055/webhook" in out.read_text()
