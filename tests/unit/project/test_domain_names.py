"""Every intent, action, response and slot name the Python code uses exists in domain.yml.

A misspelt name fails silently at run time: `tracker.get_slot("carreer_plan")` is None, a
rule never matches an intent that does not exist. The names are read from the source with
`ast`, without importing it (components/ needs Rasa's environment):
- slots: the first argument of `SlotSet(...)` and of `.get_slot(...)`, and constants named
  `*_SLOT`;
- actions: what `name()` returns, `FollowupAction(...)`, `ActionExecuted(...)`, and
  constants named `*_ACTION`;
- responses: every string `utter_*`, and constants named `*_RESPONSE`;
- intents: constants named `*_INTENT` or `*_INTENTS`, the keys of `RATINGS` and
  `ANSWERS_WITHOUT_ACTION_SERVER`, the values of `INTENT_OF`, and `/intent` payloads.
A constant given by name is looked up among the module-level string constants.
"""

from __future__ import annotations

import ast
import re
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from tests import REPO_ROOT

PACKAGES = ["actions", "components", "understanding", "learning_from_use", "planning", "intranet_site"]
DOMAIN = yaml.safe_load((REPO_ROOT / "domain.yml").read_text())
# Rasa's own actions, slots and intents, which domain.yml does not list.
RASA_ACTIONS = {
    "action_listen", "action_session_start", "action_restart", "action_default_fallback",
    "action_deactivate_loop", "action_back", "action_two_stage_fallback", "action_unlikely_intent",
    "action_extract_slots", "action_default_ask_affirmation", "action_default_ask_rephrase",
}  # fmt: skip
RASA_SLOTS = {"requested_slot", "session_started_metadata"}
RASA_INTENTS = {"nlu_fallback", "restart", "session_start", "back", "out_of_scope"}
PAYLOAD = re.compile(r"^/([a-z_]+)(?:\{.*)?$", re.DOTALL)
# Where "/word" is a button payload; elsewhere it is a URL path.
PAYLOAD_PACKAGES = {"actions", "understanding"}


def sources() -> Iterator[tuple[Path, ast.Module]]:
    for package in PACKAGES:
        for path in sorted((REPO_ROOT / package).rglob("*.py")):
            yield path, ast.parse(path.read_text(), str(path))


def string_constants() -> dict[str, set[str]]:
    """Module-level NAME = "text" assignments across the packages."""
    found: dict[str, set[str]] = defaultdict(set)
    for _, module in sources():
        for node in module.body:
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant):
                for target in node.targets:
                    if isinstance(target, ast.Name) and isinstance(node.value.value, str):
                        found[target.id].add(node.value.value)
    return found


CONSTANTS = string_constants()


