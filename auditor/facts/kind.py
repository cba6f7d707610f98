"""What kind of repository this is: code, a curated list, a dataset release, or no code at all.

Training and evaluation code cannot be asked of a curated paper list or of a repository that only
publishes a dataset, nor of a tool that trains no model: those are `not-applicable`, not failures.
The kind is decided from the tree and the README's structure, never from a claim in prose.
"""

from __future__ import annotations

import re
from enum import StrEnum
from functools import cache
from typing import NamedTuple

from auditor.acquire.snapshot import name_matcher
from auditor.data import data_table, file_families
from auditor.facts.data_sources import data_sources
from auditor.facts.documents import linked_documents, repo_name, root_document
from auditor.facts.markdown import Document
from auditor.facts.repository import Facts, fact
from auditor.facts.results import results_tables
from auditor.facts.sources import code_text, source_files
from auditor.facts.text import snippet
from auditor.facts.urls import host_matches, host_of, split_url
from auditor.facts.vendored import norm_name, own_names, project_files
from auditor.models import Evidence

# Lines of prose at the top of a README read for what the repository says it is.
OPENING_PARAGRAPHS = 8
# How many source files are read for their imports.
MAX_READ = 400


class RepoKind(StrEnum):
    CODE = "code"
    CURATED_LIST = "curated-list"
    DATASET = "dataset-release"
    NO_CODE = "no-code"


class Kind(NamedTuple):
    kind: RepoKind
    reason: str
    evidence: tuple[Evidence, ...] = ()


@fact
def repo_kind(facts: Facts) -> Kind:
    code = source_files(facts)
    doc = root_document(facts)
    if code:
        if doc is None or len(code) > LIST_HELPERS:
            return Kind(RepoKind.CODE, "the repository holds source code")
        # a list kept over pages of its own, with a script that exports it (a results tracker)
        pages = _listed_over_pages(facts, doc)
        # a dataset whose only code is a helper or two using no machine-learning library (a
        # script that makes its 16-bit images viewable): its method, if any, is elsewhere
        release = None if pages or ml_evidence(facts) else _dataset_release(facts, doc)
        return pages or release or Kind(RepoKind.CODE, "the repository holds source code")
    if doc is None:
        return Kind(RepoKind.NO_CODE, "no source code and no README")
    cfg = data_table("code")
    name = (repo_name(facts) or ("", ""))[1]
    external = [link for link in doc.links if not link.image and link.url.startswith("http")]
    papers = [link for link in external if host_matches(link.url, cfg["curated_list"]["paper_hosts"])]
    listed = re.search(cfg["curated_list"]["name"], name, re.IGNORECASE) or re.search(
        cfg["curated_list"]["name"], doc.title, re.IGNORECASE
    )
    promised = code_promise(facts) is not None
    if (
        not promised
        and not _runs_code(doc)
        and (len(papers) >= cfg["curated_list"]["min_paper_links"] or (listed and len(external) >= 20))
    ):
        first = papers[0] if papers else external[0]
        return Kind(
            RepoKind.CURATED_LIST,
            f"a curated list: {len(external)} links, {len(papers)} of them to papers, and no code",
            (Evidence(path=doc.path, line=first.line, note=first.url),),
        )
    if promised:
        return Kind(RepoKind.NO_CODE, "no source code")
    return _dataset_release(facts, doc) or Kind(RepoKind.NO_CODE, "no source code")


def _dataset_release(facts: Facts, doc: Document) -> Kind | None:
    """A repository that publishes a dataset: the README links its own data page, or is titled as
    data and says where to obtain it, and proposes no method whose code would be owed here."""
    cfg = data_table("code")["dataset"]
    if code_promise(facts) is not None or re.search(cfg["method_claim"], "\n".join(doc.lines), re.I):
        return None
    owner, name = repo_name(facts) or ("", "")
    external = [link for link in doc.links if not link.image and link.url.startswith("http")]
    mine = {n for n in (owner, name) if n}  # an owner unknown (a folder on disk) is none
    data_links = [link for link in external if host_matches(link.url, cfg["hosts"])]
    own = [
        link
        for link in data_links
        if "/datasets/" in link.url and mine & {p.lower() for p in split_url(link.url).path.split("/")}
    ]
    titled = re.search(cfg["title"], doc.title + " " + name, re.IGNORECASE)
    holds = "holds no code" if not source_files(facts) else "holds helper scripts only"
    if own or (titled and data_links):
        link = (own or data_links)[0]
        return Kind(
            RepoKind.DATASET,
            f"a dataset release: the README links the data and the repository {holds}",
            (Evidence(path=doc.path, line=link.line, note=link.url),),
        )
    # Titled as data, and the README says where to get it in any way the data item accepts (a
    # download page, a user's page on a data host, a command): a dataset release all the same.
    sources = data_sources(facts).sources
    if titled and sources:
        return Kind(
            RepoKind.DATASET,
            f"a dataset release: the README says where to obtain the data and the repository {holds}",
            (sources[0],),
        )
    return None


