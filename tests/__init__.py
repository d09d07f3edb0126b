"""Tests for the career advisor; REPO_ROOT is the one serving/ defines."""

from serving import REPO_ROOT

__all__ = ["REPO_ROOT"]
