"""`make cluster`: two Rasa servers and two action servers behind nginx, sharing PostgreSQL and Redis.

    python -m local_cluster [--port 5005] [--action-port 5055] [--site-port 8080]
                            [--internal-ports-from 15000] [--data-dir var/cluster]

nginx listens on --port for the channels (REST, socket.io, Slack) and on --action-port for
the Rasa servers' custom actions. The replicas, PostgreSQL and Redis take the six ports
from --internal-ports-from. Conversations persist in the data folder's PostgreSQL. Logs go
to <data-dir>/logs/. A replica that exits is restarted; Ctrl-C stops everything.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated

import requests
import typer

from local_cluster.services import Nginx, Postgres, Redis, port_in_use, wait_for
from serving.bot_servers import ACTIONS_PYTHON, MODEL, RASA, RASA_PYTHON, REPO_ROOT

REPLICAS = 2
DATA_DIR = REPO_ROOT / "var/cluster"
STARTUP_TIMEOUT_S = 300


@dataclass
class Ports:
    front: int
    action_front: int
    site: int
    internal_from: int

    @property
    def rasa(self) -> list[int]:
        return [self.internal_from + i for i in range(REPLICAS)]

    @property
    def actions(self) -> list[int]:
        return [self.internal_from + REPLICAS + i for i in range(REPLICAS)]

    @property
    def postgres(self) -> int:
        return self.internal_from + 2 * REPLICAS

    @property
    def redis(self) -> int:
        return self.internal_from + 2 * REPLICAS + 1

    def all(self) -> list[int]:
        return [
            self.front,
            self.action_front,
            self.site,
            *self.rasa,
            *self.actions,
            self.postgres,
            self.redis,
        ]


@dataclass
class Cluster:
    ports: Ports
    data_dir: Path
    model: Path
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)
    commands: dict[str, tuple[list[str], dict[str, str]]] = field(default_factory=dict)
    restarts: dict[str, list[float]] = field(default_factory=dict)
    postgres: Postgres | None = None
    redis: Redis | None = None
    nginx: Nginx | None = None

    @property
    def logs(self) -> Path:
        return self.data_dir / "logs"

    def env(self, **extra: str) -> dict[str, str]:
        return {**os.environ, "RASA_TELEMETRY_ENABLED": "false", "PYTHONPATH": str(REPO_ROOT), **extra}

    def spawn(self, name: str, args: list[str], env: dict[str, str]) -> None:
        self.commands[name] = (args, env)
        log = (self.logs / f"{name}.log").open("a")
        self.processes[name] = subprocess.Popen(
            args, cwd=REPO_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )

    def wait_until_up(self, name: str, url: str) -> None:
        process = self.processes[name]

        def up() -> bool:
            if process.poll() is not None:
                raise RuntimeError(f"{name} exited during start-up; see {self.logs / name}.log")
            try:
                return requests.get(url, timeout=5).ok
            except requests.RequestException:  # refused, or accepted but busy loading
                return False

        wait_for(up, name, STARTUP_TIMEOUT_S)

    def start(self) -> None:
        busy = [port for port in self.ports.all() if port_in_use(port)]
        if busy:
            raise RuntimeError(f"ports already in use: {busy}; stop what uses them or choose others (--help)")
        self.logs.mkdir(parents=True, exist_ok=True)
        self.postgres = Postgres(self.data_dir / "postgres", self.ports.postgres).start()
        self.redis = Redis(self.ports.redis).start()
        stores = {"TRACKER_STORE_URL": self.postgres.url, "LOCK_STORE_URL": self.redis.url}
        endpoints = self.data_dir / "endpoints.yml"
        subprocess.run(
            [str(RASA_PYTHON), "scripts/render_endpoints.py", str(endpoints),
             "--action-port", str(self.ports.action_front)],
            cwd=REPO_ROOT, env=self.env(**stores), check=True,
        )  # fmt: skip
        for i, port in enumerate(self.ports.actions, 1):
            self.spawn(
                f"actions-{i}",
                [str(ACTIONS_PYTHON), "-m", "rasa_sdk", "--actions", "actions", "--port", str(port)],
                self.env(),
            )
        cors = os.environ.get(
            "RASA_CORS", f"http://localhost:{self.ports.site} http://127.0.0.1:{self.ports.site}"
        )
        for i, port in enumerate(self.ports.rasa, 1):
            self.spawn(
                f"rasa-{i}", [*self.rasa_command(port), "--cors", *cors.split()], self.env(RASA_CORS=cors)
            )
        self.nginx = Nginx(
            self.data_dir / "nginx",
            self.ports.front,
            self.ports.action_front,
            self.ports.rasa,
            self.ports.actions,
        ).start()
        self.spawn(
            "site",
            [str(ACTIONS_PYTHON), "-m", "intranet_site", "--port", str(self.ports.site),
             "--socket-url", f"http://localhost:{self.ports.front}"],
            self.env(),
        )  # fmt: skip
        for i, port in enumerate(self.ports.actions, 1):
            self.wait_until_up(f"actions-{i}", f"http://127.0.0.1:{port}/health")
        for i, port in enumerate(self.ports.rasa, 1):
            self.wait_until_up(f"rasa-{i}", f"http://127.0.0.1:{port}/")
        self.wait_until_up("site", f"http://127.0.0.1:{self.ports.site}/healthz")

    def rasa_command(self, port: int) -> list[str]:
        api: list[str] = []
        if os.environ.get("RASA_AUTH_TOKEN"):
            api += ["--auth-token", os.environ["RASA_AUTH_TOKEN"]]
        if os.environ.get("RASA_JWT_SECRET"):
            api += ["--jwt-secret", os.environ["RASA_JWT_SECRET"],
                    "--jwt-method", os.environ.get("RASA_JWT_METHOD", "HS256")]  # fmt: skip
        return [
            # Only nginx is reachable from outside the machine.
            str(RASA), "run", "--model", str(self.model), "--interface", "127.0.0.1", "--port", str(port),
            "--credentials", "credentials.yml", "--endpoints", str(self.data_dir / "endpoints.yml"),
            *(["--enable-api", *api] if api else []),
        ]  # fmt: skip

    def first_answer_s(self) -> float:
        """Seconds for a first REST answer through nginx (both replicas warm up on their first turn)."""
        started = time.monotonic()
        for _ in range(REPLICAS):
            reply = requests.post(
                f"http://127.0.0.1:{self.ports.front}/webhooks/rest/webhook",
                json={"sender": "cluster-start-check", "message": "hello"},
                timeout=120,
            )
            reply.raise_for_status()
        return time.monotonic() - started

    def supervise(self) -> str:
        """Restarts a replica that exits, as Kubernetes would; returns the name of a server that
        cannot be restarted (the site, nginx) or that crashed three times in ten minutes."""
        while True:
            for name, process in list(self.processes.items()):
                if process.poll() is None:
                    continue
                if not name.startswith(("rasa-", "actions-")):
                    return name
                recent = [t for t in self.restarts.get(name, []) if time.monotonic() - t < 600]
                if len(recent) >= 3:
                    return name
                self.restarts[name] = [*recent, time.monotonic()]
                # An action server's Sanic worker outlives a killed parent and keeps the port.
                kill_group(process)
                print(
                    f"==> {name} exited with {process.returncode}; restarting it (nginx routes around it)",
                    flush=True,
                )
                self.spawn(name, *self.commands[name])
            if self.nginx and self.nginx.process and self.nginx.process.poll() is not None:
                return "nginx"
            time.sleep(0.5)

    def stop(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                process.terminate()
        for process in self.processes.values():
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
            # A Sanic worker whose parent was stopped while it was still starting lives on.
            kill_group(process)
        for service in (self.nginx, self.redis, self.postgres):
            if service is not None:
                service.stop()

    def describe(self, started_s: float, first_answer_s: float) -> str:
        p = self.ports
        return f"""
