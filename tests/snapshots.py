"""In-memory snapshots for pure check tests: a dict of files is a repository."""

from __future__ import annotations

from auditor.acquire.snapshot import Snapshot, TreeEntry
from auditor.facts.repository import Facts
from auditor.models import Artifact, EntryKind, Release, RepoFacts, RepoStatus

# A file given as LARGE stands for a blob over the clone's size filter: listed, size unknown,
# never readable (what a 1 MB blob filter leaves of a weight file or a big notebook).
LARGE = object()


def snapshot(
    files: dict[str, str | bytes | object],
    *,
    symlinks: tuple[str, ...] | dict[str, str] = (),  # names, or names and where each leads
    url: str = "https://github.com/lab/segtool",
    subpath: str | None = None,
    truncated: bool = False,
    license_spdx: str | None = None,
    releases: list[Release] | None = None,
    artifacts: list[Artifact] | None = None,
    source: str = "test",
) -> Snapshot:
    data = {k: v.encode() if isinstance(v, str) else v for k, v in files.items() if v is not LARGE}
    entries = {p: TreeEntry(path=p, size=len(b)) for p, b in data.items() if isinstance(b, bytes)}
    entries.update({p: TreeEntry(path=p, size=None) for p, v in files.items() if v is LARGE})
    entries.update({p: TreeEntry(path=p, kind=EntryKind.SYMLINK) for p in symlinks})
    facts = RepoFacts(
        key=url.removeprefix("https://").lower(),
        url=url,
        status=RepoStatus.OK,
        source=source,
        commit="0" * 40,
        file_count=len(entries),
        subpath=subpath,
        tree_truncated=truncated,
        license_spdx=license_spdx,
        releases=releases,
        artifacts=artifacts,
    )

    targets = symlinks if isinstance(symlinks, dict) else {}

    def reader(path: str, cap: int) -> bytes | None:
        blob = targets[path].encode() if path in targets else data.get(path)  # a link: where it leads
        return blob[:cap] if isinstance(blob, bytes) else None

    return Snapshot(repo=facts, entries=entries, reader=reader)


def facts(files: dict[str, str | bytes | object], **kwargs: object) -> Facts:
    """The facts of a repository of `files`, as checks see them (see `snapshot` for the options)."""
    return Facts(snapshot(files, **kwargs))  # type: ignore[arg-type]
