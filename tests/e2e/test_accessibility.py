"""Accessibility of the intranet site and the chat widget: axe-core in headless Chromium, and
the widget worked with the keyboard alone.

axe-core comes from npm (web/package.json, a dev dependency) and is injected into each page
as it stands; a page passes when axe finds no violation of serious or critical impact.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests import REPO_ROOT
from tests.e2e.browser import ChatWidget

AXE = REPO_ROOT / "web/node_modules/axe-core/axe.min.js"
BLOCKING = {"serious", "critical"}
QUESTION = "Which certifications should a healthcare manager get?"
pytestmark = pytest.mark.usefixtures("site")


def blocking_violations(page: Page) -> list[str]:
    """axe-core's serious and critical violations on the page as it is now, one line each."""
    if not AXE.exists():
        pytest.fail(f"no axe-core at {AXE}: run `make setup` (npm ci in web/)")
    page.evaluate(AXE.read_text())  # evaluated by the browser's debugger, so the site's CSP allows it
    violations = page.evaluate(
        """async () => (await axe.run(document, {resultTypes: ["violations"]})).violations
            .map(v => ({id: v.id, impact: v.impact, help: v.help,
                        targets: v.nodes.slice(0, 3).map(n => n.target.join(" "))}))"""
    )
    return [
        f"{v['impact']}: {v['id']} ({v['help']}) at {v['targets']}"
        for v in violations
        if v["impact"] in BLOCKING
    ]


def test_the_intranet_page_passes_axe(site, browsed):
    browsed.page.goto(site.url + "/")

    assert blocking_violations(browsed.page) == []
    browsed.screenshot("axe")


def test_the_open_widget_showing_an_answer_with_buttons_passes_axe(site, browsed):
    page, chat = browsed.page, ChatWidget(browsed.page)
    page.goto(site.url + "/")
    chat.open()
    chat.wait_for_bot("hospital career advisor")
    chat.say(QUESTION)
    chat.wait_for_bot("Source:")
    expect(chat.quick_replies.first).to_be_visible()

    assert blocking_violations(page) == []
    browsed.screenshot("axe")


@pytest.mark.parametrize(
    "path",
    ["/faq", "/faq/hsm-certifications", "/faq?q=which+certifications+should+I+get"],
    ids=["list", "entry", "search"],
)
def test_the_faq_pages_pass_axe(site, browsed, path):
    # The site loads its embedding model at its first search (this module runs first).
    browsed.page.goto(site.url + path, timeout=120_000)
    if "q=" in path:
        expect(browsed.page.locator("#search-results li.search-result").first).to_be_visible()

    assert blocking_violations(browsed.page) == []
    browsed.screenshot("axe")


def focus_is_visible(page: Page) -> bool:
    """Whether the focused element shows a focus ring of at least 2 px."""
    return page.evaluate(
        """() => {
            const style = getComputedStyle(document.activeElement);
            return style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2;
        }"""
    )


def tab_to(page: Page, selector: str, limit: int = 60) -> None:
    """Presses Tab until the element matching `selector` has the focus, checking the focus
    ring at every stop on the way."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement === document.body"):
            continue  # past the last element the focus leaves the page, then comes back
        assert focus_is_visible(page), page.evaluate("() => document.activeElement.outerHTML.slice(0, 200)")
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{selector} never got the focus after {limit} presses of Tab")


def test_with_the_keyboard_alone_a_person_opens_the_widget_asks_presses_a_button_and_closes_it(site, browsed):
    page, chat = browsed.page, ChatWidget(browsed.page)
    page.goto(site.url + "/")

    tab_to(page, ".rw-launcher")
    page.keyboard.press("Enter")
    expect(page.locator(".rw-new-message")).to_be_visible()
    chat.wait_for_bot("hospital career advisor")
    tab_to(page, ".rw-new-message")
    page.keyboard.type(QUESTION)
    page.keyboard.press("Enter")
    chat.wait_for_bot("Source:")
    browsed.screenshot("keyboard-answer")

    answers = chat.bot_messages.count()
    tab_to(page, ".rw-replies .rw-reply")
    chosen = page.evaluate("() => document.activeElement.innerText")
    browsed.screenshot("keyboard-button-focused")
    page.keyboard.press("Enter")
    expect(chat.user_messages.filter(has_text=chosen)).to_have_count(1)
    chat.wait_for_reply_after(answers)

    tab_to(page, ".rw-close-button, .rw-launcher")
    page.keyboard.press("Enter")
    expect(page.locator(".rw-conversation-container")).to_have_count(0)
    browsed.screenshot("keyboard-closed")
