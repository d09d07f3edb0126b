"""The FAQ self-service pages in a real browser: browsing with and without JavaScript, search, deep links."""

from __future__ import annotations

import pytest
import requests
import yaml
from playwright.sync_api import expect

from retrieval.knowledge_entries import load_entries
from tests import REPO_ROOT
from tests.e2e.browser import BrowsedPage

# Dev-set questions whose first expected entry the search must put first.
SEARCHES = {
    "whats a CMM": "hsm-certifications",
    "i'm an RN and kind of tired of bedside, could I move into management?": "hm-from-clinical-roles",
    "best undergrad major for health admin?": "hsm-bachelors-degree",
}


@pytest.fixture(scope="module")
def knowledge() -> dict[str, str]:
    """Entry id -> title for the repo's knowledge base."""
    return {entry.id: entry.title for entry in load_entries([REPO_ROOT / "knowledge"])}


def test_the_searches_come_from_the_dev_set():
    dev_set = yaml.safe_load((REPO_ROOT / "tests/retrieval_dev_set.yml").read_text())["in_domain"]
    expected = {case["q"]: case["expect"][0] for case in dev_set}
    assert all(expected.get(question) == entry for question, entry in SEARCHES.items())


def test_without_javascript_every_entry_reads_by_topic_and_the_search_form_still_works(
    site, browser, knowledge, request
):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 800})
    browsed = BrowsedPage(context.new_page(), request.node.name)
    page = browsed.page
    try:
        page.goto(site.url + "/faq")
        articles = page.locator("article.faq-entry")
        ids = set(articles.evaluate_all("nodes => nodes.map(node => node.id)"))
        assert set(knowledge) <= ids
        for entry_id, title in knowledge.items():
            link = page.locator(f"article#{entry_id} h3 a")
            expect(link).to_have_text(title)
            expect(link).to_have_attribute("href", f"/faq/{entry_id}")
        assert page.locator("section.topic h2").count() >= 9
        browsed.screenshot("no-js")

        question, expected = next(iter(SEARCHES.items()))
        page.fill("#faq-query", question)
        page.locator("#faq-search button").click()
        page.wait_for_url("**/faq?q=*")
        expect(page.locator("#search-results li.search-result a").first).to_have_attribute(
            "href", f"/faq/{expected}"
        )
        browsed.screenshot("no-js-search")
    finally:
        context.close()


def test_the_search_box_asks_the_search_endpoint_and_lists_its_results(site, browsed: BrowsedPage):
    page = browsed.page
    page.goto(site.url + "/faq")

    for question, expected in SEARCHES.items():
        with page.expect_response(lambda response: "/api/search" in response.url) as answered:
            page.fill("#faq-query", question)
            page.locator("#faq-query").press("Enter")
        found = answered.value.json()
        assert found["results"][0]["id"] == expected, question
        links = page.locator("#search-results li.search-result a")
        expect(links.first).to_have_attribute("href", f"/faq/{expected}")
        assert links.evaluate_all("nodes => nodes.map(n => n.getAttribute('href'))") == [
            result["url"] for result in found["results"]
        ]
    browsed.screenshot("search")

    page.fill("#faq-query", "what time does the hospital canteen open")
    page.locator("#faq-query").press("Enter")
    expect(page.locator("#search-results .search-message")).to_contain_text("Nothing in the FAQ fits")
    assert browsed.outside_requests == []


def test_each_entry_has_a_stable_link_that_opens_it_and_an_anchor_on_the_list(site, browsed, knowledge):
    page = browsed.page
    entry_id = "hsm-certifications"

    response = page.goto(f"{site.url}/faq/{entry_id}")
    assert response.status == 200
    expect(page.locator("h1")).to_have_text(knowledge[entry_id])
    expect(page.locator(".source a")).to_have_attribute("href", "https://www.ache.org/")
    browsed.screenshot("entry")

    page.goto(f"{site.url}/faq#{entry_id}")
    expect(page.locator(f"article#{entry_id}")).to_be_in_viewport()
    page.locator(f"article#{entry_id} a.permalink").click()
    page.wait_for_url(f"**/faq/{entry_id}")

    missing = page.goto(f"{site.url}/faq/no-such-entry")
    assert missing.status == 404
    expect(page.locator("form[action='/faq'] input[name=q]")).to_be_visible()


def test_the_search_endpoint_answers_json_and_refuses_empty_queries(site):
    found = requests.get(f"{site.url}/api/search", params={"q": "whats a CMM"}, timeout=30)
    empty = requests.get(f"{site.url}/api/search", params={"q": ""}, timeout=30)

    assert found.status_code == 200 and found.json()["results"][0]["url"] == "/faq/hsm-certifications"
    assert empty.status_code == 400


def test_the_search_finds_the_pay_entry_and_says_so_first_when_the_guides_have_no_answer(site):
    pay = requests.get(f"{site.url}/api/search", params={"q": "how much do managers earn"}, timeout=30).json()
    open_question = requests.get(
        f"{site.url}/api/search", params={"q": "which stapler does the front desk order"}, timeout=30
    ).json()

    assert pay["results"][0]["id"] == "hm-pay" and pay["message"] is None
    # Nothing confident: the page says so before (or instead of) any closest entries.
    assert open_question["message"] is not None
    assert all(result["band"] != "confident" for result in open_question["results"])
