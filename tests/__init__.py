"""Tests for the career advisor; REPO_ROOT is shared by every tier and by bench/."""

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
