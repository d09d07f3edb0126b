"""Each of the bot's processes defined once, and the one way to start, wait for and stop one.

A `ServerProcess` is a command line with its working folder, extra environment and the URL
that answers once it is up. `make run`, `make shell` and `make cluster` hand these to
supervisord (serving/supervision.py); the end-to-end tests and the benchmarks start them
one by one with `start`, `wait_until_up` and `stop`, because they kill and restart single
servers on purpose.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import requests

from serving import REPO_ROOT

RASA = REPO_ROOT / ".venv/rasa/bin/rasa"
RASA_PYTHON = REPO_ROOT / ".venv/rasa/bin/python"
ACTIONS_PYTHON = REPO_ROOT / ".venv/actions/bin/python"
MODEL = REPO_ROOT / "models/career-advisor.tar.gz"

# Seconds a server may take to answer its first request. Rasa loads TensorFlow and the
# model, the action server the embedding model: about 30 s on a quiet 2-core machine, several
# times that when tests or a second bot share the CPUs.
STARTUP_TIMEOUT_S = float(os.environ.get("STARTUP_TIMEOUT", "240"))
# Seconds a server has to finish after SIGTERM before its process group gets SIGKILL.
STOP_TIMEOUT_S = 20.0
# The action server keeps nothing a stop could lose (conversations are Rasa's), and for about
# 10 s after start-up it cannot stop gracefully: warming up its models holds up Sanic's loop.
ACTION_SERVER_STOP_TIMEOUT_S = 5.0


@dataclass(frozen=True)
class ServerProcess:
    """One server: `argv` run in `cwd` with `env` added to the environment, up once
    `ready_url` answers 2xx (empty for servers that do not speak HTTP), given
    `stop_timeout_s` to finish after SIGTERM."""

    argv: list[str]
    ready_url: str = ""
    cwd: Path = REPO_ROOT
    env: dict[str, str] = field(default_factory=dict)
    stop_timeout_s: float = STOP_TIMEOUT_S


def server_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """This process's environment as every server needs it (no telemetry; the repo importable)."""
    return {**os.environ, "RASA_TELEMETRY_ENABLED": "false", "PYTHONPATH": str(REPO_ROOT), **(extra or {})}


def action_server(port: int, env: dict[str, str] | None = None) -> ServerProcess:
    """The rasa-sdk action server with this repo's actions."""
    return ServerProcess(
        [str(ACTIONS_PYTHON), "-m", "rasa_sdk", "--actions", "actions", "--port", str(port)],
        # Up once its worker has loaded the model and the index (rasa_sdk_plugins), not
        # merely serving: the first question is then answered at once.
        f"http://127.0.0.1:{port}/ready",
        env=env or {},
        stop_timeout_s=ACTION_SERVER_STOP_TIMEOUT_S,
    )


@dataclass(frozen=True)
class HttpApi:
    """Rasa's HTTP API (trackers, events, model). It is on only with a token or a JWT secret:
    `--enable-api` alone would open it to anyone who can reach the port."""

    auth_token: str = ""
    jwt_secret: str = ""
    jwt_method: str = "HS256"

    @classmethod
    def from_environment(cls) -> HttpApi:
        """RASA_AUTH_TOKEN, RASA_JWT_SECRET and RASA_JWT_METHOD, as `make run` reads them."""
        return cls(
            os.environ.get("RASA_AUTH_TOKEN", ""),
            os.environ.get("RASA_JWT_SECRET", ""),
            os.environ.get("RASA_JWT_METHOD", "HS256"),
        )

    @property
    def on(self) -> bool:
        return bool(self.auth_token or self.jwt_secret)

    def args(self) -> list[str]:
        if not self.on:
            return []
        args = ["--enable-api"]
        if self.auth_token:
            args += ["--auth-token", self.auth_token]
        if self.jwt_secret:
            args += ["--jwt-secret", self.jwt_secret, "--jwt-method", self.jwt_method]
        return args


