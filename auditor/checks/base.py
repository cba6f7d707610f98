"""The check registry and the helpers checks share."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache

from auditor.models import Evidence, Outcome
from auditor.resources import load_yaml
from auditor.snapshot import Snapshot, name_matcher


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


@cache
def file_families() -> dict[str, list[str]]:
    data: dict[str, list[str]] = load_yaml("files.yaml")
    return data


def is_vendored(path: str) -> bool:
    """Whether a path lies in a folder of third-party or build files."""
    return _vendored_dir(path.rpartition("/")[0])


@cache
def _vendored_dir(folder: str) -> bool:
    """Cached per folder: a repository of 100k files has only hundreds of folders."""
    matcher = name_matcher(tuple(file_families()["vendored_dirs"]))
    return any(matcher(part) for part in folder.split("/") if part)


def project_files(snap: Snapshot) -> list[str]:
    return [p for p in snap.files if not is_vendored(p)]
