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

from auditor.data import Patterns, data_table, file_families
from auditor.facts.documents import data_section, linked_documents, mentioned_paths, resolve
from auditor.facts.markdown import Document
from auditor.facts.repository import Facts, fact
from auditor.facts.text import command_program, sentence_of, snippet
from auditor.facts.urls import host_matches, split_url
from auditor.facts.vendored import project_files
from auditor.facts.weights import weight_extension
from auditor.models import Evidence

_DATA_WORDS = re.compile(
    r"\b(data ?sets?|test ?sets?|data|images|annotations?|labels|masks|scans|volumes|cohort)\b", re.I
)
_MODEL_WORDS = re.compile(r"\b(weights?|checkpoints?|ckpts?|pre-?trained|models?)\b", re.I)
# A download said to hold both ("Download model checkpoint and data from [here]"): data all the same.
_MODEL_AND_DATA = re.compile(
    r"\b(weights?|checkpoints?|ckpts?|models?)\s+(and|&|\+)\s+(the\s+)?(data ?sets?|test ?sets?|data)\b|"
    r"\b(data ?sets?|test ?sets?|data)\s+(and|&|\+)\s+(the\s+)?(pre-?trained\s+)?"
    r"(weights?|checkpoints?|models?)\b",
    re.I,
)
_CLOSED = re.compile(
    r"\b((available )?(up)?on (reasonable )?request|private data ?sets?|in-?house data ?(sets?)?|"
    r"cannot (be )?(publicly )?(shared?|released?|distributed?)|not (be )?publicly available)\b",
    re.IGNORECASE,
)
# A command that downloads a dataset wherever it stands in the README.
_DATASET_DOWNLOAD = re.compile(
    r"\b(hf|huggingface-cli)\s+download\b.*--repo-type[= ]dataset|"
    r"\bkaggle\s+(datasets|competitions)\s+download\b|"
    r"\bload_dataset\(|\bhuggingface\.co/datasets/|\bzenodo_get\b|\bsynapse\s+get\b|\btcia_utils\b|\bnbia\b|"
    r"\b\w+\([^()]*\bdownload\s*=\s*True|"
    # the repository's own download script, asked for data (`python download.py --testset …`)
    r"\b(download|get|fetch)\w*\.(py|sh)\b.*\b(data ?sets?|test ?sets?|data)\b|"
    r"\b(download|get|fetch)_?(data\w*|test_?sets?)\w*\.(py|sh)\b",
    re.IGNORECASE,
)


# Tables: labels, splits or metadata as often as the data itself.
_TABLES = (".csv", ".tsv", ".xlsx", ".xls", ".json", ".jsonl", ".parquet")


# Unpacking an archive (`unzip dataset.zip`, `tar -xzf data.tar.gz`): the archive's name.
_UNPACK = re.compile(
    r"\b(?:unzip|tar\s+-?[a-z]*x[a-z]*f?|7z\s+x)\s+(?:-\S+\s+)*(?P<archive>[\w./-]+\.(?:zip|tar|tar\.gz|tgz|7z))\b"
)


@dataclass(frozen=True)
class DataSources:
    """What the README and the documents it links say of the data."""

    sources: list[Evidence] = field(default_factory=list)  # where to obtain it
    preparation: list[Evidence] = field(default_factory=list)  # how to prepare it
    closed: list[Evidence] = field(default_factory=list)  # statements that it cannot be had


