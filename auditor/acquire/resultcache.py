"""Audit results kept between runs, so an unchanged repository is re-reported for one request.

A result is stored under what determines it: the repository as the run names it (key, URL, the
folder the link pointed into), the source, the commit audited and the repository's tags (a new tag
may come with a new release), the checklist (its whole content, not only its version) and the tool
version, and whether artifact links were probed. A later run that finds the same commit and tags
by its one cheap request (`git ls-remote`, the git host's ref advertisement, or a share of a GraphQL
request) reuses the result instead of fetching and checking again.

What the host says beside git (stars, the archived flag, release assets added to an existing
release) and what artifact links answer (a model taken down) can change without a new commit or
tag; a result older than `MAX_AGE` is therefore not reused, which bounds how stale those facts can
be. The caller keeps only complete results: none with a file left unread or a link whose probe
failed.

One file per repository (the latest result only), written atomically: a line with the signature
and the time it was saved, then the audit as the report will show it (with its evidence files'
addresses, see `auditor.report.stats.with_file_urls`), read back by one validation; a file that
does not parse or validate is a miss. Deleting the folder is always safe.
"""

from __future__ import annotations

import functools
import hashlib
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from pydantic import ValidationError

from auditor.data.atomic import write_atomic
from auditor.models import Checklist, NetworkCost, RepoAudit

MAX_AGE = 7 * 24 * 3600.0


class Head(NamedTuple):
    """What identifies the content an audit read: the commit, and a digest of the tags."""

    commit: str
    tags: str = ""


@dataclass(frozen=True)
class ResultCache:
    root: Path
    tool_version: str
    checklist: Checklist
    context: str = ""  # anything else the results depend on, as words: "artifact links probed"
    max_age: float = MAX_AGE
    clock: Callable[[], float] = time.time

    def get(self, *, key: str, signature: str) -> RepoAudit | None:
        """The stored result for `key` if it was computed under `signature` and is fresh enough."""
        try:
            with self._path(key).open("rb") as handle:
                stored = json.loads(handle.readline())
                if stored["signature"] != signature or self.clock() - stored["saved_at"] > self.max_age:
                    return None
                return RepoAudit.model_validate_json(handle.read())
        except (OSError, ValueError, KeyError, TypeError, ValidationError):
            return None

    def put(self, audit: RepoAudit, *, signature: str) -> None:
        """Keep `audit` (its network cost dropped: that belongs to the run that reports it)."""
        path = self._path(audit.repo.key)
        kept = audit.model_copy(update={"repo": audit.repo.model_copy(update={"cost": NetworkCost()})})
        header = json.dumps({"signature": signature, "saved_at": self.clock()})
        write_atomic(path, [header, "\n", kept.model_dump_json()], sync=False)  # a power cut may lose it

    def signature(self, *, key: str, url: str, subpath: str | None, source: str, head: Head) -> str:
        """Everything a result depends on, digested."""
        parts = {
            "key": key,
            "url": url,
            "subpath": subpath,
            "source": source,
            "commit": head.commit,
            "tags": head.tags,
            "checklist": self._checklist_digest,
            "tool": self.tool_version,
            "context": self.context,
        }
        return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()

    @functools.cached_property
    def _checklist_digest(self) -> str:
        """The checklist's whole content, digested once per run rather than once per repository."""
        content = json.dumps(self.checklist.model_dump(mode="json"), sort_keys=True)
        return hashlib.sha256(content.encode()).hexdigest()

    def _path(self, key: str) -> Path:
        name = hashlib.sha256(key.encode()).hexdigest()
        return self.root / name[:2] / f"{name}.json"
