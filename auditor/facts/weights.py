"""Weights: files of the tree and links of the documents that hold trained models, and what the
documents say against them.

A link is classified by where it leads and what a reader sees around it (its text, its line, its
table column, its section titles): this work's own model, a base model of another publisher (SAM,
CLIP), a host's home page, data, or a file-host link nobody described. "Weights will be released",
"available on request", a model-zoo table without links are the negatives the documents state.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Literal, NamedTuple

from auditor.data import Patterns, data_table
from auditor.data.redact import redact_url
from auditor.facts.commands import own_image, readme_commands
from auditor.facts.documents import all_documents, repo_name
from auditor.facts.markdown import Document, Link, bare_urls
from auditor.facts.repository import Facts, fact
from auditor.facts.sources import code_text, source_files
from auditor.facts.text import command_program, line_at, line_text, snippet
from auditor.facts.urls import host_matches, split_url
from auditor.facts.vendored import project_files
from auditor.models import Evidence

# How a weight file is held: a file, one too large to download here, a Git LFS pointer, a stub.
Held = Literal["file", "large", "lfs", "stub"]
# What a link of the documents is to the weights check.
LinkRole = Literal["own", "third-party", "homepage", "data", "other", "ambiguous"]
# What the documents say against weights being available.
NegativeKind = Literal["promised", "request", "withheld", "zoo", "homepage"]

LFS_POINTER = "version https://git-lfs.github.com/spec/v1"
# A weight file smaller than this (and not a Git LFS pointer) is an empty stand-in.
MIN_WEIGHT_BYTES = 1024


@cache
def _cfg() -> Patterns:
    cfg = data_table("weights")
    names = (
        "hint",
        "weight_words",
        "data_words",
        "base_words",
        "promised",
        "request",
        "hf_not_models",
        "weight_strong",
        "data_folders",
        "data_names",
        "not_weights",
        "withheld",
        "container",
        "model_design",
        "fixture_folders",
    )
    return Patterns({name: cfg[name] for name in names}, re.IGNORECASE)


@cache
def _extensions() -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """The `always` extensions (longest first, so `.pth.tar` wins over `.tar`), the `hinted` ones,
    and both."""
    exts = data_table("weights")["extensions"]
    always, hinted = tuple(sorted(exts["always"], key=len, reverse=True)), tuple(exts["hinted"])
    return always, hinted, always + hinted


def weight_extension(path: str) -> str | None:
    """The weight extension of a path: an `always` one, or a `hinted` one with a hint in the path."""
    lower = path.lower()
    always, hinted, either = _extensions()
    if not lower.endswith(either):
        return None
    folders = lower.split("/")[:-1]
    if any(_cfg()["fixture_folders"].fullmatch(f) for f in folders):
        return None  # a test's stand-in model
    for ext in always:
        if lower.endswith(ext):
            in_data = any(_cfg()["data_folders"].fullmatch(f) for f in folders)
            if in_data and not _cfg()["hint"].search(lower[: -len(ext)]):
                return None  # a tensor of sample data, not a model
            return str(ext)
    for ext in hinted:
        if lower.endswith(ext) and _cfg()["hint"].search(lower[: -len(ext)]):
            name = lower[: -len(ext)].rpartition("/")[2]
            return None if _cfg()["data_names"].search(name) else str(ext)
    return None


def is_weight_file(name: str) -> bool:
    return weight_extension(name) is not None


class TreeWeight(NamedTuple):
    path: str
    how: Held


@fact
def tree_weights(facts: Facts) -> list[TreeWeight]:
    out = []
    for path in project_files(facts):
        if weight_extension(path) is None:
            continue
        size = facts.entries[path].size
        if size is None:
            out.append(TreeWeight(path, "large"))
        elif size < MIN_WEIGHT_BYTES:
            text = facts.text(path)
            lfs = text is not None and text.text.startswith(LFS_POINTER)
            out.append(TreeWeight(path, "lfs" if lfs else "stub"))
        else:
            out.append(TreeWeight(path, "file"))
    return out


class LinkClass(NamedTuple):
    link: Link
    doc: str
    kind: LinkRole
    note: str


def _contexts(doc: Document, link: Link) -> list[str]:
    """What a reader sees around a link, nearest first: its text and line, its table column, its
    section titles (innermost first), its table's header."""
    local = f"{doc.around(link)} {link.url.rsplit('/', 1)[-1]}"
    header = ""
    if link.in_table:
        tables = [t for t in doc.tables if t.line <= link.line]
        if tables:
            header = " ".join(tables[-1].header)
    # A section about the model's design ("Model architecture") says nothing of what its links hold.
    design = _cfg()["model_design"]
    sections = [
        s for s in reversed(link.sections) if not design.search(s) or _cfg()["weight_strong"].search(s)
    ]
    return [local, link.column, *sections, header]


