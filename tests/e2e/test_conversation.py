"""Talks to the real Rasa server and action server over the REST channel."""

from __future__ import annotations

import pytest

from tests.e2e.conversations import user_texts

TOPIC_BUTTONS = [
    "Qualifications",
    "Certifications",
    "Skills",
    "Networking",
    "First management roles",
    "Career paths",
    "What the job involves",
    "Gaining experience",
]
REPHRASE = "Could you say it another way?"
NO_ANSWER = "I don't have an answer to that in my guides"


def texts(replies: list[dict]) -> list[str]:
    return [reply.get("text", "") for reply in replies]


def test_greeting_introduces_the_bot(bot, sender):
    [reply] = bot.say("good morning!", sender)

    assert "hospital career advisor" in reply["text"]


def test_help_shows_a_menu_of_topic_buttons(bot, sender):
    [reply] = bot.say("what can you do for me?", sender)

    assert [button["title"] for button in reply["buttons"]] == TOPIC_BUTTONS


def test_a_menu_button_gets_an_answer_from_the_knowledge_base(bot, sender):
    [reply] = bot.say("/ask_first_roles", sender)

    assert "unit coordinator" in reply["text"]
    assert "_Source: " in reply["text"]


def test_asking_if_it_is_a_bot_gets_an_honest_yes(bot, sender):
    [reply] = bot.say("wait, am I chatting with an actual person?", sender)

    assert reply["text"].startswith("Yes, I'm a bot")


def test_thanks_and_goodbye(bot, sender):
    assert "You're welcome" in texts(bot.say("thanks so much", sender))[0]
    assert "Goodbye" in texts(bot.say("bye, see you", sender))[0]


def test_out_of_scope_is_declined_with_a_contact_and_the_menu_offered(bot, sender):
    replies = bot.say("can you order lunch to ward 5?", sender)

    assert NO_ANSWER in replies[0]["text"] and "Career Development Office" in replies[0]["text"]
    # The test bot sends requests to the office (tests/e2e/test_handoff.py): a person is offered.
    assert [button["title"] for button in replies[1]["buttons"]] == [*TOPIC_BUTTONS, "Ask a person"]


def test_gibberish_gets_an_honest_no_answer_and_the_menu(bot, sender):
    replies = bot.say("qwpoeiru zxmcnv lkajsdf", sender)

    assert NO_ANSWER in replies[0]["text"]
    assert [button["title"] for button in replies[1]["buttons"]] == [*TOPIC_BUTTONS, "Ask a person"]


# An empty or blank message is refused before the bot sees it (tests/e2e/test_bad_requests.py).
@pytest.mark.parametrize("message", ["😀🎉👍", "?!..."], ids=["emoji only", "punctuation only"])
def test_messages_without_words_get_the_rephrase_prompt(bot, sender, message):
    [reply] = bot.say(message, sender)

    assert REPHRASE in reply["text"]
    assert "English only" in reply["text"]


@pytest.mark.parametrize(
    "message",
    [
        "¿Qué estudios necesito para ser gerente de hospital?",
        "Wie werde ich Stationsleitung im Krankenhaus?",
        "如何成为医院管理者？",  # noqa: RUF001 (the full-width mark is the point)
    ],
    ids=["Spanish", "German", "Chinese"],
)
def test_another_language_gets_one_of_the_bots_own_replies(bot, sender, message, is_bot_response):
    # English-only NLU may read shared words ("hospital") as a topic, or ask to rephrase;
    # either way the user gets a whole message of the bot's own, never an error or silence.
    replies = bot.say(message, sender)

    assert replies
    assert all(is_bot_response(reply["text"]) for reply in replies)


def test_a_20000_character_message_gets_a_reply(bot, sender, is_bot_response):
    message = ("I am a ward clerk and I want to become a manager one day. " * 400)[:20_000]

    replies = bot.say(message, sender)

    assert len(message) == 20_000
    assert replies and all(is_bot_response(reply["text"]) for reply in replies)


def test_script_text_is_answered_and_not_echoed(bot, sender, is_bot_response):
    replies = bot.say("<script>alert('hi')</script>", sender)

    assert not is_bot_response("<script>alert('hi')</script>")
    assert replies
    assert all(is_bot_response(reply["text"]) for reply in replies)


def test_bad_input_does_not_break_the_conversation(bot, sender):
    for message in ["😀", "x" * 20_000, "<script>alert(1)</script>", "Wie werde ich Stationsleitung?"]:
        bot.say(message, sender)

    [reply] = bot.say("hello", sender)

    assert "hospital career advisor" in reply["text"]


def test_a_long_sitting_goes_on_in_a_new_session_that_keeps_the_last_answer(bot, sender):
    """After 25 messages the next self-contained one opens a new session (actions/understand.py),
    so a turn never replays the whole sitting; the last answer can still be rated."""
    questions = ["what does a unit coordinator do?", "which certifications help?", "what degree do I need?"]
    for turn in range(25):
        replies = bot.say(questions[turn % 3], sender)
    last_answer = replies[0]
    helpful = next(b["payload"] for b in last_answer["buttons"] if b["title"].startswith("👍"))

    assert texts(bot.say("thanks a lot", sender))[0].startswith("You're welcome!")
    assert texts(bot.say(helpful, sender)) == ["Thanks for letting me know!"]

    events = bot.tracker(sender)["events"]  # every session of the conversation
    last_start = max(i for i, event in enumerate(events) if event["event"] == "session_started")
    assert user_texts(events[last_start:]) == ["thanks a lot", helpful]
    assert len(user_texts(events[:last_start])) == 25
