"""Build real git repositories from a dict of files, for tests that clone them by file:// URL."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

# Fixed identity and dates: the same files give the same commit id on every run.
_ENV = {
    "GIT_AUTHOR_NAME": "Test Author",
    "GIT_AUTHOR_EMAIL": "author@example.org",
    "GIT_COMMITTER_NAME": "Test Author",
    "GIT_COMMITTER_EMAIL": "author@example.org",
    "GIT_AUTHOR_DATE": "2025-01-01T00:00:00Z",
    "GIT_COMMITTER_DATE": "2025-01-01T00:00:00Z",
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_CONFIG_GLOBAL": "/dev/null",
}


def git(*args: str, cwd: Path) -> str:
    env = os.environ | _ENV
    return subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True, text=True).stdout


Files = dict[str, str | bytes]


def make_repo(
    path: Path, files: Files, *, branch: str = "main", symlinks: dict[str, str] | None = None
) -> Path:
    """A repository at `path` with one commit of `files` (and symlinks: name → target)."""
    path.mkdir(parents=True)
    git("init", "-q", "-b", branch, cwd=path)
    git("config", "uploadpack.allowFilter", "true", cwd=path)
    if files or symlinks:
        commit(path, files, symlinks=symlinks)
    return path


def commit(
    path: Path, files: Files, *, symlinks: dict[str, str] | None = None, message: str = "add files"
) -> str:
    for name, content in files.items():
        target = path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8")
    for name, dest in (symlinks or {}).items():
        (path / name).parent.mkdir(parents=True, exist_ok=True)
        os.symlink(dest, path / name)
    git("add", "-A", cwd=path)
    git("commit", "-q", "-m", message, cwd=path)
    return git("rev-parse", "HEAD", cwd=path).strip()
