from __future__ import annotations

import re
from datetime import date

from learning_from_use.answer_records import Outcome
from learning_from_use.conversation_events import read_events
from learning_from_use.from_store import report_from_store
from learning_from_use.usage import summarise
from retrieval.knowledge_entries import KnowledgeEntry, Source
from tests.unit.learning_from_use.conftest import fill_store

SOURCE = [Source(guide="G", section="S")]
ENTRIES = [
    KnowledgeEntry(id="certs", title="Certifications worth having", topic="certifications",
                   source=SOURCE, questions=["Which certifications help?"], body="CPHQ."),
    KnowledgeEntry(id="network", title="Building a network", topic="networking",
                   source=SOURCE, questions=["How do I network?"], body="ACHE."),
]  # fmt: skip


def test_usage_counts_conversations_answers_ratings_and_plans_per_day(sqlite_store):
    store = sqlite_store()
    fill_store(store)

    usage = summarise(read_events(store.url))

    assert usage.days == [date(2026, 11, 2), date(2026, 11, 3), date(2026, 11, 4)]
    assert [usage.conversations_per_day[d] for d in usage.days] == [1, 0, 2]
    # The record repeated by the new session counts once.
    assert usage.answers == 6
    assert usage.outcomes_per_day[date(2026, 11, 2)] == {Outcome.CONFIDENT: 1, Outcome.DECLINED: 1}
    assert usage.outcomes_per_day[date(2026, 11, 4)] == {
        Outcome.CONFIDENT: 1, Outcome.DECLINED: 1, Outcome.UNSURE: 1,
    }  # fmt: skip
    assert usage.topics == {"certifications": 3}
    assert (usage.plans_started, usage.plans_finished) == (2, 1)


def test_the_same_question_in_other_case_and_punctuation_counts_as_one(sqlite_store):
    store = sqlite_store()
    fill_store(store)

    top = summarise(read_events(store.url)).questions[0]

    assert (top.text, top.times, top.last_entry_id) == ("which certifications should I get", 2, "certs")


def test_a_comment_replaces_the_rating_it_belongs_to_and_counts_as_unanswered(sqlite_store):
    store = sqlite_store()
    fill_store(store)

    usage = summarise(read_events(store.url))

    [certs] = usage.entry_ratings
    assert (certs.entry_id, certs.helpful, certs.not_helpful) == ("certs", 1, 1)
    assert certs.comments == ["which certification pays more"]
    assert usage.ratings == 2
    assert sorted((u.why, u.text) for u in usage.unanswered) == [
        ("comment", "which certification pays more"),
        ("declined", "where can staff park at night near the hospital"),
        ("declined", "where can staff park at the hospital"),
    ]


def test_a_did_you_mean_pick_and_a_helpful_answer_are_paraphrase_evidence(sqlite_store):
    store = sqlite_store()
    fill_store(store)

    usage = summarise(read_events(store.url))

    assert {(p.question, p.entry_id, p.evidence) for p in usage.paraphrases} == {
        ("cphq worth it?", "certs", "picked_suggestion"),
        ("which certifications should I get", "certs", "rated_helpful"),
    }


def test_the_report_shows_every_plot_and_the_tables(sqlite_store, encoder, tmp_path):
    store = sqlite_store()
    fill_store(store)

    page, _usage = report_from_store(store.url, tmp_path / "report", encoder, ENTRIES)

    html = page.read_text()
    plots = sorted(p.name for p in page.parent.glob("*.png"))
    assert plots == [
        "answer_outcomes.png", "conversations_per_day.png", "helpfulness_per_entry.png",
        "plan_forms.png", "top_topics.png", "unanswered_clusters.png",
    ]  # fmt: skip
    assert all(f'src="{plot}"' in html for plot in plots)
    assert all((page.parent / plot).read_bytes().startswith(b"\x89PNG") for plot in plots)
    row = re.search(r'<tr data-entry="certs">(.*?)</tr>', html, re.DOTALL).group(1)
    assert "Certifications worth having" in row and "which certification pays more" in row
    assert [int(n) for n in re.findall(r'class="number">(\d+)<', row)] == [1, 1]
    # The two parking questions share a cluster; the comment about pay is another.
    unanswered = re.search(r'<table id="unanswered">(.*?)</table>', html, re.DOTALL).group(1)
    parking_row = next(r for r in unanswered.split("<tr>") if "staff park" in r)
    assert "at night" in parking_row and '<td class="number">2</td>' in parking_row


