"""`make run` as a user runs it: it serves the bot, says where, and Ctrl-C stops it all."""

from __future__ import annotations

import os
import pathlib
import signal
import socket
import subprocess
import time

import pytest
import requests

from serving import REPO_ROOT
from serving.processes import STARTUP_TIMEOUT_S, free_port, server_env
from tests.e2e.logs import alarms


def port_is_open(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


def group_is_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


def start_make_run(tmp_path) -> tuple[subprocess.Popen, int, int, int, pathlib.Path]:
    """Runs `make run` on free ports and returns once it says the bot is ready."""
    rasa_port, action_port, site_port = free_port(), free_port(), free_port()
    env = {
        **server_env(),
        "RASA_PORT": str(rasa_port),
        "ACTION_PORT": str(action_port),
        "SITE_PORT": str(site_port),
        "RASA_AUTH_TOKEN": "",
        "TRACKER_STORE_URL": f"sqlite:///{tmp_path / 'conversations.db'}",
    }
    for unset in ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET"):
        env.pop(unset, None)
    log = tmp_path / "make-run.log"
    # A session of its own, so that SIGINT goes to the whole group the way a terminal's Ctrl-C
    # does; and SIGINT handled as in a terminal's foreground job, even when the test runner
    # itself ignores it (pytest-xdist's workers do, and an ignored signal stays ignored in children).
    make = subprocess.Popen(
        ["make", "--no-print-directory", "run"],
        cwd=REPO_ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT, start_new_session=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )  # fmt: skip
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while "is ready" not in log.read_text():
        if make.poll() is not None or time.monotonic() > deadline:
            os.killpg(make.pid, signal.SIGKILL)
            pytest.fail(f"make run did not get ready; log:\n{log.read_text()[-3000:]}")
        time.sleep(0.5)
    return make, rasa_port, action_port, site_port, log


def wait_until_stopped(pgid: int, *ports: int, timeout_s: float = 30) -> None:
    deadline = time.monotonic() + timeout_s
    while (group_is_alive(pgid) or any(map(port_is_open, ports))) and time.monotonic() < deadline:
        time.sleep(0.5)


def test_make_run_serves_the_bot_and_ctrl_c_stops_every_process(tmp_path):
    make, rasa_port, action_port, site_port, log = start_make_run(tmp_path)
    try:
        reply = requests.post(
            f"http://127.0.0.1:{rasa_port}/webhooks/rest/webhook",
            json={"sender": "make-run", "message": "hello"},
            timeout=30,
        ).json()
        status = requests.get(f"http://127.0.0.1:{rasa_port}/status", timeout=10)
        intranet = requests.get(f"http://127.0.0.1:{site_port}/", timeout=10)
        widget = requests.get(f"http://127.0.0.1:{site_port}/vendor/rasa-webchat.js", timeout=10)
        slack = requests.post(f"http://127.0.0.1:{rasa_port}/webhooks/slack/webhook", json={}, timeout=10)
    finally:
        os.killpg(make.pid, signal.SIGINT)
        make.wait(timeout=60)
    wait_until_stopped(make.pid, rasa_port, action_port, site_port)

    printed = log.read_text()
    assert f"localhost:{rasa_port}/webhooks/rest/webhook" in printed
    assert f"http://localhost:{site_port}/faq" in printed
    assert "Slack:     off" in printed
    assert "hospital career advisor" in reply[0]["text"]
    assert status.status_code == 404, "without RASA_AUTH_TOKEN the HTTP API must be off"
    assert intranet.ok and "/vendor/rasa-webchat.js" in intranet.text
    assert f"http://localhost:{rasa_port}" in intranet.text, "the widget must talk to this Rasa server"
    assert widget.ok and "WebChat" in widget.text[:1000], "the widget bundle must be served from this machine"
    assert slack.status_code == 404, "with no Slack credentials the Slack webhook must be off"
    assert not group_is_alive(make.pid), "a process that make run started outlived Ctrl-C"
    assert not any(map(port_is_open, (rasa_port, action_port, site_port)))
    # The end of a day (test_quiet_logs): starting, serving and stopping alarm no one.
    assert alarms(printed) == []


def test_when_one_server_dies_make_run_stops_the_other_and_fails(tmp_path):
    make, rasa_port, action_port, site_port, _ = start_make_run(tmp_path)
    try:
        subprocess.run(
            ["pkill", "-KILL", "-f", f"rasa_sdk --actions actions --port {action_port}"], check=True
        )
        returncode = make.wait(timeout=60)
    finally:
        if group_is_alive(make.pid):
            os.killpg(make.pid, signal.SIGKILL)
    wait_until_stopped(make.pid, rasa_port, site_port)

    assert returncode != 0
    assert not port_is_open(rasa_port), "the Rasa server outlived the action server's crash"
    assert not port_is_open(site_port), "the intranet site outlived the action server's crash"


def make_would_run(*what_if: str) -> str:
    """The commands `make train` would run, if the given files had just changed (make -n -W)."""
    args = ["make", "--no-print-directory", "-n", "train"]
    for path in what_if:
        args += ["-W", path]
    return subprocess.run(args, cwd=REPO_ROOT, capture_output=True, text=True, check=True).stdout


def test_make_trains_only_when_training_data_or_config_changed():
    assert "rasa train" not in make_would_run()
    assert "rasa train" not in make_would_run("actions/answer_question.py", "README.md")
    for changed in ["config.yml", "domain.yml", "data/nlu/smalltalk.yml", "data/rules/fallback.yml"]:
        assert "rasa train" in make_would_run(changed), changed
