"""Pretrained weights: obtainable from a link, the tree (Git LFS included) or release assets.

"Weights will be released", a bare host homepage, a model-zoo table without links and "available
on request" are not available weights, and the finding says which of them it saw. Links to the
base models a method starts from (SAM, CLIP from their publishers) are not the paper's weights.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from urllib.parse import urlsplit

from auditor.checks.base import (
    Finding,
    check,
    data,
    failed,
    not_applicable,
    passed,
    per_snapshot,
    snippet,
    unknown,
)
from auditor.checks.codefind import training_hits
from auditor.checks.kind import CURATED_LIST, DATASET, host_matches, ml_evidence, repo_kind, source_files
from auditor.checks.markdown import Document, Link
from auditor.checks.probed import DEAD, dead_message, describe, probe
from auditor.checks.readmes import all_documents, repo_name
from auditor.checks.vendored import project_files
from auditor.models import ArtifactStatus, Evidence
from auditor.snapshot import Snapshot

LFS_POINTER = "version https://git-lfs.github.com/spec/v1"
AVAILABLE = ArtifactStatus.AVAILABLE
# A weight file smaller than this (and not a Git LFS pointer) is an empty stand-in.
MIN_WEIGHT_BYTES = 1024


@cache
def _cfg() -> dict[str, re.Pattern[str]]:
    cfg = data("weights")
    return {
        key: re.compile(cfg[key], re.IGNORECASE)
        for key in (
            "hint",
            "weight_words",
            "data_words",
            "base_words",
            "promised",
            "request",
            "hf_not_models",
            "weight_strong",
            "data_folders",
            "not_weights",
            "withheld",
        )
    }


@cache
def _extensions() -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """The `always` extensions (longest first, so `.pth.tar` wins over `.tar`), the `hinted` ones,
    and both."""
    exts = data("weights")["extensions"]
    always, hinted = tuple(sorted(exts["always"], key=len, reverse=True)), tuple(exts["hinted"])
    return always, hinted, always + hinted


def _ext(path: str) -> str | None:
    """The weight extension of a path: an `always` one, or a `hinted` one with a hint in the path."""
    lower = path.lower()
    always, hinted, either = _extensions()
    if not lower.endswith(either):
        return None
    for ext in always:
        if lower.endswith(ext):
            folders = lower.split("/")[:-1]
            in_data = any(_cfg()["data_folders"].fullmatch(f) for f in folders)
            if in_data and not _cfg()["hint"].search(lower[: -len(ext)]):
                return None  # a tensor of sample data, not a model
            return str(ext)
    for ext in hinted:
        if lower.endswith(ext) and _cfg()["hint"].search(lower[: -len(ext)]):
            return str(ext)
    return None


def is_weight_file(name: str) -> bool:
    return _ext(name) is not None


@dataclass(frozen=True)
class TreeWeight:
    path: str
    how: str  # "file", "large", "lfs", "stub"


@per_snapshot
def tree_weights(snap: Snapshot) -> list[TreeWeight]:
    out = []
    for path in project_files(snap):
        if _ext(path) is None:
            continue
        size = snap.entries[path].size
        if size is None:
            out.append(TreeWeight(path, "large"))
        elif size < MIN_WEIGHT_BYTES:
            text = snap.text(path)
            lfs = text is not None and text.text.startswith(LFS_POINTER)
            out.append(TreeWeight(path, "lfs" if lfs else "stub"))
        else:
            out.append(TreeWeight(path, "file"))
    return out


@dataclass(frozen=True)
class LinkClass:
    link: Link
    doc: str
    kind: str  # "own", "third-party", "homepage", "data", "other", "ambiguous"
    note: str


def _contexts(doc: Document, link: Link) -> list[str]:
    """What a reader sees around a link, nearest first: its text and line, its table column, its
    section titles (innermost first), its table's header."""
    line_texts = " ".join(t.text for t in doc.texts if t.line == link.line)
    local = f"{link.text} {line_texts} {link.url.rsplit('/', 1)[-1]}"
    header = ""
    if link.in_table:
        tables = [t for t in doc.tables if t.line <= link.line]
        if tables:
            header = " ".join(tables[-1].header)
    return [local, link.column, *reversed(link.sections), header]


def _says(contexts: list[str]) -> str | None:
    """ "weights" or "data": what the nearest context that tells them apart says. A strong word
    (weights, checkpoint) decides alone; "model" decides only where no data word is."""
    pats = _cfg()
    for context in contexts:
        if pats["weight_strong"].search(context):
            return "weights"
        weights = pats["weight_words"].search(context)
        data_ = pats["data_words"].search(context)
        if weights and not data_:
            return "weights"
        if data_ and not weights:
            return "data"
    return None


