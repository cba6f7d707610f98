"""Which files the checks will read, decided from the tree alone, before any of them is fetched.

Acquisition fetches the files of `planned` in one batch. The plan is a superset of what the facts
read that the tree alone determines: the READMEs and documents, license, dependency, packaging and
citation files, Makefiles, every source file and notebook of the project (the code searches read up
to hundreds of them, and which ones count as source depends on their size), and every weight file
(whether it is an empty stand-in or a Git LFS pointer depends on its size). A document found only
by reading another (a README's link to `docs/INSTALL.txt`, a `-r` include) cannot be planned: a
snapshot records that read as missed and the caller fetches it in a second batch. Anything else
read without being planned is a bug of this plan, which the tests catch. What planning itself
reads (the root packaging, which tells the project's own folders from copied packages) is fetched
with the plan.

Documents are planned generously, so that the second batch is rarely needed: READMEs and Markdown
or reStructuredText documents anywhere, shallowest first, up to a bound.
"""

from __future__ import annotations

from auditor.acquire.snapshot import name_matcher
from auditor.data import file_families
from auditor.facts.documents import base_dir, root_readme
from auditor.facts.licenses import license_files
from auditor.facts.repository import Facts
from auditor.facts.vendored import project_files
from auditor.facts.weights import weight_extension

# READMEs and documents planned, shallowest first: a linked document beyond them is fetched in the
# second batch. (Checks parse at most 65 documents of a repository.)
MAX_DOCUMENTS = 200
_DOCUMENTS = (".md", ".markdown", ".rst")
_PACKAGING = ("setup.py", "setup.cfg", "pyproject.toml")


def planned(facts: Facts) -> set[str]:
    """The files the checks will read, as far as the tree tells: a pure function of the tree."""
    families = file_families()
    is_readme = name_matcher(tuple(families["readme_files"]))
    is_dependency_file = name_matcher(tuple(families["dependency_files"]))
    code = tuple(families["code_extensions"])
    environment_dirs = {d.lower() for d in families["environment_dirs"]}
    base = base_dir(facts)
    out: set[str] = set()
    readme = root_readme(facts)
    if readme is not None:
        out.add(readme)
    documents = [p for p in facts.files if is_readme(p.rpartition("/")[2]) or p.lower().endswith(_DOCUMENTS)]
    documents.sort(key=lambda p: (p.count("/"), p))
    out.update(documents[:MAX_DOCUMENTS])
    out.update(license_files(facts))
    out.update(license_files(facts, ""))  # the root's, which a subfolder's may not be
    out.update(p for p in facts.files if p.rpartition("/")[2].lower() in _PACKAGING)
    citing = {f"{base}/{n}" if base else n for n in file_families()["citation_files"]}
    out.update(p for p in facts.files if p.lower() in citing)
    for path in project_files(facts):
        folder, _, name = path.rpartition("/")
        lower = name.lower()
        if (
            is_dependency_file(name)
            or name == "Makefile"  # what a README's `make` runs
            or lower.endswith(code)
            or weight_extension(path) is not None
            or (lower.endswith((".yml", ".yaml")) and (not folder or folder.lower() in environment_dirs))
        ):
            out.add(path)
    return out
