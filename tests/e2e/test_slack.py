"""Slack through Rasa's Slack connector: signed Events API requests in, Web API calls out to a fake Slack."""

from __future__ import annotations

import time
import uuid

import pytest
import yaml

from tests import REPO_ROOT
from tests.e2e.conftest import SLACK_TOKEN
from tests.e2e.conversations import user_texts
from tests.e2e.fake_slack import button_click, message_event

QUESTION = "Which certifications should a healthcare manager get?"


@pytest.fixture
def user() -> str:
    return f"U{uuid.uuid4().hex[:10].upper()}"


def in_thread(channel: str, thread_ts: str):
    return lambda post: post.get("channel") == channel and post.get("thread_ts") == thread_ts


def said(bot, event: dict) -> list[str]:
    """What the conversation of an event's thread holds from its user."""
    return user_texts(bot.tracker(conversation_of(event))["events"])


def assert_said(bot, event: dict, expected: list[str], timeout_s: float = 20) -> None:
    """The thread's conversation comes to hold `expected`: Slack's replies go out before
    Rasa saves the turn, so the store may lag the fake Slack by a moment."""
    deadline = time.monotonic() + timeout_s
    while said(bot, event) != expected and time.monotonic() < deadline:
        time.sleep(0.3)
    assert said(bot, event) == expected


def wait_out(slack, fake_slack, question: str = QUESTION) -> None:
    """Returns once the bot has answered a fresh message, sent after the events under test,
    that asks as much of it as they would. Rasa starts on Slack events in the order they
    arrive, so a reply that must not come would be out by then (the grace covers two
    finishing together)."""
    fence = message_event(question, f"UFENCE{uuid.uuid4().hex[:6].upper()}")
    slack.post_event(fence)
    fake_slack.wait_for_posts(in_thread(fence["event"]["channel"], fence["event"]["ts"]))
    time.sleep(0.5)


def conversation_of(event: dict) -> str:
    """Rasa's conversation id for a Slack thread: user, channel and the thread's first message."""
    message = event["event"]
    return f"{message['user']}_{message['channel']}_{message.get('thread_ts', message['ts'])}"


def test_a_question_is_answered_in_its_thread_with_the_source_and_buttons(slack, fake_slack, user):
    event = message_event(QUESTION, user)

    accepted = slack.post_event(event)

    assert accepted.status_code == 200
    (post,) = fake_slack.wait_for_posts(in_thread(event["event"]["channel"], event["event"]["ts"]))
    assert post["authorization"] == f"Bearer {SLACK_TOKEN}"
    text = post["blocks"][0]["text"]
    assert text["type"] == "mrkdwn" and "*voluntary*" in text["text"]
    guide = yaml.safe_load((REPO_ROOT / "knowledge/sources.yml").read_text())["health-services-manager"][
        "title"
    ]
    assert f"_Source: {guide} — " in text["text"] and "(<https://www.ache.org/|ache.org>)" in text["text"]
    buttons = post["blocks"][1]["elements"]
    assert post["blocks"][1]["type"] == "actions" and any("CPHQ" in b["text"]["text"] for b in buttons)
    assert all(b["value"].startswith("/ask_question") for b in buttons[:-2])
    assert [b["text"]["text"] for b in buttons[-2:]] == ["👍 Helpful", "👎 Not helpful"]


def test_a_message_inside_a_thread_is_answered_in_that_thread(slack, fake_slack, user):
    event = message_event(
        "what does a healthcare administrator do all day", user, thread_ts="1700000000.000100"
    )

    slack.post_event(event)

    (post,) = fake_slack.wait_for_posts(in_thread(event["event"]["channel"], "1700000000.000100"))
    assert "Source:" in post["text"]


def test_a_button_click_is_answered_in_the_same_thread(slack, fake_slack, user):
    event = message_event(QUESTION, user)
    slack.post_event(event)
    channel, ts = event["event"]["channel"], event["event"]["ts"]
    (answer,) = fake_slack.wait_for_posts(in_thread(channel, ts))
    cphq = next(b for b in answer["blocks"][1]["elements"] if "CPHQ" in b["text"]["text"])

    clicked = slack.post_interaction(
        button_click(cphq["value"], user, channel, message_ts=f"{time.time():.6f}", thread_ts=ts)
    )

    assert clicked.status_code == 200
    posts = fake_slack.wait_for_posts(in_thread(channel, ts), count=2)
    assert "CPHQ" in posts[1]["text"] and "Source:" in posts[1]["text"]


RETRY_REASONS = ["http_timeout", "http_error", "connection_failed", "too_many_requests", "unknown_error"]


def retry_headers(number: int, reason: str) -> dict[str, str]:
    return {"X-Slack-Retry-Num": str(number), "X-Slack-Retry-Reason": reason}


def test_slack_retries_of_an_answered_event_are_not_answered_again(slack, fake_slack, bot, user):
    event = message_event("hello", user)
    thread = in_thread(event["event"]["channel"], event["event"]["ts"])
    slack.post_event(event)
    fake_slack.wait_for_posts(thread)

    for number, reason in enumerate(RETRY_REASONS, start=1):
        retry = slack.post_event(event, headers=retry_headers(number, reason))
        assert retry.status_code == 200
    wait_out(slack, fake_slack, "hello")

    assert len(fake_slack.posts(thread)) == 1
    assert_said(bot, event, ["hello"])


