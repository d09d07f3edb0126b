"""`make cluster`: two Rasa servers and two action servers behind nginx, sharing PostgreSQL and Redis.

    python -m local_cluster [--port 5005] [--action-port 5055] [--site-port 8080]
                            [--internal-ports-from 15000] [--data-dir var/cluster]

nginx listens on --port for the channels (REST, socket.io, Slack) and on --action-port for
the Rasa servers' custom actions. The replicas, PostgreSQL and Redis take the six ports
from --internal-ports-from. Conversations persist in the data folder's PostgreSQL. Logs go
to <data-dir>/logs/. A replica that exits is restarted; Ctrl-C stops everything.
"""

from __future__ import annotations

import signal
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

import requests
import typer

from serving import REPO_ROOT
from serving.processes import (
    MODEL,
    HttpApi,
    action_server,
    cors_origins,
    intranet_site,
    port_in_use,
    rasa_server,
    render_endpoints,
)
from serving.services import Nginx, Postgres, Redis, free_port_block
from serving.supervision import Program, Supervision, stop_on_sigterm

REPLICAS = 2
DATA_DIR = REPO_ROOT / "var/cluster"


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

    @classmethod
    def free(cls) -> Ports:
        """Every port on one free block outside the ephemeral range (serving.services.free_port_block),
        as the tests and the load benchmark run the cluster beside other servers."""
        first = free_port_block(3 + 2 * REPLICAS + 2)
        return cls(first, first + 1, first + 2, first + 3)

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
    """The cluster's servers under one supervisord, which restarts a replica that exits;
    PostgreSQL runs under its own postmaster (pg_ctl)."""

    ports: Ports
    data_dir: Path
    model: Path
    postgres: Postgres | None = None
    redis: Redis | None = None
    supervision: Supervision | None = None

    @property
    def logs(self) -> Path:
        return self.data_dir / "logs"

    def programs(self, endpoints: Path, redis: Redis, nginx: Nginx) -> list[Program]:
        p = self.ports
        cors = cors_origins(p.site)
        api = HttpApi.from_environment()
        replicas = [
            *(
                Program(f"actions-{i}", action_server(port), restart=True)
                for i, port in enumerate(p.actions, 1)
            ),
            *(
                # Only nginx is reachable from outside the machine.
                Program(
                    f"rasa-{i}",
                    rasa_server(port, endpoints, model=self.model, cors=cors, api=api, interface="127.0.0.1"),
                    restart=True,
                )
                for i, port in enumerate(p.rasa, 1)
            ),
        ]
        return [
            *replicas,
            Program("redis", redis.server_process()),
            Program("nginx", nginx.server_process()),
            Program("site", intranet_site(p.site, f"http://localhost:{p.front}")),
        ]

    def start(self) -> None:
        busy = [port for port in self.ports.all() if port_in_use(port)]
        if busy:
            raise RuntimeError(f"ports already in use: {busy}; stop what uses them or choose others (--help)")
        self.logs.mkdir(parents=True, exist_ok=True)
        self.postgres = Postgres(self.data_dir / "postgres", self.ports.postgres).start()
        self.redis = redis = Redis(self.ports.redis)
        nginx = Nginx(
            self.data_dir / "nginx",
            self.ports.front,
            self.ports.action_front,
            self.ports.rasa,
            self.ports.actions,
        )
        endpoints = render_endpoints(
            self.data_dir / "endpoints.yml",
            self.ports.action_front,
            {"TRACKER_STORE_URL": self.postgres.url, "LOCK_STORE_URL": redis.url},
        )
        programs = [
            Program(program.name, program.server, program.restart, self.logs / f"{program.name}.log")
            for program in self.programs(endpoints, redis, nginx)
        ]
        self.supervision = Supervision(self.data_dir / "supervisor", programs)
        self.supervision.start()
        self.supervision.wait_until_up()
        redis.wait_until_up()
        nginx.wait_until_up()

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

    def wait(self) -> int:
        """Blocks until supervisord stops: a server that is not restarted exited, or a replica
        crashed RESTARTS_BEFORE_GIVING_UP times in RESTART_WINDOW_S (serving/exit_listener.py)."""
        return self.supervision.wait()

    def stop(self) -> None:
        if self.supervision is not None:
            self.supervision.stop()
        if self.postgres is not None:
            self.postgres.stop()

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
    stop_on_sigterm()
    started = time.monotonic()
    try:
        cluster.start()
        first_answer = cluster.first_answer_s()
        print(cluster.describe(time.monotonic() - started, first_answer), flush=True)
        cluster.wait()
        print(f"error: a server stopped the cluster (see {cluster.logs}/)", file=sys.stderr)
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
