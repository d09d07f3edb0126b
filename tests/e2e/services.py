"""Throwaway PostgreSQL and Redis servers on loopback, from Debian's packages, for the persistence tests."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from tests.e2e.servers import free_port


def as_postgres_user(args: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root; Debian's package creates the `postgres` user for it."""
    return ["runuser", "-u", "postgres", "--", *args] if os.geteuid() == 0 else args


def wait_for(check, what: str, timeout_s: float = 60) -> None:
    deadline = time.monotonic() + timeout_s
    while not check():
        if time.monotonic() > deadline:
            raise RuntimeError(f"{what} did not start within {timeout_s}s")
        time.sleep(0.3)


@dataclass
class Postgres:
    database: str = "advisor"
    port: int = field(default_factory=free_port)
    datadir: Path | None = None

    @property
    def bin(self) -> Path:
        found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
        if not found:
            raise RuntimeError("no PostgreSQL server: run `make services` (apt-get install postgresql)")
        return found[-1].parent

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{self.database}"

    def start(self) -> None:
        # Not under pytest's tmp folders: those are private to root, and the server runs as postgres.
        self.datadir = Path(tempfile.mkdtemp(prefix="advisor-pg-"))
        if os.geteuid() == 0:
            shutil.chown(self.datadir, "postgres", "postgres")

        def run(args: list[str]) -> None:
            subprocess.run(as_postgres_user(args), check=True, capture_output=True)

        run([str(self.bin / "initdb"), "-D", str(self.datadir / "data"), "-U", "postgres", "--auth=trust"])
        run([
            str(self.bin / "pg_ctl"), "-D", str(self.datadir / "data"), "-l", str(self.datadir / "log"), "-w",
            "-o", f"-p {self.port} -k {self.datadir} -c listen_addresses=127.0.0.1", "start",
        ])  # fmt: skip
        run(["createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", self.database])

    def sql(self, query: str) -> str:
        return subprocess.run(
            ["psql", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "-d", self.database,
             "-tAc", query],
            check=True, capture_output=True, text=True,
        ).stdout.strip()  # fmt: skip

    def stop(self) -> None:
        if self.datadir is None:
            return
        subprocess.run(
            as_postgres_user(
                [str(self.bin / "pg_ctl"), "-D", str(self.datadir / "data"), "-m", "fast", "stop"]
            ),
            capture_output=True,
        )
        shutil.rmtree(self.datadir, ignore_errors=True)


@dataclass
class Redis:
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        server = shutil.which("redis-server")
        if server is None:
            raise RuntimeError("no Redis server: run `make services` (apt-get install redis-server)")
        self.process = subprocess.Popen(
            [server, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        wait_for(lambda: self.cli("PING") == "PONG", "Redis")

    def cli(self, *args: str) -> str:
        result = subprocess.run(["redis-cli", "-p", str(self.port), *args], capture_output=True, text=True)
        return result.stdout.strip()

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=20)
