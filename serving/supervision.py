"""Long-running sets of servers (`make run`, `make cluster`) under supervisord.

supervisord starts the programs, restarts the ones marked `restart` whenever they exit,
stops them all at once (SIGTERM, then SIGKILL to each process group), and writes the logs. Its event listener
(serving/exit_listener.py) shuts everything down when a program that is not restarted exits,
or one that is restarted keeps crashing, so a broken bot fails loudly instead of half-running.
Whether a server is *up* (its URL answers) is checked here, with serving/processes.py.
"""

from __future__ import annotations

import shlex
import signal
import subprocess
import xmlrpc.client
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from supervisor.xmlrpc import SupervisorTransport

from serving.processes import (
    ACTIONS_PYTHON,
    STARTUP_TIMEOUT_S,
    STOP_TIMEOUT_S,
    ServerProcess,
    answers,
    start,
    stop,
    wait_for,
)


@dataclass(frozen=True)
class Program:
    """A server under supervisord as `name`; output to `log`, or to the terminal when None."""

    name: str
    server: ServerProcess
    restart: bool = False
    log: Path | None = None

    @property
    def command(self) -> str:
        # `env` puts the server's own settings in its environment: supervisor's
        # `environment=` cannot quote every value.
        settings = [f"{key}={value}" for key, value in self.server.env.items()]
        return shlex.join(["env", *settings, *self.server.argv] if settings else self.server.argv)


def escaped_for_supervisor(value: object) -> str:
    """supervisor expands %(name)s in its configuration, so a literal % is written %%."""
    return str(value).replace("%", "%%")


class Supervision:
    """supervisord for `programs`, its configuration, socket and own log in `workdir`."""

    def __init__(self, workdir: Path, programs: Sequence[Program]) -> None:
        self.workdir = workdir
        self.programs = list(programs)
        self.process: subprocess.Popen | None = None

    @property
    def log(self) -> Path:
        return self.workdir / "supervisord.log"

    def config(self) -> str:
        templates = Environment(
            loader=FileSystemLoader(Path(__file__).parent),
            undefined=StrictUndefined,
            keep_trailing_newline=True,
        )
        templates.filters["sv"] = escaped_for_supervisor
        restarted = [program.name for program in self.programs if program.restart]
        listener = shlex.join([str(ACTIONS_PYTHON), "-m", "serving.exit_listener", *restarted])
        return templates.get_template("supervisord.conf.j2").render(
            workdir=self.workdir, programs=self.programs, listener=listener
        )

    def start(self) -> None:
        """Starts supervisord, which starts every program at once; returns without waiting."""
        self.workdir.mkdir(parents=True, exist_ok=True)
        conf = self.workdir / "supervisord.conf"
        conf.write_text(self.config())
        supervisord = ServerProcess(
            [str(ACTIONS_PYTHON), "-m", "supervisor.supervisord", "--configuration", str(conf)]
        )
        # No log: programs without one of their own write to this process's stdout through it.
        self.process = start(supervisord, log=None)

    def wait_until_up(self, timeout_s: float = STARTUP_TIMEOUT_S) -> None:
        """Waits until every program's URL answers. RuntimeError naming the first program
        that is not up, if supervisord stops (a program exited) or `timeout_s` passes."""
        for program in self.programs:
            if not program.server.ready_url:
                continue

            def up(program: Program = program) -> bool:
                if self.process.poll() is not None:
                    where = program.log or "its output above"
                    raise RuntimeError(
                        f"{program.name} or another server exited during start-up (see {where})"
                    )
                return answers(program.server.ready_url)

            try:
                wait_for(up, program.name, timeout_s)
            except RuntimeError as error:
                raise RuntimeError(f"{error}; supervisord's log: {self.log}") from None

    def pids(self) -> dict[str, int]:
        """The running programs' process ids by name, from supervisord's XML-RPC interface."""
        transport = SupervisorTransport(None, None, f"unix://{self.workdir}/supervisor.sock")
        supervisor = xmlrpc.client.ServerProxy("http://127.0.0.1", transport).supervisor
        return {info["name"]: info["pid"] for info in supervisor.getAllProcessInfo() if info["pid"]}

    def wait(self) -> int:
        """Blocks until supervisord exits (a server exited and everything was stopped)."""
        return self.process.wait()

    def stop(self) -> None:
        """Stops every program (SIGTERM, then SIGKILL to its group) and then supervisord."""
        # supervisord gives each program up to STOP_TIMEOUT_S; it must not be killed before that.
        stop(self.process, timeout_s=2 * STOP_TIMEOUT_S + 10)


def stop_on_sigterm() -> None:
    """From now on SIGTERM (a test, a service manager) stops the run as Ctrl-C does: it raises
    KeyboardInterrupt once, and further SIGTERMs and Ctrl-Cs cannot cut the stop short."""

    def interrupt(signum: int, frame: object) -> None:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupt)
