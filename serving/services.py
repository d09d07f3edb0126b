"""PostgreSQL, Redis and nginx from Debian's packages, run as instances of our own on loopback.

Used by `make cluster` (data kept under var/cluster/; Redis and nginx under its supervisord)
and by the tests (throwaway folders).
"""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from serving.processes import ServerProcess, free_port, port_in_use, start, stop, wait_for

INSTALL_HINT = "run `make services` (apt-get install postgresql redis-server nginx)"


def ephemeral_port_range() -> tuple[int, int]:
    """The ports the kernel hands out to `free_port()` and to outgoing connections (Linux's
    ip_local_port_range; its default where that file cannot be read)."""
    try:
        low, high = Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()
        return int(low), int(high)
    except (OSError, ValueError):
        return 32768, 60999


def free_port_block(size: int) -> int:
    """The first of `size` consecutive free ports (the cluster's replicas and stores).

    The block lies outside the ephemeral range: a port that is free when chosen but inside
    it can be taken by any outgoing connection before the server that needs it binds it
    (tests on parallel workers make thousands of connections while a cluster starts). It
    lies below the range where there is room above 1024 (PostgreSQL runs unprivileged),
    else above it. RuntimeError if neither side has room.
    """
    ephemeral_low, ephemeral_high = ephemeral_port_range()
    below = (max(1024, min(20_000, ephemeral_low - 10_000)), ephemeral_low - size)
    above = (ephemeral_high + 1, 65536 - size)
    first_ports = next((range(*side) for side in (below, above) if side[1] - side[0] >= 100), None)
    if first_ports is None:
        raise RuntimeError(
            f"no room for {size} ports outside the ephemeral range {ephemeral_low}-{ephemeral_high}"
        )
    while True:
        first = random.choice(first_ports)
        if not any(port_in_use(port) for port in range(first, first + size)):
            return first


def as_postgres_user(args: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root; Debian's package creates the `postgres` user for it."""
    return ["runuser", "-u", "postgres", "--", *args] if os.geteuid() == 0 else args


@dataclass
class Postgres:
    """A PostgreSQL server on 127.0.0.1:port, its data in `home` (a new temporary folder if not given).

    stop() keeps the data, so start() again brings the same database back.
    """

    home: Path | None = None
    port: int = field(default_factory=free_port)
    database: str = "advisor"

    @property
    def bin(self) -> Path:
        found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
        if not found:
            raise RuntimeError(f"no PostgreSQL server: {INSTALL_HINT}")
        return found[-1].parent

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{self.database}"

    def _run(self, args: list[str]) -> None:
        result = subprocess.run(as_postgres_user(args), capture_output=True, text=True)
        if result.returncode != 0:
            raise RuntimeError(f"{' '.join(args[:2])} failed: {result.stderr.strip()}")

    def start(self) -> Postgres:
        if self.home is None:
            # Not under pytest's tmp folders: those are private to root, and the server runs as postgres.
            self.home = Path(tempfile.mkdtemp(prefix="advisor-pg-"))
        self.home.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(self.home, "postgres", "postgres")
        data = self.home / "data"
        if not (data / "PG_VERSION").exists():
            self._run([str(self.bin / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust"])
        self._run([
            str(self.bin / "pg_ctl"), "-D", str(data), "-l", str(self.home / "server.log"), "-w",
            "-o", f"-p {self.port} -k {self.home} -c listen_addresses=127.0.0.1", "start",
        ])  # fmt: skip
        if (
            self.sql(f"select 1 from pg_database where datname = '{self.database}'", database="postgres")
            != "1"
        ):
            self._run(["createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", self.database])
        return self

    def sql(self, query: str, database: str | None = None) -> str:
        return subprocess.run(
            ["psql", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres",
             "-d", database or self.database, "-tAc", query],
            check=True, capture_output=True, text=True,
        ).stdout.strip()  # fmt: skip

    def stop(self) -> None:
        if self.home is not None and (self.home / "data" / "postmaster.pid").exists():
            self._run([str(self.bin / "pg_ctl"), "-D", str(self.home / "data"), "-m", "fast", "-w", "stop"])

    def remove(self) -> None:
        self.stop()
        if self.home is not None:
            shutil.rmtree(self.home, ignore_errors=True)


@dataclass
class Redis:
    """A Redis server on 127.0.0.1:port that keeps nothing on disk (it holds only locks)."""

    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def server_process(self) -> ServerProcess:
        server = shutil.which("redis-server")
        if server is None:
            raise RuntimeError(f"no Redis server: {INSTALL_HINT}")
        return ServerProcess(
            [server, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        )

    def start(self) -> Redis:
        self.process = start(self.server_process(), Path(os.devnull))
        self.wait_until_up()
        return self

    def wait_until_up(self) -> None:
        wait_for(lambda: self.cli("PING") == "PONG", "Redis", 60)

    def cli(self, *args: str) -> str:
        result = subprocess.run(["redis-cli", "-p", str(self.port), *args], capture_output=True, text=True)
        return result.stdout.strip()

    def stop(self) -> None:
        stop(self.process)


@dataclass
class Nginx:
    """nginx in front of the Rasa servers (`port`) and the action servers (`action_port`)."""

    home: Path
    port: int
    action_port: int
    rasa_ports: list[int]
    action_ports: list[int]
    process: subprocess.Popen | None = None

    def config(self) -> str:
        # Imported here: the Rasa environment's tests use this module's Redis, and have no Jinja2.
        from jinja2 import Environment, FileSystemLoader, StrictUndefined

        templates = Environment(
            loader=FileSystemLoader(Path(__file__).parent),
            undefined=StrictUndefined,
            keep_trailing_newline=True,
        )
        return templates.get_template("nginx.conf.j2").render(
            home=self.home,
            port=self.port,
            action_port=self.action_port,
            rasa_ports=self.rasa_ports,
            action_ports=self.action_ports,
            as_root=os.geteuid() == 0,
        )

    def server_process(self) -> ServerProcess:
        """Writes and checks the configuration; the command that serves it in the foreground."""
        server = shutil.which("nginx") or "/usr/sbin/nginx"
        if not Path(server).exists():
            raise RuntimeError(f"no nginx: {INSTALL_HINT}")
        self.home.mkdir(parents=True, exist_ok=True)
        conf = self.home / "nginx.conf"
        conf.write_text(self.config())
        check = subprocess.run(
            [server, "-t", "-q", "-c", str(conf), "-p", str(self.home)], capture_output=True, text=True
        )
        if check.returncode != 0:
            raise RuntimeError(f"nginx refused its configuration: {check.stderr.strip()}")
        return ServerProcess([server, "-c", str(conf), "-p", str(self.home), "-g", "daemon off;"])

    def start(self) -> Nginx:
        self.process = start(self.server_process(), self.home / "error.log")
        self.wait_until_up()
        return self

    def wait_until_up(self) -> None:
        wait_for(lambda: port_in_use(self.port) and port_in_use(self.action_port), "nginx", 20)

    def stop(self) -> None:
        stop(self.process)