# A list may keep a helper script or two (exporting its tables); more code makes it a project. A
# README that is the table of contents of a list links at least LIST_PAGES pages of the repository.
LIST_HELPERS = 2
LIST_PAGES = 10


def _listed_over_pages(facts: Facts, doc: Document) -> Kind | None:
    """A curated list whose README is a table of contents of its own pages, which link the papers
    (a results tracker), beside a helper script or two: no method's code."""
    cfg = data_table("code")["curated_list"]
    pages = [link for link in doc.links if not link.image and not link.url.startswith(("http", "#"))]
    if len(pages) < LIST_PAGES or _runs_code(doc) or code_promise(facts) is not None:
        return None
    papers = [
        link
        for page in linked_documents(facts)[1:]
        for link in page.links
        if host_matches(link.url, cfg["paper_hosts"])
    ]
    if len(papers) < cfg["min_paper_links"]:
        return None
    return Kind(
        RepoKind.CURATED_LIST,
        f"a curated list over {len(pages)} pages of its own, linking {len(papers)} papers, "
        "with no code beyond a helper script",
        (Evidence(path=doc.path, line=pages[0].line, note=pages[0].url),),
    )


_ABOUT_CODE = re.compile(
    r"\b(code|codes|codebase|implementation|scripts?|source|repo(sitory)?)\b", re.IGNORECASE
)
_RUN_LINE = re.compile(
    r"^\s*[$!]?\s*(python3?|bash|sh|pip3?|conda|torchrun|accelerate|docker)\s", re.MULTILINE
)


@cache
def _coming_soon() -> list[re.Pattern[str]]:
    return [re.compile(p) for p in data_table("code")["coming_soon"]]


def coming_soon(line: str) -> bool:
    low = line.lower()
    return any(p.search(low) for p in _coming_soon())


@fact
def code_promise(facts: Facts) -> Evidence | None:
    """A README line that says the code itself is still to come, or is in another repository."""
    doc = root_document(facts)
    if doc is None:
        return None
    text = "\n".join(doc.lines).lower()  # one search of the README, not one per line
    starts = sorted(m.start() for p in _coming_soon() for m in p.finditer(text))
    latest = max((d for line in doc.lines if (d := _news_date(line)) is not None), default=None)
    for start in starts:
        number = text.count("\n", 0, start) + 1
        line = doc.lines[number - 1]
        dated = _news_date(line)
        if dated is not None and latest is not None and dated < latest:
            continue  # an old item of the news ("2025-04: code to be released"), since overtaken
        if _ABOUT_CODE.search(line):
            return Evidence(path=doc.path, line=number, note=snippet(line))
    elsewhere = re.compile(data_table("code")["code_elsewhere"], re.IGNORECASE)
    mine = repo_name(facts)
    for link in doc.links:
        parts = [p.lower() for p in split_url(link.url).path.split("/") if p]
        if link.image or host_of(link.url) not in ("github.com", "gitlab.com") or len(parts) < 2:
            continue
        line = doc.lines[link.line - 1] if 0 < link.line <= len(doc.lines) else ""
        # this repository: its owner and name, or its name alone where the owner is unknown (on disk)
        this = (
            mine is not None
            and parts[1].removesuffix(".git") == mine[1]
            and (not mine[0] or parts[0] == mine[0])
        )
        if not this and elsewhere.search(line):
            return Evidence(
                path=doc.path, line=link.line, url=link.url, note="the code is in another repository"
            )
    return None


_NEWS_DATE = re.compile(r"^\W*\[?(20\d\d)[-/.](\d{1,2})(?:[-/.](\d{1,2}))?\b")


def _news_date(line: str) -> tuple[int, int, int] | None:
    """The date a news item starts with (`- **2025-06-10** code released`, `[2024/05] …`)."""
    m = _NEWS_DATE.match(line)
    return (int(m.group(1)), int(m.group(2)), int(m.group(3) or 0)) if m else None


