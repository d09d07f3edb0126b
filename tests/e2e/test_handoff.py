"""Asking a person at the career development office, and the office's answer coming back.

The office's side runs on loopback: the fake Slack (its channel, where the office answers
in a request's thread), a real SMTP server and a webhook receiver (tests/e2e/office_desk.py).
"""

from __future__ import annotations

import re
import sqlite3
import subprocess
import time
import uuid
from contextlib import closing
from pathlib import Path

import pytest
from playwright.sync_api import expect

from handoff.store import sqlite_file
from serving import REPO_ROOT
from serving.processes import ACTIONS_PYTHON, server_env
from tests.e2e.browser import ChatWidget
from tests.e2e.fake_slack import OFFICE_CHANNEL, button_click, message_event, office_reply_event
from tests.e2e.office_desk import wait_for

NAME, PHONE = "Maria Lopez", "617-555-0199"
DECLINED = f"Hi, I'm {NAME}, call me on {PHONE}. Is the staff parking garage free at weekends?"
CONTACT = "maria.lopez@stmarys-hospital.org"
FROM_THE_OFFICE = "A person from the Career Development Office replied"


def buttons(replies: list[dict]) -> dict[str, str]:
    """Title -> payload of the buttons on the bot's last message."""
    return {button["title"]: button["payload"] for button in replies[-1].get("buttons", [])}


def office_posts(fake_slack, request_id: str):
    return lambda: fake_slack.posts(lambda p: p.get("channel") == OFFICE_CHANNEL and request_id in p["text"])


def request_id_in(text: str) -> str:
    return text.split("(request ")[1].split(")")[0]


def ask_a_person_after_a_decline(bot, sender: str) -> str:
    """Declined question -> "Ask a person" -> yes -> contact; returns the request id."""
    declined = bot.say(DECLINED, sender)
    assert "I don't have an answer to that in my guides" in declined[0]["text"]
    assert "Ask a person" in declined[0]["text"]

    consent = bot.say(buttons(declined)["Ask a person"], sender)
    assert "Shall I send it?" in consent[0]["text"]
    assert "Is the staff parking garage free at weekends?" in consent[0]["text"]
    assert NAME not in consent[0]["text"] and PHONE not in consent[0]["text"]

    contact = bot.say(buttons(consent)["Yes, send it"], sender)
    assert "How can they reach you" in contact[0]["text"]

    [sent] = bot.say(CONTACT, sender)
    assert "I've sent your question to the Career Development Office" in sent["text"]
    assert "Office hours: Monday to Friday, 09:00 to 17:00" in sent["text"] and CONTACT in sent["text"]
    return request_id_in(sent["text"])


def test_a_declined_question_reaches_the_office_masked_and_its_answer_comes_back(
    bot, sender, fake_slack, slack, office_inbox, office_webhook
):
    request_id = ask_a_person_after_a_decline(bot, sender)

    # Slack: one message in the office's channel, masked, with how to reach them.
    [post] = wait_for(office_posts(fake_slack, request_id), "request in the office's channel")
    assert "thread_ts" not in post and "Is the staff parking garage free at weekends?" in post["text"]
    assert NAME not in post["text"] and PHONE not in post["text"] and "[name]" in post["text"]
    assert CONTACT in post["text"] and sender in post["text"]
    # E-mail: to the office, the request id in the subject.
    [mail] = wait_for(lambda: office_inbox.about(request_id), "e-mail")
    body = mail.get_content()
    assert mail["To"] == "careers@hospital.example" and "Is the staff parking garage free" in body
    assert NAME not in body and PHONE not in body and CONTACT in body
    # Webhook: the documented JSON.
    [hook] = wait_for(lambda: office_webhook.about(sender), "webhook call")
    assert hook["type"] == "handoff.requested" and hook["request_id"] == request_id
    assert hook["contact"] == CONTACT and hook["channel"] == "rest"
    said = " ".join(turn["text"] for turn in hook["transcript"])
    assert "[name]" in said and "[phone]" in said and NAME not in said and PHONE not in said

    status = bot.say("did my question go through?", sender)
    assert f"Your request {request_id} reached the Career Development Office" in status[0]["text"]

    # The office answers in the thread; a REST conversation gets it with its next reply.
    reply = "Yes, the garage is free at weekends for staff with a badge."
    assert slack.post_event(office_reply_event(reply, thread_ts=post["posted_ts"])).status_code == 200
    time.sleep(1)
    replies = bot.say("thanks", sender)
    assert FROM_THE_OFFICE in replies[0]["text"] and reply in replies[0]["text"]
    assert "welcome" in replies[1]["text"].lower()
    assert not any(FROM_THE_OFFICE in r["text"] for r in bot.say("hello again", sender))
    stored = [
        e for e in bot.tracker(sender)["events"] if e["event"] == "bot" and FROM_THE_OFFICE in e["text"]
    ]
    assert len(stored) == 1 and stored[0]["data"]["custom"]["office"] == "Career Development Office"

    # A second request in the same conversation joins the first, in its Slack thread.
    asked = bot.say(
        "can someone from the careers office tell me if night shift pay counts for tuition?", sender
    )
    assert "Shall I send it?" in asked[0]["text"] and "night shift pay" in asked[0]["text"]
    contact = bot.say(buttons(asked)["Yes, send it"], sender)
    [joined] = bot.say(buttons(contact)["Skip"], sender)
    assert (
        f"added this to your earlier request to the Career Development Office (request {request_id})"
        in (joined["text"])
    )
    [threaded] = wait_for(
        lambda: fake_slack.posts(
            lambda p: p.get("thread_ts") == post["posted_ts"] and "night shift pay" in p["text"]
        ),
        "the second question in the request's thread",
    )
    assert threaded["channel"] == OFFICE_CHANNEL
    assert wait_for(
        lambda: [h for h in office_webhook.about(sender) if h["type"] == "handoff.question_added"], ""
    )


