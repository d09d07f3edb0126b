"""Faults a hospital deployment meets, each against the real servers: the action server
killed mid-conversation, PostgreSQL stopped and started again, two messages for one sender
at once. (A Rasa crash mid-form: test_persistence; a replica lost behind nginx: test_cluster.)"""

from __future__ import annotations

import pytest

from serving.bot_servers import BotServers
from tests.e2e.concurrency import QUESTIONS, ask_at_once, assert_each_question_answered_in_turn
from tests.e2e.test_career_plan import EDUCATION_Q, ROLE_Q, texts

# The Rasa-side texts (components/, Rasa's environment, not importable here).
ACTION_SERVER_DOWN = "part of me is not responding"
STORE_DOWN = "I can't reach the place where our conversation is kept"


def test_the_action_server_killed_mid_conversation_gets_an_apology_and_answers_when_it_is_back(
    action_server_outage,
):
    replies = action_server_outage["replies"]

    assert "_Source: " in texts(replies["mid before"])
    assert ACTION_SERVER_DOWN in texts(replies["mid during"])
    assert "hospital career advisor" in texts(replies["mid small talk"]), (
        "what needs no action server still works"
    )
    after = texts(replies["mid after"])
    assert "_Source: " in after and "certif" in after.lower()


def test_with_postgres_stopped_the_user_is_told_and_the_conversation_resumes_when_it_returns(
    bot_on_postgres, postgres, sender
):
    assert ROLE_Q in texts(bot_on_postgres.say("make me a career plan", sender))
    postgres.stop()
    try:
        during = bot_on_postgres.say("billing", sender)
    finally:
        postgres.start()
    after = bot_on_postgres.say("billing", sender)

    assert STORE_DOWN in texts(during) and "send it again" in texts(during)
    assert EDUCATION_Q in texts(after), "the half-filled form is still there after the database returns"
    log = (bot_on_postgres.workdir / "rasa.log").read_text()
    assert "could not handle a message from " + sender in log and "OperationalError" in log


@pytest.mark.parametrize("servers", ["bot", "bot_on_postgres"])
def test_two_messages_for_one_sender_at_once_are_both_answered_in_order(servers, sender, request):
    bot: BotServers = request.getfixturevalue(servers)

    replies = ask_at_once([lambda q=question: bot.say(q, sender) for question in QUESTIONS])

    assert all("_Source: " in texts(reply) for reply in replies), replies
    assert_each_question_answered_in_turn(bot.tracker(sender)["events"], QUESTIONS)
