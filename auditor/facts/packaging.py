"""Packaging files parsed once per repository.

A pyproject.toml is read by the dependency facts (its requirements), the license facts (its
license) and the command facts (its console scripts): it is parsed once, however many ask.
"""

from __future__ import annotations

from typing import Any

from auditor.data.parse import ParseRefused, parse_toml
from auditor.facts.repository import Facts


def toml_document(facts: Facts, path: str) -> dict[str, Any] | None:
    """The TOML document at `path`; None when it cannot be read or the guarded parser refuses it."""
    return facts.memo(f"toml:{path}", lambda: _toml(facts, path))


def _toml(facts: Facts, path: str) -> dict[str, Any] | None:
    text = facts.text(path)
    if text is None:
        return None
    try:
        doc = parse_toml(text.text)
    except ParseRefused:
        return None
    return doc if isinstance(doc, dict) else None
