"""Rasa's responses from domain.yml, with button payloads sent as written.

Rasa 3.6 fills {slot} placeholders in every string of a response, payloads included. Our
buttons carry JSON entities (`/inform{"plan_answer": "6"}`), which the interpolator takes
for a placeholder named `"plan_answer": "6"`: it logs an ERROR with a stack trace on every
such button and sends the payload unchanged. The logs of a healthy bot then look broken.
Here payloads are left out of interpolation (none of ours holds a slot); titles and
texts are filled as before. endpoints.yml names this class under `nlg`.
"""

from __future__ import annotations

from typing import Any

from rasa.core.nlg.response import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.utils.endpoints import EndpointConfig


class ResponseTemplates(TemplatedNaturalLanguageGenerator):
    def __init__(self, endpoint_config: EndpointConfig | None = None, domain: Domain | None = None) -> None:
        super().__init__(domain.responses if domain is not None else {})

    def _fill_response(
        self, response: dict[str, Any], filled_slots: dict[str, Any] | None = None, **kwargs: Any
    ) -> dict[str, Any]:
        buttons = response.get("buttons") or []
        payloads = [button.pop("payload", None) for button in buttons]
        filled = super()._fill_response(response, filled_slots, **kwargs)
        for button, payload in zip(filled.get("buttons") or [], payloads, strict=True):
            if payload is not None:
                button["payload"] = payload
        return filled
