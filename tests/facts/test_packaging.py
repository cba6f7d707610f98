"""Packaging files are parsed once per repository, however many facts read them."""

from __future__ import annotations

import pytest
from repos import TRAIN_PY
from snapshots import facts

from auditor.checks.checklist import load
from auditor.checks.evaluate import evaluate
from auditor.facts import environment, packaging
from auditor.facts.commands import console_script_targets
from auditor.facts.licenses import license_claims
from auditor.models import Outcome

PYPROJECT = """[project]
name = "segtool"
license = {text = "MIT"}
dependencies = ["torch==2.1.0", "numpy>=1.24"]

[project.scripts]
segtool-train = "segtool.train:main"
"""
SETUP_PY = "from setuptools import setup\n\nsetup(name='segtool', install_requires=['torch==2.1.0'])\n"


def test_a_pyproject_and_a_setup_py_are_parsed_once_for_every_fact(monkeypatch: pytest.MonkeyPatch):
    calls: list[str] = []
    parse_toml, setup_py = packaging.parse_toml, environment.setup_py_requirements
    monkeypatch.setattr(packaging, "parse_toml", lambda text: calls.append("toml") or parse_toml(text))
    monkeypatch.setattr(
        environment, "setup_py_requirements", lambda text: calls.append("setup.py") or setup_py(text)
    )
    files = {
        "README.md": "# SegTool\n",
        "train.py": TRAIN_PY,
        "pyproject.toml": PYPROJECT,
        "setup.py": SETUP_PY,
    }
    repo = facts(files)
    audit = evaluate(repo, load("midl"))
    assert {r.id: r.outcome for r in audit.results}["dependencies"] is Outcome.PASS
    # the dependency, license and command facts all read the pyproject
    assert [c.spdx for c in license_claims(repo)] == ["MIT"]
    assert "segtool-train" in console_script_targets(repo)
    assert sorted(calls) == ["setup.py", "toml"]