def test_what_people_typed_is_escaped_in_the_page(sqlite_store, encoder, tmp_path):
    from tests.unit.learning_from_use.conftest import DAY_1, declined

    store = sqlite_store()
    store.session("eve", DAY_1)
    store.answer("eve", declined("<script>alert(1)</script> salary?"), DAY_1 + 1)

    page, _ = report_from_store(store.url, tmp_path / "report", encoder, ENTRIES)

    html = page.read_text()
    assert "<script>alert" not in html and "&lt;script&gt;alert(1)&lt;/script&gt; salary?" in html


def test_an_empty_or_missing_store_gives_a_page_that_says_there_is_nothing_yet(
    sqlite_store, encoder, tmp_path
):
    missing = tmp_path / "never-used.db"

    page, usage = report_from_store(f"sqlite:///{missing}", tmp_path / "report", encoder, ENTRIES)

    assert usage.is_empty and "Nothing yet." in page.read_text()
    assert not list(page.parent.glob("*.png"))
    assert not missing.exists(), "reading must not create the store"
    empty = sqlite_store()  # the table exists, no rows
    page, usage = report_from_store(empty.url, tmp_path / "report2", encoder, ENTRIES)
    assert usage.is_empty and 'id="nothing-yet"' in page.read_text()


def test_only_ratings_of_an_answer_count_and_the_totals_agree_with_the_table(sqlite_store):
    """A 👍 that rates no answer (what an older bot stored when a form answer such as
    "registered nurse" was read as a rating) is no rating: the total and the table agree."""
    from learning_from_use.answer_records import Rating, RatingRecord

    store = sqlite_store()
    fill_store(store)
    for number in range(3):
        store.rating("cleo", RatingRecord.for_answer(Rating.HELPFUL, None), 1_793_900_000 + number)

    usage = summarise(read_events(store.url))

    assert usage.ratings == 2 == sum(entry.total for entry in usage.entry_ratings)


def test_a_referral_counts_as_a_gap_in_the_guides(sqlite_store):
    from learning_from_use.answer_records import AnswerRecord, Via

    store = sqlite_store()
    store.session("dee", 1_793_900_000)
    referral = AnswerRecord(
        "what do managers make in houston", Outcome.REFERRED, Via.TYPED, 0.7, "ref-local-pay"
    )
    store.answer("dee", referral, 1_793_900_001)

    usage = summarise(read_events(store.url))

    assert [(u.why, u.text) for u in usage.unanswered] == [("referred", "what do managers make in houston")]
    assert usage.outcome_totals() == {Outcome.REFERRED: 1}


def test_requests_for_a_person_are_counted_with_the_time_to_answer(sqlite_store, encoder, tmp_path):
    from handoff.store import HandoffStore

    handoffs = HandoffStore(f"sqlite:///{tmp_path / 'handoff.db'}")
    answered = handoffs.file_question("ann", "rest", {}, "parking?", [], None, [], now=0.0).request
    handoffs.file_question("bob", "slack", {}, "tuition?", [], None, [], now=0.0)
    handoffs.add_reply(answered.id, "Free at weekends.", "U0OFFICER", now=3 * 3600.0)
    handoffs.add_reply(answered.id, "And after 6 pm.", "U0OFFICER", now=5 * 3600.0)
    store = sqlite_store()
    fill_store(store)

    page, _ = report_from_store(store.url, tmp_path / "report", encoder, ENTRIES, handoffs.counts())

    section = re.search(r'<ul class="summary" id="handoffs">(.*?)</ul>', page.read_text(), re.DOTALL).group(1)
    assert re.findall(r"<strong>([^<]+)</strong>", section) == ["2", "1", "3.0"]
