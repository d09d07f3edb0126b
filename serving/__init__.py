"""Starting the bot's processes from Python (bot_servers.py)."""

from pathlib import Path

# The repository: the servers run from here, with its model, venvs and configuration.
REPO_ROOT = Path(__file__).resolve().parent.parent
