"""The bot's processes started and stopped from Python: the action server and Rasa server
(`BotServers`) and the intranet site (`IntranetSite`), each on ports of its own, as
`make run` starts them. The end-to-end tests and the benchmarks use them."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

import requests

from local_cluster.services import free_port
from serving import REPO_ROOT

RASA = REPO_ROOT / ".venv/rasa/bin/rasa"
RASA_PYTHON = REPO_ROOT / ".venv/rasa/bin/python"
ACTIONS_PYTHON = REPO_ROOT / ".venv/actions/bin/python"
MODEL = REPO_ROOT / "models/career-advisor.tar.gz"
STARTUP_TIMEOUT_S = 240


def server_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    return {**os.environ, "RASA_TELEMETRY_ENABLED": "false", "PYTHONPATH": str(REPO_ROOT), **(extra or {})}


def wait_until_up(
    url: str, process: subprocess.Popen, log: Path, timeout_s: float = STARTUP_TIMEOUT_S
) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}; log:\n{log.read_text()[-3000:]}")
        try:
            if requests.get(url, timeout=5).ok:
                return
        except requests.RequestException:  # refused, or accepted but busy loading
            pass
        time.sleep(0.5)
    raise RuntimeError(f"{url} did not answer within {timeout_s}s; log:\n{log.read_text()[-3000:]}")


def stop(process: subprocess.Popen | None) -> None:
    if process is None or process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@dataclass
class BotServers:
    """The two processes `make run` starts, on ports no other test uses.

    `project` and `model` default to this bot; the benchmark points them at another
    Rasa project, with `with_actions=False` when that project has no custom actions.
    """

    workdir: Path
    project: Path = REPO_ROOT
    model: Path = MODEL
    with_actions: bool = True
    auth_token: str = "e2e-secret-token"
    jwt_secret: str = "e2e-jwt-secret-long-enough-for-hs256-keys"
    # Extra environment for the action server (ADVISOR_RETRIEVAL_CONFIG points it at a test index).
    action_env: dict[str, str] = field(default_factory=dict)
    # Extra environment for the Rasa server (Slack's token, secret and API address).
    rasa_env: dict[str, str] = field(default_factory=dict)
    # Web pages allowed to call the Rasa server from a browser.
    cors_origins: list[str] = field(default_factory=list)
    rasa_port: int = field(default_factory=free_port)
    action_port: int = field(default_factory=free_port)
    rasa: subprocess.Popen | None = None
    actions: subprocess.Popen | None = None

    @property
    def rasa_url(self) -> str:
        return f"http://127.0.0.1:{self.rasa_port}"

    def start(self) -> None:
        endpoints = self.workdir / "endpoints.yml"
        if self.project == REPO_ROOT:
            # As `make run` does, but conversations go to this run's own SQLite file unless
            # rasa_env names another store.
            stores = {"TRACKER_STORE_URL": f"sqlite:///{self.workdir / 'conversations.db'}", **self.rasa_env}
            subprocess.run(
                [str(RASA_PYTHON), "scripts/render_endpoints.py", str(endpoints),
                 "--action-port", str(self.action_port)],
                cwd=REPO_ROOT, env=server_env(stores), check=True,
            )  # fmt: skip
        else:
            endpoints.write_text((self.project / "endpoints.yml").read_text())
        if self.with_actions:
            self.start_actions()
        log = self.workdir / "rasa.log"
        self.rasa = subprocess.Popen(
            [
                str(RASA), "run", "--model", str(self.model), "--port", str(self.rasa_port),
                "--credentials", str(self.project / "credentials.yml"), "--endpoints", str(endpoints),
                "--enable-api", "--auth-token", self.auth_token, "--jwt-secret", self.jwt_secret,
                *(["--cors", *self.cors_origins] if self.cors_origins else []),
            ],
            cwd=self.project, env=server_env({"RASA_CORS": " ".join(self.cors_origins), **self.rasa_env}),
            stdout=log.open("a"), stderr=subprocess.STDOUT,
        )  # fmt: skip
        wait_until_up(f"{self.rasa_url}/", self.rasa, log)

    def start_actions(self, env: dict[str, str] | None = None) -> None:
        """Starts the action server; `env` replaces action_env for this start only."""
        log = self.workdir / "actions.log"
        self.actions = subprocess.Popen(
            [str(ACTIONS_PYTHON), "-m", "rasa_sdk", "--actions", "actions", "--port", str(self.action_port)],
            cwd=REPO_ROOT, env=server_env(self.action_env if env is None else env),
            stdout=log.open("a"), stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        wait_until_up(f"http://127.0.0.1:{self.action_port}/health", self.actions, log)

    def stop_actions(self) -> None:
        stop(self.actions)
        if self.actions is not None:
            # The Sanic worker outlives a parent stopped while it was still starting.
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.actions.pid, signal.SIGKILL)
        self.actions = None

    def stop(self) -> None:
        stop(self.rasa)
        self.stop_actions()

    def kill_rasa(self) -> None:
        """SIGKILL, as a crash or the kernel's OOM killer would: no chance to clean up."""
        self.rasa.kill()
        self.rasa.wait()

    def kill_actions(self) -> None:
        """SIGKILL to the action server and its Sanic worker (the process holding the model)."""
        os.killpg(self.actions.pid, signal.SIGKILL)
        self.actions.wait()
        self.actions = None

    def say(self, message: str, sender: str) -> list[dict]:
        """Sends a message over the REST channel and returns the bot's replies."""
        response = requests.post(
            f"{self.rasa_url}/webhooks/rest/webhook", json={"sender": sender, "message": message}, timeout=60
        )
        response.raise_for_status()
        return response.json()

    def tracker(self, sender: str) -> dict:
        """The conversation as Rasa stores it (HTTP API)."""
        response = requests.get(
            f"{self.rasa_url}/conversations/{sender}/tracker", params={"token": self.auth_token}, timeout=30
        )
        response.raise_for_status()
        return response.json()


@dataclass
class IntranetSite:
    """The intranet site `make run` serves on port 8080, here on a port of its own."""

    workdir: Path
    socket_url: str
    env: dict[str, str] = field(default_factory=dict)
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        log = self.workdir / "site.log"
        self.process = subprocess.Popen(
            [str(ACTIONS_PYTHON), "-m", "intranet_site",
             "--port", str(self.port), "--socket-url", self.socket_url],
            cwd=REPO_ROOT, env=server_env(self.env), stdout=log.open("w"), stderr=subprocess.STDOUT,
        )  # fmt: skip
        wait_until_up(f"{self.url}/healthz", self.process, log)

    def stop(self) -> None:
        stop(self.process)
