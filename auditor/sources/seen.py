"""What each source listed in earlier runs, kept in the cache folder: the day of its last listing
(where a dated source starts again with `--since last`) and the ids it listed.

Written atomically, and only once a run's report (or `links --save-corpus`'s file) is written,
so an interrupted run never marks papers seen that no report holds.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from auditor.data.atomic import write_atomic

# Ids kept per source: the newest, far more than any daily listing.
MAX_IDS = 100_000


class Seen:
    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            data = {}
        self._data: dict[str, dict[str, object]] = data if isinstance(data, dict) else {}

    @classmethod
    def in_cache(cls, cache_dir: Path) -> Seen:
        return cls(cache_dir / "sources" / "seen.json")

    def last(self, key: str) -> date | None:
        value = self._data.get(key, {}).get("last")
        try:
            return date.fromisoformat(value) if isinstance(value, str) else None
        except ValueError:
            return None

    def record(self, key: str, ids: list[str], day: date) -> None:
        known = self._data.get(key, {}).get("ids")
        kept = [i for i in known if isinstance(i, str)] if isinstance(known, list) else []
        have = set(kept)
        kept.extend(i for i in dict.fromkeys(ids) if i not in have)
        self._data[key] = {"last": day.isoformat(), "ids": kept[-MAX_IDS:]}

    def save(self) -> None:
        write_atomic(self.path, json.dumps(self._data, indent=1, sort_keys=True), sync=False)
