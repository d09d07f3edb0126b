"""How the bot's processes run. processes.py defines each server once and starts, waits for and
stops one; supervision.py runs sets of them under supervisord (`make run`, `make cluster`);
services.py runs PostgreSQL, Redis and nginx; bot_servers.py is what the tests and benchmarks
start; conversation_logging.py is what both servers log about a conversation. Both servers'
environments import this package (processes.py needs only requests)."""

from pathlib import Path

# The repository: the servers run from here, with its model, venvs and configuration.
REPO_ROOT = Path(__file__).resolve().parent.parent
