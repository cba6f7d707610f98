"""Vendored code: bundled third-party projects and build artefacts, which are not the project's.

A research repository often carries a copy of someone else's package (`segment_anything/`,
`nnUNet/`, `third_party/mmseg/`), the baselines it compares against, or build output
(`*.egg-info/`). Their licenses, requirement files and training scripts say nothing about the
project, so checks look at `project_files` instead of every file. A framework's folder is the
project's own when the repository is that framework's tree (its root packaging declares it, or
the folder holds all of its code: a fork with the method inside) or goes by its name.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from urllib.parse import urlsplit

from auditor.acquire.snapshot import name_matcher
from auditor.data import file_families
from auditor.facts.repository import Facts, fact


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
    is_baseline = name_matcher(tuple(families["baseline_dirs"]))
    known = {p.lower() for p in families["known_packages"]}
    code_ext = tuple(families["code_extensions"])

    said: dict[str, bool] = {}  # a tree's folders share few names

    def candidate(name: str) -> bool:
        found = said.get(name)
        if found is None:
            found = (
                is_vendored(name)
                or is_baseline(name)
                or name.lower().replace("-", "_") in known
                or _archive_of_another(facts, name)
            )
            said[name] = found
        return found

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
        elif is_baseline(name):
            roots[folder] = "the baselines compared against, not the method"
        elif _archive_of_another(facts, name):
            roots[folder] = f"copy of the repository {name.rpartition('-')[0]}, unpacked from its archive"
        elif _holds_code(facts, folder, code_ext) and not (
            (folder == name and (norm_name(name) in own_names(facts) or _only_code(facts, folder, code_ext)))
            or _method_inside(facts, folder, code_ext, known)
        ):
            roots[folder] = f"copy of the package {name}"
        else:
            continue
        inside += (folder + "/",)
    return roots


_PACKAGING = ("pyproject.toml", "setup.cfg", "setup.py")
_DECLARED_NAME = r"""^\s*(?:name|Package)\s*[=:]\s*['"]?([A-Za-z0-9_.\-]+)"""


@fact
def own_names(facts: Facts) -> frozenset[str]:
    """Names the repository goes by, normalised (`intensity-normalization` and
    `intensity_normalization` are one): its own name (`loli/medpy` holds `medpy/`) and the package
    its root packaging (or an R package's DESCRIPTION) declares. A framework's folder under a root
    that declares that framework is the repository's own tree: a fork of the framework, with the
    method inside it."""
    names = {norm_name(urlsplit(facts.repo.url).path.rstrip("/").rpartition("/")[2].removesuffix(".git"))}
    for path in (*_PACKAGING, "DESCRIPTION"):
        text = facts.text(path) if path in facts.entries else None
        m = re.search(_DECLARED_NAME, text.text, re.MULTILINE) if text else None
        if m:
            names.add(norm_name(m.group(1)))
    return frozenset(names - {""})


def norm_name(name: str) -> str:
    return re.sub(r"[-_.]", "", name.lower())


def _only_code(facts: Facts, folder: str, code_ext: tuple[str, ...]) -> bool:
    """Whether a framework's folder at the root holds all of the repository's code: a repository
    that is a framework's tree and nothing else is a fork with the method inside it (new decode
    heads in a copied mmsegmentation), not a project that brought a copy along. A root that
    declares a package of another name is such a project, however little code it has yet."""
    if any(p in facts.entries for p in _PACKAGING):
        return False  # the root declares a package of its own: the framework is a copy beside it
    prefix = folder + "/"
    return not any(not p.startswith(prefix) and p.lower().endswith(code_ext) for p in facts.files)


# An own name this short (`unet`, `vit`) is part of too many of a framework's own file names.
MIN_OWN_NAME = 5
# The folder a code host's archive of a branch unpacks to (`MedViTV2-main`, `DiffMIC-master`).
_ARCHIVE = re.compile(r"(.+)-(main|master)")


def _archive_of_another(facts: Facts, name: str) -> bool:
    """Whether a folder is another repository as its archive unpacks (`MedViTV2-main`), not this
    one's own (`segtool-main` in segtool)."""
    m = _ARCHIVE.fullmatch(name)
    return m is not None and norm_name(m.group(1)) not in own_names(facts)


def _method_inside(facts: Facts, folder: str, code_ext: tuple[str, ...], known: set[str]) -> bool:
    """Whether a framework's copy holds source files named for this repository: the method built
    into its own copy (U-Mamba's `umamba/nnunetv2/.../nnUNetTrainerUMambaBot.py`), a fork."""
    frameworks = {norm_name(k) for k in known}
    names = [n for n in own_names(facts) if len(n) >= MIN_OWN_NAME and n not in frameworks]
    prefix = folder + "/"
    return bool(names) and any(
        p.startswith(prefix)
        and p.lower().endswith(code_ext)
        and any(n in norm_name(p.rpartition("/")[2]) for n in names)
        for p in facts.files
    )


def _holds_code(facts: Facts, folder: str, code_ext: tuple[str, ...]) -> bool:
    prefix = folder + "/"
    return any(p.startswith(prefix) and p.lower().endswith(code_ext) for p in facts.files)


@fact
def project_files(facts: Facts) -> list[str]:
    """The files that belong to the project itself: everything outside vendored folders."""
    prefixes = tuple(root + "/" for root in vendored_roots(facts))
    return [p for p in facts.files if not p.startswith(prefixes)] if prefixes else list(facts.files)
