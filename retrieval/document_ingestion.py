"""Turning a hospital's own documents (.md, .txt, .html, .pdf) into knowledge entries.

Each document becomes one entry file in the ingested folder, split into sections under
its headings; the index then chunks and embeds it like any other entry. Lines that
repeat (adverts, "Enroll now" banners, page headers and footers, bullet markers) are
dropped as boilerplate.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import frontmatter
from bs4 import BeautifulSoup
from pypdf import PdfReader

SUPPORTED_SUFFIXES = (".md", ".markdown", ".txt", ".html", ".htm", ".pdf")
HEADING_MAX_WORDS = 15
PARAGRAPH_MIN_WORDS = 20
_HTML_NOISE = ["script", "style", "nav", "header", "footer", "aside", "form", "noscript", "template"]
_HTML_BLOCKS = ["h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "td", "th", "pre", "blockquote", "dd", "dt"]


class IngestionError(Exception):
    """A file cannot be ingested; the message names it and why."""


@dataclass(frozen=True)
class Line:
    text: str
    heading: bool = False


@dataclass(frozen=True)
class Document:
    path: Path
    title: str
    lines: list[Line]


def _words(text: str) -> int:
    return len(re.findall(r"\w+", text))


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _plain_lines(text: str) -> list[Line]:
    """Headings in plain text: a short line without closing punctuation before a real paragraph."""
    raw = [_clean(line) for line in text.splitlines()]
    raw = [line for line in raw if line]
    lines = []
    for position, line in enumerate(raw):
        following = next((other for other in raw[position + 1 :] if re.search(r"[A-Za-z]", other)), "")
        heading = (
            _words(line) <= HEADING_MAX_WORDS
            and not re.search(r"[.,;:]$", line)
            and _words(following) >= PARAGRAPH_MIN_WORDS
        )
        lines.append(Line(line, heading))
    return lines


def _markdown_lines(text: str) -> list[Line]:
    lines = []
    for line in frontmatter.loads(text).content.splitlines():
        heading = re.match(r"^#{1,6}\s+(.+?)\s*#*$", line)
        if heading:
            lines.append(Line(_clean(heading.group(1)), heading=True))
        elif _clean(line):
            lines.append(Line(_clean(line)))
    return lines


def _html_document(path: Path, html: str) -> tuple[str | None, list[Line]]:
    soup = BeautifulSoup(html, "html.parser")
    title = _clean(soup.title.get_text()) if soup.title else None
    for noise in soup.find_all(_HTML_NOISE):
        noise.decompose()
    lines = []
    for element in soup.find_all(_HTML_BLOCKS):
        if element.find(_HTML_BLOCKS):  # its text comes with the inner blocks
            continue
        text = _clean(element.get_text(" "))
        if text:
            heading = element.name.startswith("h") and element.name[1:].isdigit()
            lines.append(Line(f"- {text}" if element.name == "li" else text, heading))
    return title, lines


def read_document(path: Path) -> Document:
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise IngestionError(
            f"{path}: cannot ingest {suffix or 'files without a suffix'}; "
            f"supported: {', '.join(SUPPORTED_SUFFIXES)}"
        )
    title: str | None = None
    try:
        if suffix == ".pdf":
            reader = PdfReader(path)
            title = _clean(reader.metadata.title) if reader.metadata and reader.metadata.title else None
            lines = _plain_lines("\n".join(page.extract_text() or "" for page in reader.pages))
        else:
            text = path.read_text(encoding="utf-8", errors="replace")
            if suffix in (".html", ".htm"):
                title, lines = _html_document(path, text)
            elif suffix in (".md", ".markdown"):
                lines = _markdown_lines(text)
            else:
                lines = _plain_lines(text)
    except OSError as error:
        raise IngestionError(f"{path}: cannot read it: {error.strerror}") from error
    except Exception as error:  # pypdf and bs4 raise many types for damaged files
        raise IngestionError(f"{path}: cannot parse it as {suffix}: {error}") from error
    if title is None:
        title = next((line.text for line in lines if line.heading), None) or path.stem.replace("_", " ")
    return Document(path, title, lines)


def _boilerplate_key(text: str) -> str:
    return re.sub(r"\d+", "#", text.lower())


def drop_boilerplate(documents: list[Document]) -> list[Document]:
    """Without lines that have no words, or that repeat within a document or across documents."""
    within = Counter()
    across = Counter()
    for document in documents:
        keys = [_boilerplate_key(line.text) for line in document.lines]
        within.update({f"{document.path}\0{key}": count for key, count in Counter(keys).items()})
        across.update(set(keys))

    def keep(document: Document, line: Line) -> bool:
        key = _boilerplate_key(line.text)
        if not re.search(r"[A-Za-z]", line.text):
            return False
        repeated = within[f"{document.path}\0{key}"] > 1 or across[key] > 1
        return not (repeated and _words(line.text) >= 3)

    return [
        Document(document.path, document.title, [line for line in document.lines if keep(document, line)])
        for document in documents
    ]


def entry_id_for(path: Path) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", path.stem.lower()).strip("-") or "document"
    return f"doc-{slug}"


def to_entry_markdown(document: Document) -> str:
    """The document as an entry file: front matter, then its sections under `##` headings."""
    body: list[str] = []
    paragraph: list[str] = []

    def flush() -> None:
        if paragraph:
            body.append("\n".join(paragraph))
            paragraph.clear()

    for line in document.lines:
        if line.heading:
            flush()
            if line.text != document.title:
                body.append(f"## {line.text}")
        else:
            paragraph.append(line.text)
    flush()
    if not any(not block.startswith("## ") for block in body):
        raise IngestionError(f"{document.path}: no text is left after removing boilerplate")
    post = frontmatter.Post(
        "\n\n".join(body),
        id=entry_id_for(document.path),
        title=document.title,
        topic="general",
        source={"guide": document.title, "section": document.path.name},
        questions=[],
    )
    return frontmatter.dumps(post) + "\n"


def ingest(paths: list[Path], ingested_dir: Path) -> list[Path]:
    """Writes one entry file per document into ingested_dir; returns the files written."""
    documents = drop_boilerplate([read_document(path) for path in paths])
    ingested_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for document in documents:
        target = ingested_dir / f"{entry_id_for(document.path)}.md"
        target.write_text(to_entry_markdown(document), encoding="utf-8")
        written.append(target)
    return written