@pytest.mark.parametrize("reason", RETRY_REASONS)
def test_a_retry_of_an_event_that_never_arrived_is_answered_once(slack, fake_slack, bot, user, reason):
    event = message_event("what does a health services manager do?", user)
    thread = in_thread(event["event"]["channel"], event["event"]["ts"])

    slack.post_event(event, headers=retry_headers(1, reason))
    slack.post_event(event, headers=retry_headers(2, reason))

    (answer,) = fake_slack.wait_for_posts(thread)
    wait_out(slack, fake_slack, "what does a health services manager do?")
    assert "Source:" in answer["text"] and len(fake_slack.posts(thread)) == 1
    assert_said(bot, event, ["what does a health services manager do?"])


def test_two_threads_of_one_person_are_two_conversations(slack, fake_slack, bot, user):
    planning = message_event("I'd like a career plan please", user)
    slack.post_event(planning)
    plan_thread = in_thread(planning["event"]["channel"], planning["event"]["ts"])
    fake_slack.wait_for_posts(lambda post: plan_thread(post) and "current role" in post["text"])

    elsewhere = message_event("registered nurse", user)
    slack.post_event(elsewhere)
    other_thread = in_thread(elsewhere["event"]["channel"], elsewhere["event"]["ts"])
    replies = fake_slack.wait_for_posts(other_thread)
    wait_out(slack, fake_slack, "registered nurse")
    assert not any("highest education" in post["text"] for post in fake_slack.posts(other_thread)), replies

    answer = message_event("registered nurse", user, thread_ts=planning["event"]["ts"])
    slack.post_event(answer)
    fake_slack.wait_for_posts(lambda post: plan_thread(post) and "highest education" in post["text"])
    assert_said(bot, planning, ["I'd like a career plan please", "registered nurse"])
    assert_said(bot, elsewhere, ["registered nurse"])


def ignored_events(user: str) -> dict[str, dict]:
    """Events API callbacks that are not a person's new message, as Slack sends them."""
    plain = message_event("what does a unit coordinator do?", user)["event"]
    edited = {
        "type": "message", "subtype": "message_changed", "channel": plain["channel"], "hidden": True,
        "ts": plain["ts"], "message": {**plain, "text": "what does a practice manager do?", "edited": {}},
        "previous_message": plain,
    }  # fmt: skip
    deleted = {
        "type": "message", "subtype": "message_deleted", "channel": plain["channel"], "hidden": True,
        "ts": plain["ts"], "deleted_ts": plain["ts"], "previous_message": plain,
    }  # fmt: skip
    file_share = {**plain, "subtype": "file_share", "text": "here is my CV", "files": [{"id": "F1"}]}
    own = {**plain, "user": "U0ADVISORBOT", "bot_id": "B0ADVISOR", "text": "Hi! I'm the career advisor."}
    own_without_bot_id = {**plain, "user": "U0ADVISORBOT", "text": "Thanks for letting me know!"}
    other_bot = {
        **plain, "subtype": "bot_message", "bot_id": "B0PAGER", "username": "pager",
        "text": "what does a unit coordinator do?",
    }  # fmt: skip
    other_bot.pop("user")
    events = {
        "edit": edited, "deletion": deleted, "file share": file_share, "own message": own,
        "own message without bot id": own_without_bot_id, "other bot": other_bot,
    }  # fmt: skip
    return {name: {**message_event("", user), "event": event} for name, event in events.items()}


def test_edits_deletions_file_shares_and_bot_messages_are_ignored(slack, fake_slack, bot, user):
    events = ignored_events(user)

    for event in events.values():
        assert slack.post_event(event).status_code == 200
    wait_out(slack, fake_slack, "what does a unit coordinator do?")

    channel = next(iter(events.values()))["event"]["channel"]
    assert fake_slack.posts(lambda post: post.get("channel") == channel and user in str(post)) == []
    for name, event in events.items():
        conversation = conversation_of({"event": {"user": user, **event["event"]}})
        assert user_texts(bot.tracker(conversation)["events"]) == [], name


def test_an_answer_with_more_than_five_buttons_shows_them_all(slack, fake_slack, user):
    event = message_event("what can you do for me?", user)

    slack.post_event(event)

    (post,) = fake_slack.wait_for_posts(in_thread(event["event"]["channel"], event["event"]["ts"]))
    buttons = [
        element for block in post["blocks"] if block["type"] == "actions" for element in block["elements"]
    ]
    assert len(buttons) == 8
    assert [b["text"]["text"] for b in buttons][:2] == ["Qualifications", "Certifications"]


@pytest.mark.parametrize(
    "forgery",
    [
        {"secret": "not-the-signing-secret"},
        {"timestamp": int(time.time()) - 10 * 60},  # a replay of a request signed ten minutes ago
    ],
    ids=["bad-signature", "stale-timestamp"],
)
def test_a_badly_signed_or_stale_request_is_rejected_and_nothing_is_processed(
    slack, fake_slack, bot, user, forgery
):
    event = message_event(QUESTION, user)

    rejected = slack.post_event(event, **forgery)
    wait_out(slack, fake_slack)

    assert rejected.status_code == 400
    assert fake_slack.posts(lambda post: post.get("thread_ts") == event["event"]["ts"]) == []
    assert_said(bot, event, [])


def test_slack_url_verification_is_answered_with_the_challenge(slack):
    answer = slack.post_event({"type": "url_verification", "token": "t", "challenge": "challenge-123"})

    assert answer.status_code == 200 and answer.json() == "challenge-123"
