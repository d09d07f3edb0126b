"""The HTTP surface around the conversation: the auth-protected API, malformed
requests, the socket.io channel, and an action server that goes away and comes back."""

from __future__ import annotations

import requests
import socketio

ACTION_SERVER_DOWN = "part of me is not responding"


def test_the_http_api_refuses_requests_without_the_token(bot):
    assert requests.get(f"{bot.rasa_url}/status", timeout=10).status_code == 401
    assert requests.put(f"{bot.rasa_url}/model", json={}, timeout=10).status_code == 401
    assert requests.get(f"{bot.rasa_url}/conversations/anyone/tracker", timeout=10).status_code == 401


def test_the_http_api_answers_with_the_token(bot):
    response = requests.get(f"{bot.rasa_url}/status", params={"token": bot.auth_token}, timeout=10)

    assert response.status_code == 200
    assert response.json()["model_file"] == "career-advisor.tar.gz"


def test_malformed_json_is_a_client_error_not_a_server_error(bot):
    response = requests.post(f"{bot.rasa_url}/webhooks/rest/webhook", data="{not json", timeout=10)

    assert response.status_code == 400


def test_the_socketio_channel_holds_a_conversation(bot, sender):
    # The events the intranet web widget uses (names from credentials.yml).
    with socketio.SimpleClient() as client:
        client.connect(bot.rasa_url, transports=["websocket"], wait_timeout=10)
        client.emit("session_request", {"session_id": sender})
        confirm = client.receive(timeout=10)
        client.emit("user_uttered", {"message": "what can you do?", "session_id": sender})
        event, reply = client.receive(timeout=30)

    assert confirm == ["session_confirm", sender]
    assert event == "bot_uttered"
    assert next(button["title"] for button in reply["quick_replies"]) == "Qualifications"


def test_an_unreachable_action_server_gets_an_apology_and_the_chat_recovers(action_server_outage):
    replies = action_server_outage["replies"]
    [apology], [greeting], [answer] = replies["new during"], replies["new small talk"], replies["new after"]

    assert ACTION_SERVER_DOWN in apology["text"]
    assert "hospital career advisor" in greeting["text"]
    assert "skill" in answer["text"].lower() and "_Source: " in answer["text"]
