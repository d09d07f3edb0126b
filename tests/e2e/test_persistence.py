"""Conversations outlive the servers: a half-finished plan form carries on after Rasa
restarts, in the default SQLite file and in a real PostgreSQL with a real Redis lock store.
Both use the tier's shared bots and restart only their Rasa server."""

from __future__ import annotations

import sqlite3

from serving.bot_servers import BotServers
from tests.e2e.test_career_plan import EDUCATION_Q, ROLE_Q, YEARS_Q, button, texts


def start_a_form_then_restart(servers: BotServers, sender: str, crash: bool = False) -> list[dict]:
    """Answers the first plan question, stops Rasa (or kills it, as a crash would), starts it
    again and answers the second; returns the bot's reply to that second answer."""
    try:
        assert ROLE_Q in texts(servers.say("make me a career plan", sender))
        education = servers.say("billing", sender)
        assert EDUCATION_Q in texts(education)
    finally:
        if crash:
            servers.kill_rasa()
        else:
            servers.stop_rasa()
        servers.start_rasa()
    return servers.say(button(education, "Bachelor's"), sender)


def assert_the_form_carried_on(reply: list[dict]) -> None:
    assert YEARS_Q in texts(reply), "after the restart the form must ask the next question"
    assert ROLE_Q not in texts(reply) and EDUCATION_Q not in texts(reply)


def test_by_default_a_half_finished_form_survives_a_rasa_crash_in_sqlite(bot, sender):
    reply = start_a_form_then_restart(bot, sender, crash=True)

    assert_the_form_carried_on(reply)
    with sqlite3.connect(bot.workdir / "conversations.db") as db:
        (stored,) = db.execute("select count(*) from events where sender_id = ?", (sender,)).fetchone()
    assert stored > 10


def test_with_postgres_and_redis_the_form_survives_a_restart(bot_on_postgres, postgres, redis, sender):
    reply = start_a_form_then_restart(bot_on_postgres, sender)

    assert_the_form_carried_on(reply)
    assert not (bot_on_postgres.workdir / "conversations.db").exists()
    assert int(postgres.sql(f"select count(*) from events where sender_id = '{sender}'")) > 10
    assert "cmdstat_set:" in redis.cli("INFO", "commandstats"), "Rasa must have taken its locks in Redis"
