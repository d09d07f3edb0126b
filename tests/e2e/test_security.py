"""Security of the running Rasa server: the HTTP API behind a token or JWT, the browser
allow-list on REST and socket.io, the message length limit, and logs without what people typed."""

from __future__ import annotations

import time
import uuid

import jwt
import pytest
import requests
import socketio

from serving.bot_servers import BotServers
from tests.e2e.test_career_plan import ROLE_Q, texts

TOO_LONG = "That message is longer than I can read"
EVIL_ORIGIN = "http://evil.example.com"


def api_get(bot: BotServers, path: str, **kwargs) -> requests.Response:
    return requests.get(f"{bot.rasa_url}{path}", timeout=30, **kwargs)


def bearer(secret: str, **user: str) -> dict[str, str]:
    return {"Authorization": "Bearer " + jwt.encode({"user": user}, secret, algorithm="HS256")}


def test_the_http_api_answers_only_with_the_token_or_a_valid_jwt(bot, sender):
    bot.say("hi", sender)
    tracker = f"/conversations/{sender}/tracker"

    assert api_get(bot, tracker).status_code == 401
    assert api_get(bot, tracker, params={"token": "guess"}).status_code == 401
    assert (
        api_get(
            bot,
            tracker,
            headers=bearer("a-different-secret-of-the-same-length-!!!!", username="x", role="admin"),
        ).status_code
        == 401
    )
    assert api_get(bot, tracker, params={"token": bot.auth_token}).json()["sender_id"] == sender
    assert api_get(bot, tracker, headers=bearer(bot.jwt_secret, username="ops", role="admin")).ok
    # A JWT for one user opens that user's conversation only.
    assert api_get(bot, tracker, headers=bearer(bot.jwt_secret, username=sender, role="user")).ok
    assert (
        api_get(
            bot, tracker, headers=bearer(bot.jwt_secret, username="someone-else", role="user")
        ).status_code
        == 403
    )


def test_rest_cors_allows_the_intranet_pages_only(bot, site_port):
    def preflight(origin: str) -> requests.Response:
        return requests.options(
            f"{bot.rasa_url}/webhooks/rest/webhook",
            headers={"Origin": origin, "Access-Control-Request-Method": "POST"},
            timeout=10,
        )

    intranet = f"http://127.0.0.1:{site_port}"
    assert preflight(intranet).headers.get("Access-Control-Allow-Origin") == intranet
    assert "Access-Control-Allow-Origin" not in preflight(EVIL_ORIGIN).headers


def connect_from(bot: BotServers, origin: str, transport: str) -> bool:
    """Opens a socket.io connection as a page from `origin` would; whether Rasa accepted it."""
    if transport == "websocket":
        # websocket-client sends an Origin of its own unless told which one to send.
        client, headers = socketio.SimpleClient(websocket_extra_options={"origin": origin}), {}
    else:
        client, headers = socketio.SimpleClient(), {"Origin": origin}
    try:
        client.connect(bot.rasa_url, headers=headers, transports=[transport], wait_timeout=10)
        return client.connected
    except socketio.exceptions.ConnectionError:
        return False
    finally:
        # As a closed page does, without waiting out the pending long-poll (python-socketio's
        # disconnect waits for it: up to the 25 s ping interval on the polling transport).
        if client.client is not None:
            client.client.eio.disconnect(abort=True)


@pytest.mark.parametrize("transport", ["websocket", "polling"])
def test_socketio_refuses_pages_outside_the_allow_list(bot, site_port, transport):
    assert connect_from(bot, f"http://127.0.0.1:{site_port}", transport)
    assert not connect_from(bot, EVIL_ORIGIN, transport)


def test_an_overlong_message_gets_the_limit_explained_and_the_form_asks_again(bot, sender):
    assert TOO_LONG in texts(bot.say("x" * 2001, sender))
    assert TOO_LONG not in texts(bot.say("what skills do managers need? " + " " * 1960, sender))

    bot.say("make me a career plan", sender)
    reply = bot.say("I work in billing. " * 200, sender)

    assert TOO_LONG in texts(reply) and ROLE_Q in texts(reply)


def test_info_logs_hold_no_message_text_unless_debug_logging_is_turned_on(bot, site, sender):
    secret = f"Jane Roe {uuid.uuid4().hex[:8]} jane.roe@example.org 555-0142"
    bot.say(f"I am {secret}, what certifications should I get?", sender)
    bot.say(f"I am {secret}", sender)
    requests.get(f"{site.url}/api/search", params={"q": f"certifications {secret}"}, timeout=30)
    logs = {name: (workdir / f"{name}.log").read_text() for workdir, name in
            [(bot.workdir, "rasa"), (bot.workdir, "actions"), (site.workdir, "site")]}  # fmt: skip

    assert all(" INFO " in log for log in logs.values()), "the servers must be logging at all"
    for name, log in logs.items():
        assert "Jane Roe" not in log and "example.org" not in log and "555-0142" not in log, name

    # Turned on (LOG_LEVEL=DEBUG, Rasa's and rasa-sdk's switch), the text shows: the check above can fail.
    bot.stop_actions()
    bot.start_actions({**bot.action_env, "LOG_LEVEL": "DEBUG"})
    try:
        bot.say(f"I am {secret}, what certifications should I get?", sender)
        time.sleep(0.5)
        assert "jane.roe@example.org" in (bot.workdir / "actions.log").read_text()
    finally:
        bot.stop_actions()
        bot.start_actions()