def _runs_code(doc: Document) -> bool:
    """Whether a README tells the reader to install or run something (a list does not)."""
    return any(_RUN_LINE.search(block.text) for block in doc.code_blocks)


def ml_names() -> set[str]:
    return {n.lower().replace("-", "_") for n in data_table("code")["ml_packages"]}


@fact
def ml_evidence(facts: Facts) -> Evidence | None:
    """Where the project imports a machine-learning framework, if it does anywhere."""
    names = ml_names()
    pattern = re.compile(r"^\s*(?:import|from)\s+([A-Za-z_][\w]*)", re.MULTILINE)
    python = [p for p in source_files(facts) if p.endswith((".py", ".ipynb"))]
    unread = max(0, len(python) - MAX_READ)  # past the cap: not read, so not known to import nothing
    for path in python[:MAX_READ]:
        code = code_text(facts, path)
        if code is None:
            unread += 1
            continue
        for match in pattern.finditer(code):
            if match.group(1).lower() in names:
                notebook = path.endswith(".ipynb")
                line = None if notebook else code.count("\n", 0, match.start()) + 1
                where = " in a code cell" if notebook else ""
                return Evidence(path=path, line=line, note=f"imports {match.group(1)}{where}")
    if not unread and python:
        # The imports were all read: a framework in a frozen environment dump alone (pulled in
        # by some other package) does not make the project train models.
        return None
    is_dependency_file = name_matcher(tuple(file_families()["dependency_files"]))
    for path in project_files(facts):
        if not is_dependency_file(path.rpartition("/")[2]):
            continue
        text = facts.text(path)
        if text is None:
            continue
        for number, row in enumerate(text.text.lower().splitlines(), start=1):
            found = set(re.findall(r"[a-z_][\w.-]*", row.replace("-", "_"))) & names
            if found:
                return Evidence(path=path, line=number, note=f"requires {sorted(found)[0]}")
    return None


@fact
def software_package(facts: Facts) -> Evidence | None:
    """What shows the repository is a software package for others to use (a library, a tool):
    the README installs it by its own name or links its page on a package index, links a
    documentation site of its own, or has a user guide or documentation section. Such a
    repository may report no experiments, and its users bring their own data."""
    doc = root_document(facts)
    if doc is None:
        return None
    cfg = data_table("readme")["package"]
    names = own_names(facts)
    written = [(b.line, b.text) for b in doc.code_blocks] + [(c.line, c.text) for c in doc.inline_code]
    for number, text in written:
        for line in text.splitlines():
            m = re.search(cfg["install"], line)
            if m and norm_name(m.group("name")) in names:
                return Evidence(path=doc.path, line=number, note=snippet(line))
    docs_text = re.compile(cfg["documentation"], re.IGNORECASE)
    for link in doc.links:
        if link.image:
            continue
        parts = split_url(link.url)
        host, path = (parts.hostname or "").lower(), parts.path.lower()
        index = re.match(cfg["index_pages"], host + path)
        if index and norm_name(index.group("name")) in names:
            return Evidence(path=doc.path, line=link.line, url=link.url, note="its page on a package index")
        site = host_matches(link.url, cfg["doc_hosts"]) and any(
            n and n in norm_name(host + path) for n in names
        )
        if site and (docs_text.search(link.text) or "doc" in host + path):
            return Evidence(path=doc.path, line=link.line, url=link.url, note="its documentation site")
    for heading in doc.headings:
        if docs_text.fullmatch(re.sub(r"^[\W\d_]+|[\W_]+$", "", heading.title)):
            return Evidence(path=doc.path, line=heading.line, note=f"heading: {snippet(heading.title)}")
    # The README's own opening says what the repository is: "This library computes …"
    calls = re.compile(cfg["self_description"], re.IGNORECASE)
    headings = {h.line for h in doc.headings}
    paragraphs = [t for t in doc.texts if not t.in_table and t.line not in headings][:OPENING_PARAGRAPHS]
    for paragraph in paragraphs:
        if said := calls.search(paragraph.text):
            return Evidence(path=doc.path, line=paragraph.line, note=f"it calls itself a {said[1].lower()}")
    return None


@fact
def reports_experiments(facts: Facts) -> bool:
    """Whether the README reports experiments of its own: a table of results, or a section whose
    title says results, benchmarks, experiments (beyond the README's own title)."""
    doc = root_document(facts)
    if doc is None:
        return False
    experiments = re.compile(data_table("readme")["result_images"]["experiments"], re.IGNORECASE)
    return bool(results_tables(facts)) or any(experiments.search(h.title) for h in doc.headings[1:])
