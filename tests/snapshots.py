"""In-memory snapshots for pure check tests: a dict of files is a repository."""

from __future__ import annotations

from auditor.models import EntryKind, RepoFacts, RepoStatus, TreeEntry
from auditor.snapshot import Snapshot


def snapshot(files: dict[str, str | bytes], *, symlinks: tuple[str, ...] = ()) -> Snapshot:
    data = {k: v.encode() if isinstance(v, str) else v for k, v in files.items()}
    entries = {p: TreeEntry(path=p, size=len(b)) for p, b in data.items()}
    entries.update({p: TreeEntry(path=p, kind=EntryKind.SYMLINK) for p in symlinks})
    facts = RepoFacts(
        key="example/repo",
        url="https://example.org/repo",
        status=RepoStatus.OK,
        source="test",
        commit="0" * 40,
        file_count=len(data),
    )
    return Snapshot(
        facts=facts, entries=entries, reader=lambda path, cap: data[path][:cap] if path in data else None
    )
