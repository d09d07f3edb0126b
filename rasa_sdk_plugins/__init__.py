"""Action server plugins. rasa-sdk imports a package of exactly this name at start-up
(rasa_sdk.plugin) and calls `init_hooks`; its hooks then run in each Sanic worker.

KnowledgeWarmUp loads the embedding model and the knowledge index in the worker as soon
as it serves, so the first question does not wait for them (about 6 s here).
WorkerLogging configures logging in the Sanic worker, where the actions run: rasa-sdk
configures only its main process, so the worker's INFO lines were dropped and its errors
printed bare. The level is LOG_LEVEL, the variable Rasa itself reads, so one setting turns
on DEBUG logs (which include what people typed) on both servers.
"""

from __future__ import annotations

import logging
import os
import threading

import pluggy
from sanic import Sanic

hookimpl = pluggy.HookimplMarker("rasa_sdk")


class KnowledgeWarmUp:
    @hookimpl
    def attach_sanic_app_extensions(self, app: Sanic) -> None:
        @app.after_server_start
        async def warm_up_knowledge(_app: Sanic) -> None:
            # Imported here: the plugin must not load the knowledge modules at import.
            from actions.services import warm_up

            threading.Thread(target=warm_up, name="knowledge-warm-up", daemon=True).start()


LOG_FORMAT = "%(asctime)s %(levelname)-8s %(name)s  - %(message)s"
LEVELS = {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}


class WorkerLogging:
    @hookimpl
    def attach_sanic_app_extensions(self, app: Sanic) -> None:
        configure_logging()


def configure_logging() -> None:
    level = os.environ.get("LOG_LEVEL", "INFO").strip().upper()
    level = level if level in LEVELS else "INFO"
    root = logging.getLogger()
    if not root.handlers:
        logging.basicConfig(format=LOG_FORMAT, datefmt="%Y-%m-%d %H:%M:%S")
    root.setLevel(level)
    for handler in root.handlers:  # rasa-sdk's coloredlogs handler filters by level too
        handler.setLevel(level)


def init_hooks(manager: pluggy.PluginManager) -> None:
    manager.register(KnowledgeWarmUp())
    manager.register(WorkerLogging())
