"""Data instructions: where to obtain the data, and how to prepare it.

Passes on a link to a dataset host, or a data section with links or download commands, or data
shipped in the tree. A data section that only names datasets or only shows preparation, with no
source, is `unknown`; "available on request" or "private data" with nothing else is a failure.
"""

from __future__ import annotations

import re
from functools import cache

from auditor.checks.base import (
    Finding,
    check,
    data,
    failed,
    file_families,
    not_applicable,
    passed,
    per_snapshot,
    snippet,
    unknown,
)
from auditor.checks.kind import CURATED_LIST, host_matches, ml_evidence, repo_kind, source_files
from auditor.checks.markdown import Document
from auditor.checks.probed import DEAD, dead_message, describe, probe
from auditor.checks.readmes import linked_documents, resolve, root_document, root_readme
from auditor.checks.vendored import project_files
from auditor.models import Artifact, ArtifactStatus, Evidence
from auditor.snapshot import Snapshot

_DOWNLOAD = re.compile(r"^(wget|curl|gdown|hf|huggingface-cli|kaggle|aws|gsutil|azcopy|rsync|zenodo_get)$")
_DATA_WORDS = re.compile(
    r"\b(data ?sets?|data|images|annotations?|labels|masks|scans|volumes|cohort)\b", re.I
)
_MODEL_WORDS = re.compile(r"\b(weights?|checkpoints?|ckpts?|pre-?trained|models?)\b", re.I)
_CLOSED = re.compile(
    r"\b((available )?(up)?on (reasonable )?request|private data ?sets?|in-?house data ?(sets?)?|"
    r"cannot (be )?(publicly )?(shared?|released?|distributed?)|not (be )?publicly available)\b",
    re.IGNORECASE,
)
# A command that downloads a dataset wherever it stands in the README.
_DATASET_DOWNLOAD = re.compile(
    r"\b(hf|huggingface-cli)\s+download\b.*--repo-type[= ]dataset|"
    r"\bkaggle\s+(datasets|competitions)\s+download\b|"
    r"\bload_dataset\(|\bhuggingface\.co/datasets/|\bzenodo_get\b|\bsynapse\s+get\b|\btcia_utils\b|\bnbia\b",
    re.IGNORECASE,
)
# Data files in data folders from which a repository ships example data, and its data.
MIN_DATA_FILES = 5
SHIPPED_DATA_FILES = 50


@cache
def _section() -> re.Pattern[str]:
    return re.compile(data("readme")["sections"]["data"], re.IGNORECASE)


def _in_data_section(sections: tuple[str, ...]) -> bool:
    return any(_section().search(s) for s in sections)


def _sources(snap: Snapshot, doc: Document) -> tuple[list[Evidence], list[Evidence], list[Evidence]]:
    """(where to obtain data, how to prepare it, statements that it is closed) in one document."""
    cfg = data("data")
    sources: list[Evidence] = []
    preparation: list[Evidence] = []
    closed: list[Evidence] = []
    for link in doc.links:
        if link.image:
            continue
        in_section = _in_data_section(link.sections)
        local = link.text + " " + " ".join(t.text for t in doc.texts if t.line == link.line)
        if host_matches(link.url, cfg["file_hosts"]):
            # a file host holds anything: the link must be said to be data
            said = _DATA_WORDS.search(local) or (in_section and not link.in_table)
            if said and not _MODEL_WORDS.search(local):
                sources.append(Evidence(path=doc.path, line=link.line, url=link.url, note="data download"))
        elif host_matches(link.url, cfg["hosts"]) and not _MODEL_WORDS.search(link.text):
            sources.append(Evidence(path=doc.path, line=link.line, url=link.url, note="data host"))
        elif in_section and link.url.startswith("http") and not _MODEL_WORDS.search(local):
            sources.append(
                Evidence(path=doc.path, line=link.line, url=link.url, note="link in a data section")
            )
        elif in_section:
            target = resolve(snap, doc.path, link.url)
            if target is not None and target.exists:
                preparation.append(Evidence(path=doc.path, line=link.line, note=f"links {target.path}"))
    for block in doc.code_blocks:
        if not _in_data_section(block.sections):
            continue
        for offset, line in enumerate(block.text.splitlines()):
            first = line.strip().lstrip("$!").split(" ", 1)[0]
            if _DOWNLOAD.match(first) and not _MODEL_WORDS.search(line):
                sources.append(Evidence(path=doc.path, line=block.line + offset, note=snippet(line)))
            elif first.startswith(("python", "bash", "sh", "./")) or "├" in line or "└" in line:
                preparation.append(Evidence(path=doc.path, line=block.line + offset, note=snippet(line)))
                break
    for block in doc.code_blocks:
        for offset, line in enumerate(block.text.splitlines()):
            command = line
            rest = block.text.splitlines()[offset + 1 :]
            while command.rstrip().endswith("\\") and rest:  # a command continued on the next lines
                command = command.rstrip()[:-1] + " " + rest.pop(0)
            if _DATASET_DOWNLOAD.search(command):
                sources.append(Evidence(path=doc.path, line=block.line + offset, note=snippet(command)))
    for text in doc.texts:
        if _in_data_section(text.sections) and _CLOSED.search(text.text):
            closed.append(Evidence(path=doc.path, line=text.line, note=snippet(text.text)))
    return sources, preparation, closed


