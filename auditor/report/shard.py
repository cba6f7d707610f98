"""`--shard K/N`: a slice of the input, so N runners can audit it side by side.

What costs is repositories, so shards are balanced by repositories: the keys are sorted by a
stable hash (SHA-256 of the key) and the sorted list is cut into N contiguous runs whose sizes
differ by at most one. The same input always gives the same slices, and when the corpus grows a
new key only shifts the cuts: the keys that move are the few at the edges of a run, and only into
the neighbouring shard, so most clone caches stay warm. (Plain `hash % N` never moves a key but
leaves shards uneven: 15/12/8/4 repositories for the bundled corpus.)

Over papers, a shard audits the repositories of its slice of every repository the corpus links,
whichever papers link them, and reports the papers whose first repository is in its slice (papers
linking none are cut the same way by their id among themselves). A repository that only a project
page leads to is audited by the shard of the paper that found it.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TypeVar

T = TypeVar("T")
_SPEC = re.compile(r"\s*(\d+)\s*/\s*(\d+)\s*")


@dataclass(frozen=True)
class Shard:
    index: int  # 1-based, as written: 1/4 … 4/4
    count: int

    @classmethod
    def parse(cls, text: str) -> Shard:
        match = _SPEC.fullmatch(text)
        if not match:
            raise ValueError(f"shard must be K/N, like 2/4; got {text!r}")
        index, count = int(match[1]), int(match[2])
        if not 1 <= index <= count:
            raise ValueError(f"shard {index}/{count}: K must be between 1 and N")
        return cls(index, count)

    def slice(self, keys: Iterable[str]) -> set[str]:
        """This shard's run of `keys` sorted by hash."""
        ordered = sorted(set(keys), key=_rank)
        start, end = ((k * len(ordered)) // self.count for k in (self.index - 1, self.index))
        return set(ordered[start:end])

    def select(self, items: list[T], key: Callable[[T], str]) -> list[T]:
        """The items whose key is in this shard's slice of all their keys, in their order."""
        mine = self.slice(key(item) for item in items)
        return [item for item in items if key(item) in mine]

    def split(self, papers: list[tuple[str, list[str]]]) -> tuple[set[str], set[str]]:
        """Over papers given as (id, keys of the repositories it links directly), in corpus order:
        the ids of the papers this shard reports, and the repositories it audits."""
        audits = self.slice(key for _, keys in papers for key in keys)
        without = self.slice(paper for paper, keys in papers if not keys)
        reports = {paper for paper, keys in papers if (keys[0] in audits if keys else paper in without)}
        return reports, audits

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"


def _rank(key: str) -> bytes:
    return hashlib.sha256(key.encode("utf-8")).digest()
