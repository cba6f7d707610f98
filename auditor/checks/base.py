"""The check registry and the helpers checks share."""

from __future__ import annotations

import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache, wraps
from typing import Any, TypeVar

from auditor.models import Evidence, Outcome
from auditor.resources import load_yaml
from auditor.snapshot import Snapshot

T = TypeVar("T")


@dataclass(frozen=True)
class Finding:
    outcome: Outcome
    message: str
    evidence: list[Evidence] = field(default_factory=list)


CheckFn = Callable[[Snapshot], Finding]
REGISTRY: dict[str, CheckFn] = {}


def check(item_id: str) -> Callable[[CheckFn], CheckFn]:
    """Register a function as the implementation of checklist item `item_id`."""

    def register(fn: CheckFn) -> CheckFn:
        if item_id in REGISTRY:
            raise ValueError(f"two implementations of check {item_id!r}")
        REGISTRY[item_id] = fn
        return fn

    return register


def passed(message: str, *evidence: Evidence) -> Finding:
    return Finding(Outcome.PASS, message, list(evidence))


def failed(message: str, *evidence: Evidence) -> Finding:
    return Finding(Outcome.FAIL, message, list(evidence))


def unknown(message: str, *evidence: Evidence) -> Finding:
    return Finding(Outcome.UNKNOWN, message, list(evidence))


def not_applicable(message: str, *evidence: Evidence) -> Finding:
    return Finding(Outcome.NOT_APPLICABLE, message, list(evidence))


@cache
def data(name: str) -> dict[str, Any]:
    """A pattern file of auditor/data, loaded once."""
    loaded: dict[str, Any] = load_yaml(f"{name}.yaml")
    return loaded


def file_families() -> dict[str, list[str]]:
    return data("files")


_MEMO: dict[int, tuple[weakref.ref[Snapshot], dict[str, Any]]] = {}


def per_snapshot(fn: Callable[[Snapshot], T]) -> Callable[[Snapshot], T]:
    """Compute a fact of a snapshot once, however many checks ask for it.

    Snapshots are mutable (unhashable) dataclasses, so results are kept by object identity and
    dropped when the snapshot is garbage-collected.
    """
    key = f"{fn.__module__}.{fn.__qualname__}"

    @wraps(fn)
    def wrapper(snap: Snapshot) -> T:
        ident = id(snap)
        entry = _MEMO.get(ident)
        if entry is None or entry[0]() is not snap:
            entry = (weakref.ref(snap, lambda _ref: _MEMO.pop(ident, None)), {})
            _MEMO[ident] = entry
        store = entry[1]
        if key not in store:
            store[key] = fn(snap)
        result: T = store[key]
        return result

    return wrapper


def snippet(line: str, limit: int = 160) -> str:
    """A line of a file shortened for a report."""
    line = " ".join(line.split())
    return line if len(line) <= limit else line[: limit - 1] + "…"
