"""Packaging files parsed once per repository.

A pyproject.toml is read by the dependency facts (its requirements), the license facts (its
license) and the command facts (its console scripts): it is parsed once, however many ask.
"""

from __future__ import annotations

import posixpath
import re
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


# A line of `conda list --export`: `name=version=build`, pinned to the build.
CONDA_EXPORT = re.compile(r"^(?P<name>[A-Za-z0-9_.\-]+)=(?P<version>[\w.+!]+)(=[\w.+\-]+)?$")


def conda_export(text: str) -> list[tuple[int, str]] | None:
    """The packages of a `conda list --export` file, by line number, whatever the file is named (an
    export saved as `env.yml` is no environment YAML: `conda env create` cannot read it); None when
    the text is something else."""
    rows = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        row = CONDA_EXPORT.match(line)
        if row is None:
            return None
        rows.append((number, row.group("name").lower()))
    return rows or None


_INCLUDE = re.compile(r"^\s*(?:-r|--requirement)(?:\s+|=)(\S+)")


def requirement_include(line: str, path: str) -> tuple[str, str] | None:
    """The file that a line of the requirements file `path` includes (`-r base.txt`,
    `--requirement=base.txt`): as written, and as a path of the tree, relative to that file's
    folder as pip reads it. None for any other line."""
    m = _INCLUDE.match(line)
    if m is None:
        return None
    return m.group(1), posixpath.normpath(posixpath.join(posixpath.dirname(path), m.group(1)))
