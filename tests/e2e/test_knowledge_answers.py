"""Questions in people's own words, answered over REST from the real index with the real model."""

from __future__ import annotations

import json
import re

import pytest

from retrieval.knowledge_entries import load_entries
from tests import REPO_ROOT
from tests.e2e.conftest import retrieval_cli

ENTRIES = {entry.id: entry for entry in load_entries([REPO_ROOT / "knowledge"])}
ASK_BUTTON = re.compile(r'^/ask_question\{"entry_id": "([a-z0-9-]+)"\}$')
NO_ANSWER = "I don't have an answer to that in my guides"
CONTACT = "the Career Development Office, extension 4321"


def entry_of(payload: str) -> str:
    match = ASK_BUTTON.match(payload)
    assert match, payload
    return match.group(1)


@pytest.mark.parametrize(
    ("question", "facts", "guide"),
    [
        (
            "do I really need a master's to become a manager?",
            ["without a master's", "many employers prefer"],
            "Back-Office",
        ),
        (
            "what is FACHE and how do I get it",
            ["Fellow of the American College of Healthcare Executives", "(https://www.ache.org/)"],
            "Health Services Manager",
        ),
        (
            "whats the difference between healthcare management and administration",
            ["daily operations", "strategic"],
            "What Is Healthcare Management?",
        ),
        (
            "is there much demand for healthcare managers",
            ["Bureau of Labor Statistics", "(https://www.bls.gov/)"],
            "Health Services Manager",
        ),
        (
            "how can i get leadership experience from a billing job",
            ["lead a small project", "train new"],
            "Back-Office",
        ),
    ],
)
def test_answers_carry_the_facts_their_source_and_follow_ups(bot, sender, question, facts, guide):
    [reply] = bot.say(question, sender)

    assert [fact for fact in facts if fact not in reply["text"]] == []
    assert re.search(rf"\n\n_Source: .*{re.escape(guide)}.* — .+_$", reply["text"]), reply["text"]
    *follow_ups, helpful, not_helpful = reply["buttons"]
    assert 2 <= len(follow_ups) <= 3
    assert all(entry_of(button["payload"]) in ENTRIES for button in follow_ups)
    assert helpful["payload"].startswith("/rate_helpful") and not_helpful["payload"].startswith(
        "/rate_not_helpful"
    )


def test_a_follow_up_button_answers_the_entry_it_names(bot, sender):
    [first] = bot.say("how do I find a mentor at my hospital?", sender)
    button = first["buttons"][0]

    [answer] = bot.say(button["payload"], sender)

    entry = ENTRIES[entry_of(button["payload"])]
    assert button["title"] == entry.questions[0]
    assert answer["text"].startswith(entry.body[:60])


def test_a_doubtful_question_offers_did_you_mean_and_each_choice_leads_somewhere(bot, sender):
    [reply] = bot.say("credential exam", sender)
    titles = [button["title"] for button in reply["buttons"]]

    assert reply["text"] == "I'm not sure I understood. Did you mean one of these?"
    assert titles[-1] == "None of these" and 3 <= len(titles) <= 4
    suggested = [entry_of(button["payload"]) for button in reply["buttons"][:-1]]
    assert "hsm-certifications" in suggested

    [answer] = bot.say(reply["buttons"][suggested.index("hsm-certifications")]["payload"], sender)
    assert "Certified Medical Manager" in answer["text"] and "_Source: " in answer["text"]

    declined = bot.say(reply["buttons"][-1]["payload"], sender)
    assert NO_ANSWER in declined[0]["text"] and CONTACT in declined[0]["text"]
    assert declined[1]["buttons"][0]["title"] == "Qualifications"


@pytest.mark.parametrize(
    "question",
    [
        "how do I bake sourdough bread",
        "what dose of ibuprofen can I take for a headache",
        "who won the football game last night",
        "how do i fix a leaking kitchen tap",
    ],
)
def test_out_of_domain_questions_are_declined_without_a_made_up_answer(bot, sender, question):
    replies = bot.say(question, sender)

    assert "_Source: " not in json.dumps(replies)
    assert "Did you mean" not in replies[0]["text"]
    assert NO_ANSWER in replies[0]["text"] and CONTACT in replies[0]["text"]
    assert replies[-1]["buttons"][0]["title"] == "Qualifications"


def test_a_rebuilt_index_is_used_by_the_running_action_server(bot, sender, knowledge_config, tmp_path):
    page = tmp_path / "locker-policy.html"
    page.write_text(
        "<html><head><title>Staff Locker Policy</title></head><body><nav>Home | HR</nav>"
        "<h1>Staff Locker Policy</h1><p>Lockers for night-shift clerks are in the basement of building C, "
        "and the facilities desk hands out the keys against a signed form.</p></body></html>"
    )
    question = "where are the lockers for night-shift clerks"
    try:
        retrieval_cli(knowledge_config, "ingest", str(page))
        retrieval_cli(knowledge_config, "build")

        [answer] = bot.say(question, sender)

        assert "basement of building C" in answer["text"]
        assert "_Source: Staff Locker Policy — locker-policy.html_" in answer["text"]
    finally:
        ingested = next(knowledge_config.parent.glob("ingested/doc-locker-policy.md"), None)
        if ingested:
            ingested.unlink()
        retrieval_cli(knowledge_config, "build")
    assert "basement of building C" not in json.dumps(bot.say(question, sender))


def test_a_missing_index_gives_a_clear_message_naming_the_fix(action_server_misconfigured):
    [reply] = action_server_misconfigured["replies"]["asks during"]
    conversations = [f"[conversation {sender}]" for sender in action_server_misconfigured["senders"].values()]
    errors = [line for line in action_server_misconfigured["logged"].splitlines() if " ERROR " in line]

    assert "my knowledge base is not available" in reply["text"]
    assert any(conversations[0] in line for line in errors), errors
    assert all(any(conversation in line for conversation in conversations) for line in errors), errors
    assert not any("certifications" in line for line in errors)
    assert "run `make index`" in reply["text"]
    assert "_Source: " in action_server_misconfigured["replies"]["asks after"][0]["text"]
