"""A day of normal use leaves no ERROR and no traceback in any process's log; a real failure
still logs an error, naming the conversation and not what was said.

The servers here are this module's own, so their logs hold only what this module did.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from serving.bot_servers import BotServers, IntranetSite
from serving.processes import free_port
from tests.e2e.browser import ChatWidget
from tests.e2e.conftest import SLACK_SECRET, advisor_servers, intranet_site
from tests.e2e.fake_slack import SlackEvents, button_click, message_event
from tests.e2e.test_career_plan import button, texts

ALARMS = re.compile(r"\bERROR\b|\bCRITICAL\b|Traceback \(most recent call last\)")
QUESTIONS = [
    "what does a health services manager do all day",
    "which certifications should a healthcare manager get?",
    "do i need a masters to be a manager in a hospital",
    "how much do practice managers make",
    "whats the job outlook for medical and health services managers",
    "what skills do I need to move from billing into management",
    "where's the staff canteen",  # declined: not in the guides
    "how do I get management experience as a clerk?",
]


@pytest.fixture(scope="module")
def day(tmp_path_factory, knowledge_config, fake_slack) -> Iterator[tuple[BotServers, IntranetSite, Path]]:
    """The bot, its Slack channel (to the fake Slack) and the intranet site, started for this module."""
    workdir = tmp_path_factory.mktemp("quiet-logs")
    site_port = free_port()
    bot = advisor_servers(workdir, knowledge_config, fake_slack, site_port)
    site = intranet_site(workdir, bot, knowledge_config, site_port)
    try:
        bot.start()
        site.start()
        yield bot, site, workdir
    finally:
        site.stop()
        bot.stop()


def log_sizes(workdir: Path) -> dict[str, int]:
    return {log.name: len(log.read_text()) for log in workdir.glob("*.log")}


def alarms_since(workdir: Path, sizes: dict[str, int]) -> dict[str, list[str]]:
    """Lines with ERROR, CRITICAL or a traceback logged by each process since `sizes`."""
    return {
        log.name: [
            line for line in log.read_text()[sizes.get(log.name, 0) :].splitlines() if ALARMS.search(line)
        ]
        for log in sorted(workdir.glob("*.log"))
    }


def questions_with_follow_ups_and_ratings(bot: BotServers, sender: str) -> None:
    for number, question in enumerate(QUESTIONS):
        replies = bot.say(question, sender)
        buttons = {b["title"]: b["payload"] for reply in replies for b in reply.get("buttons", [])}
        follow_up = next((p for p in buttons.values() if p.startswith("/ask_question")), None)
        if follow_up:
            replies = bot.say(follow_up, sender)
            buttons = {b["title"]: b["payload"] for reply in replies for b in reply.get("buttons", [])}
        if "👍 Helpful" in buttons and number % 3 == 0:
            bot.say(buttons["👍 Helpful"], sender)
        elif "👎 Not helpful" in buttons and number % 3 == 1:
            bot.say(buttons["👎 Not helpful"], sender)
            bot.say("I wanted to know about the night shift pay, call me on 555 0101", sender)


def a_plan_by_buttons_and_words(bot: BotServers, sender: str) -> None:
    bot.say("hi", sender)
    bot.say("I'm a unit clerk on the medical ward and I'd like a plan to become a manager", sender)
    education = bot.say("why do you ask?", sender)
    education = bot.say("I have an associate degree", sender)
    years = bot.say("about six years", sender)
    hours = bot.say(button(years, "Unit coordinator"), sender) if "Unit coordinator" in str(years) else years
    plan = (
        bot.say(button(hours, "4 to 9 hours"), sender)
        if "4 to 9 hours" in str(hours)
        else bot.say("5", sender)
    )
    assert "Your plan" in texts(plan) or "Your plan" in texts(bot.say("show me my plan", sender)), education
    bot.say("how long will all that take?", sender)
    bot.say("explain step 2", sender)
    bot.say("thanks, bye", sender)


def test_a_real_failure_logs_an_error_with_the_conversation_id_and_not_the_message(day):
    bot, _, workdir = day
    secret_words = "my manager Dana Whitfield is leaving in March"
    sender = f"quiet-failure-{int(time.time())}"
    before = (workdir / "rasa.log").read_text()
    bot.stop_actions()
    try:
        bot.say(secret_words, sender)
    finally:
        bot.start_actions()

    logged = (workdir / "rasa.log").read_text()[len(before) :]
    errors = [line for line in logged.splitlines() if " ERROR " in line]
    assert errors and all(sender in line for line in errors), logged
    assert secret_words not in logged and "Dana" not in logged


def test_a_day_of_normal_use_logs_no_error_and_no_traceback(day, fake_slack, browser, request):
    bot, site, workdir = day
    sizes = log_sizes(workdir)  # after start-up, and after the failure test's deliberate errors
    for person in range(3):
        questions_with_follow_ups_and_ratings(bot, f"quiet-{person}")
        a_plan_by_buttons_and_words(bot, f"quiet-plan-{person}")
    bot.say("/greet", "quiet-button")
    bot.say("tell me a joke", "quiet-small-talk")
    bot.say("x" * 3000, "quiet-long")  # over the limit: told so, nothing wrong

    slack = SlackEvents(f"{bot.rasa_url}/webhooks/slack/webhook", SLACK_SECRET)
    event = message_event(QUESTIONS[1], "UQUIETDAY")
    slack.post_event(event)
    channel, ts = event["event"]["channel"], event["event"]["ts"]
    (answer,) = fake_slack.wait_for_posts(lambda p: p.get("channel") == channel and p.get("thread_ts") == ts)
    helpful = next(
        b for block in answer["blocks"][1:] for b in block["elements"] if "Helpful" in b["text"]["text"]
    )
    slack.post_interaction(button_click(helpful["value"], "UQUIETDAY", channel, f"{time.time():.6f}", ts))
    fake_slack.wait_for_posts(lambda p: p.get("channel") == channel and p.get("thread_ts") == ts, count=2)

    for path in ["/", "/faq", "/faq/hsm-certifications", "/faq?q=what+does+a+practice+manager+do"]:
        assert requests.get(site.url + path, timeout=30).status_code == 200
    assert requests.get(f"{site.url}/api/search", params={"q": "CPHQ"}, timeout=30).ok

    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    try:
        chat = ChatWidget(page)
        page.goto(site.url + "/")
        chat.open()
        chat.wait_for_bot("hospital career advisor")
        chat.say(QUESTIONS[1])
        chat.wait_for_bot("Source:")
        count = chat.bot_messages.count()
        chat.quick_replies.first.click()
        chat.wait_for_reply_after(count)
        page.reload()
        chat.open()
        chat.say("thanks!")
        chat.wait_for_bot("welcome")
    finally:
        context.close()
    time.sleep(3)  # the widget's socket closing is logged after the page goes
    site.stop()
    bot.stop()  # the end of the day: shutting down must not alarm anyone either

    assert alarms_since(workdir, sizes) == {"actions.log": [], "rasa.log": [], "site.log": []}
