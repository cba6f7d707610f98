"""A repository as acquisition hands it on: a file tree with sizes, a capped reader, its record.

Git clones, the GitHub API and local folders all produce this one interface, so the facts and
checks drawn from it never care where the files came from and do no I/O beyond asking the reader.

A snapshot may come with its files not fetched yet (`pending`; a git tree fetched without blobs,
whose sizes are unknown too): the caller decides from the tree which files will be read and asks
for them in one batch (`prefetch`). Reading a pending file, or the entry of a file whose size is
unknown, gives what an unreadable file gives and is recorded in `missed`, never fetched behind the
caller's back: the next batch fetches it (documents found only by reading), or a test shows the
plan forgot it.
"""

from __future__ import annotations

import fnmatch
import posixpath
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache, cached_property
from typing import NamedTuple

from auditor.models import EntryKind, RepoFacts, RepoStatus

# The most bytes any check reads of one file: enough for any README, license or requirements file.
DEFAULT_READ_CAP = 512 * 1024
# Symbolic links followed in a row (a link to a link …), and the longest target read of one.
MAX_LINK_HOPS = 8
MAX_LINK_TARGET = 4096
# A notebook keeps its outputs: plots embedded as base64 make one of a few dozen lines of code
# several megabytes, and its code is what the checks read. So notebooks are fetched and read up to
# this size, whatever the blob limit of other files.
NOTEBOOK_LIMIT = 10 * 1024 * 1024


def read_limit(path: str, blob_limit: int) -> int:
    """The size from which a file of the repository is neither fetched nor read."""
    return max(blob_limit, NOTEBOOK_LIMIT) if path.lower().endswith(".ipynb") else blob_limit


Reader = Callable[[str, int], bytes | None]
# Fetches the blobs of these (pending) paths in one batch, updating the tree and `pending`; returns
# what it asked of the network, for the repository's cost (git commands), or raises FetchFailed.
Fetcher = Callable[[set[str]], list[str]]


class FetchFailed(Exception):
    """Fetching files failed in a way that ends the repository's audit: it gets this status."""

    def __init__(self, status: RepoStatus, detail: str, *, contacted: list[str]) -> None:
        super().__init__(detail)
        self.status, self.detail, self.contacted = status, detail, contacted


@dataclass(frozen=True, slots=True)
class TreeEntry:
    """One path of a tree. A plain dataclass, not a model: trees of 5,000 entries are built per
    repository and never leave the process."""

    path: str
    kind: EntryKind = EntryKind.FILE
    size: int | None = None  # bytes; None when not known (a blob the clone filtered out)


class TextFile(NamedTuple):
    path: str
    text: str
    truncated: bool


class Tree(dict[str, TreeEntry]):
    """A tree whose blobs are fetched on plan: the size of a file not fetched yet (`unsized`) is
    not known, and reading it (`tree[path].size`) records the file in `missed`. Its path, its kind
    and whether it exists are known from the tree alone, and asking them records nothing."""

    def __init__(self, entries: dict[str, TreeEntry], unsized: set[str]) -> None:
        super().__init__(entries)
        self.unsized = unsized
        self.missed: set[str] = set()

    def __getitem__(self, path: str) -> TreeEntry:
        entry = super().__getitem__(path)
        return _Unsized(entry, self.missed) if path in self.unsized else entry


class _Unsized(TreeEntry):
    """The entry of a file whose blob is not fetched: its size reads as unknown, and is recorded."""

    _missed: set[str]

    def __init__(self, entry: TreeEntry, missed: set[str]) -> None:
        object.__setattr__(self, "path", entry.path)
        object.__setattr__(self, "kind", entry.kind)
        object.__setattr__(self, "_missed", missed)

    @property
    def size(self) -> int | None:
        self._missed.add(self.path)
        return None