def test_nothing_is_sent_without_consent(bot, sender, fake_slack, office_inbox, office_webhook):
    asked = bot.say("can I talk to someone?", sender)
    assert "What would you like to ask the office?" in asked[0]["text"]
    consent = bot.say("whether the hospital pays for a project management course", sender)
    assert "Shall I send it?" in consent[0]["text"] and "project management course" in consent[0]["text"]

    who_sees = bot.say("wait, does my manager see this?", sender)
    assert (
        "It does not go to your manager" in who_sees[0]["text"] and "Shall I send it?" in who_sees[1]["text"]
    )
    [refused] = bot.say("no, don't", sender)

    assert "I haven't sent anything" in refused["text"]
    time.sleep(3)
    assert not office_webhook.about(sender)
    assert not fake_slack.posts(lambda p: p.get("channel") == OFFICE_CHANNEL and sender in p["text"])
    assert not [m for m in office_inbox.mails if sender in m.get_content()]
    # And the bot goes on as before.
    assert "Source:" in bot.say("Which certifications should a healthcare manager get?", sender)[0]["text"]


def test_after_a_thumbs_down_a_person_is_offered(bot, sender):
    [answer] = bot.say("Which certifications should a healthcare manager get?", sender)
    down = next(b["payload"] for b in answer["buttons"] if "Not helpful" in b["title"])
    bot.say(down, sender)

    thanked = bot.say("I wanted to know which one my hospital pays for", sender)

    assert "Ask a person" in buttons(thanked)
    consent = bot.say(buttons(thanked)["Ask a person"], sender)
    assert "Which certifications should a healthcare manager get?" in consent[0]["text"]
    assert "which one my hospital pays for" in consent[0]["text"]


def test_a_destination_that_is_down_gets_the_request_once_it_is_back_even_after_a_restart(
    action_server_outage, office_webhook
):
    # The request was made while the webhook was down, and the action server was killed
    # before the webhook came back (conftest's action_server_outage).
    sender = action_server_outage["senders"]["waiting"]
    [delayed] = action_server_outage["replies"]["waiting before"]
    assert "couldn't reach the Career Development Office just now" in delayed["text"]
    assert "your request is saved" in delayed["text"]

    [hook] = wait_for(lambda: office_webhook.about(sender), "the request, after the restart", timeout_s=120)
    assert "revenue cycle management" in hook["question"] and hook["request_id"] == request_id_in(
        delayed["text"]
    )


@pytest.fixture
def user() -> str:
    return f"U{uuid.uuid4().hex[:10].upper()}"


def test_a_slack_conversation_gets_the_offices_answer_in_its_thread_at_once(slack, fake_slack, user):
    event = message_event("can a careers advisor call me about tuition support for the MHA program?", user)
    channel, thread = event["event"]["channel"], event["event"]["ts"]
    in_thread = lambda p: p.get("channel") == channel and p.get("thread_ts") == thread  # noqa: E731

    slack.post_event(event)
    [consent] = fake_slack.wait_for_posts(in_thread)
    yes = next(b["value"] for b in consent["blocks"][-1]["elements"] if b["text"]["text"] == "Yes, send it")
    slack.post_interaction(
        button_click(yes, user, channel, message_ts=f"{time.time():.6f}", thread_ts=thread)
    )
    contact = fake_slack.wait_for_posts(in_thread, count=2)[-1]
    skip = next(b["value"] for b in contact["blocks"][-1]["elements"] if b["text"]["text"] == "Skip")
    slack.post_interaction(
        button_click(skip, user, channel, message_ts=f"{time.time():.6f}", thread_ts=thread)
    )
    sent = fake_slack.wait_for_posts(in_thread, count=3)[-1]
    request_id = request_id_in(sent["text"])
    [post] = wait_for(office_posts(fake_slack, request_id), "request in the office's channel")
    assert "via slack" in post["text"] and "tuition support for the MHA program" in post["text"]

    slack.post_event(
        office_reply_event("Yes: up to $5,250 a year. I'll call you on Monday.", post["posted_ts"])
    )

    answered = fake_slack.wait_for_posts(in_thread, count=4)[-1]
    assert FROM_THE_OFFICE in answered["text"].replace("*", "")
    assert "$5,250 a year" in answered["text"]