def _sources(facts: Facts, doc: Document) -> tuple[list[Evidence], list[Evidence], list[Evidence]]:
    """(where to obtain data, how to prepare it, statements that it is closed) in one document."""
    answers: dict[tuple[str, ...], bool] = {}  # a document has few sections, and many things under each

    def in_data_section(sections: tuple[str, ...]) -> bool:
        """Whether a heading of `sections`, the document's title aside, is a data section's."""
        found = answers.get(sections)
        if found is None:
            found = answers[sections] = any(data_section().search(s) for s in doc.body_sections(sections))
        return found

    cfg = data_table("data")
    words = _words()
    sources: list[Evidence] = []
    preparation: list[Evidence] = []
    closed: list[Evidence] = []
    for link in doc.links:
        if link.image:
            continue
        in_section = in_data_section(link.sections)
        local = doc.around(link)
        repo = _code_repo(link.url)
        if repo is not None and words["dataset_repo"].search(repo) and not _MODEL_WORDS.search(link.text):
            # a dataset's own repository, whatever the line says ("weights trained on [IXI](…)")
            sources.append(
                Evidence(path=doc.path, line=link.line, url=link.url, note="a dataset's repository")
            )
            continue
        if words["not_input"].search(local) or _MODEL_WORDS.search(link.text) or weight_extension(link.url):
            continue  # generated samples, predictions, a model: not the data to obtain
        if words["data_link"].fullmatch(link.text.strip()) and link.url.startswith("http"):
            sources.append(Evidence(path=doc.path, line=link.line, url=link.url, note="a link named Data"))
            continue
        # "Dataset: http://db.jsrt.or.jp/eng.php": a line labelled as the data, its address after
        line = doc.text_on(link.line).replace(link.url, " ")
        if link.url.startswith("http") and words["data_label"].fullmatch(line.strip()):
            sources.append(
                Evidence(path=doc.path, line=link.line, url=link.url, note="a line labelled as the data")
            )
            continue
        if link.badge:
            continue  # a badge (a DOI, a licence, downloads) that does not say data
        if words["preparing"].search(local) and not words["obtaining"].search(local):
            if in_section:
                note = "a preparation guide"
                preparation.append(Evidence(path=doc.path, line=link.line, url=link.url, note=note))
            continue
        if host_matches(link.url, cfg["file_hosts"]):
            # a file host holds anything: the link must be said to be data
            said = _DATA_WORDS.search(local) or (in_section and not link.in_table)
            if said and (not _MODEL_WORDS.search(local) or _MODEL_AND_DATA.search(local)):
                sources.append(Evidence(path=doc.path, line=link.line, url=link.url, note="data download"))
        elif host_matches(link.url, cfg["hosts"]) and not host_matches(link.url, cfg["not_data_pages"]):
            sources.append(Evidence(path=doc.path, line=link.line, url=link.url, note="data host"))
        elif (
            link.url.startswith("http")
            and not _MODEL_WORDS.search(local)
            and not _paper(link.url)
            and (in_section or (words["obtaining"].search(local) and _DATA_WORDS.search(local)))
        ):
            # in a data section, a link said to be the data's, by its line or its own name, is
            # more than a link there (a tool, a guide): the section may say the data is closed
            obtain = words["obtaining"].search(local) and _DATA_WORDS.search(local)
            note = (
                "the README says to get the data there"
                if obtain or not in_section
                else "a link named for the data"
                if _DATA_WORDS.search(link.text)
                else "link in a data section"
            )
            sources.append(Evidence(path=doc.path, line=link.line, url=link.url, note=note))
        elif in_section:
            target = resolve(facts, doc.path, link.url)
            if target is not None and target.exists:
                preparation.append(Evidence(path=doc.path, line=link.line, note=f"links {target.path}"))
    fetch = re.compile(cfg["fetch_scripts"], re.IGNORECASE)
    lines = {t.line: t.text for t in doc.texts}
    for block in doc.code_blocks:
        # the sentence that introduces a block ("Start with the data collection:") says what it is for
        intro = next((lines[n] for n in (block.line - 2, block.line - 3) if n in lines), "")
        if not in_data_section(block.sections) and not _DATA_WORDS.search(intro):
            continue
        for offset, line in enumerate(block.text.splitlines()):
            fetched = _fetches(line, fetch)
            if fetched is not None:
                sources.append(Evidence(path=doc.path, line=block.line + offset, note=fetched))
            elif command_program(line).startswith(_RUNNERS) or "├" in line or "└" in line:
                preparation.append(Evidence(path=doc.path, line=block.line + offset, note=snippet(line)))
                break
    for span in doc.inline_code:  # "1. Download the data: `wget https://…/data.tar.gz`"
        command = span.text.strip().lstrip("$!").strip()
        runs = " " in command or command_program(command).startswith(_RUNNERS)
        if runs and in_data_section(span.sections):
            fetched = _fetches(command, fetch)
            if fetched is not None:
                sources.append(Evidence(path=doc.path, line=span.line, note=fetched))
    for block in doc.code_blocks:
        rows = block.text.splitlines()
        for offset, line in enumerate(rows):
            command, following = line, offset + 1
            while command.rstrip().endswith("\\") and following < len(rows):  # continued below
                command = command.rstrip()[:-1] + " " + rows[following]
                following += 1
            if _DATASET_DOWNLOAD.search(command):
                sources.append(Evidence(path=doc.path, line=block.line + offset, note=snippet(command)))
            unpacked = _UNPACK.search(command)
            if unpacked and _DATA_WORDS.search(unpacked["archive"]):
                target = resolve(facts, doc.path, unpacked["archive"])
                if target is not None and target.exists:  # `unzip dataset.zip`: the archive is here
                    note = f"the data ships with the repository: {target.path}"
                    sources.append(Evidence(path=doc.path, line=block.line + offset, note=note))
    shipped = tuple(cfg["shipped_files"])
    for mention in mentioned_paths(facts, doc):
        target = mention.target
        # said to be data: by its section, its name, or, for arrays, volumes and archives, the
        # sentence naming it ("using the k-space data undersampled_kspace.mat"); a table named so
        # is as often the labels or splits of data kept elsewhere
        line = lines.get(mention.line, "")
        table = target.path.lower().endswith(_TABLES)
        told = "" if table or mention.written not in line else sentence_of(line, mention.written)
        named = in_data_section(mention.sections) or bool(
            _DATA_WORDS.search(f"{mention.written} {mention.target.path} {told}")
        )
        if named and target.exists and not target.is_dir and target.path.lower().endswith(shipped):
            note = f"the data ships with the repository: {target.path}"
            sources.append(Evidence(path=doc.path, line=mention.line, note=note))
        elif (
            target.exists
            and target.is_dir
            and _said_provided(told)
            and _DATA_WORDS.search(told)
            and not _words()["not_input"].search(told)
            and (held := _data_files_in(facts, target.path, shipped))
        ):
            # "the datasets are provided in `data/`": a folder of the tree said to hold the data
            note = f"the data ships with the repository: {target.path}/ ({held} files)"
            sources.append(Evidence(path=doc.path, line=mention.line, note=note))
    for text in doc.texts:
        if in_data_section(text.sections) and _CLOSED.search(text.text):
            closed.append(Evidence(path=doc.path, line=text.line, note=snippet(text.text)))
    return sources, preparation, closed