def _third_party(url: str, owner: str | None) -> bool:
    cfg = data("weights")["third_party"]
    parts = urlsplit(url)
    host = (parts.hostname or "").removeprefix("www.")
    segments = [s for s in parts.path.split("/") if s]
    if owner and segments and segments[0].lower() == owner:
        return False
    if host in ("huggingface.co", "hf.co") and segments:
        return segments[0].lower() in {o.lower() for o in cfg["hf_orgs"]}
    return host_matches(url, cfg["hosts"])


def classify(snap: Snapshot, doc: Document, link: Link) -> LinkClass:
    cfg = data("weights")
    pats = _cfg()
    url = link.url
    parts = urlsplit(url)
    host = (parts.hostname or "").removeprefix("www.")
    path = parts.path.rstrip("/")
    mine = repo_name(snap)
    owner = mine[0] if mine else None
    contexts = _contexts(doc, link)
    local = contexts[0]
    # a base model: said so in the link's line or in the title of its section
    based = bool(
        pats["base_words"].search(local) or (link.sections and pats["base_words"].search(link.sections[-1]))
    )

    def result(kind: str, note: str) -> LinkClass:
        return LinkClass(link, doc.path, kind, note)

    weight_ext = _ext(path) if path else None
    if _third_party(url, owner) and (
        weight_ext or host_matches(url, cfg["hosts"]["model"]) or pats["weight_strong"].search(local)
    ):
        return result("third-party", "a base model published by others")
    if host_matches(url, cfg["hosts"]["model"]):
        if not path:
            return result("homepage", "the host's home page, not a model")
        if host in ("huggingface.co", "hf.co"):
            if pats["hf_not_models"].search(path):
                kind = "data" if path.startswith("/datasets") else "other"
                return result(kind, "a Hugging Face " + path.split("/")[1])
            if len([s for s in path.split("/") if s]) < 2:
                return result("other", "a Hugging Face user page")
        if based:
            return result("third-party", "described as a base model")
        segments = [x.lower() for x in path.split("/") if x]
        ours = (owner is not None and segments[0] == owner) or (
            mine is not None
            and mine[1].replace("-", "").replace("_", "")
            in "".join(segments).replace("-", "").replace("_", "")
        )
        if ours or _says(contexts) == "weights":
            return result("own", "a model page")
        return result("third-party", "a model page of another publisher, not said to be this work's")
    if host == "github.com":
        segments = [s for s in path.split("/") if s]
        if len(segments) >= 3 and segments[2] == "releases":
            own = mine is not None and (segments[0].lower(), segments[1].lower()) == mine
            if own and (weight_ext or _says(contexts) == "weights" or "download" in segments):
                return result("own", "a release of this repository")
            if not own and (weight_ext or pats["weight_strong"].search(local)):
                return result("third-party", "a release of another repository")
        if weight_ext and "/releases/download/" in path:
            return result("own", "a release asset")
        return result("other", "")
    on_file_host = host_matches(url, cfg["hosts"]["file"])
    if weight_ext and not on_file_host:
        if based:
            return result("third-party", "described as a base model")
        return result("own", f"a {weight_ext} file")
    if not on_file_host:
        return result("other", "")
    if not path or path in ("/drive", "/drive/my-drive"):
        return result("homepage", "the host's home page, not a file")
    if pats["not_weights"].search(local) and not pats["weight_strong"].search(local):
        return result("other", "a file-host link to something else (software, video, slides)")
    says = "weights" if weight_ext else _says(contexts)
    if says == "weights":
        if based:
            return result("third-party", "described as a base model")
        return result("own", "a file-host link described as weights")
    if says == "data":
        return result("data", "a file-host link described as data")
    return result("ambiguous", "a file-host link whose content is not described")


@per_snapshot
def weight_links(snap: Snapshot) -> list[LinkClass]:
    """Every link of the repository's documents, classified; the `own` ones are its weights."""
    return [classify(snap, doc, link) for doc in all_documents(snap) for link in doc.links if not link.image]


@dataclass(frozen=True)
class Negative:
    kind: str  # "promised", "request", "zoo", "homepage"
    evidence: Evidence


def _negatives(doc: Document) -> list[Negative]:
    pats = _cfg()
    out: list[Negative] = []
    for text in doc.texts:
        about_weights = pats["weight_strong"].search(text.text) or any(
            pats["weight_strong"].search(s) for s in text.sections
        )
        if not about_weights:
            continue
        for kind in ("promised", "request", "withheld"):
            if pats[kind].search(text.text):
                out.append(Negative(kind, Evidence(path=doc.path, line=text.line, note=snippet(text.text))))
    zoo = re.compile(r"\b(model zoo|checkpoints?|weights|pre-?trained models?|download)\b", re.IGNORECASE)
    for table in doc.tables:
        if table.links == 0 and (
            zoo.search(" ".join(table.sections[-1:])) or zoo.search(" ".join(table.header))
        ):
            out.append(
                Negative(
                    "zoo", Evidence(path=doc.path, line=table.line, note="model table without download links")
                )
            )
    return out