_LOGGER = re.compile(r"\bweights?\s*(&|and)\s*biases\b", re.IGNORECASE)


def _says(contexts: list[str]) -> str | None:
    """ "weights" or "data": what the nearest context that tells them apart says. A strong word
    (weights, checkpoint) decides alone; "model" decides only where no data word is."""
    pats = _cfg()
    for context in contexts:
        context = context.replace("_", " ")  # names join words with underscores: "Pretrained_model"
        context = _LOGGER.sub(" ", context)  # "Weights & Biases" logs training runs: no weights
        if pats["weight_strong"].search(context):
            return "weights"
        weights = pats["weight_words"].search(context)
        data_ = pats["data_words"].search(context)
        if weights and not data_:
            return "weights"
        if data_ and not weights:
            return "data"
    return None


@cache
def _publisher_hosts() -> dict[str, list[str]]:
    """Owner (lower case) -> the hosts where that owner publishes its own models."""
    hosts: dict[str, list[str]] = {}
    for host, owners in data_table("weights")["third_party"]["publishers"].items():
        for owner in owners:
            hosts.setdefault(owner.lower(), []).append(host)
    return hosts


def _third_party(url: str, owner: str | None) -> bool:
    cfg = data_table("weights")["third_party"]
    parts = split_url(url)
    host = (parts.hostname or "").removeprefix("www.")
    segments = [s for s in parts.path.split("/") if s]
    if owner and segments and segments[0].lower() == owner:
        return False
    if owner and host_matches(url, _publisher_hosts().get(owner, [])):
        return False
    if host in ("huggingface.co", "hf.co") and segments:
        return segments[0].lower() in {o.lower() for o in cfg["hf_orgs"]}
    return host_matches(url, cfg["hosts"])


def classify(facts: Facts, doc: Document, link: Link) -> LinkClass:
    cfg = data_table("weights")
    pats = _cfg()
    url = link.url
    parts = split_url(url)
    host = (parts.hostname or "").removeprefix("www.")
    path = parts.path.rstrip("/")
    mine = repo_name(facts)
    owner = mine[0] if mine else None
    contexts = _contexts(doc, link)
    local = contexts[0]
    # a base model: said so in the link's line or in the title of its section
    based = bool(
        pats["base_words"].search(local) or (link.sections and pats["base_words"].search(link.sections[-1]))
    )

    def result(kind: LinkRole, note: str) -> LinkClass:
        return LinkClass(link, doc.path, kind, note)

    weight_ext = weight_extension(path) if path else None
    if _third_party(url, owner) and (
        weight_ext or host_matches(url, cfg["hosts"]["model"]) or pats["weight_strong"].search(local)
    ):
        return result("third-party", "a base model published by others")
    if host_matches(url, cfg["hosts"]["model"]):
        if not path:
            return result("homepage", "the host's home page, not a model")
        if host in ("huggingface.co", "hf.co"):
            if pats["hf_not_models"].search(path):
                role: LinkRole = "data" if path.startswith("/datasets") else "other"
                return result(role, "a Hugging Face " + path.split("/")[1])
            if len([s for s in path.split("/") if s]) < 2:
                if not based and _says(contexts) == "weights":  # "the models are on [HF](hf.co/lab)"
                    return result("own", "a Hugging Face organisation said to hold the models")
                return result("other", "a Hugging Face user page")
        elif path.lower().startswith("/datasets"):  # ModelScope's datasets, as Hugging Face's
            return result("data", "a dataset page")
        if based:
            return result("third-party", "described as a base model")
        segments = [x.lower() for x in path.split("/") if x]
        # `modelscope.cn/models/OWNER/NAME`, `hub.docker.com/r/OWNER/NAME`: the owner comes after
        if len(segments) > 1 and segments[0] in ("models", "r", "repository", "library"):
            segments = segments[1:]
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
        # a file of a kind models are kept in (an archive, .h5, .mat) on the project's own server,
        # whose line says it holds the trained models and whose name does not say data
        # ("preprocessed data, region proposals and pre-trained models: [link](…/TAPIS.tar.gz)")
        hinted = path.lower().endswith(_extensions()[1])
        named_data = pats["data_words"].search(path.rpartition("/")[2].replace("_", " ").replace("-", " "))
        if hinted and pats["weight_strong"].search(local) and not based and not named_data:
            return result("own", "a download said to hold the trained models")
        return result("other", "")
    if not path or path in ("/drive", "/drive/my-drive"):
        return result("homepage", "the host's home page, not a file")
    for entry, pattern in cfg["data_pages"].items():
        if host_matches(url, [entry]) and re.search(pattern, path, re.IGNORECASE):
            return result("data", f"a {host} dataset page")
    if pats["container"].search(local) and not based:
        return result(
            "own", "a file-host download of the method's container image (its trained model inside)"
        )
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


