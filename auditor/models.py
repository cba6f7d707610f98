"""The one vocabulary between stages: papers, links, repositories, check results, reports.

Every model is frozen and forbids unknown fields, so a typo in a stage or a hand-edited report
fails loudly instead of silently dropping data.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = "1.0"


class Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


# --- papers -------------------------------------------------------------------------------------


class SourceRef(Model):
    """Where a record came from, so a problem can be traced to a line of an input file."""

    file: str
    line: int | None = None


class LinkOrigin(StrEnum):
    """Where a paper gave a link or made a statement."""

    ABSTRACT = "abstract"
    PAPER_PAGE = "paper-page"  # a field of the source's record: Hugging Face's GitHub repository …
    FULL_TEXT = "full-text"  # the PDF: its text or a link annotation, on a page


class Passage(Model):
    """Text beside the abstract where code may be announced: a field of the paper's page at its
    source (a URL, or a comment), or a sentence or link annotation of its full text."""

    origin: LinkOrigin
    text: str
    field: str | None = Field(
        default=None,
        description="The record field it came from (githubRepo, projectPage, comment, a submission "
        "field), or `link annotation` for a PDF's link",
    )
    page: int | None = Field(default=None, description="Page of the PDF (from 1), for full text")


class Paper(Model):
    id: str = Field(description="Stable identifier: a slug of the title")
    title: str
    abstract: str = ""
    url: str | None = Field(default=None, description="A link given next to the paper in the input")
    date: str | None = Field(
        default=None, description="Publication date (YYYY-MM-DD) when the corpus gives one: dates promises"
    )
    page: str | None = Field(
        default=None,
        description="The paper's own page at the source it was listed by (arXiv abstract, Hugging Face "
        "paper page, OpenReview forum); where it was found, not a link the paper gives",
    )
    passages: tuple[Passage, ...] = Field(
        default=(), description="Paper-page fields and full-text sentences read for links and statements"
    )
    source: SourceRef


class InputProblem(Model):
    """A record that could not be read; the run goes on without it."""

    source: SourceRef
    message: str


# --- links and statements -----------------------------------------------------------------------


class LinkKind(StrEnum):
    GITHUB_REPO = "github-repo"
    CODE_HOST = "code-host"
    PROJECT_PAGE = "project-page"
    HUB = "hub"
    DOI = "doi"
    OTHER = "other"


class RepoRef(Model):
    """A repository on a code host, normalized so that one repository has one key."""

    host: str
    owner: str = Field(description="User, organisation or group path; empty on hosts without one")
    name: str
    url: str = Field(description="Web address of the repository")
    subpath: str | None = Field(default=None, description="Folder the link pointed into, if any")

    @property
    def key(self) -> str:
        """host/owner/name in lower case: one repository, however the link spelled it."""
        return "/".join(p for p in (self.host, self.owner, self.name) if p).lower()


class Link(Model):
    raw: str = Field(description="The text as the paper wrote it")
    url: str = Field(description="Normalized URL")
    kind: LinkKind
    repo: RepoRef | None = None
    note: str = Field(default="", description="Why a link that looks like code is not a repository")
    via: str | None = Field(
        default=None,
        description="The page this link was found on, one hop from the abstract (a project page, or "
        "an anonymized copy that names its repository); None for a link in the abstract itself",
    )
    origin: LinkOrigin = Field(
        default=LinkOrigin.ABSTRACT,
        description="Where the paper gives it (for a `via` link: where the page it was found on was given)",
    )
    field: str | None = Field(default=None, description="The paper-page field or `link annotation`")
    page: int | None = Field(default=None, description="Page of the full text it is on")


class StatementKind(StrEnum):
    AVAILABLE = "available"
    PROMISED = "promised"
    CLAIMED_NO_LINK = "claimed-no-link"


class CodeStatement(Model):
    kind: StatementKind
    text: str = Field(description="The sentence that makes the statement")
    links: list[str] = Field(default_factory=list, description="Normalized URLs in the sentence")
    origin: LinkOrigin = Field(default=LinkOrigin.ABSTRACT, description="Where the sentence is")
    page: int | None = Field(default=None, description="Page of the full text it is on")


class PaperLinks(Model):
    paper: Paper
    links: list[Link]
    statements: list[CodeStatement]

    @property
    def repos(self) -> list[RepoRef]:
        seen: dict[str, RepoRef] = {}
        for link in self.links:
            if link.repo is not None and link.kind in (LinkKind.GITHUB_REPO, LinkKind.CODE_HOST):
                seen.setdefault(link.repo.key, link.repo)
        return list(seen.values())


# --- repositories -------------------------------------------------------------------------------


class RepoStatus(StrEnum):
    OK = "ok"
    NOT_FOUND = "not-found"
    UNREACHABLE = "unreachable"
    EMPTY = "empty"
    TIMEOUT = "timeout"
    REFUSED = "refused"
    UNSUPPORTED = "unsupported"
    ERROR = "error"
    UNAVAILABLE = "unavailable"
    FORBIDDEN = "forbidden"
    RATE_LIMITED = "rate-limited"
    TOO_LARGE = "too-large"


class EntryKind(StrEnum):
    FILE = "file"
    SYMLINK = "symlink"
    SUBMODULE = "submodule"


class ReleaseAsset(Model):
    name: str
    size: int | None = None
    url: str


class Release(Model):
    tag: str
    name: str = ""
    published_at: str | None = None
    assets: list[ReleaseAsset] = Field(default_factory=list)


class HostFacts(Model):
    """What the code host's API says about a repository, beyond its files."""

    archived: bool = False
    disabled: bool = False
    fork: bool = False
    stars: int = 0
    pushed_at: str | None = None
    size_kb: int | None = Field(default=None, description="Repository size as the host reports it")
    homepage: str | None = None