_REASONS = {
    "promised": "weights are promised, not released",
    "request": "weights are available only on request",
    "withheld": "the README says the trained weights cannot be shared",
    "zoo": "a model-zoo table lists models without download links",
    "homepage": "a link leads to a host's home page, not to a model",
    "third-party": "only base models published by others are linked",
}


@check("pretrained-weights")
def pretrained_weights(snap: Snapshot) -> Finding:
    kind = repo_kind(snap)
    if kind.kind in (CURATED_LIST, DATASET):
        return not_applicable(f"{kind.reason}: no trained model to release", *kind.evidence)
    evidence: list[Evidence] = []
    in_tree = tree_weights(snap)
    real = [w for w in in_tree if w.how != "stub"]
    for w in real[:5]:
        note = {
            "lfs": "stored with Git LFS (the clone holds a pointer)",
            "large": "weight file too large to download here",
            "file": "weight file",
        }[w.how]
        evidence.append(Evidence(path=w.path, note=note))
    for release in snap.facts.releases or []:
        for asset in release.assets:
            if _ext(asset.name):
                evidence.append(Evidence(url=asset.url, note=f"release {release.tag} asset {asset.name}"))
    classes = weight_links(snap)
    own = [c for c in classes if c.kind == "own"]
    # links the artifact stage found gone or restricted are not weights anyone can download
    dead = [(c, a) for c in own if (a := probe(snap, c.link.url)) is not None and a.status in DEAD]
    live = [c for c in own if all(c is not d for d, _ in dead)]
    evidence += [Evidence(path=c.doc, line=c.link.line, url=c.link.url, note=c.note) for c in live[:5]]
    dead_evidence = [
        Evidence(path=c.doc, line=c.link.line, url=c.link.url, note=describe(a)) for c, a in dead[:5]
    ]
    if evidence:
        sources = []
        if real:
            sources.append(f"{len(real)} weight file(s) in the tree")
        if live:
            checked = sum(1 for c in live if (a := probe(snap, c.link.url)) and a.status is AVAILABLE)
            sources.append(
                f"{len(live)} link(s) to trained models" + (f" ({checked} checked)" if checked else "")
            )
        if any(e.note.startswith("release") for e in evidence):
            sources.append("release assets")
        message = "weights available: " + ", ".join(sources)
        if dead:
            message += "; " + dead_message("weights", [a for _, a in dead])
        return passed(message, *evidence, *dead_evidence)
    if dead:
        return failed(dead_message("weights", [a for _, a in dead]), *dead_evidence)
    negatives = [n for doc in all_documents(snap) for n in _negatives(doc)]
    negatives += [
        Negative("homepage", Evidence(path=c.doc, line=c.link.line, url=c.link.url, note=c.note))
        for c in classes
        if c.kind == "homepage" and _says(_contexts(_doc(snap, c.doc), c.link)) == "weights"
    ]
    third = [c for c in classes if c.kind == "third-party"]
    stubs = [w for w in in_tree if w.how == "stub"]
    if negatives:
        kinds = sorted({n.kind for n in negatives}, key=list(_REASONS).index)
        return failed("; ".join(_REASONS[k] for k in kinds), *(n.evidence for n in negatives[:6]))
    ambiguous = [c for c in classes if c.kind == "ambiguous"]
    if ambiguous:
        return unknown(
            "file-host links whose content the README does not describe; none is said to be weights",
            *(Evidence(path=c.doc, line=c.link.line, url=c.link.url) for c in ambiguous[:5]),
        )
    if third:
        evidence = [Evidence(path=c.doc, line=c.link.line, url=c.link.url, note=c.note) for c in third[:5]]
        if training_hits(snap):
            return failed(
                _REASONS["third-party"] + "; the weights this code trains are not released", *evidence
            )
        return unknown(_REASONS["third-party"] + "; the method may train no model of its own", *evidence)
    if stubs:
        return failed(
            "weight files in the tree are empty stand-ins",
            *(Evidence(path=w.path, note=f"{snap.entries[w.path].size} bytes") for w in stubs[:5]),
        )
    if source_files(snap) and ml_evidence(snap) is None:
        return not_applicable("the project uses no machine-learning framework: no trained model to release")
    if snap.facts.tree_truncated:
        return unknown("no weights linked, and the host returned only part of the file tree")
    if snap.facts.releases is None and snap.facts.source == "api":  # asked, but not answered
        return unknown("no weights linked or in the tree, and the releases could not be listed")
    return failed("no weights: no link to a model host, no weight file in the tree, no release asset")


def _doc(snap: Snapshot, path: str) -> Document:
    return next(d for d in all_documents(snap) if d.path == path)
