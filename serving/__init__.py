"""How the bot's processes run: started from Python (bot_servers.py) and what they log about
a conversation (conversation_logging.py). Both servers' environments import this package."""

from pathlib import Path

# The repository: the servers run from here, with its model, venvs and configuration.
REPO_ROOT = Path(__file__).resolve().parent.parent