@pytest.mark.usefixtures("site")
def test_a_widget_gets_the_answer_at_once_and_one_that_came_while_it_was_closed_on_return(
    site, browser, fake_slack, slack
):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    try:
        page = context.new_page()
        chat = ChatWidget(page)
        page.goto(site.url + "/")
        chat.open()
        chat.wait_for_bot("hospital career advisor")
        chat.say("I'd like a person from the careers office to tell me if night shifts count as leadership")
        chat.wait_for_bot("Shall I send it?")
        chat.quick_replies.filter(has_text="Yes, send it").click()
        chat.wait_for_bot("How can they reach you")
        chat.quick_replies.filter(has_text="Skip").click()
        chat.wait_for_bot("I've sent your question")
        session = chat.session_id()
        [post] = wait_for(
            lambda: fake_slack.posts(lambda p: p.get("channel") == OFFICE_CHANNEL and session in p["text"]),
            "request in the office's channel",
        )

        slack.post_event(
            office_reply_event("Charge nurse shifts count; plain night shifts don't.", post["posted_ts"])
        )
        chat.wait_for_bot("Charge nurse shifts count")
        expect(
            page.locator(".rw-response", has_text="A person from the Career Development Office")
        ).to_be_visible()

        page.close()  # they leave; the office answers again meanwhile
        time.sleep(1)
        slack.post_event(office_reply_event("PS: the leadership course starts in March.", post["posted_ts"]))
        time.sleep(2)

        page = context.new_page()
        chat = ChatWidget(page)
        page.goto(site.url + "/")
        chat.open()
        chat.wait_for_bot("the leadership course starts in March")
        assert chat.session_id() == session
    finally:
        context.close()


def test_make_report_counts_the_requests_their_answers_and_the_time_to_answer(
    bot, knowledge_config, tmp_path, sender, fake_slack, slack
):
    # One request of its own, answered by the office; the report must count it with every
    # other request in the shared bot's hand-off store, as the store itself counts them.
    request_id = ask_a_person_after_a_decline(bot, sender)
    [post] = wait_for(office_posts(fake_slack, request_id), "request in the office's channel")
    slack.post_event(office_reply_event("Yes, for staff with a badge.", thread_ts=post["posted_ts"]))
    store = sqlite_file(bot.action_env["HANDOFF_STORE_URL"])
    wait_for(lambda: answered_requests(store) >= {request_id}, "the office's answer in the hand-off store")
    with closing(sqlite3.connect(store)) as db:
        [(in_store,)] = db.execute("SELECT COUNT(*) FROM handoff_requests")
    answered_in_store = len(answered_requests(store))

    # The conversation store here is a new, empty one: the counts come from the hand-off
    # store alone, and with no questions to group the report loads no embedding model.
    result = subprocess.run(
        [str(ACTIONS_PYTHON), "-m", "learning_from_use", "report", "--out", str(tmp_path),
         "--store", f"sqlite:///{tmp_path / 'no-conversations-yet.db'}",
         "--handoff-store", bot.action_env["HANDOFF_STORE_URL"]],
        env=server_env({"ADVISOR_RETRIEVAL_CONFIG": str(knowledge_config)}), cwd=REPO_ROOT,
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip

    assert result.returncode == 0, result.stdout + result.stderr
    assert f"{in_store} requests for a person ({answered_in_store} answered)" in result.stdout
    page = (tmp_path / "index.html").read_text()
    section = re.search(r'<ul class="summary" id="handoffs">(.*?)</ul>', page, re.S)
    numbers = re.findall(r"<strong>([^<]+)</strong>", section.group(1))
    assert numbers[:2] == [str(in_store), str(answered_in_store)] and float(numbers[2]) >= 0


def answered_requests(store: Path) -> set[str]:
    """Ids of the requests the office has replied to, read straight from the hand-off store."""
    with closing(sqlite3.connect(store)) as db:
        replies = db.execute("SELECT DISTINCT request_id FROM handoff_messages WHERE kind = 'reply'")
        return {request_id for (request_id,) in replies}
