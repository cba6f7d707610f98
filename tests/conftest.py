from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from githubserver import FakeGitHub
from gitrepos import Files, make_repo
from hypothesis import settings

# Property tests draw the same examples on every run, so a suite that passed passes again (on CI
# too); HYPOTHESIS_PROFILE=explore draws new ones, to look for more (and keep what it finds as an
# @example of the test).
settings.register_profile("suite", derandomize=True)
settings.register_profile("explore", derandomize=False, max_examples=2000)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "suite"))


@pytest.fixture
def mirror(tmp_path: Path) -> tuple[Path, Callable[..., Path]]:
    """A folder of repositories laid out as MIRROR/{owner}/{name}, and a function to add one."""
    root = tmp_path / "mirror"

    def add(owner: str, name: str, files: Files, **kwargs: object) -> Path:
        return make_repo(root / owner / name, files, **kwargs)  # type: ignore[arg-type]

    return root, add


@pytest.fixture(autouse=True)
def _reproducible(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")


@pytest.fixture
def github() -> Iterator[FakeGitHub]:
    """A local GitHub API on 127.0.0.1, serving repositories added with `github.add`."""
    with FakeGitHub() as server:
        yield server


@pytest.fixture
def segtool_github(github: FakeGitHub, tmp_path: Path) -> FakeGitHub:
    """A finished research repository and a placeholder, served by the fake GitHub."""
    github.add(
        "lab/SegTool",
        make_repo(
            tmp_path / "repos" / "segtool",
            {"README.md": "# SegTool\n", "train.py": "import torch\n", "LICENSE": "MIT License\n"},
        ),
        license="MIT",
    )
    github.add(
        "someone/Placeholder",
        make_repo(tmp_path / "repos" / "placeholder", {"README.md": "# Placeholder\nCode coming soon.\n"}),
    )
    return github
