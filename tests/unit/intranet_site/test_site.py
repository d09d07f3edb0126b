"""The FAQ pages, the search endpoint and the intranet page, served from a tiny knowledge base."""

from __future__ import annotations

import re
import shutil

from bs4 import BeautifulSoup
from fastapi.testclient import TestClient

from intranet_site.app import GOOGLE_FONTS_IMPORT, WidgetConfig, create_app, snippet
from intranet_site.faq_catalog import FaqCatalog
from retrieval.advisor import MAX_QUESTION_CHARS, KnowledgeAdvisor
from tests.unit.intranet_site.conftest import TOPIC_TITLES
from tests.unit.retrieval.conftest import write_entry


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.text, "html.parser")


def test_the_faq_lists_every_entry_by_topic_in_the_menu_order_with_a_stable_link(site):
    page = soup(site.get("/faq"))

    sections = page.select("section.topic")
    assert [section["id"] for section in sections] == [
        "topic-certifications",
        "topic-networking",
        "topic-experience",
    ]
    assert [section.h2.get_text() for section in sections] == [
        "Certifications",
        "Networking and mentors",
        "Gaining experience",
    ]
    assert {article["id"] for article in page.select("article.faq-entry")} == {"mentors", "budgets", "fache"}
    mentors = page.select_one("article#mentors")
    assert mentors.h3.a["href"] == "/faq/mentors"
    assert "Ask a senior department head" in mentors.select_one(".answer").get_text()
    assert mentors.select_one(".source a")["href"] == "https://guide.example/"
    assert mentors.select_one("a.ask-advisor")["data-ask"] == "how do I find a mentor"


def test_an_entry_page_shows_its_answer_questions_source_and_related_entries(site):
    response = site.get("/faq/mentors")
    page = soup(response)

    assert response.status_code == 200
    assert page.h1.get_text() == "Finding a mentor"
    assert [li.get_text() for li in page.select("ul.questions li")] == [
        "how do I find a mentor",
        "who should mentor me",
    ]
    assert page.select_one("a.ask-advisor")["href"] == "/?ask=how%20do%20I%20find%20a%20mentor"


def test_an_unknown_entry_is_a_404_page_that_offers_search(site):
    response = site.get("/faq/no-such-entry")

    assert response.status_code == 404
    assert "not in the FAQ" in response.text and soup(response).select_one(
        "form[action='/faq'] input[name=q]"
    )


def test_search_returns_the_best_entries_with_links_and_declines_what_does_not_fit(site):
    found = site.get("/api/search", params={"q": "how do I find a mentor"})
    nothing = site.get("/api/search", params={"q": "weather tomorrow in paris"})

    assert found.status_code == 200
    first = found.json()["results"][0]
    assert (first["id"], first["url"], first["band"]) == ("mentors", "/faq/mentors", "confident")
    assert nothing.status_code == 200 and nothing.json()["results"] == []
    assert "the career office" in nothing.json()["message"]


def test_search_refuses_empty_and_overlong_queries_with_a_reason(site):
    empty = site.get("/api/search", params={"q": "   "})
    huge = site.get("/api/search", params={"q": "mentor " * MAX_QUESTION_CHARS})
    missing = site.get("/api/search")

    assert empty.status_code == 400 and "Type a question" in empty.json()["message"]
    assert huge.status_code == 400 and f"at most {MAX_QUESTION_CHARS} characters" in huge.json()["message"]
    assert missing.status_code == 422


def test_the_search_form_works_without_javascript(site):
    page = soup(site.get("/faq", params={"q": "which credential for executives"}))

    results = page.select("#search-results li.search-result a")
    assert results and results[0]["href"] == "/faq/fache"
    assert page.select_one("#faq-query")["value"] == "which credential for executives"


def test_raw_html_in_an_entry_or_a_query_is_shown_as_text(site, knowledge_dir):
    write_entry(knowledge_dir, "html-entry", "Careful", "Hello <script>alert(1)</script> there.", ["careful"])
    entry_page = site.get("/faq/html-entry").text
    search_page = site.get("/faq", params={"q": "<script>alert(2)</script>"}).text

    assert (
        "<script>alert(1)</script>" not in entry_page
        and "&lt;script&gt;alert(1)&lt;/script&gt;" in entry_page
    )
    assert "<script>alert(2)</script>" not in search_page


def test_a_new_entry_appears_without_a_restart(site, knowledge_dir):
    write_entry(
        knowledge_dir, "shadowing", "Shadowing a manager", "Ask to shadow a manager for a day.", ["shadow"]
    )

    assert site.get("/faq/shadowing").status_code == 200
    assert soup(site.get("/faq")).select_one("article#shadowing")


