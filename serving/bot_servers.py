"""The bot's processes started one by one from Python: the action server and Rasa server
(`BotServers`) and the intranet site (`IntranetSite`), each on ports of its own, as
`make run` starts them. The end-to-end tests and the benchmarks use them; the processes
themselves are defined in serving/processes.py."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import requests

from serving import REPO_ROOT
from serving.processes import (
    ACTION_SERVER_STOP_TIMEOUT_S,
    MODEL,
    HttpApi,
    action_server,
    free_port,
    intranet_site,
    kill_group,
    rasa_server,
    render_endpoints,
    start,
    stop,
    wait_until_up,
)


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

    @property
    def endpoints(self) -> Path:
        return self.workdir / "endpoints.yml"

    def start(self) -> None:
        if self.project == REPO_ROOT:
            # As `make run` does, but conversations go to this run's own SQLite file unless
            # rasa_env names another store.
            stores = {"TRACKER_STORE_URL": f"sqlite:///{self.workdir / 'conversations.db'}", **self.rasa_env}
            render_endpoints(self.endpoints, self.action_port, stores)
        else:
            self.endpoints.write_text((self.project / "endpoints.yml").read_text())
        if self.with_actions:
            self.start_actions()
        self.start_rasa()

    def start_rasa(self) -> None:
        """Starts the Rasa server (again, after stop_rasa or kill_rasa: same port, store and log)."""
        server = rasa_server(
            self.rasa_port, self.endpoints, model=self.model, project=self.project, cors=self.cors_origins,
            api=HttpApi(self.auth_token, self.jwt_secret), env=self.rasa_env,
        )  # fmt: skip
        log = self.workdir / "rasa.log"
        self.rasa = start(server, log)
        wait_until_up(server.ready_url, self.rasa, log)

    def stop_rasa(self) -> None:
        stop(self.rasa)
        self.rasa = None

    def start_actions(self, env: dict[str, str] | None = None) -> None:
        """Starts the action server; `env` replaces action_env for this start only."""
        server = action_server(self.action_port, self.action_env if env is None else env)
        log = self.workdir / "actions.log"
        self.actions = start(server, log)
        wait_until_up(server.ready_url, self.actions, log)

    def stop_actions(self) -> None:
        stop(self.actions, ACTION_SERVER_STOP_TIMEOUT_S)
        self.actions = None

    def stop(self) -> None:
        self.stop_rasa()
        self.stop_actions()

    def kill_rasa(self) -> None:
        """SIGKILL, as a crash or the kernel's OOM killer would: no chance to clean up."""
        self.rasa.kill()
        self.rasa.wait()

    def kill_actions(self) -> None:
        """SIGKILL to the action server and its Sanic worker (the process holding the model)."""
        kill_group(self.actions)
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
        server = intranet_site(self.port, self.socket_url, self.env)
        log = self.workdir / "site.log"
        self.process = start(server, log)
        wait_until_up(server.ready_url, self.process, log)

    def stop(self) -> None:
        stop(self.process)
