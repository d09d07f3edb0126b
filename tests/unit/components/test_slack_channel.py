"""The Slack channel's own additions to Rasa's connector: configuration, markup, buttons, retries."""

from __future__ import annotations

import pytest

from components.slack_channel import (
    DEFAULT_API_URL,
    SlackChannel,
    SlackConfigError,
    SlackOff,
    SlackReplies,
    button_blocks,
    section_blocks,
    to_mrkdwn,
)


@pytest.fixture
def slack_env(monkeypatch):
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-test")
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "shh")
    monkeypatch.delenv("SLACK_API_URL", raising=False)


def test_slack_is_off_when_neither_variable_is_set(monkeypatch):
    monkeypatch.delenv("SLACK_BOT_TOKEN", raising=False)
    monkeypatch.delenv("SLACK_SIGNING_SECRET", raising=False)

    assert isinstance(SlackChannel.from_credentials({"use_threads": True}), SlackOff)


@pytest.mark.parametrize("only", ["SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET"])
def test_half_a_configuration_is_refused_naming_what_is_missing(monkeypatch, only):
    monkeypatch.delenv("SLACK_BOT_TOKEN", raising=False)
    monkeypatch.delenv("SLACK_SIGNING_SECRET", raising=False)
    monkeypatch.setenv(only, "value")
    missing = ({"SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET"} - {only}).pop()

    with pytest.raises(SlackConfigError, match=f"{missing} is not set"):
        SlackChannel.from_credentials({})


def test_secrets_come_from_the_environment_and_threads_are_on(slack_env, monkeypatch):
    channel = SlackChannel.from_credentials({"use_threads": True})

    assert channel.slack_token == "xoxb-test" and channel.slack_signing_secret == "shh"
    assert channel.use_threads and channel.api_url == DEFAULT_API_URL
    monkeypatch.setenv("SLACK_API_URL", "http://127.0.0.1:9/api/")
    replies = SlackChannel.from_credentials({}).get_output_channel("D1", "123.45")
    assert isinstance(replies, SlackReplies)
    assert (replies.client.base_url, replies.slack_channel, replies.thread_id) == (
        "http://127.0.0.1:9/api/",
        "D1",
        "123.45",
    )


def test_each_event_is_answered_once_however_often_slack_sends_it(slack_env):
    channel = SlackChannel.from_credentials({})

    assert channel.first_delivery("Ev1") is True
    assert channel.first_delivery("Ev1") is False
    assert channel.first_delivery("Ev2") is True
    assert channel.first_delivery(None) is True and channel.first_delivery(None) is True


def test_markdown_becomes_slack_markup_with_special_characters_escaped():
    text = "Get **certified** & see [ACHE](https://www.ache.org/).\n\n_Source: A <guide> — Step 4_"

    assert (
        to_mrkdwn(text)
        == "Get *certified* &amp; see <https://www.ache.org/|ACHE>.\n\n_Source: A &lt;guide&gt; — Step 4_"
    )


def test_buttons_become_action_blocks_of_at_most_25_with_their_payloads():
    buttons = [{"title": f"Topic {i}" + "x" * 80, "payload": f"/ask_{i}"} for i in range(30)]

    blocks = button_blocks(buttons)

    assert [len(block["elements"]) for block in blocks] == [25, 5]
    first = blocks[0]["elements"][0]
    assert first["type"] == "button" and first["value"] == "/ask_0" and len(first["text"]["text"]) == 75


def test_a_long_text_is_split_between_lines_into_sections_slack_accepts():
    lines = [f"{number}. step {number} " + "x" * 150 for number in range(1, 41)]  # a long plan
    text = "\n".join(lines)

    blocks = section_blocks(text)

    assert len(blocks) == 3 and all(len(block["text"]["text"]) <= 3000 for block in blocks)
    assert "\n".join(block["text"]["text"] for block in blocks) == text
    assert section_blocks("short") == [{"type": "section", "text": {"type": "mrkdwn", "text": "short"}}]
    assert [len(block["text"]["text"]) for block in section_blocks("y" * 7000)] == [3000, 3000, 1000]


def callback(**event) -> dict:
    message = {"type": "message", "channel": "D1", "user": "U1", "text": "hello", "ts": "1.1", **event}
    return {"authorizations": [{"user_id": "U0BOT", "is_bot": True}], "event": message}


@pytest.mark.parametrize(
    "event",
    [
        {"subtype": "message_changed", "text": None, "message": {"text": "edited"}},
        {"subtype": "message_deleted", "text": None},
        {"subtype": "file_share", "text": "my CV"},
        {"subtype": "channel_join", "text": "<@U1> has joined the channel"},
        {"subtype": "bot_message", "user": None, "bot_id": "B1"},
        {"bot_id": "B0BOT", "user": "U0BOT"},
        {"user": "U0BOT"},
        {"bot_profile": {"name": "pager"}},
        {"type": "reaction_added"},
        {"text": ""},
    ],
    ids=["edit", "deletion", "file-share", "join", "other-bot", "own", "own-without-bot-id",
         "bot-profile", "reaction", "empty"],
)  # fmt: skip
def test_only_a_persons_new_message_is_read(event):
    assert SlackChannel._is_user_message(callback(**event)) is False


def test_a_persons_message_a_mention_and_a_reply_also_sent_to_the_channel_are_read():
    assert SlackChannel._is_user_message(callback())
    assert SlackChannel._is_user_message(callback(type="app_mention", text="<@U0BOT> hi"))
    assert SlackChannel._is_user_message(callback(subtype="thread_broadcast", thread_ts="1.0"))


def test_each_thread_is_a_conversation_and_no_retry_is_dropped_unread(slack_env):
    channel = SlackChannel.from_credentials({})

    assert channel.conversation_granularity == "thread"
    assert channel._get_conversation_id("U1", "D1", "1.1") == "U1_D1_1.1"
    assert "http_timeout" not in channel.errors_ignore_retry
