"""supervisord's event listener for PROCESS_STATE_EXITED (serving/supervision.py runs it).

    python -m serving.exit_listener [NAME ...]   NAME: the programs supervisord restarts

When a program exits it kills what is left of its process group (rasa-sdk's Sanic worker
outlives a killed parent and keeps the port). It then shuts supervisord down, so that every
server stops and `make run` or `make cluster` fails, when the program is not one that is
restarted, or when it has exited RESTARTS_BEFORE_GIVING_UP times within RESTART_WINDOW_S.
It speaks supervisor's listener protocol on stdin and stdout; its messages go to stderr.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import time

from supervisor import childutils

RESTARTS_BEFORE_GIVING_UP = 3
RESTART_WINDOW_S = 600.0


class ExitPolicy:
    """Which exits end the whole run: plain Python, so it is tested without supervisord."""

    def __init__(self, restarted: set[str], now=time.monotonic) -> None:
        self.restarted = restarted
        self.now = now
        self.exits: dict[str, list[float]] = {}

    def stops_everything(self, name: str) -> bool:
        recent = [t for t in self.exits.get(name, []) if self.now() - t < RESTART_WINDOW_S]
        self.exits[name] = [*recent, self.now()]
        return name not in self.restarted or len(self.exits[name]) > RESTARTS_BEFORE_GIVING_UP


def main(restarted: list[str]) -> None:
    policy = ExitPolicy(set(restarted))
    supervisor = childutils.getRPCInterface(os.environ).supervisor
    while True:
        _, payload = childutils.listener.wait(sys.stdin, sys.stdout)
        event = childutils.get_headers(payload)
        name, pid = event["processname"], int(event["pid"])
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(pid, signal.SIGKILL)
        if policy.stops_everything(name):
            what = (
                f"exited {len(policy.exits[name])} times in {RESTART_WINDOW_S / 60:.0f} minutes"
                if name in policy.restarted
                else "exited"
            )
            print(f"error: {name} {what}; stopping every server", file=sys.stderr, flush=True)
            supervisor.shutdown()
        else:
            print(f"==> {name} exited; supervisord restarts it", file=sys.stderr, flush=True)
        childutils.listener.ok(sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1:])
