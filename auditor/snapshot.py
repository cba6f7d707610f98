"""A repository as acquisition hands it on: a file tree with sizes, a capped reader, its record.

Git clones, the GitHub API and local folders all produce this one interface, so the facts and
checks drawn from it never care where the files came from and do no I/O beyond asking the reader.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache, cached_property

from auditor.models import EntryKind, RepoFacts

# The most bytes any check reads of one file: enough for any README, license or requirements file.
DEFAULT_READ_CAP = 512 * 1024

Reader = Callable[[str, int], bytes | None]


@dataclass(frozen=True, slots=True)
class TreeEntry:
    """One path of a tree. A plain dataclass, not a model: trees of 5,000 entries are built per
    repository and never leave the process."""

    path: str
    kind: EntryKind = EntryKind.FILE
    size: int | None = None  # bytes; None when not known (a blob the clone filtered out)


@dataclass(frozen=True)
class TextFile:
    path: str
    text: str
    truncated: bool


@dataclass
class Snapshot:
    repo: RepoFacts  # what acquisition learned: status, URL, commit, releases …
    entries: dict[str, TreeEntry]
    reader: Reader = field(repr=False)
    _texts: dict[str, TextFile | None] = field(default_factory=dict, repr=False)

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

    def text(self, path: str, cap: int = DEFAULT_READ_CAP) -> TextFile | None:
        """A file's text (UTF-8, undecodable bytes replaced), read once; None if unreadable.

        Symlinks and submodules are never read: a README that links to /etc/passwd stays unread.
        """
        if path in self._texts:
            return self._texts[path]
        entry = self.entries.get(path)
        result: TextFile | None = None
        if entry is not None and entry.kind is EntryKind.FILE:
            data = self.reader(path, cap + 1)
            if data is not None and b"\x00" not in data[:8000]:
                result = TextFile(path, data[:cap].decode("utf-8", "replace"), len(data) > cap)
        self._texts[path] = result
        return result


@cache
def name_matcher(patterns: tuple[str, ...]) -> Callable[[str], bool]:
    """One compiled, case-insensitive test for a set of shell patterns (fast over 100k files).

    A name can match a pattern only if it starts with the pattern's literal head and ends with its
    literal tail (`requirements` … `.txt`): most names fail both string tests and never reach the
    regex, whose dozens of case-insensitive alternatives cost a microsecond a name."""
    regex = re.compile("|".join(fnmatch.translate(p) for p in patterns), re.IGNORECASE)
    heads, tails = set(), set()
    for pattern in (p.lower() for p in patterns):
        head, tail = re.split(r"[*?\[]", pattern)[0], re.split(r"[*?\]]", pattern)[-1]
        if not head and not tail:  # `*`, `*.*`: any name may match
            return lambda name: regex.match(name) is not None
        heads.update([head] if head else [])
        tails.update([tail] if tail else [])
    starts, ends = tuple(heads), tuple(tails)

    def matches(name: str) -> bool:
        low = name.lower()
        return (low.startswith(starts) or low.endswith(ends)) and regex.match(name) is not None

    return matches


def entries_from(items: Iterable[TreeEntry]) -> dict[str, TreeEntry]:
    return {e.path: e for e in items}
