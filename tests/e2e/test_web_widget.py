"""The intranet page's chat widget in a real browser: Debian's Chromium, driven by playwright."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from playwright.sync_api import expect

from intranet_site.faq_catalog import plain_text
from retrieval.knowledge_entries import KnowledgeEntry, load_entries
from tests import REPO_ROOT
from tests.e2e.browser import ChatWidget
from tests.e2e.conversations import user_texts

QUESTION = "Which certifications should a healthcare manager get?"
pytestmark = pytest.mark.usefixtures("site")


@pytest.fixture(scope="module")
def entries() -> list[KnowledgeEntry]:
    return load_entries([REPO_ROOT / "knowledge"])


def opening_words(entry: KnowledgeEntry, count: int = 6) -> str:
    return " ".join(plain_text(entry.body).split()[:count])


def entry_asked_by(entries: list[KnowledgeEntry], question: str) -> KnowledgeEntry:
    return next(entry for entry in entries if entry.questions and entry.questions[0] == question)


def test_a_question_gets_a_sourced_answer_a_follow_up_button_works_and_a_reload_keeps_it_all(
    site, bot, browsed, entries
):
    page, chat = browsed.page, ChatWidget(browsed.page)
    page.goto(site.url + "/")
    chat.open()
    chat.wait_for_bot("hospital career advisor")  # the greeting the widget asks for on a new session

    chat.say(QUESTION)
    source_link = page.locator(".rw-response a", has_text="ache.org")
    expect(source_link).to_have_attribute("href", "https://www.ache.org/", timeout=60_000)
    expect(page.locator(".rw-response strong").first).to_be_visible()  # Markdown bold, not asterisks
    assert not page.locator(".rw-response", has_text="**").count()
    browsed.screenshot("answer")

    follow_up = chat.quick_replies.filter(has_text="CPHQ").first
    expect(follow_up).to_be_visible()
    follow_up_text = follow_up.inner_text()
    chosen = entry_asked_by(entries, follow_up_text)
    follow_up.click()
    chat.wait_for_bot(opening_words(chosen))
    expect(chat.user_messages.filter(has_text=follow_up_text)).to_have_count(1)
    browsed.screenshot("follow-up")

    session = chat.session_id()
    page.reload()
    chat.open()
    expect(chat.user_messages.filter(has_text=QUESTION)).to_have_count(1)
    expect(chat.user_messages.filter(has_text=follow_up_text)).to_have_count(1)
    expect(chat.bot_messages.filter(has_text=opening_words(chosen)).first).to_be_visible()
    assert chat.session_id() == session
    browsed.screenshot("after-reload")

    # The same conversation is in Rasa's tracker under the widget's session id.
    said = user_texts(bot.tracker(session)["events"])
    assert QUESTION in said
    assert browsed.outside_requests == [], "the page must not load anything from outside this machine"


def test_a_script_typed_into_the_chat_shows_as_text_and_never_runs(site, browsed):
    page, chat = browsed.page, ChatWidget(browsed.page)
    page.goto(site.url + "/")
    chat.open()
    chat.wait_for_bot("hospital career advisor")
    attempts = ["<script>alert(1)</script>", '<img src="x" onerror="window.__injected = 1; alert(2)">']

    for attempt in attempts:
        before = chat.bot_messages.count()
        chat.say(attempt)
        expect(chat.user_messages.filter(has_text=attempt)).to_have_count(1)
        chat.wait_for_reply_after(before)  # the bot answered it as a message, and so is still working
    browsed.screenshot("script-as-text")

    assert chat.user_messages.all_inner_texts()[-2:] == attempts
    assert page.locator(".rw-messages-container script, .rw-messages-container img[src='x']").count() == 0
    assert page.evaluate("window.__injected") is None
    assert browsed.dialogs == []


def test_ask_the_advisor_from_a_faq_entry_opens_the_widget_with_that_question(site, browsed, entries):
    entry = next(e for e in entries if e.id == "hsm-masters-degree")
    page, chat = browsed.page, ChatWidget(browsed.page)
    page.goto(f"{site.url}/faq/{entry.id}")

    page.locator("a.ask-advisor").click()

    expect(chat.user_messages.filter(has_text=entry.questions[0])).to_have_count(1, timeout=30_000)
    chat.wait_for_bot(opening_words(entry))
    assert re.search(r"/faq/hsm-masters-degree$", page.url), "asking must not leave the page"


def documented_snippet() -> str:
    page = (REPO_ROOT / "docs/channels.md").read_text()
    block = page.split("<!-- widget-snippet:start -->")[1].split("<!-- widget-snippet:end -->")[0]
    return block.strip().removeprefix("```html").removesuffix("```")


@pytest.fixture
def other_intranet(site, bot, other_intranet_port) -> Iterator[str]:
    """A page on another origin, as an intranet team would write it: their content and our snippet."""
    snippet = (
        documented_snippet()
        .replace("https://advisor.example.org:8080", site.url)
        .replace("https://advisor.example.org:5005", bot.rasa_url)
    )
    page = f"<!doctype html><html><body><h1>Ward 7 news</h1>{snippet}</body></html>".encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(page)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", other_intranet_port), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{other_intranet_port}/"
    server.shutdown()
    server.server_close()


def test_the_documented_snippet_puts_the_advisor_on_another_intranet_page(other_intranet, browsed):
    page, chat = browsed.page, ChatWidget(browsed.page)
    assert "advisor.example.org" in documented_snippet(), (
        "the snippet's placeholders changed; update this test"
    )
    page.goto(other_intranet)
    expect(page.locator(".rw-launcher")).to_have_attribute("aria-label", "Open the career advisor")

    chat.open()
    chat.wait_for_bot("hospital career advisor")
    chat.say("what does a healthcare administrator actually do")

    chat.wait_for_bot("Source:")
    browsed.screenshot("other-origin")


def test_a_link_with_a_question_opens_the_widget_and_asks_it_as_the_page_loads(site, browsed, entries):
    """The question is ready before the widget has a session: it must wait for one, not be lost."""
    entry = next(e for e in entries if e.id == "hsm-certifications")
    page, chat = browsed.page, ChatWidget(browsed.page)

    page.goto(f"{site.url}/?ask={entry.questions[0]}")

    expect(chat.user_messages.filter(has_text=entry.questions[0])).to_have_count(1, timeout=30_000)
    chat.wait_for_bot(opening_words(entry))
    assert "ask=" not in page.url, "a reload must not ask again"
