"""Checks decided by which files the repository holds: README, license, dependencies, code."""

from __future__ import annotations

import re
from pathlib import PurePosixPath

from auditor.checks.base import (
    Finding,
    check,
    failed,
    file_families,
    passed,
    project_files,
    unknown,
)
from auditor.models import EntryKind, Evidence
from auditor.snapshot import Snapshot

_COMING_SOON = re.compile(
    r"coming soon|will be (?:released|available|uploaded|made public)|code (?:is )?(?:being )?cleaned|"
    r"under construction|stay tuned|\bTODO\b|\bTBD\b",
    re.IGNORECASE,
)


def _root_readme(snap: Snapshot) -> str | None:
    readmes = sorted(
        snap.glob(*file_families()["readme_files"], root_only=True),
        key=lambda p: (not p.lower().endswith(".md"), p),
    )
    return readmes[0] if readmes else None


@check("readme")
def readme(snap: Snapshot) -> Finding:
    path = _root_readme(snap)
    if path is None:
        links = [
            p
            for p, e in snap.entries.items()
            if e.kind is EntryKind.SYMLINK and PurePosixPath(p).name.lower().startswith("readme")
        ]
        if links:
            return failed("the README is a symbolic link, which is not followed", Evidence(path=links[0]))
        return failed("no README at the repository root")
    text = snap.text(path)
    if text is None:
        return unknown("the README could not be read as text", Evidence(path=path))
    if not text.text.strip():
        return failed("the README is empty", Evidence(path=path))
    lines = text.text.count("\n") + 1
    return passed(f"README with {lines} lines", Evidence(path=path))


@check("license")
def license_file(snap: Snapshot) -> Finding:
    found = snap.glob(*file_families()["license_files"], root_only=True)
    found += [p for p in snap.files if p.lower().startswith("licenses/")]
    if found:
        return passed("license file at the repository root", *(Evidence(path=p) for p in found))
    return failed("no LICENSE, LICENCE or COPYING file at the repository root")


@check("dependencies")
def dependencies(snap: Snapshot) -> Finding:
    names = file_families()["dependency_files"]
    matching = set(snap.glob(*names))
    found = [p for p in project_files(snap) if p in matching]
    if found:
        return passed(f"{len(found)} environment file(s)", *(Evidence(path=p) for p in found[:10]))
    return failed("no requirements, environment, setup or container file")


@check("code")
def code_present(snap: Snapshot) -> Finding:
    """Judged from the tree alone: README prose describing code does not make code exist."""
    exts = tuple(file_families()["code_extensions"])
    code = [p for p in project_files(snap) if p.lower().endswith(exts)]
    if code:
        return passed(f"{len(code)} source file(s)", *(Evidence(path=p) for p in code[:5]))
    evidence = [Evidence(path=p, note="only file(s) present") for p in snap.files[:5]]
    readme_path = _root_readme(snap)
    text = snap.text(readme_path) if readme_path else None
    if text is not None:
        for number, line in enumerate(text.text.splitlines(), start=1):
            if _COMING_SOON.search(line):
                evidence.append(Evidence(path=readme_path, line=number, note=line.strip()[:160]))
                break
    return failed(f"placeholder: no source code among {len(snap.files)} file(s)", *evidence)