@fact
def weight_links(facts: Facts) -> list[LinkClass]:
    """Every link of the repository's documents, and every download their commands make,
    classified; the `own` ones are its weights."""
    return [
        classify(facts, doc, link)
        for doc in all_documents(facts)
        for link in [*doc.links, *download_links(doc)]
        if not link.image
    ]


# A Drive file's id given to `gdown`, and the repository the Hub's CLI downloads.
_DRIVE_ID = re.compile(r"(?:^|\s)(?:--id\s+)?([A-Za-z0-9_-]{25,})(?:\s|$)")
_HUB_REPO = re.compile(r"\bdownload\s+(?:--\S+\s+)*([\w.-]+/[\w.-]+)")


def download_links(doc: Document) -> list[Link]:
    """The downloads the commands of a document make, as links: each command line's address (a
    Drive file's id for `gdown`, a model's repository for the Hub's CLI), with what the reader
    sees around it, the line and the sentence over its block ("1. Download the model weights:")."""
    programs = data_table("readme")["download_programs"]
    found = []
    for block in doc.code_blocks:
        said = _sentence_over(doc, block.line)
        for number, row in enumerate(block.text.splitlines()):
            program = command_program(row)
            if program not in programs:
                continue
            rest = row.partition(program)[2]
            urls = bare_urls(rest)
            if not urls and program == "gdown" and (drive := _DRIVE_ID.search(rest)):
                urls = [f"https://drive.google.com/uc?id={drive.group(1)}"]
            if not urls and program in ("huggingface-cli", "hf") and (hub := _HUB_REPO.search(rest)):
                urls = [f"https://huggingface.co/{hub.group(1)}"]
            # redacted as a document's links are: a token in an address goes no further
            here = f"{row.strip()} {said}"
            found += [Link(block.line + number, block.sections, redact_url(url), here) for url in urls]
    return found


def _sentence_over(doc: Document, line: int) -> str:
    """The text right over a code block (at most two lines above its fence), which says what
    its commands do."""
    return " ".join(doc.text_on(n) for n in range(line - 3, line - 1) if doc.text_on(n))


class Negative(NamedTuple):
    kind: NegativeKind
    evidence: Evidence


@fact
def negatives(facts: Facts) -> list[Negative]:
    """What the documents say against weights being there: promises, "on request", withheld
    weights, model tables without links, and links to a host's home page described as weights."""
    found = [n for doc in all_documents(facts) for n in _negatives(doc)]
    docs = {doc.path: doc for doc in all_documents(facts)}
    found += [
        Negative("homepage", Evidence(path=c.doc, line=c.link.line, url=c.link.url, note=c.note))
        for c in weight_links(facts)
        if c.kind == "homepage" and _says(_contexts(docs[c.doc], c.link)) == "weights"
    ]
    return found


def _negatives(doc: Document) -> list[Negative]:
    pats = _cfg()
    out: list[Negative] = []
    for text in doc.texts:
        about_weights = pats["weight_strong"].search(text.text) or any(
            pats["weight_strong"].search(s) for s in text.sections
        )
        if not about_weights:
            continue
        kinds: tuple[NegativeKind, ...] = ("promised", "request", "withheld")
        for kind in kinds:
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


_CODE_URL = re.compile(r"https?://[^\s'\"<>()\[\]{}`,;\\]+")
# A comment line: what a script credits or explains, not what it fetches.
_COMMENT = re.compile(r"\s*(#|//|%|--|\*|/\*)")
# How many source files are searched for download links.
MAX_CODE_FILES = 400


