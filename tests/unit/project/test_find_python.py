"""scripts/find-python: how setup finds each interpreter, and what it says when it can't."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests import REPO_ROOT

FIND_PYTHON = REPO_ROOT / "scripts/find-python"


def find_python(version: str, path: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [shutil.which("bash"), str(FIND_PYTHON), version],
        env={"PATH": path, **env}, capture_output=True, text=True, check=False,
    )  # fmt: skip


def bare_path(tmp_path: Path) -> str:
    """A PATH with the basic tools and a broken `python3.10`, as an inactive pyenv shim is."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in ("bash", "cat", "grep", "sort"):
        (bin_dir / tool).symlink_to(shutil.which(tool))
    shim = bin_dir / "python3.10"
    shim.write_text("#!/bin/sh\necho 'pyenv: python3.10: command not found' >&2\nexit 127\n")
    shim.chmod(0o755)
    return str(bin_dir)


def test_the_variable_named_after_the_version_wins():
    version = f"{sys.version_info[0]}.{sys.version_info[1]}"
    variable = f"PYTHON{version.replace('.', '')}"

    result = find_python(version, os.environ["PATH"], **{variable: sys.executable})

    assert result.returncode == 0
    assert Path(result.stdout.strip()).resolve() == Path(sys.executable).resolve()


def test_a_variable_pointing_at_another_version_is_refused():
    result = find_python("3.10", os.environ["PATH"], PYTHON310=sys.executable)

    assert sys.version_info[:2] != (3, 10)
    assert result.returncode == 1
    assert "$PYTHON310 is set to" in result.stderr


def test_with_no_interpreter_it_says_how_to_get_one(tmp_path):
    result = find_python("3.10", bare_path(tmp_path))

    assert result.returncode == 1
    assert result.stdout == ""
    assert "no Python 3.10 found" in result.stderr
    assert "pyenv install 3.10" in result.stderr
    assert "PYTHON310=/path/to/python3.10" in result.stderr
