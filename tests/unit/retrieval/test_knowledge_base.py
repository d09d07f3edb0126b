"""The shipped knowledge base: valid, short enough to answer with, sourced, and complete."""

from __future__ import annotations

import re

import pytest
import yaml

from actions.career_topics import TOPICS
from retrieval.chunking import MAX_PASSAGE_WORDS, word_count
from retrieval.knowledge_entries import KnowledgeError, load_entries, load_guides
from tests import REPO_ROOT
from tests.unit.retrieval.conftest import write_entry

KNOWLEDGE = REPO_ROOT / "knowledge"
ENTRIES = load_entries([KNOWLEDGE])
BY_ID = {entry.id: entry for entry in ENTRIES}
GUIDE_TITLES = {guide["title"] for guide in load_guides(KNOWLEDGE).values()}


def text_of(*ids: str) -> str:
    return " ".join(BY_ID[i].body for i in ids).lower()


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda entry: entry.id)
def test_each_entry_is_one_short_sourced_answer_with_ways_to_ask(entry):
    assert word_count(entry.body) <= MAX_PASSAGE_WORDS
    assert len(entry.questions) >= 3
    assert entry.topic in {topic.id for topic in TOPICS}
    assert all(source.guide in GUIDE_TITLES for source in entry.source)


def test_the_three_guides_are_all_cited():
    cited = {source.guide for entry in ENTRIES for source in entry.source}

    assert cited == GUIDE_TITLES and len(GUIDE_TITLES) == 3


def test_all_twelve_steps_and_every_faq_answer_of_the_back_office_guide_are_covered():
    steps = sorted(entry.id for entry in ENTRIES if entry.id.startswith("bo-step-"))
    faqs = [entry.id for entry in ENTRIES if entry.id.startswith("bo-faq-")]

    assert [step[8:10] for step in steps] == [f"{n:02d}" for n in range(1, 13)]
    assert len(faqs) >= 9
    assert "bo-key-takeaways" in BY_ID


@pytest.mark.parametrize(
    ("ids", "facts"),
    [
        (["hsm-certifications", "bo-cphq-quality-certification"], ["cmm", "fache", "cphm", "cphq"]),
        (["hsm-bachelors-degree", "hsm-masters-degree"], ["bachelor", "mha", "mph", "mba"]),
        (["hsm-six-step-path"], ["bachelor", "experience", "master", "certification", "skills", "network"]),
        (
            ["hsm-networking-ache", "hsm-internships-continuing-education"],
            ["ache", "internship", "continuing education"],
        ),
        (
            ["hm-seven-responsibilities"],
            ["operations", "staff", "finance", "quality", "compliance", "technology", "strategic"],
        ),
        (
            ["hm-business-analytical-skills", "hm-people-thinking-skills"],
            [
                "financial literacy",
                "data analysis",
                "software",
                "project management",
                "communication",
                "leadership",
                "conflict resolution",
                "critical thinking",
                "problem solving",
            ],
        ),
        (["hm-management-vs-administration"], ["daily operations", "strategic"]),
        (
            ["hm-example-job-titles"],
            [
                "revenue cycle",
                "compliance officer",
                "patient access",
                "medical records",
                "clinical manager",
                "operations manager",
                "radiology",
            ],
        ),
    ],
)
def test_the_facts_the_issue_lists_are_in_the_entries(ids, facts):
    text = text_of(*ids)

    assert [fact for fact in facts if fact not in text] == []


def test_no_course_advertisements_made_it_in():
    everything = " ".join(entry.body + entry.title for entry in ENTRIES).lower()

    assert not re.search(r"enroll now|join now|entri|assured career growth", everything)


def test_a_duplicate_id_is_refused_naming_both_files(tmp_path):
    write_entry(tmp_path / "a", "same", "One", "Body one.", ["q1"])
    write_entry(tmp_path / "b", "same", "Two", "Body two.", ["q2"])

    with pytest.raises(KnowledgeError, match="id 'same' is already used by .*a/same.md"):
        load_entries([tmp_path / "a", tmp_path / "b"])


def test_a_broken_entry_is_refused_naming_the_file_and_the_field(tmp_path):
    (tmp_path / "broken.md").write_text("---\nid: Not Valid\ntitle: x\n---\nbody\n")

    with pytest.raises(KnowledgeError, match=r"broken.md: id: String should match .*topic: Field required"):
        load_entries([tmp_path])


def test_the_dev_set_is_big_enough_points_at_real_entries_and_copies_no_phrasing():
    dev = yaml.safe_load((REPO_ROOT / "tests" / "retrieval_dev_set.yml").read_text())
    known = {re.sub(r"\W+", " ", q.lower()).strip() for e in ENTRIES for q in [*e.questions, e.title]}

    assert len(dev["in_domain"]) >= 80 and len(dev["out_of_domain"]) >= 20
    assert {i for item in dev["in_domain"] for i in item["expect"]} <= BY_ID.keys()
    assert [
        item["q"] for item in dev["in_domain"] if re.sub(r"\W+", " ", item["q"].lower()).strip() in known
    ] == []