@fact
def code_weight_links(facts: Facts) -> list[Evidence]:
    """Downloads of this work's trained weights written in its code (`clip.load` fetching a
    checkpoint URL, a notebook cell that downloads the model): a weight file's URL, a model page of
    the repository's owner, a file-host link on a line that names a checkpoint, or any link of a
    script named for downloading models. Base models of other publishers are not this work's."""
    cfg = data_table("weights")
    pats = _cfg()
    mine = repo_name(facts)
    owner = mine[0] if mine else None
    scripts = cfg["download_scripts"]
    script_name = re.compile(scripts["names"], re.IGNORECASE)
    found: list[Evidence] = []
    for path in source_files(facts)[:MAX_CODE_FILES]:
        script = script_name.search(path.rpartition("/")[2]) is not None
        code = code_text(facts, path)
        if code is None:
            continue
        if script and (hub := _hub_download(code, owner)) is not None:
            at = None if path.lower().endswith(".ipynb") else hub
            found.append(
                Evidence(path=path, line=at, note="a model hub download in a script that downloads models")
            )
        if "http" not in code:
            continue
        for m in _CODE_URL.finditer(code):
            url = m.group().rstrip(".")
            if _third_party(url, owner) or _started_from(url, mine):
                continue
            line = line_text(code, m.start())
            parts = split_url(url)
            segments = [s for s in parts.path.split("/") if s]
            if weight_extension(parts.path):
                why = "a weight file"
            elif (
                host_matches(url, cfg["hosts"]["model"])
                and len(segments) >= 2
                and segments[0].lower() == owner
            ):
                why = "a model page of the repository's owner"
            elif host_matches(url, cfg["hosts"]["file"]) and (
                pats["weight_strong"].search(line) or any(weight_extension(w) for w in line.split())
            ):
                why = "a file-host link on a line that names a checkpoint"
            elif script and not host_matches(url, scripts["not_hosts"]) and not _COMMENT.match(line):
                why = "a link in a script that downloads trained models"
            else:
                continue
            notebook = path.lower().endswith(".ipynb")
            found.append(
                Evidence(path=path, line=None if notebook else line_at(code, m.start()), url=url, note=why)
            )
            if len(found) >= 5:
                return found
    return found


# A download from a model hub by repository id (`snapshot_download(repo_id=HF_REPO_ID)`), and the
# ids written in a file (`"lab/segmentation-models"`).
_HUB_CALL = re.compile(r"\b(snapshot_download|hf_hub_download)\(")
_HUB_ID = re.compile(r"[\"']([\w.-]+)/([\w.-]+)[\"']")


def _hub_download(code: str, owner: str | None) -> int | None:
    """The line of a model hub download in a script named for downloading models, unless every
    repository id the script names is another publisher's (a base model)."""
    call = _HUB_CALL.search(code)
    if call is None:
        return None
    ids = [m.group(1) + "/" + m.group(2) for m in _HUB_ID.finditer(code)]
    if ids and all(_third_party(f"https://huggingface.co/{i}", owner) for i in ids):
        return None
    return line_at(code, call.start())


def _started_from(url: str, mine: tuple[str, str] | None) -> bool:
    """A download in the code of what the model starts from, not of what it trained: a release
    of another code-host owner's project, or a weight file named for a standard architecture
    that the repository is not named for."""
    parts = split_url(url)
    segments = [s.lower() for s in parts.path.split("/") if s]
    if host_matches(url, ["github.com", "gitlab.com"]) and segments and mine and segments[0] != mine[0]:
        return True
    leaf = segments[-1] if segments else ""
    named = re.search(data_table("weights")["architectures"], leaf)
    own = {w for w in re.split(r"[^a-z0-9]+", mine[1].lower()) if len(w) >= 3} if mine else set()
    return named is not None and not any(w in leaf for w in own)


@fact
def container_images(facts: Facts) -> list[Evidence]:
    """The repository's own container images that the README pulls or runs (`docker pull
    lab/segtool`): the trained model ships inside the image. An image named as an environment
    (`segtool_env`, `segtool-devel`) holds software, not a model."""
    environment = re.compile(data_table("weights")["environment_images"], re.IGNORECASE)
    seen: set[str] = set()
    out = []
    for a in readme_commands(facts).analyses:
        if a.image and a.image not in seen and own_image(facts, a.image) and not environment.search(a.image):
            seen.add(a.image)
            out.append(Evidence(path=a.command.doc, line=a.command.line, note=f"container image {a.image}"))
    return out
