from __future__ import annotations

from retrieval.chunking import MAX_PASSAGE_WORDS, chunk_entry, search_texts, word_count
from retrieval.knowledge_entries import KnowledgeEntry, Source

SOURCE = Source(guide="Staff Handbook", section="handbook.pdf")


def entry(body: str, questions: list[str] | None = None) -> KnowledgeEntry:
    return KnowledgeEntry(
        id="doc", title="Handbook", topic="general", source=[SOURCE], questions=questions or [], body=body
    )


def test_a_short_entry_is_one_passage_with_the_entry_id_and_its_questions():
    [passage] = chunk_entry(entry("Short answer.", ["how?", "why?"]))

    assert (passage.id, passage.entry_id, passage.text, passage.questions) == (
        "doc",
        "doc",
        "Short answer.",
        ("how?", "why?"),
    )
    assert [(t.kind, t.text) for t in search_texts([passage])] == [
        ("passage", "Handbook\nShort answer."),
        ("question", "how?"),
        ("question", "why?"),
    ]


def test_a_long_document_splits_under_its_headings_within_the_word_limit():
    long_paragraph = " ".join(f"Sentence number {n} about parking permits." for n in range(60))
    body = f"Intro paragraph.\n\n## Parking\n\n{long_paragraph}\n\n## Badges\n\nBadges come from security."

    passages = chunk_entry(entry(body, ["where do I park"]))

    assert [p.id for p in passages] == [f"doc--{n}" for n in range(1, len(passages) + 1)]
    assert len(passages) >= 4
    assert all(word_count(p.text) <= MAX_PASSAGE_WORDS for p in passages)
    assert passages[-1].title == "Handbook: Badges"
    assert passages[-1].sources[0].section == "Badges (handbook.pdf)"
    # The entry's phrasings lead to its first passage only.
    assert passages[0].questions == ("where do I park",) and passages[1].questions == ()
    assert "Sentence number 59" in " ".join(p.text for p in passages)
