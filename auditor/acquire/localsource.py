"""Snapshot of a local folder that is not a git repository (an author's work in progress).

Nothing outside the folder is read: a symlink is read as the path it leads to (os.readlink), never
opened, and files are opened with O_NOFOLLOW.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from auditor.acquire.snapshot import Snapshot, TreeEntry
from auditor.models import EntryKind, RepoFacts, RepoStatus

_SKIP_DIRS = frozenset({".git", ".hg", ".svn"})


def read_folder(root: Path, *, key: str) -> Snapshot:
    root = root.resolve()
    entries: dict[str, TreeEntry] = {}
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if d not in _SKIP_DIRS)
        base = Path(dirpath)
        for name in [*filenames, *(d for d in dirnames if (base / d).is_symlink())]:
            path = base / name
            rel = path.relative_to(root).as_posix()
            info = path.lstat()
            if stat.S_ISLNK(info.st_mode):
                entries[rel] = TreeEntry(path=rel, kind=EntryKind.SYMLINK)
            elif stat.S_ISREG(info.st_mode):
                entries[rel] = TreeEntry(path=rel, size=info.st_size)

    def reader(rel: str, cap: int) -> bytes | None:
        entry = entries.get(rel)
        if entry is not None and entry.kind is EntryKind.SYMLINK:
            try:  # where it leads, as git stores a link: `Snapshot.text` follows it inside the tree
                return os.fsencode(os.readlink(root / rel))[:cap]
            except OSError:
                return None
        try:
            fd = os.open(root / rel, os.O_RDONLY | os.O_NOFOLLOW)
        except OSError:
            return None
        with os.fdopen(fd, "rb") as handle:
            return handle.read(cap)

    files = sum(1 for e in entries.values() if e.kind is EntryKind.FILE)
    facts = RepoFacts(
        key=key,
        url=str(root),
        status=RepoStatus.OK,
        source="local",
        file_count=files,
        detail="folder is not a git repository: its files were audited as they are",
    )
    return Snapshot(repo=facts, entries=entries, reader=reader)
