"""Writes the endpoints file a Rasa server starts with: endpoints.yml, with the action server's
port and the conversation stores the environment names.

    python scripts/render_endpoints.py OUT [--action-port 5055 | --action-url http://actions:5055/webhook]

TRACKER_STORE_URL  where conversations are kept: an SQLAlchemy URL such as
                   postgresql://advisor:secret@db.example.org:5432/advisor
                   (default: endpoints.yml's SQLite file, var/data/conversations.db)
LOCK_STORE_URL     redis://[:password@]host[:port][/db]: conversation locks shared by several
                   Rasa servers (default: in memory, enough for one server)

Rasa's own `${VAR}` syntax in endpoints.yml cannot express "use this only when it is set".
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from urllib.parse import urlsplit

import yaml

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_ACTION_URL = "http://localhost:5055/webhook"


def lock_store(url: str) -> dict:
    parts = urlsplit(url)
    if parts.scheme not in {"redis", "rediss"} or not parts.hostname:
        raise ValueError(f"LOCK_STORE_URL must look like redis://[:password@]host[:port][/db], not {url!r}")
    store = {
        # Rasa's RedisLockStore with atomic ticket bookkeeping (several Rasa servers).
        "type": "components.conversation_locks.AtomicRedisLockStore",
        "url": parts.hostname,
        "port": parts.port or 6379,
        "use_ssl": parts.scheme == "rediss",
    }
    if parts.path.strip("/"):
        store["db"] = int(parts.path.strip("/"))
    if parts.password:
        store["password"] = parts.password
    return store


def render(environ: dict[str, str], action_port: int, action_url: str | None = None) -> dict:
    endpoints = yaml.safe_load((REPO_ROOT / "endpoints.yml").read_text())
    endpoints["action_endpoint"]["url"] = action_url or DEFAULT_ACTION_URL.replace("5055", str(action_port))
    if environ.get("TRACKER_STORE_URL"):
        endpoints["tracker_store"]["url"] = environ["TRACKER_STORE_URL"]
    tracker_url = endpoints["tracker_store"]["url"]
    if tracker_url.startswith("sqlite:///"):
        # SQLite creates the file, not its folder; a relative path is relative to the repo.
        path = Path(tracker_url.removeprefix("sqlite:///"))
        (path if path.is_absolute() else REPO_ROOT / path).parent.mkdir(parents=True, exist_ok=True)
    if environ.get("LOCK_STORE_URL"):
        endpoints["lock_store"] = lock_store(environ["LOCK_STORE_URL"])
    return endpoints


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--action-port", type=int, default=5055, help="an action server on this machine")
    where.add_argument("--action-url", help="an action server elsewhere (containers, Kubernetes)")
    args = parser.parse_args()
    try:
        endpoints = render(dict(os.environ), args.action_port, args.action_url)
    except ValueError as error:
        sys.exit(f"error: {error}")
    args.out.write_text(yaml.safe_dump(endpoints, sort_keys=False))


if __name__ == "__main__":
    main()
