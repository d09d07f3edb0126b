from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from learning_from_use.from_store import review_from_store
from learning_from_use.knowledge_review import ReviewError, apply_review
from retrieval.knowledge_entries import load_entries
from tests.unit.learning_from_use.conftest import fill_store
from tests.unit.retrieval.conftest import write_entry


@pytest.fixture
def knowledge(tmp_path) -> Path:
    directory = tmp_path / "knowledge"
    directory.mkdir()
    (directory / "sources.yml").write_text(
        "test-guide:\n  title: The Test Guide\n  url: https://guide.example/\n"
    )
    path = write_entry(
        directory, "certs", "Certifications worth having", "CPHQ and CMM.", ["Which certifications help?"]
    )
    # A comment in the front matter must survive an edit.
    path.write_text(path.read_text().replace("questions:\n", "# phrasings people use\nquestions:\n"))
    return directory


@pytest.fixture
def review(sqlite_store, encoder, knowledge, tmp_path) -> Path:
    store = sqlite_store()
    fill_store(store)
    path = tmp_path / "review.yml"
    review_from_store(store.url, path, encoder, load_entries([knowledge]))
    return path


def edit(path: Path, change) -> None:
    header = "".join(line + "\n" for line in path.read_text().splitlines() if line.startswith("#"))
    content = yaml.safe_load(path.read_text())
    change(content)
    path.write_text(header + yaml.safe_dump(content, sort_keys=False))


def test_the_review_file_proposes_paraphrases_and_new_entries_none_approved(review):
    content = yaml.safe_load(review.read_text())

    assert [(p["entry"], p["question"]) for p in content["paraphrases"]] == [
        ("certs", "cphq worth it?"),
        ("certs", "which certifications should I get"),
    ]
    parking = next(e for e in content["new_entries"] if "staff" in e["title"].lower())
    assert parking["asked"] == 2 and len(parking["questions"]) == 2
    assert parking["answer"] == "" and parking["topic"] == "skills"  # the closest entry's topic
    assert not any(item["approve"] for items in content.values() for item in items)
    assert "make approve" in review.read_text()


def test_approving_adds_paraphrases_and_entries_and_leaves_the_rest_for_later(review, knowledge):
    def approve(content):
        content["paraphrases"][0]["approve"] = True
        parking = next(e for e in content["new_entries"] if "staff" in e["title"].lower())
        parking.update(id="staff-parking", approve=True, answer="Ask the estates office for a permit.",
                       source={"guide": "test-guide", "section": "Parking"})  # fmt: skip

    edit(review, approve)
    applied = apply_review(review, [knowledge])

    assert (applied.paraphrases, [p.name for p in applied.new_entries]) == (1, ["staff-parking.md"])
    entries = {entry.id: entry for entry in load_entries([knowledge])}
    assert entries["certs"].questions == ["Which certifications help?", "cphq worth it?"]
    assert "# phrasings people use" in (knowledge / "certs.md").read_text()
    assert (knowledge / "certs.md").read_text().endswith("CPHQ and CMM.\n")
    new = entries["staff-parking"]
    assert new.body == "Ask the estates office for a permit." and new.source[0].guide == "The Test Guide"
    left = yaml.safe_load(review.read_text())
    assert [p["question"] for p in left["paraphrases"]] == ["which certifications should I get"]
    assert all(e["id"] != "staff-parking" for e in left["new_entries"])
    # Applying again changes nothing.
    assert apply_review(review, [knowledge]).paraphrases == 0


def test_a_new_entry_without_answer_or_source_is_refused_and_nothing_changes(review, knowledge):
    before = (knowledge / "certs.md").read_text()

    def approve(content):
        content["paraphrases"][0]["approve"] = True
        content["new_entries"][0]["approve"] = True

    edit(review, approve)
    with pytest.raises(ReviewError) as refused:
        apply_review(review, [knowledge])

    assert "write the answer" in str(refused.value) and "name its source" in str(refused.value)
    assert (knowledge / "certs.md").read_text() == before
    assert not (knowledge / "reviewed").exists()


def test_a_paraphrase_for_an_unknown_entry_is_refused(review, knowledge):
    def approve(content):
        content["paraphrases"][0].update(entry="no-such-entry", approve=True)

    edit(review, approve)

    with pytest.raises(ReviewError, match="no entry 'no-such-entry'"):
        apply_review(review, [knowledge])


def test_a_missing_or_broken_review_file_is_explained(tmp_path, knowledge):
    with pytest.raises(ReviewError, match="run `make review` first"):
        apply_review(tmp_path / "missing.yml", [knowledge])
    broken = tmp_path / "broken.yml"
    broken.write_text("paraphrases: [unclosed\n")
    with pytest.raises(ReviewError, match="not valid YAML"):
        apply_review(broken, [knowledge])
