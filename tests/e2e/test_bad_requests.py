"""Bad requests to the real Rasa server: each refused with a 400 naming its field, nothing
stored, no shared "default" conversation; bad socket.io messages ignored, the socket kept."""

from __future__ import annotations

import sqlite3

import pytest
import requests
import socketio

BAD_BODIES = [
    ('{"message": "registered nurse"}', "sender"),
    ('{"sender": "", "message": "registered nurse"}', "sender"),
    ('{"sender": null, "message": "registered nurse"}', "sender"),
    ('{"sender": "SENDER"}', "message"),
    ('{"sender": "SENDER", "message": null}', "message"),
    ('{"sender": "SENDER", "message": ""}', "message"),
    ('{"sender": "SENDER", "message": "   "}', "message"),
    ('{"sender": "SENDER", "message": 123}', "message"),
    ('{"sender": "SENDER", "message": ["hi"]}', "message"),
    ('[{"sender": "SENDER", "message": "hi"}]', "body"),
    ('{"sender": "SENDER", "message": "hi", "metadata": "oops"}', "metadata"),
    ('{"sender": "' + "s" * 300 + '", "message": "hi"}', "sender"),
    ('{"sender": "SENDER\\u0000x", "message": "hi"}', "sender"),
    ("{not json", "body"),
]


def stored_senders(bot) -> set[str]:
    with sqlite3.connect(bot.workdir / "conversations.db") as db:
        return {row[0] for row in db.execute("SELECT DISTINCT sender_id FROM events")}


@pytest.mark.parametrize(("body", "field"), BAD_BODIES)
def test_a_bad_rest_request_gets_a_400_naming_the_field_and_stores_nothing(bot, sender, body, field):
    response = requests.post(
        f"{bot.rasa_url}/webhooks/rest/webhook",
        data=body.replace("SENDER", sender),
        headers={"Content-Type": "application/json"},
        timeout=30,
    )

    assert response.status_code == 400
    assert response.json()["field"] == field and response.json()["error"].startswith(field)
    senders = stored_senders(bot)
    assert sender not in senders and "default" not in senders and not any(len(s) > 255 for s in senders)


def test_a_good_request_after_bad_ones_is_answered_as_usual(bot, sender):
    requests.post(f"{bot.rasa_url}/webhooks/rest/webhook", json={"message": "make me a plan"}, timeout=30)

    replies = bot.say("make me a career plan", sender)

    assert "What is your current role or department?" in replies[-1]["text"]
    assert "default" not in stored_senders(bot)


def test_a_bad_socket_message_is_ignored_and_the_socket_goes_on(bot, sender):
    with socketio.SimpleClient() as client:
        client.connect(bot.rasa_url, transports=["websocket"], wait_timeout=10)
        client.emit("session_request", {"session_id": sender})
        client.receive(timeout=10)
        for bad in ({"message": "hi", "session_id": f"{sender}-someone-else"}, {"session_id": sender}, "hi"):
            client.emit("user_uttered", bad)
        with pytest.raises(socketio.exceptions.TimeoutError):
            client.receive(timeout=5)  # nothing answered
        client.emit("user_uttered", {"message": "what can you do?", "session_id": sender})
        event, reply = client.receive(timeout=30)

    assert event == "bot_uttered" and reply["quick_replies"]
    assert f"{sender}-someone-else" not in stored_senders(bot)
    assert "ignored a socket.io message" in (bot.workdir / "rasa.log").read_text()
