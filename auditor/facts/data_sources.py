"""Where the documents say the data comes from, how to prepare it, and whether it is closed.

Sources are links to dataset hosts, file-host links said to be data, links and download commands
in a data section, and dataset download commands anywhere; preparation is a data section's scripts
and folder layouts; "available on request" or "private data" in a data section says it is closed.
Data files shipped in the tree's data folders are listed too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from auditor.facts.documents import linked_documents, resolve
from auditor.facts.kind import host_matches
from auditor.facts.markdown import Document
from auditor.facts.repository import Facts, fact
from auditor.facts.text import snippet
from auditor.facts.vendored import project_files
from auditor.models import Evidence
from auditor.resources import data, file_families

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


@dataclass(frozen=True)
class DataSources:
    """What the README and the documents it links say of the data."""

    sources: list[Evidence] = field(default_factory=list)  # where to obtain it
    preparation: list[Evidence] = field(default_factory=list)  # how to prepare it
    closed: list[Evidence] = field(default_factory=list)  # statements that it cannot be had


@cache
def data_section() -> re.Pattern[str]:
    """Heading titles of a data section."""
    return re.compile(data("readme")["sections"]["data"], re.IGNORECASE)


def _in_data_section(sections: tuple[str, ...]) -> bool:
    return any(data_section().search(s) for s in sections)


def _sources(facts: Facts, doc: Document) -> tuple[list[Evidence], list[Evidence], list[Evidence]]:
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
            target = resolve(facts, doc.path, link.url)
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


@fact
def data_sources(facts: Facts) -> DataSources:
    """Sources, preparation and closed statements over the README and the documents it links."""
    found = DataSources()
    for doc in linked_documents(facts):
        s, p, c = _sources(facts, doc)
        found.sources.extend(s)
        found.preparation.extend(p)
        found.closed.extend(c)
    return found


@fact
def shipped_data(facts: Facts) -> list[str]:
    """Data files (images, volumes, arrays) in a data or examples folder of the project."""
    families = file_families()
    extensions = tuple(families["shipped_data_extensions"])
    folders = set(families["shipped_data_dirs"])
    return [
        p
        for p in project_files(facts)
        if p.lower().endswith(extensions) and not folders.isdisjoint(p.lower().split("/")[:-1])
    ]