@cache
def _provided() -> tuple[re.Pattern[str], re.Pattern[str]]:
    cfg = data_table("readme")
    return re.compile(cfg["provided_paths"], re.IGNORECASE), re.compile(cfg["made_paths"], re.IGNORECASE)


def _said_provided(sentence: str) -> bool:
    """Whether a sentence presents what it names as part of the repository ("the datasets are
    provided in `data/`"), not as made or brought by the reader."""
    provided, made = _provided()
    return bool(provided.search(sentence)) and not made.search(sentence)


def _data_files_in(facts: Facts, folder: str, shipped: tuple[str, ...]) -> int:
    """How many data files (by their extension) a folder of the tree holds, at any depth."""
    prefix = folder.rstrip("/") + "/"
    return sum(1 for p in facts.files if p.startswith(prefix) and p.lower().endswith(shipped))


# What starts a command that runs a script of the repository.
_RUNNERS = ("python", "bash", "sh", "./")


def _fetches(command: str, fetch: re.Pattern[str]) -> str | None:
    """What a command that obtains data says of it (a download program, or a script named for
    fetching), as a note; None for any other command, and for one that fetches a model."""
    if _MODEL_WORDS.search(command):
        return None
    first = command_program(command)
    if first in data_table("readme")["download_programs"]:
        return snippet(command)
    if first.startswith(_RUNNERS) and fetch.search(command):
        return f"a script that fetches the data: {snippet(command)}"
    return None


def _paper(url: str) -> bool:
    """A link to a paper (arXiv, a proceedings page): it describes data, it does not hand it out.
    A DOI may name a dataset's record, so it is not taken for a paper."""
    hosts = [h for h in data_table("code")["curated_list"]["paper_hosts"] if "doi.org" not in h]
    return host_matches(url, hosts)


def _code_repo(url: str) -> str | None:
    """The repository name of a GitHub or GitLab repository link (`…/Preprocessed_IXI_Dataset`)."""
    if not host_matches(url, ["github.com", "gitlab.com"]):
        return None
    segments = [s for s in split_url(url).path.split("/") if s]
    return segments[1].removesuffix(".git") if len(segments) >= 2 else None


@cache
def _words() -> Patterns:
    return Patterns(data_table("data")["words"], re.IGNORECASE)


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