==> The career advisor cluster is ready: start-up {started_s:.0f} s, first answers {first_answer_s:.1f} s.
    Intranet:  http://localhost:{p.site}/
    REST:      curl -s localhost:{p.front}/webhooks/rest/webhook -d '{{"sender": "me", "message": "hello"}}'
    nginx:     :{p.front} -> Rasa :{p.rasa[0]} :{p.rasa[1]}
               :{p.action_front} -> actions :{p.actions[0]} :{p.actions[1]}
    Stores:    {self.postgres.url} (conversations), {self.redis.url} (locks)
    Logs:      {self.logs}/
    Press Ctrl-C to stop the cluster.
"""


def kill_group(process: subprocess.Popen) -> None:
    """SIGKILL to what is left of a server's process group (spawned with a session of its own)."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)


def stop_on_sigterm(signum: int, frame: object) -> None:
    """SIGTERM (a test, a service manager) stops the cluster as Ctrl-C does, once."""
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    raise KeyboardInterrupt


def main(
    port: Annotated[int, typer.Option(envvar="RASA_PORT", help="nginx in front of the Rasa servers")] = 5005,
    action_port: Annotated[
        int, typer.Option(envvar="ACTION_PORT", help="nginx in front of the action servers")
    ] = 5055,
    site_port: Annotated[int, typer.Option(envvar="SITE_PORT", help="the intranet site")] = 8080,
    internal_ports_from: Annotated[
        int, typer.Option(help="the first of six ports for the replicas, PostgreSQL and Redis")
    ] = 15000,
    data_dir: Annotated[Path, typer.Option(help="PostgreSQL's data and the processes' logs")] = DATA_DIR,
    model: Annotated[Path, typer.Option(help="the trained Rasa model")] = MODEL,
) -> None:
    """Two Rasa and two action servers behind nginx, with PostgreSQL, Redis and the intranet site."""
    cluster = Cluster(
        Ports(port, action_port, site_port, internal_ports_from),
        data_dir.resolve(),
        model.resolve(),
    )
    signal.signal(signal.SIGTERM, stop_on_sigterm)
    started = time.monotonic()
    try:
        cluster.start()
        first_answer = cluster.first_answer_s()
        print(cluster.describe(time.monotonic() - started, first_answer), flush=True)
        exited = cluster.supervise()
        print(
            f"error: {exited} exited (see {cluster.logs / exited}.log); stopping the cluster", file=sys.stderr
        )
        sys.exit(1)
    except KeyboardInterrupt:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not cut the stop short
        print("==> stopping the cluster", flush=True)
    except RuntimeError as error:
        print(f"error: {error}", file=sys.stderr)
        sys.exit(1)
    finally:
        cluster.stop()


if __name__ == "__main__":
    typer.run(main)