class Rename(Model):
    """The host redirected a renamed or transferred repository."""

    old: str = Field(description="owner/name as the link gave it")
    new: str = Field(description="owner/name the host answered with")


class ArtifactStatus(StrEnum):
    AVAILABLE = "available"
    GONE = "gone"
    RESTRICTED = "restricted"
    UNKNOWN = "unknown"
    NOT_CHECKED = "not-checked"


class ArtifactKind(StrEnum):
    WEIGHTS = "weights"
    DATA = "data"
    DEMO = "demo"
    PROJECT_PAGE = "project-page"
    HUB = "hub"
    CODE = "code"


class Artifact(Model):
    """A link to something a reader should be able to download or open, and whether they can."""

    url: str
    kind: ArtifactKind
    status: ArtifactStatus
    http_status: int | None = Field(default=None, description="The HTTP status that decided, if one did")
    detail: str = Field(default="", description="Why this status: the host's answer in a few words")
    host: str | None = Field(
        default=None, description="The host rule that answered (huggingface, zenodo …); None: plain HTTP"
    )
    path: str | None = Field(default=None, description="Document of the repository that links it")
    line: int | None = None


class NetworkCost(Model):
    """What acquiring a repository cost on the network."""

    http_requests: int = Field(default=0, description="HTTP requests to the API, redirects included")
    not_modified: int = Field(default=0, description="Of those, answered 304 Not Modified (cache valid)")
    git: list[str] = Field(
        default_factory=list, description="git commands that contacted the remote: ls-remote, clone, fetch"
    )
    reused: bool = Field(
        default=False,
        description="The results were reused from an earlier run: the commit and tags were unchanged",
    )
    batched: bool = Field(
        default=False,
        description="The commit and tags came from a GraphQL request shared with other repositories "
        "(one per 50), which is not counted here",
    )


class RepoFacts(Model):
    """What acquisition learned about a repository, whatever the source."""

    key: str
    url: str = Field(description="Web URL, or the local path for local audits")
    status: RepoStatus
    detail: str = ""
    source: str = Field(description="Which source answered: api, git or local")
    commit: str | None = None
    branch: str | None = None
    file_count: int = 0
    subpath: str | None = None
    license_spdx: str | None = Field(
        default=None, description="License SPDX id as the code host detected it, if asked and it said"
    )
    releases: list[Release] | None = Field(
        default=None, description="Releases and their assets; None when the source cannot tell"
    )
    tree_truncated: bool = Field(default=False, description="The host returned only part of the file tree")
    host: HostFacts | None = Field(
        default=None, description="Host metadata; None when the source has none or was not asked (no token)"
    )
    renamed: Rename | None = None
    cost: NetworkCost = Field(default_factory=NetworkCost)
    artifacts: list[Artifact] | None = Field(
        default=None,
        description="Artifact links of the repository (weights, data, demos) and what probing them "
        "found; None when the audit had no artifact stage",
    )


# --- checks -------------------------------------------------------------------------------------


class Outcome(StrEnum):
    PASS = "pass"
    FAIL = "fail"
    NOT_APPLICABLE = "not-applicable"
    UNKNOWN = "unknown"
    ERROR = "error"


class Evidence(Model):
    """Something a reviewer can look at: a path (and line) at the audited commit, or a URL."""

    path: str | None = None
    line: int | None = None
    url: str | None = None
    note: str = ""


class CheckResult(Model):
    id: str
    outcome: Outcome
    message: str
    evidence: list[Evidence] = Field(default_factory=list)


class ChecklistItem(Model):
    id: str
    title: str
    rationale: str
    fix: str
    weight: float = Field(default=1.0, ge=0)
    url: str | None = None


class Checklist(Model):
    id: str
    version: str
    title: str
    description: str = ""
    items: list[ChecklistItem]


class ChecklistRef(Model):
    id: str
    version: str


class RepoAudit(Model):
    repo: RepoFacts
    results: list[CheckResult] = Field(default_factory=list)
    score: float | None = Field(
        default=None, description="Weighted share of passed items among pass+fail; None if none"
    )
    repeatable: Outcome | None = Field(
        default=None,
        description="MIDL sense: dependencies, training code and data instructions all pass; "
        "None when the checklist lacks one of them",
    )
    pwc_score: int | None = Field(
        default=None,
        ge=0,
        le=5,
        description="Papers with Code completeness: how many of its five items pass; None when the "
        "checklist lacks one of them or none was decided",
    )


# --- report -------------------------------------------------------------------------------------


class PaperAudit(Model):
    paper: Paper
    links: list[Link]
    statements: list[CodeStatement]
    repos: list[str] = Field(description="Keys of the audited repositories in Report.repos")
    artifacts: list[Artifact] | None = Field(
        default=None,
        description="Project pages, hub and anonymized-code links of the abstract and what probing "
        "them found; None when the audit had no artifact stage",
    )


class MissingShard(Model):
    shard: int
    reason: str = Field(description="No report came from it, or the health gate's reason to leave it out")


class Shards(Model):
    """The slices of a sharded run a report holds: a shard's own report, or a merge that lacks some."""

    count: int
    included: list[int]
    missing: list[MissingShard] = Field(default_factory=list)


class Report(Model):
    schema_version: str = SCHEMA_VERSION
    tool_version: str
    generated_at: str
    checklist: ChecklistRef
    checklist_items: list[ChecklistItem]
    papers: list[PaperAudit]
    repos: list[RepoAudit]
    problems: list[InputProblem] = Field(default_factory=list)
    shards: Shards | None = Field(
        default=None, description="Set when the report is partial: it holds only these shards of the input"
    )