@dataclass
class Snapshot:
    repo: RepoFacts  # what acquisition learned: status, URL, commit, releases …
    entries: dict[str, TreeEntry]
    reader: Reader = field(repr=False)
    # Files whose content acquisition has not fetched yet, and how to fetch some of them.
    pending: set[str] = field(default_factory=set, repr=False)
    fetcher: Fetcher | None = field(default=None, repr=False)
    missed: set[str] = field(default_factory=set, repr=False)
    # Texts read, by path and cap: a notebook is read whole (1 MB), other files to the default cap.
    _texts: dict[tuple[str, int], TextFile | None] = field(default_factory=dict, repr=False)

    @cached_property
    def files(self) -> list[str]:
        """Paths of regular files, sorted."""
        return sorted(p for p, e in self.entries.items() if e.kind is EntryKind.FILE)

    @cached_property
    def root_files(self) -> list[str]:
        return [p for p in self.files if "/" not in p]

    def glob(self, *patterns: str, root_only: bool = False) -> list[str]:
        """Files whose name (not path) matches any pattern, case-insensitively."""
        matcher = name_matcher(patterns)
        pool = self.root_files if root_only else self.files
        return [p for p in pool if matcher(p.rpartition("/")[2])]

    def text(self, path: str, cap: int = DEFAULT_READ_CAP, hops: int = 0) -> TextFile | None:
        """A file's text (UTF-8, undecodable bytes replaced), read once; None if unreadable.

        A symbolic link is read as the file of the tree it leads to (`README.md ->
        documentation/README.md`, as GitHub shows it): its target is the text the reader gives of
        the link itself, and only a regular file of this tree is read through it, never a path
        out of it (a README that links to /etc/passwd stays unread). Submodules are never read.
        """
        if (path, cap) in self._texts:
            return self._texts[path, cap]
        if path in self.pending:
            self.missed.add(path)
            return None
        entry = self.entries.get(path)
        result: TextFile | None = None
        if entry is not None and entry.kind is EntryKind.FILE:
            data = self.reader(path, cap + 1)
            if data is not None and b"\x00" not in data[:8000]:
                result = TextFile(path, data[:cap].decode("utf-8", "replace"), len(data) > cap)
        elif entry is not None and entry.kind is EntryKind.SYMLINK and hops < MAX_LINK_HOPS:
            target = self._link_target(path)
            result = self.text(target, cap, hops + 1) if target is not None else None
        self._texts[path, cap] = result
        return result

    def _link_target(self, path: str) -> str | None:
        """The path of the tree a symbolic link leads to, or None: unreadable, or out of the tree."""
        data = self.reader(path, MAX_LINK_TARGET + 1)
        if not data or len(data) > MAX_LINK_TARGET or b"\x00" in data:
            return None
        written = data.decode("utf-8", "replace")
        target = posixpath.normpath(posixpath.join(posixpath.dirname(path), written))
        if written.startswith("/") or target == ".." or target.startswith("../"):
            return None
        return target

    def prefetch(self, paths: set[str]) -> None:
        """Fetch the pending files among `paths` in one batch (nothing to do for a complete tree).
        A failure that ends the audit (the clone over its size cap, the host gone) becomes the
        repository's status, and its tree is dropped."""
        wanted = {p for p in paths if p in self.pending}
        if not wanted or self.fetcher is None:
            return
        try:
            contacted = self.fetcher(wanted)
        except FetchFailed as failed:
            self._cost(failed.contacted)
            self.repo = self.repo.model_copy(update={"status": failed.status, "detail": failed.detail})
            self.entries, self.pending, self.fetcher = {}, set(), None
            self.__dict__.pop("files", None)
            self.__dict__.pop("root_files", None)
            return
        self._cost(contacted)

    def _cost(self, contacted: list[str]) -> None:
        if contacted:
            cost = self.repo.cost.model_copy(update={"git": [*self.repo.cost.git, *contacted]})
            self.repo = self.repo.model_copy(update={"cost": cost})

    def take_missed(self) -> set[str]:
        """The pending files read or looked up since the last call: what the plan did not fetch."""
        missed = self.missed | (self.entries.missed if isinstance(self.entries, Tree) else set())
        self.missed = set()
        if isinstance(self.entries, Tree):
            self.entries.missed = set()
        return missed


@cache
def name_matcher(patterns: tuple[str, ...]) -> Callable[[str], bool]:
    """One compiled, case-insensitive test for a set of shell patterns (fast over 100k files).

    A name can match a pattern only if it starts with the pattern's literal head and ends with its
    literal tail (`requirements` … `.txt`): most names fail both string tests and never reach the
    regex, whose dozens of case-insensitive alternatives cost a microsecond a name. It is compiled
    when a name first passes them: in many trees none does."""
    source = "|".join(fnmatch.translate(p) for p in patterns)
    heads, tails = set(), set()
    for pattern in (p.lower() for p in patterns):
        head, tail = re.split(r"[*?\[]", pattern)[0], re.split(r"[*?\]]", pattern)[-1]
        if not head and not tail:  # `*`, `*.*`: any name may match
            regex = re.compile(source, re.IGNORECASE)
            return lambda name: regex.match(name) is not None
        heads.update([head] if head else [])
        tails.update([tail] if tail else [])
    starts, ends = tuple(heads), tuple(tails)
    compiled: list[re.Pattern[str]] = []

    def matches(name: str) -> bool:
        low = name.lower()
        if not (low.startswith(starts) or low.endswith(ends)):
            return False
        if not compiled:
            compiled.append(re.compile(source, re.IGNORECASE))
        return compiled[0].match(name) is not None

    return matches


def entries_from(items: Iterable[TreeEntry]) -> dict[str, TreeEntry]:
    return {e.path: e for e in items}
