"""Faults a hospital deployment meets, each against the real servers: the action server
killed mid-conversation, PostgreSQL stopped and started again, two messages for one sender
at once. (A Rasa crash mid-form: test_persistence; a replica lost behind nginx: test_cluster.)"""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from tests.e2e.servers import BotServers
from tests.e2e.test_career_plan import EDUCATION_Q, ROLE_Q, texts

# The Rasa-side texts (components/, Rasa's environment, not importable here).
ACTION_SERVER_DOWN = "part of me is not responding"
STORE_DOWN = "I can't reach the place where our conversation is kept"


@pytest.fixture(scope="module")
def bot_on_postgres(tmp_path_factory, knowledge_config, postgres, redis) -> Iterator[BotServers]:
    servers = BotServers(
        tmp_path_factory.mktemp("postgres-bot"),
        action_env={"ADVISOR_RETRIEVAL_CONFIG": str(knowledge_config)},
        rasa_env={"TRACKER_STORE_URL": postgres.url, "LOCK_STORE_URL": redis.url},
    )
    try:
        servers.start()
        yield servers
    finally:
        servers.stop()


def test_the_action_server_killed_mid_conversation_gets_an_apology_and_answers_when_it_is_back(bot, sender):
    question = "what skills does a healthcare manager need?"
    assert "_Source: " in texts(bot.say(question, sender))
    bot.kill_actions()
    try:
        during = bot.say("which certifications should I get?", sender)
        small_talk = bot.say("hi", sender)
    finally:
        bot.start_actions()
    after = bot.say("which certifications should I get?", sender)

    assert ACTION_SERVER_DOWN in texts(during)
    assert "hospital career advisor" in texts(small_talk), "what needs no action server still works"
    assert "_Source: " in texts(after) and "certif" in texts(after).lower()


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
    questions = ["what skills does a healthcare manager need?", "which certifications should I get?"]
    replies: dict[str, list[dict]] = {}

    def ask(question: str) -> None:
        replies[question] = bot.say(question, sender)

    threads = [threading.Thread(target=ask, args=(question,)) for question in questions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert all("_Source: " in texts(replies[question]) for question in questions), replies
    turns = [
        event.get("text") for event in bot.tracker(sender)["events"] if event["event"] in {"user", "bot"}
    ]
    asked = [i for i, text in enumerate(turns) if text in questions]
    assert len(asked) == 2, turns
    assert "_Source: " in "".join(turns[asked[0] + 1 : asked[1]]), (
        "the first question is answered before the second"
    )
    assert "_Source: " in "".join(turns[asked[1] + 1 :])