def test_without_an_index_search_says_so_and_the_faq_still_reads(site, make_settings):
    shutil.rmtree(make_settings().index_dir)

    response = site.get("/api/search", params={"q": "mentor"})
    page = site.get("/faq", params={"q": "mentor"})

    assert response.status_code == 503 and "unavailable" in response.json()["message"]
    assert page.status_code == 503 and soup(page).select_one("article#mentors")


def test_pages_forbid_foreign_scripts_and_point_the_widget_at_the_rasa_server(site):
    response = site.get("/")
    policy = response.headers["content-security-policy"]

    assert (
        "script-src 'self'" in policy
        and "connect-src 'self' http://rasa.example:5005 ws://rasa.example:5005" in policy
    )
    config = soup(response).select_one("script#advisor-config")
    assert (
        config["type"] == "application/json"
        and '"socketUrl": "http://rasa.example:5005"' in config.get_text()
    )
    assert soup(response).select_one("script[src='/vendor/rasa-webchat.js']")


def test_the_widget_bundle_is_served_locally_or_its_absence_explained(
    site, make_settings, encoder, tmp_path, plan_links
):
    assert site.get("/vendor/rasa-webchat.js").text == "window.WebChat = {};"

    settings = make_settings()
    missing = WidgetConfig(bundle=tmp_path / "not-installed.js")
    app = create_app(
        FaqCatalog(settings.knowledge_dirs, TOPIC_TITLES),
        KnowledgeAdvisor(settings, encoder),
        missing,
        plan_links,
    )
    response = TestClient(app).get("/vendor/rasa-webchat.js")
    assert response.status_code == 503 and "make setup" in response.text


def test_snippets_are_plain_words_cut_with_an_ellipsis():
    assert snippet("**Yes.** You can [read](http://x.org) this.") == "Yes. You can read this."
    assert snippet("- **MHA**: health, *systems*, and more") == "MHA: health, systems, and more"
    long = snippet(" ".join(f"w{i}" for i in range(100)), words=5)
    assert long == "w0 w1 w2 w3 w4 …" and not re.search(r"[*_\[\]]", long)


def test_the_widget_bundle_is_served_without_its_google_fonts_import(
    make_settings, encoder, tmp_path, plan_links
):
    bundle = tmp_path / "index.js"
    bundle.write_bytes(
        b'x.push([e.i,"' + GOOGLE_FONTS_IMPORT + b'",""]);y.push([e.i,"' + GOOGLE_FONTS_IMPORT + b'",""])'
    )
    settings = make_settings()
    app = create_app(
        FaqCatalog(settings.knowledge_dirs, TOPIC_TITLES),
        KnowledgeAdvisor(settings, encoder),
        WidgetConfig(bundle=bundle),
        plan_links,
    )

    served = TestClient(app).get("/vendor/rasa-webchat.js").text

    assert served == 'x.push([e.i,"",""]);y.push([e.i,"",""])'


PLAN = (
    "## Your plan: from billing to revenue cycle manager\n"
    "_Based on what you told me: billing; 3 years in healthcare._\n"
    "**About 2 years at 6 hours a week**. Times are rough estimates of ours; the guides give none.\n"
    "### Now\n"
    "1. Learn the revenue cycle end to end. _(see: Business skills)_\n"
    "   _Why: It is the whole job of a revenue cycle manager. Takes about 3 months._\n"
    "2. <script>alert(1)</script> Lead a project. _(see: Step 7)_"
)


def test_a_plan_link_shows_the_plan_alone_to_print(site, plan_links):
    response = site.get(f"/plans/{plan_links.token_for(PLAN)}")

    page = BeautifulSoup(response.text, "html.parser")
    assert response.status_code == 200
    assert page.h1.get_text() == "Your plan: from billing to revenue cycle manager"
    assert [item.get_text(" ", strip=True)[:20] for item in page.select(".career-plan ol li")] == [
        "Learn the revenue cy", "<script>alert(1)</sc",
    ]  # fmt: skip
    assert page.find(id="print-plan") and "This link works until 21 October 2026" in response.text
    # No chat widget, so nothing else of a conversation; the token stays out of caches and referrers.
    assert not page.find(id="advisor-config") and "rasa-webchat" not in response.text
    assert (
        response.headers["cache-control"] == "no-store"
        and response.headers["referrer-policy"] == "no-referrer"
    )
    assert response.headers["x-robots-tag"] == "noindex"


def test_an_expired_or_altered_plan_link_says_so(site, plan_links, clock):
    token = plan_links.token_for(PLAN)

    altered = site.get(f"/plans/{token[:-3]}xyz")
    clock.now += 31 * 86400
    expired = site.get(f"/plans/{token}")

    assert altered.status_code == 404 and "not a plan link" in altered.text
    assert expired.status_code == 410 and "expired" in expired.text and "30 days" in expired.text
    assert "revenue cycle" not in altered.text + expired.text
