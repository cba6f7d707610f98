"""The check registry and the helpers checks share."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from auditor.facts.repository import Facts
from auditor.models import Evidence, Outcome

# Modules of this package that hold no checks.
_NOT_CHECKS = frozenset({"base", "evaluate", "applicable", "checklist"})


@dataclass(frozen=True)
class Finding:
    outcome: Outcome
    message: str
    evidence: list[Evidence] = field(default_factory=list)


CheckFn = Callable[[Facts], Finding]
_REGISTRY: dict[str, CheckFn] = {}
_LOADED: list[bool] = []  # set once the check modules are imported


def check(item_id: str) -> Callable[[CheckFn], CheckFn]:
    """Register a function as the implementation of checklist item `item_id`."""

    def register(fn: CheckFn) -> CheckFn:
        if item_id in _REGISTRY:
            raise ValueError(f"two implementations of check {item_id!r}")
        _REGISTRY[item_id] = fn
        return fn

    return register


def registry() -> Mapping[str, CheckFn]:
    """Every check by item id. The check modules are imported at the first call: a re-run that
    takes every result from the cache never pays for them (markdown-it, tomllib, packaging and
    hundreds of patterns are a fifth of the start-up time)."""
    if not _LOADED:
        package = __name__.rpartition(".")[0]
        for module in pkgutil.iter_modules(importlib.import_module(package).__path__):
            if module.name not in _NOT_CHECKS:
                importlib.import_module(f"{package}.{module.name}")
        _LOADED.append(True)
    return _REGISTRY


def passed(message: str, *evidence: Evidence) -> Finding:
    return Finding(Outcome.PASS, message, list(evidence))


def failed(message: str, *evidence: Evidence) -> Finding:
    return Finding(Outcome.FAIL, message, list(evidence))


def unknown(message: str, *evidence: Evidence) -> Finding:
    return Finding(Outcome.UNKNOWN, message, list(evidence))


def not_applicable(message: str, *evidence: Evidence) -> Finding:
    return Finding(Outcome.NOT_APPLICABLE, message, list(evidence))
