"""Conversations outlive the servers: a half-finished plan form carries on after a restart,
in the default SQLite file and in a real PostgreSQL with a real Redis lock store."""

from __future__ import annotations

import sqlite3

from serving.bot_servers import BotServers
from tests.e2e.test_career_plan import EDUCATION_Q, ROLE_Q, YEARS_Q, button, texts


def start_a_form_then_restart(servers: BotServers, sender: str, crash: bool = False) -> list[dict]:
    """Answers the first plan question, stops both servers (or kills Rasa, as a crash would),
    starts them again and answers the second; returns the bot's reply to that second answer."""
    servers.start()
    try:
        assert ROLE_Q in texts(servers.say("make me a career plan", sender))
        education = servers.say("billing", sender)
        assert EDUCATION_Q in texts(education)
        if crash:
            servers.kill_rasa()
    finally:
        servers.stop()
    servers.start()
    try:
        return servers.say(button(education, "Bachelor's"), sender)
    finally:
        servers.stop()


def assert_the_form_carried_on(reply: list[dict]) -> None:
    assert YEARS_Q in texts(reply), "after the restart the form must ask the next question"
    assert ROLE_Q not in texts(reply) and EDUCATION_Q not in texts(reply)


def test_by_default_a_half_finished_form_survives_a_rasa_crash_in_sqlite(tmp_path, knowledge_config, sender):
    servers = BotServers(tmp_path, action_env={"ADVISOR_RETRIEVAL_CONFIG": str(knowledge_config)})

    reply = start_a_form_then_restart(servers, sender, crash=True)

    assert_the_form_carried_on(reply)
    with sqlite3.connect(tmp_path / "conversations.db") as db:
        (stored,) = db.execute("select count(*) from events where sender_id = ?", (sender,)).fetchone()
    assert stored > 10


def test_with_postgres_and_redis_the_form_survives_a_restart(
    tmp_path, knowledge_config, postgres, redis, sender
):
    servers = BotServers(
        tmp_path,
        action_env={"ADVISOR_RETRIEVAL_CONFIG": str(knowledge_config)},
        rasa_env={"TRACKER_STORE_URL": postgres.url, "LOCK_STORE_URL": redis.url},
    )

    reply = start_a_form_then_restart(servers, sender)

    assert_the_form_carried_on(reply)
    assert not (tmp_path / "conversations.db").exists()
    assert int(postgres.sql(f"select count(*) from events where sender_id = '{sender}'")) > 10
    assert "cmdstat_set:" in redis.cli("INFO", "commandstats"), "Rasa must have taken its locks in Redis"
