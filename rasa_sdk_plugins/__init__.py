"""Action server plugins. rasa-sdk imports a package of exactly this name at start-up
(rasa_sdk.plugin) and calls `init_hooks`; its hooks then run in each Sanic worker.

The one plugin here loads the embedding model and the knowledge index in the worker as
soon as it serves, so the first question does not wait for them (about 6 s here).
"""

from __future__ import annotations

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
            from actions.answer_question import shared_advisor

            threading.Thread(target=shared_advisor().warm_up, name="knowledge-warm-up", daemon=True).start()


def init_hooks(manager: pluggy.PluginManager) -> None:
    manager.register(KnowledgeWarmUp())
