"""The code base stays lint-clean and strictly typed: the same tools CI would run."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    "command",
    [
        ["ruff", "check", "auditor", "tests", "benchmarks"],
        ["ruff", "format", "--check", "auditor", "tests", "benchmarks"],
        ["mypy"],
    ],
    ids=["ruff", "ruff-format", "mypy"],
)
def test_tool_passes(command):
    exe = shutil.which(command[0], path=str(Path(sys.executable).parent)) or shutil.which(command[0])
    assert exe, f"{command[0]} is not installed: pip install -e '.[test]'"
    done = subprocess.run([exe, *command[1:]], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
