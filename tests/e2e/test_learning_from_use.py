"""Ratings and unanswered questions from real conversations (REST, Slack, the widget), kept in
the real tracker store, and the report `make report` writes from it, opened in Chromium."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest
import yaml
from playwright.sync_api import expect

from serving import REPO_ROOT
from serving.processes import ACTIONS_PYTHON, server_env, wait_for
from tests.e2e.browser import ChatWidget
from tests.e2e.conftest import seed_embedding_cache
from tests.e2e.fake_slack import button_click, message_event

QUESTION = "Which certifications should a healthcare manager get?"
RATINGS = ["👍 Helpful", "👎 Not helpful"]
NAME, EMAIL, PHONE = "Maria Lopez", "maria.lopez@stmarys-hospital.org", "617-555-0199"
DECLINED = f"Hi, I'm {NAME}, call me on {PHONE}: what is on the cafeteria lunch menu today?"
COMMENT = f"I wanted what the CPHQ exam costs, my email is {EMAIL}"


def slot_values(bot, sender: str, slot: str) -> list[dict]:
    return [e["value"] for e in bot.tracker(sender)["events"] if e["event"] == "slot" and e["name"] == slot]


def actions_run(bot, sender: str) -> list[str]:
    return [e["name"] for e in bot.tracker(sender)["events"] if e["event"] == "action"]


def rating_button(replies: list[dict], title: str) -> str:
    [answer] = replies
    return next(b["payload"] for b in answer["buttons"] if title in b["title"])


def make_report(knowledge_config: Path, store: str, out: Path) -> str:
    """`make report`'s command, on the given store."""
    result = subprocess.run(
        [str(ACTIONS_PYTHON), "-m", "learning_from_use", "report", "--store", store, "--out", str(out)],
        env=server_env({"ADVISOR_RETRIEVAL_CONFIG": str(knowledge_config)}), cwd=REPO_ROOT,
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


@pytest.fixture(scope="module")
def rated_conversations(bot) -> dict:
    """Three people over REST: 👍 on an answer; 👎 on it with what they wanted; a declined question."""
    stamp = f"{time.time_ns()}"
    happy, unhappy, lost = f"happy-{stamp}", f"unhappy-{stamp}", f"lost-{stamp}"
    answer = bot.say(QUESTION, happy)
    thanks = bot.say(rating_button(answer, "👍"), happy)
    answer_again = bot.say(QUESTION, unhappy)
    asked = bot.say(rating_button(answer_again, "👎"), unhappy)
    comment_thanks = bot.say(COMMENT, unhappy)
    declined = bot.say(DECLINED, lost)
    return {
        "senders": (happy, unhappy, lost),
        "answer": answer, "thanks": thanks, "asked": asked,
        "comment_thanks": comment_thanks, "declined": declined,
    }  # fmt: skip


def test_every_knowledge_answer_can_be_rated_with_thumbs_up_and_down(rated_conversations):
    [answer] = rated_conversations["answer"]

    assert "Source:" in answer["text"]
    *follow_ups, helpful, not_helpful = answer["buttons"]
    assert [helpful["title"], not_helpful["title"]] == RATINGS
    assert follow_ups and all(b["payload"].startswith("/ask_question") for b in follow_ups)
    assert [r["text"] for r in rated_conversations["thanks"]] == ["Thanks for letting me know!"]


def test_a_thumbs_down_asks_what_they_were_looking_for_and_keeps_it_masked(bot, rated_conversations):
    [question] = rated_conversations["asked"]
    assert question["text"].startswith("Sorry that didn't help. What were you looking for?")
    assert [b["title"] for b in question["buttons"]] == ["Skip"]
    assert rated_conversations["comment_thanks"][0]["text"].startswith("Thank you, I've passed that on.")

    _, unhappy, _ = rated_conversations["senders"]
    [answer] = slot_values(bot, unhappy, "answer_record")
    *_, rating = slot_values(bot, unhappy, "answer_rating")
    assert rating["rating"] == "not_helpful" and rating["answer_id"] == answer["id"]
    assert (rating["question"], rating["entry_id"], rating["score"]) == (
        QUESTION,
        answer["entry_id"],
        answer["score"],
    )
    assert answer["score"] > 0.6 and answer["entry_id"]
    assert rating["comment"] == "I wanted what the CPHQ exam costs, my email is [email]"


def test_a_declined_question_is_recorded_without_name_or_phone_number(bot, rated_conversations):
    *_, lost = rated_conversations["senders"]
    assert "I don't have an answer to that in my guides" in rated_conversations["declined"][0]["text"]

    [record] = slot_values(bot, lost, "answer_record")

    assert record["outcome"] == "declined" and record["via"] == "typed"
    assert (
        record["question"] == "Hi, I'm [name], call me on [phone]: what is on the cafeteria lunch menu today?"
    )


def test_the_report_from_the_store_shows_the_ratings_and_renders_in_chromium(
    bot, rated_conversations, knowledge_config, browsed, tmp_path
):
    _, unhappy, _ = rated_conversations["senders"]
    [answer] = slot_values(bot, unhappy, "answer_record")

    printed = make_report(knowledge_config, f"sqlite:///{bot.workdir / 'conversations.db'}", tmp_path)

    assert re.search(r"\d+ conversations, \d+ answers, [1-9]\d* ratings", printed), printed
    html = (tmp_path / "index.html").read_text()
    for personal in (NAME, "Maria", EMAIL, PHONE):
        assert personal not in html
    page = browsed.page
    page.goto((tmp_path / "index.html").as_uri())
    expect(page.locator("h1")).to_have_text("Hospital career advisor: usage report")
    row = page.locator(f'#helpfulness tr[data-entry="{answer["entry_id"]}"]')
    cells = row.locator("td.number")
    assert int(cells.nth(0).inner_text()) >= 1 and int(cells.nth(1).inner_text()) >= 1
    expect(row).to_contain_text("I wanted what the CPHQ exam costs, my email is [email]")
    expect(page.locator("#unanswered")).to_contain_text("what is on the cafeteria lunch menu today?")
    expect(page.locator("#top-questions")).to_contain_text(QUESTION)
    images = page.locator("img")
    assert images.count() == 6
    loaded = page.evaluate("[...document.images].map(i => i.complete && i.naturalWidth > 0)")
    assert loaded == [True] * 6, "every plot must load"
    browsed.screenshot("report")


def test_on_slack_the_rating_comes_as_blocks_and_a_click_is_kept(slack, fake_slack, bot):
    user = f"U{time.time_ns() % 10**10}"
    event = message_event(QUESTION, user)
    slack.post_event(event)
    channel, ts = event["event"]["channel"], event["event"]["ts"]
    in_thread = lambda post: post.get("channel") == channel and post.get("thread_ts") == ts  # noqa: E731
    [answer] = fake_slack.wait_for_posts(in_thread)
    assert "Source:" in answer["text"]
    actions = answer["blocks"][-1]
    assert actions["type"] == "actions"
    assert [b["text"]["text"] for b in actions["elements"][-2:]] == RATINGS
    thumbs_up = actions["elements"][-2]["value"]

    clicked = slack.post_interaction(
        button_click(thumbs_up, user, channel, f"{time.time():.6f}", thread_ts=ts)
    )

    assert clicked.status_code == 200
    posts = fake_slack.wait_for_posts(in_thread, count=2)
    assert posts[1]["text"] == "Thanks for letting me know!"
    # Slack's replies go out before Rasa saves the turn.
    conversation = f"{user}_{channel}_{ts}"  # one conversation per Slack thread
    wait_for(lambda: slot_values(bot, conversation, "answer_rating"), "the stored rating", timeout_s=20)
    [rating] = slot_values(bot, conversation, "answer_rating")
    assert rating["rating"] == "helpful"
    assert rating["answer_id"] == json.loads(thumbs_up.removeprefix("/rate_helpful"))["answer_id"]


def test_in_the_widget_an_answer_can_be_rated_and_its_follow_ups_stay(site, bot, browsed):
    page, chat = browsed.page, ChatWidget(browsed.page)
    page.goto(site.url + "/")
    chat.open()
    chat.wait_for_bot("hospital career advisor")

    chat.say(QUESTION)
    chat.wait_for_bot("Source:")
    expect(chat.quick_replies.filter(has_text="CPHQ").first).to_be_visible()
    expect(chat.quick_replies.filter(has_text=RATINGS[0])).to_be_visible()
    chat.quick_replies.filter(has_text=RATINGS[1]).click()
    chat.wait_for_bot("What were you looking for?")
    chat.quick_replies.filter(has_text="Skip").last.click()
    chat.wait_for_bot("No problem.")
    browsed.screenshot("rated")

    session = chat.session_id()
    # The widget shows the replies before Rasa saves the turn.
    wait_for(lambda: "action_record_rating_comment" in actions_run(bot, session), "the stored turn", 20)
    [rating] = slot_values(bot, session, "answer_rating")
    assert rating["rating"] == "not_helpful" and rating["comment"] is None


def test_on_postgresql_the_report_reads_what_the_bot_stored(
    bot_on_postgres, knowledge_config, postgres, tmp_path
):
    sender = f"pg-{time.time_ns()}"
    bot_on_postgres.say(rating_button(bot_on_postgres.say(QUESTION, sender), "👍"), sender)
    bot_on_postgres.say(DECLINED, sender)
    bot_on_postgres.say("make me a career plan", sender)

    printed = make_report(knowledge_config, postgres.url, tmp_path / "report")

    assert not (bot_on_postgres.workdir / "conversations.db").exists()
    assert re.search(r"[1-9]\d* conversations, [1-9]\d* answers, [1-9]\d* ratings", printed), printed
    html = (tmp_path / "report/index.html").read_text()
    assert "what is on the cafeteria lunch menu today?" in html and "Maria" not in html
    assert re.search(r"<strong>[1-9]\d* / \d+</strong>plans started / finished", html)
    assert postgres.url.split("@")[-1] in html  # the store it read, named in the page


def test_approving_a_review_adds_to_the_knowledge_and_reindexes_in_one_command(tmp_path):
    """`make approve`'s command on a copy of knowledge/: the new entry answers at once."""
    knowledge = tmp_path / "knowledge"
    shutil.copytree(REPO_ROOT / "knowledge", knowledge)
    settings = yaml.safe_load((REPO_ROOT / "retrieval.yml").read_text())
    settings.update(knowledge_dirs=[str(knowledge)], index_dir=str(tmp_path / "index"),
                    ingested_dir=str(tmp_path / "ingested"))  # fmt: skip
    config = tmp_path / "retrieval.yml"
    config.write_text(yaml.safe_dump(settings))
    seed_embedding_cache(tmp_path / "index")
    review = tmp_path / "review.yml"
    review.write_text(yaml.safe_dump({
        "paraphrases": [
            {"entry": "hsm-certifications", "question": "is the cphq worth it for me", "approve": True},
        ],
        "new_entries": [{
            "id": "staff-parking-permits", "title": "Parking permits for staff", "topic": "other",
            "questions": ["where can staff park", "how do I get a staff parking permit"],
            "answer": "Staff parking permits are issued by the estates office in building B.",
            "source": {"guide": "Estates handbook", "section": "Parking"}, "approve": True,
        }],
    }))  # fmt: skip
    env = server_env({"ADVISOR_RETRIEVAL_CONFIG": str(config)})

    def run(*args: str) -> str:
        result = subprocess.run([str(ACTIONS_PYTHON), *args], env=env, cwd=REPO_ROOT,
                                capture_output=True, text=True, timeout=300)  # fmt: skip
        assert result.returncode == 0, result.stdout + result.stderr
        return result.stdout

    approved = run("-m", "learning_from_use", "approve", "--review-file", str(review))

    assert "added 1 paraphrases (0 already there) and 1 new entries" in approved
    assert (knowledge / "reviewed/staff-parking-permits.md").exists()
    assert (
        "is the cphq worth it for me" in (knowledge / "health-services-manager/certifications.md").read_text()
    )
    answer = run("-m", "retrieval", "ask", "where do staff park their cars?")
    assert answer.startswith("[confident") and "estates office in building B" in answer
    assert "_Source: Estates handbook — Parking_" in answer
    assert yaml.safe_load(review.read_text()) == {"paraphrases": [], "new_entries": []}
