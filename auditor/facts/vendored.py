"""Vendored code: bundled third-party projects and build artefacts, which are not the project's.

A research repository often carries a copy of someone else's package (`segment_anything/`,
`nnUNet/`, `third_party/mmseg/`) or build output (`*.egg-info/`). Their licenses, requirement files
and training scripts say nothing about the project, so checks look at `project_files` instead of
every file.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from auditor.facts.repository import Facts, fact
from auditor.resources import file_families
from auditor.snapshot import name_matcher


def _named_folders(parent: str, wanted: Callable[[str], bool]) -> Iterator[str]:
    """The folders on the way to `parent` (`a/b` -> `a`, `a/b`) whose name is `wanted`. Only their
    names are cut out to be tested, in one pass: a path 10,000 folders deep costs its length, not
    10,000 strings of it."""
    start = 0
    while True:
        cut = parent.find("/", start)
        end = len(parent) if cut < 0 else cut
        if wanted(parent[start:end]):
            yield parent[:end]
        if cut < 0:
            return
        start = cut + 1


@fact
def vendored_roots(facts: Facts) -> dict[str, str]:
    """Outermost vendored folders, each with the reason it is considered someone else's."""
    families = file_families()
    is_vendored = name_matcher(tuple(families["vendored_dirs"]))
    known = {p.lower() for p in families["known_packages"]}
    code_ext = tuple(families["code_extensions"])

    def candidate(name: str) -> bool:
        return is_vendored(name) or name.lower().replace("-", "_") in known

    parents = {path.rpartition("/")[0] for path in facts.files}  # a tree has few of them
    folders = {d for parent in parents if parent for d in _named_folders(parent, candidate)}
    roots: dict[str, str] = {}
    inside: tuple[str, ...] = ()  # the roots found, as prefixes: inside one, a folder is not a root
    for folder in sorted(folders, key=lambda f: (f.count("/"), f)):
        if folder.startswith(inside):
            continue
        name = folder.rpartition("/")[2]
        if is_vendored(name):
            roots[folder] = "third-party or build folder"
        elif _holds_code(facts, folder, code_ext):
            roots[folder] = f"copy of the package {name}"
        else:
            continue
        inside += (folder + "/",)
    return roots


def _holds_code(facts: Facts, folder: str, code_ext: tuple[str, ...]) -> bool:
    prefix = folder + "/"
    return any(p.startswith(prefix) and p.lower().endswith(code_ext) for p in facts.files)


def vendored_root(facts: Facts, path: str) -> str | None:
    """The vendored folder that holds `path`, if any."""
    roots = vendored_roots(facts)
    if not roots or "/" not in path:
        return None
    return next((root for root in roots if path.startswith(root + "/")), None)  # roots do not nest


@fact
def project_files(facts: Facts) -> list[str]:
    """The files that belong to the project itself: everything outside vendored folders."""
    prefixes = tuple(root + "/" for root in vendored_roots(facts))
    return [p for p in facts.files if not p.startswith(prefixes)] if prefixes else list(facts.files)
