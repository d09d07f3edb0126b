"""Knowledge entries: Markdown files with YAML front matter, loaded and checked.

An entry restates one fact or short answer and says where it came from. `sources.yml`
in a knowledge folder names the guides once; an entry's `source.guide` is either a key
of that file or a title written out (as ingested documents do).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Literal

import frontmatter
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

SOURCES_FILE = "sources.yml"
SKIPPED_FILES = {"README.md"}


class KnowledgeError(Exception):
    """An entry file or the sources file cannot be used; the message names the file."""


class Source(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    guide: str = Field(min_length=1)
    section: str = Field(min_length=1)
    url: str | None = None


ANSWER = "answer"
# An entry for a question the guides leave open: it says so and names who would know.
REFERRAL = "referral"


class KnowledgeEntry(BaseModel):
    """One entry. An answer cites at least one source; a referral cites none, since it
    restates no fact from a guide."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    title: str = Field(min_length=1)
    topic: str = Field(min_length=1)
    kind: Literal["answer", "referral"] = ANSWER
    source: list[Source] = []
    questions: list[str] = []
    body: str = Field(min_length=1)

    @field_validator("source", mode="before")
    @classmethod
    def _one_or_many(cls, value: object) -> object:
        return [value] if isinstance(value, dict) else value

    @model_validator(mode="after")
    def _sourced_if_answer(self) -> KnowledgeEntry:
        if self.kind == ANSWER and not self.source:
            raise ValueError("an answer needs a `source` (guide and section)")
        if self.kind == REFERRAL and self.source:
            raise ValueError("a referral restates no guide, so it has no `source`")
        return self


def load_guides(directory: Path) -> dict[str, dict]:
    """The guides named in a knowledge folder's sources.yml (empty when it has none)."""
    path = directory / SOURCES_FILE
    if not path.exists():
        return {}
    try:
        guides = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as error:
        raise KnowledgeError(f"{path} is not valid YAML: {error}") from error
    if not isinstance(guides, dict) or not all(isinstance(guide, dict) for guide in guides.values()):
        raise KnowledgeError(f"{path} must map each guide key to its title, file and url")
    return guides


def entry_files(directories: Iterable[Path]) -> list[Path]:
    """Every entry file under the given folders, in a stable order; missing folders are skipped."""
    files: list[Path] = []
    for directory in directories:
        if directory.is_dir():
            files.extend(sorted(path for path in directory.rglob("*.md") if path.name not in SKIPPED_FILES))
    return files


def parse_entry(path: Path, guides: dict[str, dict]) -> KnowledgeEntry:
    """One entry, with guide keys replaced by the guide's title and address."""
    try:
        post = frontmatter.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise KnowledgeError(f"{path}: cannot read its front matter: {error}") from error
    try:
        entry = KnowledgeEntry.model_validate({**post.metadata, "body": post.content.strip()})
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(str(part) for part in issue['loc'])}: {issue['msg']}" for issue in error.errors()
        )
        raise KnowledgeError(f"{path}: {problems}") from error
    resolved = []
    for source in entry.source:
        guide = guides.get(source.guide)
        if guide is None:
            resolved.append(source)
        else:
            resolved.append(
                Source(guide=guide["title"], section=source.section, url=source.url or guide.get("url"))
            )
    return entry.model_copy(update={"source": resolved})


def load_entries(directories: Iterable[Path]) -> list[KnowledgeEntry]:
    """All entries under the folders; ids must be unique across them."""
    entries: list[KnowledgeEntry] = []
    seen: dict[str, Path] = {}
    for directory in directories:
        guides = load_guides(directory)
        for path in entry_files([directory]):
            entry = parse_entry(path, guides)
            if entry.id in seen:
                raise KnowledgeError(f"{path}: id {entry.id!r} is already used by {seen[entry.id]}")
            seen[entry.id] = path
            entries.append(entry)
    return entries


def knowledge_fingerprint(directories: Iterable[Path]) -> tuple:
    """Names, sizes and times of the knowledge files: cheap enough to read on every request."""
    directories = list(directories)
    files = entry_files(directories) + [d / SOURCES_FILE for d in directories if (d / SOURCES_FILE).exists()]
    return tuple((str(path), path.stat().st_mtime_ns, path.stat().st_size) for path in files)


def content_hash(entries: Iterable[KnowledgeEntry]) -> str:
    """A hash of everything an index is built from, so a changed entry makes the index stale."""
    canonical = json.dumps([entry.model_dump(mode="json") for entry in entries], sort_keys=True)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
