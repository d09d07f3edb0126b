"""Action server plugins. rasa-sdk imports a package of exactly this name at start-up
(rasa_sdk.plugin) and calls `init_hooks`; its hooks then run in each Sanic worker.

KnowledgeWarmUp loads the embedding model and the knowledge index in the worker as soon
as it serves, so the first question does not wait for them (about 6 s here). `/ready`
answers 200 once that is done and 503 before (`/health` answers as soon as Sanic serves):
`make run` and the tests wait for it. Stopped while its worker was still loading the
model, rasa-sdk's Sanic manager once logged a traceback on the way out.
WorkerLogging configures logging in the Sanic worker, where the actions run: rasa-sdk
configures only its main process, so the worker's INFO lines were dropped and its errors
printed bare. The level is LOG_LEVEL, the variable Rasa itself reads, so one setting turns
on DEBUG logs (which include what people typed) on both servers.
ConversationLogging ends every WARNING or worse logged while an action runs with
`[conversation <id>]`, as the Rasa server's log does (serving/conversation_logging.py),
never with what was said.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable

import pluggy
from sanic import Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

from serving import conversation_logging

hookimpl = pluggy.HookimplMarker("rasa_sdk")


# Set in the worker once the warm-up has run, whether or not it loaded everything.
WARMED_UP = threading.Event()


class KnowledgeWarmUp:
    @hookimpl
    def attach_sanic_app_extensions(self, app: Sanic) -> None:
        @app.after_server_start
        async def warm_up_knowledge(_app: Sanic) -> None:
            # Imported here: the plugin must not load the knowledge modules at import.
            from actions.services import warm_up

            threading.Thread(
                target=warmed_up_by, args=(warm_up,), name="knowledge-warm-up", daemon=True
            ).start()

        app.add_route(readiness, "/ready", methods=["GET"])


def warmed_up_by(warm_up: Callable[[], None]) -> None:
    try:
        warm_up()
    finally:
        WARMED_UP.set()


async def readiness(_request: Request) -> HTTPResponse:
    """200 {"status": "ready"} once the worker has warmed up, 503 {"status": "warming up"} before."""
    if WARMED_UP.is_set():
        return response.json({"status": "ready"})
    return response.json({"status": "warming up"}, status=503)


LOG_FORMAT = "%(asctime)s %(levelname)-8s %(name)s  - %(message)s"
LEVELS = {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}


class WorkerLogging:
    @hookimpl
    def attach_sanic_app_extensions(self, app: Sanic) -> None:
        configure_logging()


class ConversationLogging:
    @hookimpl
    def attach_sanic_app_extensions(self, app: Sanic) -> None:
        @app.on_request
        async def name_the_conversation(request: Request) -> None:
            # The handler runs in this request's task, so it sees the id set here.
            conversation_logging.CONVERSATION.set(sender_of(request))


def sender_of(request: Request) -> str | None:
    """The conversation an action call is for (`sender_id` of the webhook's JSON body)."""
    if request.path != "/webhook":
        return None
    try:
        body = request.json
    except Exception:  # a malformed body: rasa-sdk answers it; nothing to name
        return None
    sender = body.get("sender_id") if isinstance(body, dict) else None
    return sender if isinstance(sender, str) else None


def configure_logging() -> None:
    level = os.environ.get("LOG_LEVEL", "INFO").strip().upper()
    level = level if level in LEVELS else "INFO"
    root = logging.getLogger()
    if not root.handlers:
        logging.basicConfig(format=LOG_FORMAT, datefmt="%Y-%m-%d %H:%M:%S")
    root.setLevel(level)
    for handler in root.handlers:  # rasa-sdk's coloredlogs handler filters by level too
        handler.setLevel(level)
    # faiss tries its AVX-512 builds first and logs each miss with a ModuleNotFoundError at
    # INFO; the build it settles on is all that matters.
    logging.getLogger("faiss.loader").setLevel(max(logging.WARNING, root.level))
    conversation_logging.install()  # on the handlers just configured


def init_hooks(manager: pluggy.PluginManager) -> None:
    manager.register(KnowledgeWarmUp())
    manager.register(WorkerLogging())
    manager.register(ConversationLogging())