def rasa_server(
    port: int,
    endpoints: Path,
    *,
    model: Path = MODEL,
    project: Path = REPO_ROOT,
    cors: Sequence[str] = (),
    api: HttpApi = HttpApi(),
    interface: str | None = None,
    env: dict[str, str] | None = None,
) -> ServerProcess:
    """`rasa run` serving the channels in `project`'s credentials.yml. `cors` lists the web
    pages that may call it from a browser (the socket.io channel reads RASA_CORS too);
    `interface` binds it to one address, as the cluster does behind nginx."""
    argv = [
        str(RASA), "run", "--model", str(model), "--port", str(port),
        "--credentials", str(project / "credentials.yml"), "--endpoints", str(endpoints),
        *(["--interface", interface] if interface else []),
        *(["--cors", *cors] if cors else []),
        *api.args(),
    ]  # fmt: skip
    return ServerProcess(
        argv,
        f"http://127.0.0.1:{port}/",
        cwd=project,
        env={"RASA_CORS": " ".join(cors), **(env or {})},
    )


def cors_origins(site_port: int) -> list[str]:
    """The web pages that may call the Rasa server from a browser: RASA_CORS (space-separated
    origins), else the intranet site on this machine."""
    return os.environ.get("RASA_CORS", f"http://localhost:{site_port} http://127.0.0.1:{site_port}").split()


def intranet_site(port: int, socket_url: str, env: dict[str, str] | None = None) -> ServerProcess:
    """The intranet page, the FAQ and its search; the widget talks to Rasa at `socket_url`."""
    return ServerProcess(
        [str(ACTIONS_PYTHON), "-m", "intranet_site", "--port", str(port), "--socket-url", socket_url],
        f"http://127.0.0.1:{port}/healthz",
        env=env or {},
    )


def render_endpoints(out: Path, action_port: int, env: dict[str, str] | None = None) -> Path:
    """Writes the endpoints file for a Rasa server: endpoints.yml with this action port and the
    stores that TRACKER_STORE_URL and LOCK_STORE_URL (in the environment or `env`) name."""
    subprocess.run(
        [str(RASA_PYTHON), "scripts/render_endpoints.py", str(out), "--action-port", str(action_port)],
        cwd=REPO_ROOT, env=server_env(env), check=True,
    )  # fmt: skip
    return out


def start(server: ServerProcess, log: Path | None) -> subprocess.Popen:
    """Starts `server` in a session of its own (so `stop` reaches its children), appending
    its output to `log`, or writing it to this process's stdout and stderr when None."""
    with contextlib.ExitStack() as files:
        output = files.enter_context(log.open("a")) if log else None
        return subprocess.Popen(
            server.argv, cwd=server.cwd, env=server_env(server.env),
            stdout=output, stderr=subprocess.STDOUT if output else None, start_new_session=True,
        )  # fmt: skip


def wait_for(check: Callable[[], bool], what: str, timeout_s: float = STARTUP_TIMEOUT_S) -> None:
    """Polls `check` until it is true; RuntimeError after `timeout_s` seconds."""
    deadline = time.monotonic() + timeout_s
    while not check():
        if time.monotonic() > deadline:
            raise RuntimeError(f"{what} did not start within {timeout_s:.0f}s")
        time.sleep(0.3)


def answers(url: str) -> bool:
    try:
        return requests.get(url, timeout=5).ok
    except requests.RequestException:  # refused, or accepted but still loading
        return False


def wait_until_up(
    url: str, process: subprocess.Popen, log: Path | None = None, timeout_s: float = STARTUP_TIMEOUT_S
) -> None:
    """Waits until `url` answers 2xx. RuntimeError, with the end of `log`, if `process` exits
    first or `timeout_s` passes."""

    def tail() -> str:
        return f"; log:\n{log.read_text(errors='replace')[-3000:]}" if log and log.exists() else ""

    deadline = time.monotonic() + timeout_s
    while not answers(url):
        if process.poll() is not None:
            raise RuntimeError(f"{url}: the server exited with {process.returncode}{tail()}")
        if time.monotonic() > deadline:
            raise RuntimeError(f"{url} did not answer within {timeout_s:.0f}s{tail()}")
        time.sleep(0.5)


def kill_group(process: subprocess.Popen) -> None:
    """SIGKILL to what is left of a process's group: a Sanic worker outlives a parent killed
    while it was still starting, and keeps the port."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)


def stop(process: subprocess.Popen | None, timeout_s: float = STOP_TIMEOUT_S) -> None:
    """SIGTERM to the process, SIGKILL to its whole group after `timeout_s` or once it has
    exited, so nothing of it is left. Only the leader gets SIGTERM: it stops its own children
    (rasa-sdk's Sanic manager and worker), which log tracebacks if signalled themselves.
    Does nothing for None."""
    if process is None:
        return
    if process.poll() is None:
        process.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=timeout_s)
    kill_group(process)
    process.wait()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def port_in_use(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0
