"""`Facts`: one repository's snapshot and everything derived from it, each computed at most once.

The artifact stage and every check of a repository share one `Facts` object, so a README is
parsed, a tree classified and a code search run once however many of them ask. A derived fact is
a module-level function decorated with `@fact`; its value is kept in the object it was asked of
(no global cache, nothing keyed by object identity). `with_artifacts` gives the same facts with the
statuses the artifact stage found, sharing what was already computed: the probes change no other
fact.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import cached_property, wraps
from typing import Any, TypeVar

from auditor.acquire.snapshot import DEFAULT_READ_CAP, Snapshot, TextFile, TreeEntry
from auditor.models import Artifact, RepoFacts

T = TypeVar("T")


class Facts:
    """What checks may know of a repository: its files (through the snapshot) and derived facts."""

    def __init__(
        self,
        snapshot: Snapshot,
        artifacts: Sequence[Artifact] | None = None,
        *,
        _memo: dict[str, Any] | None = None,
    ) -> None:
        self.snapshot = snapshot
        # The artifact stage's statuses; None before it ran (or in pure tests): the repository's
        # own record (`RepoFacts.artifacts`, from a test) stands in.
        self._probed = artifacts is not None
        self.artifacts: list[Artifact] = list(
            artifacts if artifacts is not None else snapshot.repo.artifacts or []
        )
        self._memo: dict[str, Any] = {} if _memo is None else _memo

    def with_artifacts(self, artifacts: Sequence[Artifact]) -> Facts:
        """These facts, with the artifact links' statuses; derived facts are shared, not redone."""
        return Facts(self.snapshot, artifacts, _memo=self._memo)

    @property
    def repo(self) -> RepoFacts:
        """What acquisition learned (status, URL, commit, releases …), with the probed artifacts."""
        return self._record

    @cached_property
    def _record(self) -> RepoFacts:
        if not self._probed:
            return self.snapshot.repo
        return self.snapshot.repo.model_copy(update={"artifacts": self.artifacts})

    @cached_property
    def probes(self) -> dict[str, Artifact]:
        """The probed artifacts by URL."""
        return {a.url: a for a in self.artifacts}

    @property
    def entries(self) -> dict[str, TreeEntry]:
        return self.snapshot.entries

    @property
    def files(self) -> list[str]:
        return self.snapshot.files

    @property
    def root_files(self) -> list[str]:
        return self.snapshot.root_files

    def text(self, path: str, cap: int = DEFAULT_READ_CAP) -> TextFile | None:
        return self.snapshot.text(path, cap)

    def memo(self, key: str, compute: Callable[[], T]) -> T:
        if key not in self._memo:
            self._memo[key] = compute()
        value: T = self._memo[key]
        return value


def fact(fn: Callable[[Facts], T]) -> Callable[[Facts], T]:
    """A fact of a repository: computed once per `Facts`, however many checks ask for it."""
    key = f"{fn.__module__}.{fn.__qualname__}"

    @wraps(fn)
    def cached(facts: Facts) -> T:
        return facts.memo(key, lambda: fn(facts))

    return cached