def strings_of(node: ast.AST | None) -> set[str]:
    """The strings an expression stands for: a literal, a known constant, or the items of a
    set, tuple or list of them."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}
    if isinstance(node, ast.Name):
        return CONSTANTS.get(node.id, set())
    if isinstance(node, ast.Attribute):
        return CONSTANTS.get(node.attr, set())
    if isinstance(node, (ast.Set, ast.Tuple, ast.List)):
        return {text for item in node.elts for text in strings_of(item)}
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "frozenset":
        return strings_of(node.args[0]) if node.args else set()
    return set()


def used_names() -> dict[str, dict[str, set[str]]]:
    """{"slot" | "action" | "response" | "intent": {name: {where it is used}}}."""
    used: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))

    def use(kind: str, names: set[str], path: Path, node: ast.AST) -> None:
        for name in names:
            used[kind][name].add(f"{path.relative_to(REPO_ROOT)}:{getattr(node, 'lineno', 0)}")

    for path, module in sources():
        package = path.relative_to(REPO_ROOT).parts[0]
        formatted = {
            id(part) for node in ast.walk(module) if isinstance(node, ast.JoinedStr) for part in node.values
        }
        for node in ast.walk(module):
            if isinstance(node, ast.Call):
                callee = (
                    node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
                )
                first = node.args[0] if node.args else None
                if callee in {"SlotSet", "get_slot"}:
                    use("slot", strings_of(first), path, node)
                elif callee in {"FollowupAction", "ActionExecuted"}:
                    use("action", strings_of(first), path, node)
                for keyword in node.keywords:
                    if keyword.arg == "response":
                        use("response", strings_of(keyword.value), path, node)
            elif isinstance(node, ast.FunctionDef) and node.name == "name" and package == "actions":
                returns = [n for n in ast.walk(node) if isinstance(n, ast.Return)]
                for returned in returns:
                    use("action", strings_of(returned.value), path, node)
            elif isinstance(node, ast.Assign):
                for target in node.targets:
                    if not isinstance(target, ast.Name):
                        continue
                    name, value = target.id, node.value
                    if name.endswith("_SLOT"):
                        use("slot", strings_of(value), path, node)
                    elif name.endswith("_ACTION"):
                        use("action", strings_of(value), path, node)
                    elif name.endswith("_RESPONSE"):
                        use("response", strings_of(value), path, node)
                    elif name.endswith(("_INTENT", "_INTENTS")):
                        use("intent", strings_of(value), path, node)
                    elif name in {"RATINGS", "ANSWERS_WITHOUT_ACTION_SERVER"} and isinstance(value, ast.Dict):
                        use("intent", {k for key in value.keys for k in strings_of(key)}, path, node)
                        if name == "ANSWERS_WITHOUT_ACTION_SERVER":
                            use(
                                "response", {v for item in value.values for v in strings_of(item)}, path, node
                            )
                    elif name == "INTENT_OF" and isinstance(value, ast.Dict):
                        use("intent", {v for item in value.values for v in strings_of(item)}, path, node)
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                if id(node) in formatted:  # f"utter_why_{slot}": a family of responses
                    if node.value.startswith("utter_"):
                        use("response family", {node.value}, path, node)
                elif re.fullmatch(r"utter_\w+", node.value):
                    use("response", {node.value}, path, node)
                elif package in PAYLOAD_PACKAGES and (match := PAYLOAD.match(node.value)):
                    use("intent", {match.group(1)}, path, node)
    return used


USED = used_names()
KNOWN = {
    "slot": set(DOMAIN["slots"]) | RASA_SLOTS,
    "action": set(DOMAIN["actions"]) | set(DOMAIN["forms"]) | set(DOMAIN["responses"]) | RASA_ACTIONS,
    "response": set(DOMAIN["responses"]),
    "intent": set(DOMAIN["intents"]) | RASA_INTENTS,
}


@pytest.mark.parametrize("kind", ["slot", "action", "response", "intent"])
def test_every_name_the_code_uses_is_in_the_domain(kind):
    unknown = {name: sorted(where) for name, where in USED[kind].items() if name not in KNOWN[kind]}

    assert unknown == {}


def test_every_response_family_the_code_formats_has_a_response_for_each_form_slot():
    """f"utter_why_{slot}" and the like: one response per slot the plan form asks for."""
    form_slots = DOMAIN["forms"]["career_plan_form"]["required_slots"]
    assert USED["response family"]
    for prefix, where in USED["response family"].items():
        missing = [f"{prefix}{slot}" for slot in form_slots if f"{prefix}{slot}" not in KNOWN["response"]]
        assert missing == [], sorted(where)


def test_the_scan_finds_the_names_it_is_meant_to_check():
    """Guards the test above against finding nothing (a changed call style would empty it)."""
    assert {"career_plan", "answer_record", "current_role"} <= set(USED["slot"])
    assert {"action_understand", "action_answer_question", "validate_career_plan_form"} <= set(USED["action"])
    assert {"utter_plan", "utter_greet", "utter_action_server_unavailable"} <= set(USED["response"])
    assert {"request_plan", "rate_helpful", "skip_question", "inform", "message_too_long"} <= set(
        USED["intent"]
    )


def test_every_custom_action_in_the_domain_is_served():
    served = set(USED["action"])
    custom = {name for name in DOMAIN["actions"] if not name.startswith("utter_")}

    assert custom - served == set()
