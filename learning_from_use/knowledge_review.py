"""From use back into the knowledge base: a review file a maintainer edits, then approves.

`export_review` writes candidate paraphrases (words that reached an entry only through
"did you mean", or whose answer people rated helpful) and candidate new entries (clusters
of unanswered questions, with a suggested title, topic and id) to a YAML file, every item
`approve: false`. The maintainer sets `approve: true` on some, writes the answer and its
source for new entries (in their own words: the bot only says what knowledge/ says), and
`apply_review` adds them to knowledge/: a paraphrase to its entry's `questions` (front
matter edited with ruamel.yaml, so comments, quoting and the body stay as they were), a
new entry as a Markdown file in knowledge/reviewed/. Nothing is written unless every
approved item is valid and the knowledge base still loads afterwards. Applied items
leave the review file.
"""

from __future__ import annotations

import io
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import frontmatter
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from ruamel.yaml import YAML

from learning_from_use.personal_data import EMAIL, NAME, PHONE
from learning_from_use.question_clusters import QuestionCluster
from learning_from_use.usage import Usage, normalised
from retrieval.knowledge_entries import KnowledgeEntry, KnowledgeError, entry_files, load_entries

REVIEWED_FOLDER = "reviewed"
EVIDENCE = {"picked_suggestion": 'picked from "did you mean"', "rated_helpful": "answer rated helpful"}
HEADER = """\
# Knowledge review, written by `make review` from {store} on {date}.
# Set `approve: true` on what should go into knowledge/, then run `make approve`
# (it adds them and rebuilds the index). A paraphrase is added to its entry's questions.
# A new entry needs, before it can be approved, an `answer` in your own words and the
# `source` it comes from (a guide key from knowledge/sources.yml, or a document's title,
# and its section); check its id, title, topic and questions too. Delete what you reject.
"""


class ReviewError(Exception):
    """The review file cannot be applied; the message lists every problem, nothing was written."""


class _Item(BaseModel):
    model_config = ConfigDict(extra="ignore")
    approve: bool = False


class ParaphraseItem(_Item):
    entry: str = Field(min_length=1)
    question: str = Field(min_length=1)


class ReviewSource(BaseModel):
    guide: str = ""
    section: str = ""


class NewEntryItem(_Item):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    title: str = Field(min_length=1)
    topic: str = Field(min_length=1)
    questions: list[str] = Field(min_length=1)
    answer: str = ""
    source: ReviewSource = ReviewSource()


@dataclass(frozen=True)
class Applied:
    paraphrases: int
    new_entries: list[Path]
    skipped: int  # approved paraphrases the entry already had


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60] or "entry"


def _masked(question: str) -> bool:
    return any(mask in question for mask in (NAME, EMAIL, PHONE))


def paraphrase_candidates(usage: Usage, entries: Sequence[KnowledgeEntry]) -> list[dict]:
    known = {entry.id: {normalised(q) for q in [entry.title, *entry.questions]} for entry in entries}
    titles = {entry.id: entry.title for entry in entries}
    evidence: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    wording: dict[tuple[str, str], str] = {}
    for paraphrase in usage.paraphrases:
        key = (paraphrase.entry_id, normalised(paraphrase.question))
        if (
            paraphrase.entry_id not in known
            or key[1] in known[paraphrase.entry_id]
            or _masked(paraphrase.question)
        ):
            continue
        evidence[key][paraphrase.evidence] += 1
        wording.setdefault(key, paraphrase.question.strip())
    ranked = sorted(evidence, key=lambda key: (-sum(evidence[key].values()), key))
    return [
        {
            "entry": entry_id,
            "entry_title": titles[entry_id],
            "question": wording[(entry_id, text)],
            "evidence": ", ".join(
                f"{EVIDENCE[kind]} ({n})" for kind, n in sorted(evidence[(entry_id, text)].items())
            ),
            "approve": False,
        }
        for entry_id, text in ranked
    ]


def new_entry_candidates(
    clusters: Sequence[QuestionCluster], entries: Sequence[KnowledgeEntry]
) -> list[dict]:
    taken = {entry.id for entry in entries}
    candidates = []
    for cluster in clusters:
        entry_id = slug(cluster.title)
        while entry_id in taken:
            entry_id = f"{entry_id}-new"
        taken.add(entry_id)
        candidates.append(
            {
                "id": entry_id,
                "title": cluster.title,
                "topic": cluster.nearest.topic if cluster.nearest else "other",
                "questions": [q for q in cluster.questions if not _masked(q)] or cluster.questions,
                "asked": cluster.count,
                "closest_entry": f"{cluster.nearest.entry_id} (similarity {cluster.nearest.similarity:.2f})"
                if cluster.nearest
                else None,
                "answer": "",
                "source": {"guide": "", "section": ""},
                "approve": False,
            }
        )
    return candidates


