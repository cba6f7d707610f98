"""The one vocabulary between stages: papers, links, repositories, check results, reports.

Every model is frozen and forbids unknown fields, so a typo in a stage or a hand-edited report
fails loudly instead of silently dropping data.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = "1.1"


class Model(BaseModel):
    # Strings read from JSON are not kept in pydantic's process-wide cache (16,384 of them, a MB
    # once full): a run reads back a journal of repositories whose values rarely repeat.
    model_config = ConfigDict(frozen=True, extra="forbid", cache_strings="keys")


# --- papers -------------------------------------------------------------------------------------


class SourceRef(Model):
    """Where a record came from, so a problem can be traced to a line of an input file."""

    file: str
    line: int | None = None

    def __str__(self) -> str:
        """`file:line`, or the file (a URL, for a source's answer) when no line applies."""
        return self.file if self.line is None else f"{self.file}:{self.line}"


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
    READING_LIST = "reading-list"  # a survey's list of the works it reviews: not the paper's code


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
    file_url: str | None = Field(
        default=None,
        description="Web address of `path` (and `line`) at the audited commit; filled when the report "
        "is made, None for local audits and hosts without a known layout",
    )


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
    url: str | None = Field(
        default=None,
        description="Where to look: the link the evidence is about (a weights file, the repository), "
        "else the file at the audited commit (`file_url`)",
    )
    file_url: str | None = Field(
        default=None,
        description="Web address of `path` (and `line`) at the audited commit; filled when the report "
        "is made, None for local audits and hosts without a known layout",
    )
    note: str = ""


class Waiver(Model):
    """An author's recorded reason why an item does not apply to their repository."""

    reason: str
    source: str = Field(description="The file that records it: pyproject.toml or .auditor.toml")


class CheckResult(Model):
    id: str
    outcome: Outcome = Field(description="What the check found; a waiver never changes it")
    message: str
    evidence: list[Evidence] = Field(default_factory=list)
    waiver: Waiver | None = Field(
        default=None,
        description="Waived by the author (`auditor check`): shown as waived, left out of the score; "
        "a waived item is never counted as passed",
    )

    @property
    def waived(self) -> bool:
        """Waived and not passed: the outcome the score leaves out (a waiver of a pass is moot)."""
        return self.waiver is not None and self.outcome is not Outcome.PASS


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


class PendingChange(Model):
    """A verdict that committing the working tree would change (`auditor check` of a checkout)."""

    item: str
    committed: Outcome = Field(description="The verdict on the committed HEAD (the report's)")
    working_tree: Outcome = Field(description="The verdict on the working tree, as it would be committed")
    files: list[str] = Field(description="Uncommitted files behind the difference, as far as evidence tells")


class RepoKind(StrEnum):
    """What a repository is, for statistics: the headline is over method code."""

    METHOD = "method"  # the code of a method: it trains or evaluates a model
    TOOL = "tool"  # software that trains no model: a library, a viewer, a pipeline
    DATASET = "dataset"  # a dataset release: the README links the data, no code
    CURATED_LIST = "curated-list"  # a list of papers or resources (a survey's reading list)
    PLACEHOLDER = "placeholder"  # empty, or no code yet


class RepoAudit(Model):
    repo: RepoFacts
    kind: RepoKind | None = Field(
        default=None, description="What the repository is, from its tree; None when it was not audited"
    )
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
    pending: list[PendingChange] = Field(
        default_factory=list,
        description="Verdicts that committing the working tree would change (auditor check only)",
    )

    def unverified(self) -> dict[str, list[Artifact]]:
        """Verdicts that rest on artifact links the network stage did not verify (not checked, or
        no answer), by item id: what `--no-network-checks` leaves to the README's word."""
        open_ = {
            a.url: a
            for a in self.repo.artifacts or []
            if a.status in (ArtifactStatus.NOT_CHECKED, ArtifactStatus.UNKNOWN)
        }
        out: dict[str, list[Artifact]] = {}
        for result in self.results:
            cited = [open_[e.url] for e in result.evidence if e.url in open_]
            if cited:
                out[result.id] = list({a.url: a for a in cited}.values())
        return out


# --- report -------------------------------------------------------------------------------------


class PaperOutcome(StrEnum):
    """What became of the code a paper speaks of: one per paper, decided in this order."""

    CODE = "links-code"  # links a repository with code (a method or a tool)
    DATASET = "links-dataset"  # links a dataset release
    READING_LIST = "reading-list"  # a survey pointing to its reading list
    NOT_AUDITED = "links-not-audited"  # the linked repository could not be audited: cannot tell
    PLACEHOLDER = "links-placeholder"  # links an empty repository or one without code
    MISSING = "links-missing"  # links a repository that is gone (deleted or private)
    PROMISED = "promised-not-kept"  # promised code, and no repository is linked
    PAGE = "page-only"  # says the code is on a page that leads to no repository
    CLAIMED = "claimed-no-link"  # says the code is available, with no link at all
    NONE = "no-code-mentioned"


# Outcomes in which the code a paper promised (by a statement or a link) is not there.
NOT_KEPT = (PaperOutcome.PLACEHOLDER, PaperOutcome.MISSING, PaperOutcome.PROMISED, PaperOutcome.CLAIMED)


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
    outcome: PaperOutcome | None = Field(
        default=None, description="What became of its code; None only in reports before schema 1.1"
    )
    outcome_detail: str = Field(default="", description="Why this outcome, in a few words")
    age_days: int | None = Field(
        default=None,
        description="For a promise not kept: days from the paper's date to the report's, when the "
        "corpus gave a date",
    )


class ItemSummary(Model):
    """One checklist item over the repositories of the headline."""

    id: str
    title: str
    passed: int = 0
    failed: int = 0
    unknown: int = 0
    not_applicable: int = 0
    error: int = 0
    waived: int = 0
    rate: float | None = Field(description="passed / (passed + failed); None when none was decided")


class KindSummary(Model):
    """The repositories of one kind: how many, how they score, how many are repeatable."""

    kind: RepoKind
    repos: int
    scored: int
    median: float | None
    repeatable: int = Field(description="Repeatable in the MIDL sense (verdict pass)")
    repeatable_decided: int = Field(description="With a repeatable verdict of pass or fail")
    pwc_median: float | None = Field(description="Median Papers with Code score (0-5)")


class Summary(Model):
    """Every number of the report's headline, computed once when the report is made."""

    papers: int
    papers_mentioning_code: int = Field(
        description="A code statement or a repository link (not a reading list)"
    )
    papers_linking_repository: int = Field(description="Link a repository (not a reading list)")
    outcomes: dict[PaperOutcome, int] = Field(description="Papers by outcome; every outcome is present")
    promises_not_kept: int = Field(description="Papers whose outcome is a promise not kept")
    repos: int
    audited: int
    not_audited: dict[RepoStatus, int]
    kinds: list[KindSummary] = Field(
        description="Repositories by kind: the audited ones, and empty ones as placeholders"
    )
    placeholders: int | None = Field(description="None when the checklist has no item that can tell")
    scope: RepoKind | None = Field(
        description="The kind the item table and median are over (method code, when the report has "
        "any); None: every audited repository"
    )
    scope_repos: int = Field(description="Repositories the item table is over")
    items: list[ItemSummary]
    median: float | None = Field(description="Median score over the scope")
    scored: int = Field(description="Scored repositories in the scope")
    repeatable: int = Field(description="Repeatable repositories in the scope")
    repeatable_decided: int
    pwc_median: float | None = Field(description="Median Papers with Code score (0-5) over the scope")
    artifacts: dict[ArtifactStatus, int] = Field(description="Artifact links by status, each link once")
    waived: int = Field(default=0, description="Check results waived by authors (and not passed)")


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
    summary: Summary | None = Field(
        default=None,
        description="The headline's numbers; None only in reports before schema 1.1 (auditor fills "
        "it in when it reads one)",
    )
    shards: Shards | None = Field(
        default=None, description="Set when the report is partial: it holds only these shards of the input"
    )


# --- differences between two reports (auditor diff) ----------------------------------------------


class StatusChange(Model):
    key: str
    old: RepoStatus
    new: RepoStatus
    detail: str = ""


class ScoreChange(Model):
    key: str
    old: float | None
    new: float | None


class ItemChange(Model):
    key: str
    item: str
    old: Outcome
    new: Outcome


class Gain(Model):
    key: str
    how: str = Field(description="What shows it: the item that now passes, or the host's license id")


class ArtifactChange(Model):
    key: str = Field(description="The repository that links the artifact")
    url: str
    kind: ArtifactKind
    old: ArtifactStatus
    new: ArtifactStatus
    http_status: int | None = None


class ReportDiff(Model):
    old_generated_at: str
    new_generated_at: str
    checklist_changed: bool
    papers_added: list[str] = Field(description="Paper ids")
    papers_removed: list[str]
    appeared: list[str] = Field(description="Repository keys new in the report")
    removed: list[str] = Field(description="Repository keys no longer linked by any paper")
    rotted: list[StatusChange] = Field(description="Audited before, not reachable now")
    recovered: list[StatusChange]
    updated: list[str] = Field(description="Audited at a new commit")
    scores: list[ScoreChange]
    items: list[ItemChange]
    license_gained: list[Gain]
    weights_released: list[Gain]
    artifacts_lost: list[ArtifactChange] = Field(
        description="Available before, gone or restricted now (a dead weights or data link)"
    )
    artifacts_back: list[ArtifactChange] = Field(description="Gone or restricted before, available now")
    median_old: float | None
    median_new: float | None

    @property
    def empty(self) -> bool:
        return not (
            self.papers_added
            or self.papers_removed
            or self.appeared
            or self.removed
            or self.rotted
            or self.recovered
            or self.updated
            or self.scores
            or self.items
            or self.artifacts_lost
            or self.artifacts_back
        )
