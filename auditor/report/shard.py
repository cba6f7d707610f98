"""`--shard K/N`: a stable slice of a corpus, so N runners can audit it side by side.

A paper (or a `--repo` target) belongs to shard K when the hash of its id (or repository key)
falls there: a paper stays in its shard when others are added to the corpus or removed, so the
clone caches of each shard stay warm from one scheduled run to the next.
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

    def holds(self, key: str) -> bool:
        digest = hashlib.sha256(key.encode("utf-8")).digest()
        return int.from_bytes(digest[:8], "big") % self.count == self.index - 1

    def select(self, items: Iterable[T], key: Callable[[T], str]) -> list[T]:
        return [item for item in items if self.holds(key(item))]

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"
