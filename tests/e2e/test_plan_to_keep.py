"""A plan to keep: the chat's link to a printable page, opened in Chromium and printed, and
the plan in Slack as messages Slack accepts."""

from __future__ import annotations

import re
import uuid

from playwright.sync_api import expect

from tests.e2e.fake_slack import message_event

OPENING = (
    "I'm a nurse with a BSN, 8 years in, and I want to be a director of nursing. "
    "I can do 10 hours a week. Make me a plan"
)
LINK = re.compile(r"\[open the printable plan\]\((http://127\.0\.0\.1:\d+/plans/[\w.-]+)\)")


def test_the_printable_page_shows_the_plan_alone_and_prints_it(bot, site, browsed, sender):
    replies = bot.say(OPENING, sender)
    plan = next(reply["text"] for reply in replies if "## Your plan" in reply.get("text", ""))
    [link] = [match.group(1) for reply in replies if (match := LINK.search(reply.get("text", "")))]
    steps = len(re.findall(r"^\d+\. ", plan, flags=re.MULTILINE))

    page = browsed.page
    page.goto(link)

    expect(page.locator("h1")).to_have_text(re.compile(r"^Your plan: from nurse\w* to director of nursing$"))
    expect(page.locator(".career-plan ol > li")).to_have_count(steps)
    assert "Why:" in page.locator(".career-plan").inner_text()
    assert page.locator("#advisor-config").count() == 0 and "I'm a nurse" not in page.content()
    browsed.screenshot("screen")
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.locator("#print-plan")).to_be_hidden()
    expect(page.locator(".career-plan h1")).to_be_visible()
    browsed.screenshot("print")
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF") and len(pdf) > 5_000
    assert browsed.outside_requests == [] and browsed.dialogs == []

    forged = page.goto(link[:-4] + "abcd")
    assert forged is not None and forged.status == 404
    expect(page.locator("h1")).to_have_text("This is not a plan link")


def test_in_slack_a_long_plan_arrives_whole_in_sections_slack_accepts(slack, fake_slack):
    event = message_event(OPENING, f"U{uuid.uuid4().hex[:10].upper()}")
    channel, ts = event["event"]["channel"], event["event"]["ts"]

    slack.post_event(event)

    posts = fake_slack.wait_for_posts(
        lambda post: (post.get("channel"), post.get("thread_ts")) == (channel, ts), count=3
    )
    plan = next(post for post in posts if "Your plan" in post["text"])
    sections = [block["text"]["text"] for block in plan["blocks"] if block["type"] == "section"]
    assert all(len(section) <= 3000 for section in sections) and "\n".join(sections) == plan["text"]
    assert "FACHE" in plan["text"] and "Why:" in plan["text"]
    assert any("|open the printable plan>" in post["text"] for post in posts)
    assert [call for call in fake_slack.refused() if call.get("thread_ts") == ts] == []
