"""What the servers' logs must not hold in normal use."""

from __future__ import annotations

import re
from pathlib import Path

ALARMS = re.compile(r"\bERROR\b|\bCRITICAL\b|Traceback \(most recent call last\)")


def alarms(text: str) -> list[str]:
    """The lines of `text` with ERROR, CRITICAL or a traceback."""
    return [line for line in text.splitlines() if ALARMS.search(line)]


def log_sizes(logs: list[Path]) -> dict[Path, int]:
    return {log: len(log.read_text()) for log in logs}


def alarms_since(sizes: dict[Path, int]) -> dict[str, list[str]]:
    """The alarming lines logged to each log since `sizes` (from log_sizes)."""
    return {log.name: alarms(log.read_text()[size:]) for log, size in sizes.items()}
