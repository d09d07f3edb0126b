"""Retrieval settings: `retrieval.yml`, validated, with environment overrides."""

from __future__ import annotations

import os
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from serving import REPO_ROOT

DEFAULT_SETTINGS_FILE = REPO_ROOT / "retrieval.yml"

ENV_OVERRIDES = {
    "ADVISOR_EMBEDDING_MODEL": "embedding_model",
    "ADVISOR_INDEX_DIR": "index_dir",
    "ADVISOR_HUMAN_CONTACT": "human_contact",
}


class SettingsError(Exception):
    """The settings file is missing, is not YAML, or holds invalid values."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Fusion(_Strict):
    dense_weight: float = Field(1.0, ge=0)
    lexical_weight: float = Field(0.35, ge=0)
    lexical_saturation: float = Field(8.0, gt=0)


class Bands(_Strict):
    confident: float
    unsure: float
    # A confident answer also needs this lead over the best passage of any other entry;
    # closer than that, the bot asks "did you mean" with both instead of guessing.
    margin: float = Field(0.0, ge=0)

    @model_validator(mode="after")
    def _ordered(self) -> Bands:
        if self.unsure > self.confident:
            raise ValueError("bands.unsure must not be above bands.confident")
        return self


class RetrievalSettings(_Strict):
    embedding_model: str = Field(min_length=1)
    knowledge_dirs: list[Path] = Field(min_length=1)
    ingested_dir: Path
    index_dir: Path
    exact_search_max_vectors: int = Field(20000, gt=0)
    fusion: Fusion = Fusion()
    bands: Bands
    human_contact: str = Field(min_length=1)
    # Entries that lay out the whole path into management: a question asking for "the steps"
    # is answered with the best fitting of these, and offered a personal plan.
    roadmap_entries: list[str] = []
    # Roadmaps for clinical staff, offered only to someone who said they are clinical.
    clinical_roadmap_entries: list[str] = []


def load_settings(path: Path | str | None = None) -> RetrievalSettings:
    """Reads the settings file (default: ADVISOR_RETRIEVAL_CONFIG, else retrieval.yml)."""
    path = Path(path or os.environ.get("ADVISOR_RETRIEVAL_CONFIG") or DEFAULT_SETTINGS_FILE)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise SettingsError(f"cannot read the retrieval settings {path}: {error.strerror}") from error
    except yaml.YAMLError as error:
        raise SettingsError(f"{path} is not valid YAML: {error}") from error
    if not isinstance(raw, dict):
        raise SettingsError(f"{path} must be a mapping of settings, not {type(raw).__name__}")
    for variable, key in ENV_OVERRIDES.items():
        if os.environ.get(variable):
            raw[key] = os.environ[variable]
    try:
        settings = RetrievalSettings.model_validate(raw)
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(str(part) for part in issue['loc'])}: {issue['msg']}" for issue in error.errors()
        )
        raise SettingsError(f"{path} has invalid settings: {problems}") from error
    base = path.resolve().parent
    return settings.model_copy(
        update={
            "knowledge_dirs": [base / directory for directory in settings.knowledge_dirs],
            "ingested_dir": base / settings.ingested_dir,
            "index_dir": base / settings.index_dir,
        }
    )
