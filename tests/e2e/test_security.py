"""Security of the running Rasa server: the HTTP API behind a token or JWT, the browser
allow-list on REST and socket.io, the message length limit, and logs without what people typed."""

from __future__ import annotations

import json
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
    if transport == "polling":
        return connect_by_polling(bot, origin)
    # websocket-client sends an Origin of its own unless told which one to send.
    client = socketio.SimpleClient(websocket_extra_options={"origin": origin})
    try:
        client.connect(bot.rasa_url, transports=["websocket"], wait_timeout=10)
        return client.connected
    except socketio.exceptions.ConnectionError:
        return False
    finally:
        if client.client is not None:
            client.client.eio.disconnect(abort=True)


def connect_by_polling(bot: BotServers, origin: str) -> bool:
    """socket.io's long-polling transport as a browser's requests speak it: the engine.io
    handshake, the CONNECT packet for the default namespace ("40"), and the server's answer
    to it ("40{sid}" accepted, "44{message}" refused). (python-socketio's client learns of a
    refusal over polling only after its 25 s ping interval.)"""
    url, headers = f"{bot.rasa_url}/socket.io/", {"Origin": origin}
    handshake = requests.get(url, params={"EIO": "4", "transport": "polling"}, headers=headers, timeout=10)
    handshake.raise_for_status()
    session = {"EIO": "4", "transport": "polling", "sid": json.loads(handshake.text[1:])["sid"]}
    requests.post(url, params=session, data="40", headers=headers, timeout=10).raise_for_status()
    answer = requests.get(url, params=session, headers=headers, timeout=30).text
    assert answer.startswith(("40", "44")), answer
    return answer.startswith("40")


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


def test_info_logs_hold_no_message_text_unless_debug_logging_is_turned_on(
    bot, site, sender, action_server_misconfigured
):
    logs = {
        "rasa": bot.workdir / "rasa.log",
        "actions": bot.workdir / "actions.log",
        "site": site.workdir / "site.log",
    }
    sizes = {name: len(log.read_text()) for name, log in logs.items()}
    secret = f"Jane Roe {uuid.uuid4().hex[:8]} jane.roe@example.org 555-0142"
    bot.say(f"I am {secret}, what certifications should I get?", sender)
    bot.say(f"I am {secret}", sender)
    requests.get(f"{site.url}/api/search", params={"q": f"certifications {secret}"}, timeout=30)
    time.sleep(0.5)  # the servers' last log lines
    logged = {name: log.read_text()[sizes[name] :] for name, log in logs.items()}

    assert all(" INFO " in log.read_text() for log in logs.values()), "the servers must be logging at all"
    for name, text in logged.items():
        assert "Jane Roe" not in text and "example.org" not in text and "555-0142" not in text, name

    # Turned on (LOG_LEVEL=DEBUG, Rasa's and rasa-sdk's switch), the text shows: the check above can fail.
    assert "jane.roe@example.org" in action_server_misconfigured["logged"]