def export_review(
    usage: Usage,
    clusters: Sequence[QuestionCluster],
    entries: Sequence[KnowledgeEntry],
    store: str,
    path: Path,
) -> tuple[int, int]:
    """Writes the review file; returns how many paraphrases and new entries it proposes."""
    review = {
        "paraphrases": paraphrase_candidates(usage, entries),
        "new_entries": new_entry_candidates(clusters, entries),
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    header = HEADER.format(store=store, date=datetime.now(tz=UTC).strftime("%Y-%m-%d %H:%M UTC"))
    body = yaml.safe_dump(review, sort_keys=False, allow_unicode=True, width=100)
    path.write_text(header + body, encoding="utf-8")
    return len(review["paraphrases"]), len(review["new_entries"])


def _round_trip() -> YAML:
    handler = YAML(typ="rt")
    handler.preserve_quotes = True
    handler.width = 4096
    handler.indent(mapping=2, sequence=4, offset=2)
    return handler


def with_question(text: str, question: str) -> str:
    """The entry file's text with one more question in its front matter, everything else as it was."""
    front, content = frontmatter.YAMLHandler().split(text)
    handler = _round_trip()
    metadata = handler.load(front)
    questions = metadata.get("questions")
    if questions is None:
        metadata["questions"] = [question]
    else:
        questions.append(question)
    dumped = io.StringIO()
    handler.dump(metadata, dumped)
    return f"---\n{dumped.getvalue()}---\n{content.lstrip(chr(10))}"


def entry_markdown(item: NewEntryItem) -> str:
    metadata = {
        "id": item.id,
        "title": item.title,
        "topic": item.topic,
        "source": {"guide": item.source.guide.strip(), "section": item.source.section.strip()},
        "questions": [q.strip() for q in item.questions if q.strip()],
    }
    front = yaml.safe_dump(metadata, sort_keys=False, allow_unicode=True, width=100)
    return f"---\n{front}---\n{item.answer.strip()}\n"


def _read_review(path: Path) -> tuple[str, dict]:
    """The review file's text and content."""
    try:
        text = path.read_text(encoding="utf-8")
        review = yaml.safe_load(text) or {}
    except OSError as error:
        raise ReviewError(
            f"cannot read the review file {path}: {error.strerror}; run `make review` first"
        ) from error
    except yaml.YAMLError as error:
        raise ReviewError(f"{path} is not valid YAML: {error}") from error
    if not isinstance(review, dict):
        raise ReviewError(f"{path} must hold `paraphrases` and `new_entries` lists")
    return text, review


def _parse(raw: list, model: type[_Item], where: str, problems: list[str]) -> list:
    items = []
    for number, item in enumerate(raw or [], start=1):
        try:
            items.append(model.model_validate(item))
        except ValidationError as error:
            if isinstance(item, dict) and item.get("approve"):
                details = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in error.errors())
                problems.append(f"{where} #{number}: {details}")
            items.append(None)
    return items


def apply_review(path: Path, knowledge_dirs: Sequence[Path]) -> Applied:
    """Adds the approved items to knowledge/ and removes them from the review file."""
    text, review = _read_review(path)
    problems: list[str] = []
    paraphrases = _parse(review.get("paraphrases"), ParaphraseItem, "paraphrases", problems)
    new_entries = _parse(review.get("new_entries"), NewEntryItem, "new_entries", problems)
    files = {}
    for file in entry_files(knowledge_dirs):
        try:
            files[frontmatter.loads(file.read_text(encoding="utf-8")).get("id")] = file
        except (OSError, yaml.YAMLError):
            continue  # load_entries below names a broken file
    for number, item in enumerate(paraphrases, start=1):
        if item and item.approve and item.entry not in files:
            folders = ", ".join(map(str, knowledge_dirs))
            problems.append(f"paraphrases #{number}: there is no entry {item.entry!r} in {folders}")
    target = Path(knowledge_dirs[0]) / REVIEWED_FOLDER
    for number, item in enumerate(new_entries, start=1):
        if not (item and item.approve):
            continue
        if not item.answer.strip():
            problems.append(f"new_entries #{number} ({item.id}): write the answer before approving it")
        if not (item.source.guide.strip() and item.source.section.strip()):
            problems.append(f"new_entries #{number} ({item.id}): name its source (guide and section)")
        if item.id in files:
            problems.append(f"new_entries #{number}: id {item.id!r} is already used by {files[item.id]}")
    if problems:
        raise ReviewError("nothing was changed:\n- " + "\n- ".join(problems))

    originals: dict[Path, str | None] = {}
    added = skipped = 0
    for item in paraphrases:
        if not (item and item.approve):
            continue
        file = files[item.entry]
        text = file.read_text(encoding="utf-8")
        known = frontmatter.loads(text).get("questions") or []
        if normalised(item.question) in {normalised(str(q)) for q in known}:
            skipped += 1
            continue
        originals.setdefault(file, text)
        file.write_text(with_question(text, item.question.strip()), encoding="utf-8")
        added += 1
    written = []
    for item in new_entries:
        if item and item.approve:
            file = target / f"{item.id}.md"
            originals.setdefault(file, file.read_text(encoding="utf-8") if file.exists() else None)
            target.mkdir(parents=True, exist_ok=True)
            file.write_text(entry_markdown(item), encoding="utf-8")
            written.append(file)
    try:
        load_entries(knowledge_dirs)
    except KnowledgeError as error:
        for file, text in originals.items():
            if text is None:
                file.unlink(missing_ok=True)
            else:
                file.write_text(text, encoding="utf-8")
        raise ReviewError(f"nothing was changed: the knowledge base would not load: {error}") from error

    remaining = {
        key: [
            raw for raw, item in zip(review.get(key) or [], items, strict=True) if not (item and item.approve)
        ]
        for key, items in (("paraphrases", paraphrases), ("new_entries", new_entries))
    }
    header = "".join(line + "\n" for line in text.splitlines() if line.startswith("#"))
    path.write_text(
        header + yaml.safe_dump(remaining, sort_keys=False, allow_unicode=True, width=100), encoding="utf-8"
    )
    return Applied(paraphrases=added, new_entries=written, skipped=skipped)
