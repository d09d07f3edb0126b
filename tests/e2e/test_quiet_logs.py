"""A day of normal use leaves no ERROR and no traceback in any process's log; a real failure
still logs an error, naming the conversation and not what was said.

The servers are the tier's shared ones: each test reads only what its processes logged
while it ran. (That stopping them logs no alarm either is checked on `make run`'s Ctrl-C,
in test_make_run.)
"""

from __future__ import annotations

import time
from pathlib import Path

import requests

from serving.bot_servers import BotServers, IntranetSite
from tests.e2e.browser import ChatWidget
from tests.e2e.fake_slack import button_click, message_event
from tests.e2e.logs import alarms_since, log_sizes
from tests.e2e.test_career_plan import button, texts

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


def server_logs(bot: BotServers, site: IntranetSite) -> list[Path]:
    return [bot.workdir / "rasa.log", bot.workdir / "actions.log", site.workdir / "site.log"]


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


def test_a_real_failure_logs_an_error_with_the_conversation_id_and_not_the_message(action_server_outage):
    logged, senders = action_server_outage["logged"], action_server_outage["senders"]
    errors = [line for line in logged.splitlines() if " ERROR " in line]

    assert any(senders["private"] in line for line in errors), logged
    assert all(any(sender in line for sender in senders.values()) for line in errors), logged
    said = [text for texts_of_one in action_server_outage["said"].values() for text in texts_of_one]
    assert not any(text in logged for text in said if text != "hi") and "Dana" not in logged


def test_a_day_of_normal_use_logs_no_error_and_no_traceback(bot, site, slack, fake_slack, browser):
    sizes = log_sizes(server_logs(bot, site))  # after start-up and the other tests' deliberate errors
    for person in range(3):
        questions_with_follow_ups_and_ratings(bot, f"quiet-{person}")
        a_plan_by_buttons_and_words(bot, f"quiet-plan-{person}")
    bot.say("/greet", "quiet-button")
    bot.say("tell me a joke", "quiet-small-talk")
    bot.say("x" * 3000, "quiet-long")  # over the limit: told so, nothing wrong

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

    assert alarms_since(sizes) == {"rasa.log": [], "actions.log": [], "site.log": []}
