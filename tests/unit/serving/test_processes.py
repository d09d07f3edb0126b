"""serving/processes.py: the servers' command lines, and start/stop reaching a whole process group."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import pytest

from serving.processes import (
    HttpApi,
    ServerProcess,
    action_server,
    rasa_server,
    start,
    stop,
    wait_until_up,
)


def test_the_http_api_is_off_without_a_token_or_a_jwt_secret():
    assert HttpApi().args() == []
    assert HttpApi(auth_token="t").args() == ["--enable-api", "--auth-token", "t"]
    assert HttpApi(jwt_secret="s", jwt_method="HS512").args() == [
        "--enable-api", "--jwt-secret", "s", "--jwt-method", "HS512"
    ]  # fmt: skip


def test_the_rasa_server_gets_its_cors_origins_both_as_flags_and_for_the_socket_channel():
    server = rasa_server(
        5005, Path("/run/endpoints.yml"), cors=["http://a", "http://b"], interface="127.0.0.1"
    )
    assert server.argv[server.argv.index("--cors") + 1 :][:2] == ["http://a", "http://b"]
    assert server.argv[server.argv.index("--interface") + 1] == "127.0.0.1"
    assert "--enable-api" not in server.argv
    assert server.env["RASA_CORS"] == "http://a http://b"
    assert server.ready_url == "http://127.0.0.1:5005/"


def test_the_action_server_runs_this_repos_actions_on_its_port():
    server = action_server(6001, {"ADVISOR_RETRIEVAL_CONFIG": "x.yml"})
    assert server.argv[-5:] == ["rasa_sdk", "--actions", "actions", "--port", "6001"]
    assert server.env == {"ADVISOR_RETRIEVAL_CONFIG": "x.yml"}


def child_and_grandchild(tmp_path: Path) -> ServerProcess:
    """A parent that starts a child, writes both pids and sleeps."""
    script = (
        "import os, subprocess, sys, time\n"
        "child = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(600)'])\n"
        f"open({str(tmp_path / 'pids')!r}, 'w').write(f'{{os.getpid()}} {{child.pid}}')\n"
        "time.sleep(600)\n"
    )
    return ServerProcess([sys.executable, "-c", script], cwd=tmp_path)


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie is gone for our purposes: its parent has not reaped it yet.
    return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"


def test_stop_ends_the_process_and_what_it_started(tmp_path):
    process = start(child_and_grandchild(tmp_path), tmp_path / "log")
    pids, deadline = tmp_path / "pids", time.monotonic() + 30
    # The file exists a moment before the parent has written both pids into it.
    while not (pids.exists() and len(pids.read_text().split()) == 2) and time.monotonic() < deadline:
        time.sleep(0.05)
    _, child = map(int, pids.read_text().split())

    stop(process, timeout_s=5)

    assert process.returncode is not None
    deadline = time.monotonic() + 5
    while alive(child) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not alive(child), "a child of a stopped server lived on"


def test_a_server_that_exits_during_start_up_is_reported_with_its_log(tmp_path):
    crashing = ServerProcess([sys.executable, "-c", "print('bad settings file'); raise SystemExit(3)"])
    process = start(crashing, tmp_path / "crash.log")
    with pytest.raises(RuntimeError, match="(?s)exited with 3.*bad settings file"):
        wait_until_up("http://127.0.0.1:9/", process, tmp_path / "crash.log", timeout_s=30)
