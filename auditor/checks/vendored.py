"""Vendored code: bundled third-party projects and build artefacts, which are not the project's.

A research repository often carries a copy of someone else's package (`segment_anything/`,
`nnUNet/`, `third_party/mmseg/`) or build output (`*.egg-info/`). Their licenses, requirement files
and training scripts say nothing about the project, so checks look at `project_files` instead of
every file.
"""

from __future__ import annotations

import fnmatch
from pathlib import PurePosixPath

from auditor.checks.base import file_families, per_snapshot
from auditor.snapshot import Snapshot


def _dirs(path: str) -> list[str]:
    parts = PurePosixPath(path).parts[:-1]
    return ["/".join(parts[: i + 1]) for i in range(len(parts))]


@per_snapshot
def vendored_roots(snap: Snapshot) -> dict[str, str]:
    """Outermost vendored folders, each with the reason it is considered someone else's."""
    families = file_families()
    patterns = [p.lower() for p in families["vendored_dirs"]]
    known = {p.lower() for p in families["known_packages"]}
    code_ext = tuple(families["code_extensions"])
    folders: dict[str, bool] = {}  # folder -> holds code somewhere below
    for path in snap.files:
        has_code = path.lower().endswith(code_ext)
        for d in _dirs(path):
            folders[d] = folders.get(d, False) or has_code
    roots: dict[str, str] = {}
    for folder in sorted(folders, key=lambda f: (f.count("/"), f)):
        if any(folder.startswith(r + "/") for r in roots):
            continue
        name = PurePosixPath(folder).name.lower()
        if any(fnmatch.fnmatch(name, p) for p in patterns):
            roots[folder] = "third-party or build folder"
        elif name.replace("-", "_") in known and folders[folder]:
            roots[folder] = f"copy of the package {PurePosixPath(folder).name}"
    return roots


def vendored_root(snap: Snapshot, path: str) -> str | None:
    """The vendored folder that holds `path`, if any."""
    roots = vendored_roots(snap)
    return next((d for d in _dirs(path) if d in roots), None)


@per_snapshot
def project_files(snap: Snapshot) -> list[str]:
    """The files that belong to the project itself: everything outside vendored folders."""
    return [p for p in snap.files if vendored_root(snap, p) is None]