def _dead(snap: Snapshot, url: str | None) -> Artifact | None:
    """The probe of a data link that cannot be had: gone, or a file share that is not public.
    A dataset portal that asks readers to register is how medical data is shared: not dead."""
    found = probe(snap, url)
    if found is None or found.status not in DEAD:
        return None
    if found.status is ArtifactStatus.RESTRICTED and not host_matches(found.url, data("data")["file_hosts"]):
        return None
    return found


@per_snapshot
def data_sources(snap: Snapshot) -> tuple[list[Evidence], list[Evidence], list[Evidence]]:
    """(where to obtain the data, how to prepare it, statements that it is closed) over the
    README and the documents it links."""
    sources: list[Evidence] = []
    preparation: list[Evidence] = []
    closed: list[Evidence] = []
    for doc in linked_documents(snap):
        s, p, c = _sources(snap, doc)
        sources += s
        preparation += p
        closed += c
    return sources, preparation, closed


def _shipped(snap: Snapshot) -> list[str]:
    """Data files (images, volumes, arrays) in a data or examples folder of the project."""
    families = file_families()
    extensions = tuple(families["shipped_data_extensions"])
    folders = set(families["shipped_data_dirs"])
    return [
        p
        for p in project_files(snap)
        if p.lower().endswith(extensions) and not folders.isdisjoint(p.lower().split("/")[:-1])
    ]


@check("data-instructions")
def data_instructions(snap: Snapshot) -> Finding:
    if root_readme(snap) is None:
        return failed("no README, so no data instructions")
    if root_document(snap) is None:
        return unknown("the README could not be read as text")
    kind = repo_kind(snap)
    if kind.kind == CURATED_LIST:
        return not_applicable(f"{kind.reason}: no data to obtain", *kind.evidence)
    sources, preparation, closed = data_sources(snap)
    docs = linked_documents(snap)
    dead = [(e, a) for e in sources if (a := _dead(snap, e.url)) is not None]
    dead_evidence = [e.model_copy(update={"note": describe(a)}) for e, a in dead[:3]]
    live = [e for e in sources if all(e is not d for d, _ in dead)]
    if live:
        message = f"where to obtain the data: {len(live)} source(s)"
        gated = sum(1 for e in live if (a := probe(snap, e.url)) and a.status is ArtifactStatus.RESTRICTED)
        if gated:
            message += f" ({gated} behind a sign-in or an access request, as dataset portals are)"
        if preparation:
            message += ", with preparation steps"
        if dead:
            message += "; " + dead_message("data", [a for _, a in dead])
        return passed(message, *live[:4], *preparation[:2], *dead_evidence)
    shipped = _shipped(snap)
    if len(shipped) >= SHIPPED_DATA_FILES:
        return passed(
            f"data ships with the repository ({len(shipped)} files)", *(Evidence(path=p) for p in shipped[:3])
        )
    if dead:
        return failed(dead_message("data", [a for _, a in dead]), *dead_evidence, *closed[:2])
    if closed:
        return failed("the data is not obtainable (private or on request only)", *closed[:3])
    if len(shipped) >= MIN_DATA_FILES:
        return unknown(
            f"example data in the repository ({len(shipped)} files), but no source for the full data",
            *(Evidence(path=p) for p in shipped[:3]),
        )
    if preparation:
        return unknown("preparation steps, but no source for the data", *preparation[:3])
    headings = [(doc, h) for doc in docs for h in doc.headings if _section().search(h.title)]
    if not headings and source_files(snap) and ml_evidence(snap) is None:
        return not_applicable("a tool that uses no machine learning and speaks of no data")
    if headings:
        doc, h = headings[0]
        return unknown(
            "a data section that names no source for the data",
            Evidence(path=doc.path, line=h.line, note=h.title),
        )
    return failed("the README does not say where to obtain the data")
