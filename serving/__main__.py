"""`make run` and `make shell`.

    python -m serving run     the action server, the Rasa server and the intranet site under
                              supervisord; Ctrl-C stops them all, and so does one of them exiting
    python -m serving shell   the action server, and a chat with the bot in this terminal

Ports and the other settings come from the environment (docs/settings.md).
"""

from __future__ import annotations

import fcntl
import os
import signal
import stat
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Annotated

import typer

from serving.processes import (
    MODEL,
    RASA,
    HttpApi,
    action_server,
    cors_origins,
    intranet_site,
    port_in_use,
    rasa_server,
    render_endpoints,
    server_env,
    start,
    stop,
    wait_until_up,
)
from serving.supervision import Program, Supervision, stop_on_sigterm

cli = typer.Typer(add_completion=False, no_args_is_help=True)

RasaPort = Annotated[int, typer.Option(envvar="RASA_PORT", help="the Rasa server (channels, HTTP API)")]
ActionPort = Annotated[int, typer.Option(envvar="ACTION_PORT", help="the action server")]
SitePort = Annotated[int, typer.Option(envvar="SITE_PORT", help="the intranet site and FAQ")]
ModelPath = Annotated[Path, typer.Option(envvar="MODEL", help="the trained Rasa model")]


def refuse_busy_ports(*ports: int) -> None:
    for port in ports:
        if port_in_use(port):
            sys.exit(
                f"error: port {port} is already in use. Stop what is using it (ss -ltnp | grep :{port})\n"
                "       or pick other ports: make run RASA_PORT=... ACTION_PORT=... SITE_PORT=..."
            )


def banner(rasa_port: int, action_port: int, site_port: int, api: HttpApi, started_s: float) -> str:
    slack = "off (set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET to turn it on)"
    if os.environ.get("SLACK_BOT_TOKEN"):
        slack = f"http://localhost:{rasa_port}/webhooks/slack/webhook"
    http_api = "off (set RASA_AUTH_TOKEN or RASA_JWT_SECRET to turn it on)"
    if api.on:
        http_api = "on, with ?token=$RASA_AUTH_TOKEN or a JWT signed with $RASA_JWT_SECRET"
    return f"""
==> The career advisor is ready (start-up took {started_s:.0f} s).
    Intranet:  http://localhost:{site_port}/  (the chat widget, bottom right)
    FAQ:       http://localhost:{site_port}/faq
    REST:      curl -s localhost:{rasa_port}/webhooks/rest/webhook -d '{{"sender": "me", "message": "hello"}}'
    socket.io: http://localhost:{rasa_port}/socket.io  (what the widget talks to)
    Slack:     {slack}
    HTTP API:  {http_api}
    Actions:   http://localhost:{action_port}/health
    Press Ctrl-C to stop all three servers.
"""


def append_only_stdout() -> None:
    """supervisord reopens a stdout that is a file in append mode for the servers' output;
    this process must append too, or its lines overwrite theirs (`make run > run.log`)."""
    if stat.S_ISREG(os.fstat(sys.stdout.fileno()).st_mode):
        flags = fcntl.fcntl(sys.stdout.fileno(), fcntl.F_GETFL)
        fcntl.fcntl(sys.stdout.fileno(), fcntl.F_SETFL, flags | os.O_APPEND)


@cli.command()
def run(
    rasa_port: RasaPort = 5005,
    action_port: ActionPort = 5055,
    site_port: SitePort = 8080,
    model: ModelPath = MODEL,
) -> None:
    """Serve the channels (REST, socket.io, Slack), the intranet page and the FAQ."""
    refuse_busy_ports(rasa_port, action_port, site_port)
    append_only_stdout()
    stop_on_sigterm()
    # Browsers may call the Rasa server only from these pages; printable plan links point here.
    cors = cors_origins(site_port)
    os.environ.setdefault("ADVISOR_SITE_URL", f"http://localhost:{site_port}")
    api = HttpApi.from_environment()
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="advisor-run-") as runtime:
        endpoints = render_endpoints(Path(runtime) / "endpoints.yml", action_port)
        supervision = Supervision(
            Path(runtime),
            [
                Program("actions", action_server(action_port)),
                Program("rasa", rasa_server(rasa_port, endpoints, model=model, cors=cors, api=api)),
                Program("site", intranet_site(site_port, f"http://localhost:{rasa_port}")),
            ],
        )
        try:
            supervision.start()
            supervision.wait_until_up()
            print(banner(rasa_port, action_port, site_port, api, time.monotonic() - started), flush=True)
            supervision.wait()
            sys.exit("error: a server exited on its own (see its log above); the others were stopped")
        except KeyboardInterrupt:
            signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not cut the stop short
            print("==> stopping", flush=True)
            sys.exit(130)
        except RuntimeError as error:
            sys.exit(f"error: {error}")
        finally:
            supervision.stop()


@cli.command()
def shell(rasa_port: RasaPort = 5005, action_port: ActionPort = 5055, model: ModelPath = MODEL) -> None:
    """Chat with the bot in this terminal (the action server runs beside it)."""
    refuse_busy_ports(rasa_port, action_port)
    with tempfile.TemporaryDirectory(prefix="advisor-shell-") as runtime:
        endpoints = render_endpoints(Path(runtime) / "endpoints.yml", action_port)
        server = action_server(action_port)
        actions = start(server, log=None)
        try:
            wait_until_up(server.ready_url, actions)
            chat = [
                str(RASA),
                "shell",
                "--model",
                str(model),
                "--port",
                str(rasa_port),
                "--endpoints",
                str(endpoints),
            ]
            sys.exit(subprocess.run(chat, env=server_env()).returncode)
        except KeyboardInterrupt:
            sys.exit(130)
        except RuntimeError as error:
            sys.exit(f"error: {error}")
        finally:
            stop(actions)


if __name__ == "__main__":
    cli()
