"""Ingesting documents, tested on the raw guides in ../shared/seeds and on built files."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from fpdf import FPDF

from retrieval.advisor import KnowledgeAdvisor
from retrieval.document_ingestion import IngestionError, ingest
from retrieval.knowledge_entries import load_entries
from retrieval.knowledge_index import build_index
from tests import REPO_ROOT

# The raw guides stay outside the repo: beside the checkout, as in the workspace, or
# wherever ADVISOR_SEEDS_DIR points (a CI clone elsewhere finds the workspace copy).
SEED_CANDIDATES = [
    Path(os.environ.get("ADVISOR_SEEDS_DIR", REPO_ROOT.parent / "shared" / "seeds")),
    Path("/work/shared/seeds"),
]
SEEDS = next((path for path in SEED_CANDIDATES if path.is_dir()), SEED_CANDIDATES[0])
needs_seeds = pytest.mark.skipif(not SEEDS.is_dir(), reason=f"the raw guides are not in {SEED_CANDIDATES}")


@needs_seeds
def test_the_raw_guides_ingest_without_their_boilerplate(tmp_path):
    written = ingest(sorted(SEEDS.glob("*.txt")), tmp_path)
    [back_office, *_] = [path.read_text() for path in written]

    assert len(written) == 3
    assert "Enroll now" not in back_office
    assert "What You Can Do:" not in back_office
    assert "\n-\n" not in back_office
    assert "## Step 1: Understand Hospital Operations" in back_office
    assert "## Can I move into hospital management without a master\u2019s degree?" in back_office
    assert "Watch how patients are registered and discharged" in back_office


@needs_seeds
def test_ingested_guides_are_indexed_and_answer_questions(tmp_path, make_settings, encoder):
    settings = make_settings(knowledge_dirs=[tmp_path / "ingested"])
    ingest(sorted(SEEDS.glob("*.txt")), settings.ingested_dir)
    entries = load_entries(settings.knowledge_dirs)

    manifest = build_index(entries, encoder, settings.index_dir)
    searcher = KnowledgeAdvisor(settings, encoder).searcher()
    hits = searcher.search("Step 6: Seek Mentorship from Leaders", k=3)

    assert manifest.passages > 30
    assert any("Step 6: Seek Mentorship" in searcher.index.passages[hit.passage_id].title for hit in hits)


def test_html_keeps_the_content_and_drops_navigation_scripts_and_repeats(tmp_path):
    page = tmp_path / "Parking-Policy.html"
    page.write_text(
        "<html><head><title>Staff Parking Policy</title><script>var tracking = 1;</script></head><body>"
        "<nav><a href='/'>Home</a> <a href='/hr'>HR</a></nav>"
        "<h1>Staff Parking Policy</h1><p>Staff park in garage B after showing their badge at the gate.</p>"
        "<p>Call the intranet help desk on extension 5000 today</p>"
        "<h2>Night shifts</h2><ul><li>Night staff may use level 1.</li><li>Permits renew yearly.</li></ul>"
        "<p>Call the intranet help desk on extension 5000 today</p>"
        "<footer>Copyright Hospital</footer></body></html>"
    )

    [written] = ingest([page], tmp_path / "out")
    text = written.read_text()

    assert written.name == "doc-parking-policy.md"
    assert "title: Staff Parking Policy" in text
    assert "garage B" in text and "## Night shifts" in text and "- Night staff may use level 1." in text
    assert "tracking" not in text and "Home" not in text and "Copyright" not in text
    assert "help desk" not in text


def test_pdf_text_is_extracted_and_repeated_page_footers_dropped(tmp_path):
    pdf = FPDF()
    pdf.set_font("helvetica", size=11)
    bodies = [
        "New clerks book mandatory training courses through the learning portal in their first month.",
        "Badges for the records archive come from the security office once the manager signs the request.",
    ]
    for page, body in enumerate(bodies, start=1):
        pdf.add_page()
        for line in [body, f"Confidential internal document page {page} of 2"]:
            pdf.multi_cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
    path = tmp_path / "orientation.pdf"
    pdf.output(str(path))

    [written] = ingest([path], tmp_path / "out")
    text = written.read_text()

    assert "book mandatory training courses" in text and "security office" in text
    assert "Confidential" not in text


def test_markdown_and_text_files_are_accepted(tmp_path):
    (tmp_path / "notes.md").write_text("# Ward notes\n\n## Rota\n\nRotas are published on Fridays.\n")
    (tmp_path / "faq.txt").write_text("Lockers are assigned by facilities on request.\n")

    written = ingest([tmp_path / "notes.md", tmp_path / "faq.txt"], tmp_path / "out")

    assert [p.name for p in written] == ["doc-notes.md", "doc-faq.md"]
    assert "## Rota" in written[0].read_text() and "Lockers" in written[1].read_text()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("slides.pptx", b"x", "cannot ingest .pptx"),
        ("broken.pdf", b"%PDF-1.4 not really", "cannot parse it as .pdf"),
        ("empty.txt", b"-\n*\n", "no text is left"),
    ],
)
def test_files_that_cannot_be_ingested_are_named_with_the_reason(tmp_path, name, content, message):
    path: Path = tmp_path / name
    path.write_bytes(content)

    with pytest.raises(IngestionError, match=message):
        ingest([path], tmp_path / "out")
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())
