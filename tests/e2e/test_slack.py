"""Slack through Rasa's Slack connector: signed Events API requests in, Web API calls out to a fake Slack."""

from __future__ import annotations

import time
import uuid

import pytest
import yaml

from tests import REPO_ROOT
from tests.e2e.conftest import SLACK_TOKEN
from tests.e2e.fake_slack import button_click, message_event
from tests.e2e.servers import user_texts

QUESTION = "Which certifications should a healthcare manager get?"
# How long to watch for a reply that must not come; the real ones arrive in about a second.
QUIET_S = 8


@pytest.fixture
def user() -> str:
    return f"U{uuid.uuid4().hex[:10].upper()}"


def in_thread(channel: str, thread_ts: str):
    return lambda post: post.get("channel") == channel and post.get("thread_ts") == thread_ts


def said(bot, sender: str) -> list[str]:
    return user_texts(bot.tracker(sender)["events"])


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


def test_slack_retries_of_an_answered_event_are_not_answered_again(slack, fake_slack, bot, user):
    event = message_event("hello", user)
    thread = in_thread(event["event"]["channel"], event["event"]["ts"])
    slack.post_event(event)
    fake_slack.wait_for_posts(thread)

    for number, reason in [(1, "http_error"), (2, "connection_failed"), (3, "http_timeout")]:
        retry = slack.post_event(
            event, headers={"X-Slack-Retry-Num": str(number), "X-Slack-Retry-Reason": reason}
        )
        assert retry.status_code in (200, 201)
    time.sleep(QUIET_S)

    assert len(fake_slack.posts(thread)) == 1
    assert said(bot, user) == ["hello"]


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
    time.sleep(QUIET_S)

    assert rejected.status_code == 400
    assert fake_slack.posts(lambda post: post.get("thread_ts") == event["event"]["ts"]) == []
    assert said(bot, user) == []


def test_slack_url_verification_is_answered_with_the_challenge(slack):
    answer = slack.post_event({"type": "url_verification", "token": "t", "challenge": "challenge-123"})

    assert answer.status_code == 200 and answer.json() == "challenge-123"
