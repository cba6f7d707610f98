"""The figures a report leads with, in the terms of the MIDL reproducibility study.

How many papers mention and link code, what became of each paper's code (`PaperOutcome`), how many
repositories of each kind pass each item, which promises were not kept. `finalize` computes them
once, when a report is made (the pipeline and merge call it; an older report read from disk gets
them too), and stores them in the report: the Markdown, terminal, HTML and JSON views read the
same numbers and compute none.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from typing import Any, TypeVar
from urllib.parse import quote, urlsplit

from pydantic import BaseModel

from auditor.data import load_yaml
from auditor.models import (
    NOT_KEPT,
    Artifact,
    ArtifactKind,
    ArtifactStatus,
    ChecklistItem,
    Evidence,
    ItemSummary,
    KindSummary,
    LinkKind,
    Outcome,
    PaperAudit,
    PaperOutcome,
    RepoAudit,
    RepoFacts,
    RepoKind,
    Report,
    RepoStatus,
    StatementKind,
    Summary,
)

# Statuses that mean the link leads nowhere (as opposed to "could not tell": errors, timeouts).
_MISSING = {RepoStatus.NOT_FOUND: "repository not found", RepoStatus.UNAVAILABLE: "repository blocked"}
_CODE_KINDS = (RepoKind.METHOD, RepoKind.TOOL)


@cache
def _roles() -> dict[str, list[str]]:
    roles: dict[str, list[str]] = load_yaml("report.yaml")["roles"]
    return roles


@cache
def _blob_urls() -> dict[str, dict[str, str]]:
    table: dict[str, dict[str, str]] = load_yaml("report.yaml")["blob_urls"]
    return table


def role_item(items: list[ChecklistItem], role: str) -> str | None:
    """The id of the item that answers `role` ("code", "license", "weights") in this checklist."""
    ids = {item.id for item in items}
    return next((candidate for candidate in _roles()[role] if candidate in ids), None)


def outcome(audit: RepoAudit, item_id: str | None) -> Outcome | None:
    if item_id is None:
        return None
    return next((r.outcome for r in audit.results if r.id == item_id), None)


def kind_of(audit: RepoAudit, code_item: str | None) -> RepoKind | None:
    """The repository's kind as the checks found it; for a report made before kinds were recorded,
    a placeholder is still told by its code item. None: not audited, or cannot tell."""
    if audit.repo.status is RepoStatus.EMPTY:
        return RepoKind.PLACEHOLDER
    if audit.repo.status is not RepoStatus.OK:
        return None
    if audit.kind is not None:
        return audit.kind
    return RepoKind.PLACEHOLDER if outcome(audit, code_item) is Outcome.FAIL else None


# --- links to files at the audited commit ------------------------------------------------------


def file_url(facts: RepoFacts, path: str, line: int | None = None) -> str | None:
    """The web address of `path` (and `line`) at the audited commit, when the host has one."""
    address = _addresser(facts)
    return address(path, line) if address is not None else None


_Address = Callable[[str, int | None], str]


def _addresser(facts: RepoFacts) -> _Address | None:
    """How files of this repository at its audited commit are addressed, when the host has a
    layout: the repository's URL parsed and the layout filled in once, for all its evidence."""
    if not facts.commit or facts.source == "local":
        return None
    try:
        parts = urlsplit(facts.url)
    except ValueError:
        return None
    host = (parts.hostname or "").lower().removeprefix("www.")
    layout = _blob_urls().get(host)
    owner, _, name = parts.path.strip("/").rpartition("/")
    if layout is None or not owner or not name:
        return None
    # quote() escapes NUL: the marker stands only where the path goes
    commit = quote(facts.commit)
    filled = layout["file"].format(owner=quote(owner), name=quote(name), commit=commit, path="\0")
    before, _, after = filled.partition("\0")
    line_part = layout["line"]

    def address(path: str, line: int | None = None) -> str:
        url = f"{before}{quote(path)}{after}"
        return url + (line_part.format(line=line) if line else "")

    return address


def with_file_urls(audit: RepoAudit) -> RepoAudit:
    """Evidence and artifacts with the address of their file at the audited commit; evidence that
    names no other link gets it as its `url` too, so every clickable piece of evidence has one.
    An audit addressed already (read back from the result cache or a run's journal) is returned
    as it is."""
    address = _addresser(audit.repo)
    if address is None:
        return audit  # no file has an address: nothing to add

    def evidence(e: Evidence) -> Evidence:
        if e.path is None or e.file_url is not None:
            return e
        link = address(e.path, e.line)
        return e.model_copy(update={"file_url": link, "url": e.url or link})

    def artifact(a: Artifact) -> Artifact:
        if a.path is None or a.file_url is not None:
            return a
        return a.model_copy(update={"file_url": address(a.path, a.line)})

    results = [_replaced(r, "evidence", [evidence(e) for e in r.evidence]) for r in audit.results]
    repo = _replaced(audit.repo, "artifacts", [artifact(a) for a in audit.repo.artifacts or []])
    if repo is audit.repo and all(r is o for r, o in zip(results, audit.results, strict=True)):
        return audit  # addressed already
    return audit.model_copy(update={"results": results, "repo": repo})


_M = TypeVar("_M", bound=BaseModel)


def _replaced(model: _M, field: str, items: list[Any]) -> _M:
    """`model` with `items` in `field`, or `model` itself when every item is the one it holds."""
    held = getattr(model, field) or []
    if all(new is old for new, old in zip(items, held, strict=True)):
        return model
    return model.model_copy(update={field: items})


# --- what became of each paper's code ------------------------------------------------------------


def promise_age(paper: PaperAudit, generated_at: str) -> int | None:
    """Days from the paper's date to the report's; None when the corpus gave no date."""
    if paper.paper.date is None:
        return None
    try:
        return (date.fromisoformat(generated_at[:10]) - date.fromisoformat(paper.paper.date)).days
    except ValueError:
        return None


# What a paper's outcome is judged by, of each repository it links: its status and its kind (see
# `kind_of`). A run keeps this much per repository, not the audit.
Judged = tuple[RepoStatus, RepoKind | None]


def judged(audit: RepoAudit, code_item: str | None) -> Judged:
    return audit.repo.status, kind_of(audit, code_item)


def paper_outcome(paper: PaperAudit, repos: list[Judged]) -> tuple[PaperOutcome, str]:
    """The outcome of a paper and why, from its statements and the repositories it links.

    Decided in the order of `PaperOutcome`: working code anywhere wins; a survey's reading list is
    no code promise; a repository that could not be audited is no evidence either way, so it breaks
    no promise; a link (or a statement) to code that is not there is a promise not kept.
    """
    kinds = [kind for _, kind in repos]
    said = {s.kind for s in paper.statements}
    audited = [status is RepoStatus.OK for status, _ in repos]
    # A report made before kinds were recorded says only whether an audited repository has code.
    if any(k in _CODE_KINDS or (k is None and ok) for k, ok in zip(kinds, audited, strict=True)):
        return PaperOutcome.CODE, ""
    if RepoKind.DATASET in kinds:
        return PaperOutcome.DATASET, ""
    if RepoKind.CURATED_LIST in kinds or said == {StatementKind.READING_LIST}:
        return PaperOutcome.READING_LIST, ""
    unaudited = sorted({status.value for status, k in repos if k is None})
    unaudited = [s for s in unaudited if RepoStatus(s) not in _MISSING]
    if unaudited:
        return PaperOutcome.NOT_AUDITED, "could not be audited: " + ", ".join(unaudited)
    if RepoKind.PLACEHOLDER in kinds:
        empty = any(status is RepoStatus.EMPTY for status, _ in repos)
        return (
            PaperOutcome.PLACEHOLDER,
            "the repository is empty" if empty else "the repository holds no code",
        )
    if repos:
        return PaperOutcome.MISSING, "; ".join(dict.fromkeys(_MISSING[status] for status, _ in repos))
    pages = _page_note(paper)
    if StatementKind.PROMISED in said:
        return PaperOutcome.PROMISED, "code promised, no repository linked" + (f"; {pages}" if pages else "")
    if StatementKind.AVAILABLE in said:
        return PaperOutcome.PAGE, pages or "code said to be at a link that is no repository"
    if StatementKind.CLAIMED_NO_LINK in said:
        return PaperOutcome.CLAIMED, "code said to be available, with no link"
    return PaperOutcome.NONE, ""


def _page_note(paper: PaperAudit) -> str:
    """What the pages of the abstract (project pages, hubs) were found to be, in a few words."""
    pages = [a for a in paper.artifacts or [] if a.kind in (ArtifactKind.PROJECT_PAGE, ArtifactKind.HUB)]
    if pages:
        page = pages[0]
        if page.status is ArtifactStatus.AVAILABLE:
            return f"its project page {page.detail or 'is there'}"
        return f"its project page is {page.status.value}" + (f" ({page.detail})" if page.detail else "")
    linked = [link for link in paper.links if link.kind in (LinkKind.PROJECT_PAGE, LinkKind.HUB)]
    if linked:
        return "its project page was not checked"
    return ""


def with_outcome(paper: PaperAudit, repos: list[Judged], generated_at: str) -> PaperAudit:
    kind, detail = paper_outcome(paper, repos)
    age = promise_age(paper, generated_at) if kind in NOT_KEPT else None
    return paper.model_copy(update={"outcome": kind, "outcome_detail": detail, "age_days": age})


# --- the summary ---------------------------------------------------------------------------------


def median(counts: Counter[float]) -> float | None:
    """`statistics.median` of the values counted (the same number, by the same arithmetic)."""
    n = counts.total()
    if not n:
        return None
    seen, wanted, below = 0, n // 2, None
    for value, count in sorted(counts.items()):
        if seen + count > wanted:
            if n % 2 or seen < wanted:  # the middle one; or both middle ones are this value
                return value if n % 2 else (value + value) / 2
            assert below is not None
            return (below + value) / 2
        seen, below = seen + count, value
    raise AssertionError("unreachable")


@dataclass
class _Group:
    """The figures of a set of repositories (one kind, or all audited ones), counted one by one."""

    repos: int = 0
    scores: Counter[float] = field(default_factory=Counter)
    repeatable: int = 0
    repeatable_decided: int = 0
    pwc: Counter[float] = field(default_factory=Counter)
    outcomes: Counter[tuple[str, Outcome]] = field(default_factory=Counter)  # (item, outcome), not waived
    waived: Counter[str] = field(default_factory=Counter)

    def add(self, audit: RepoAudit, *, items: bool) -> None:
        self.repos += 1
        if audit.score is not None:
            self.scores[audit.score] += 1
        self.repeatable += audit.repeatable is Outcome.PASS
        self.repeatable_decided += audit.repeatable in (Outcome.PASS, Outcome.FAIL)
        if audit.pwc_score is not None:
            self.pwc[audit.pwc_score] += 1
        if items:
            for r in audit.results:
                if r.waived:
                    self.waived[r.id] += 1
                else:
                    self.outcomes[(r.id, r.outcome)] += 1

    def kind(self, kind: RepoKind) -> KindSummary:
        return KindSummary(
            kind=kind,
            repos=self.repos,
            scored=self.scores.total(),
            median=median(self.scores),
            repeatable=self.repeatable,
            repeatable_decided=self.repeatable_decided,
            pwc_median=median(self.pwc),
        )

    def items(self, checklist: list[ChecklistItem]) -> list[ItemSummary]:
        out = []
        for item in checklist:
            counts = {o: self.outcomes[(item.id, o)] for o in Outcome}
            passed, failed = counts[Outcome.PASS], counts[Outcome.FAIL]
            out.append(
                ItemSummary(
                    id=item.id,
                    title=item.title,
                    passed=passed,
                    failed=failed,
                    unknown=counts[Outcome.UNKNOWN],
                    not_applicable=counts[Outcome.NOT_APPLICABLE],
                    error=counts[Outcome.ERROR],
                    waived=self.waived[item.id],
                    rate=passed / (passed + failed) if passed + failed else None,
                )
            )
        return out


class Tally:
    """A report finalized one record at a time, all its repositories first, then its papers:
    each comes back with what its views read (links to evidence files, the paper's outcome), and
    `summary` is the headline of them all. What it keeps per repository is its key, status and
    kind (a paper's outcome is judged by them); per artifact link, its status. So a report whose
    records stay on disk is finalized reading each once."""

    def __init__(self, checklist: list[ChecklistItem], generated_at: str) -> None:
        self._checklist, self._generated_at = checklist, generated_at
        self._code_item = role_item(checklist, "code")
        self._judged: dict[str, Judged] = {}
        self._pairs: dict[Judged, Judged] = {}  # a few distinct ones, shared by all repositories
        self._kinds = {k: _Group() for k in RepoKind}
        self._audited = _Group()
        self._not_audited: Counter[RepoStatus] = Counter()
        self._untold = False  # an audited repository without a recorded kind
        self._artifacts: dict[str, ArtifactStatus] = {}  # by URL: the first one found
        self._waived = 0
        self._papers = 0
        self._mentioning = self._linking = 0
        self._outcomes: Counter[PaperOutcome] = Counter()

    def repo(self, audit: RepoAudit, *, key: str | None = None) -> RepoAudit:
        """`key`: the audit's, as the caller holds it (a run's indexes share one string)."""
        audit = with_file_urls(audit)
        pair = judged(audit, self._code_item)
        status, kind = self._judged[key or audit.repo.key] = self._pairs.setdefault(pair, pair)
        if status is RepoStatus.OK:
            self._audited.add(audit, items=True)
            self._untold |= audit.kind is None
        else:
            self._not_audited[status] += 1
        if kind is not None:
            self._kinds[kind].add(audit, items=kind is RepoKind.METHOD)
        self._waived += sum(1 for r in audit.results if r.waived)
        self._artifacts_of(audit.repo.artifacts)
        return audit

    def paper(self, paper: PaperAudit) -> PaperAudit:
        linked = [self._judged[k] for k in paper.repos if k in self._judged]
        paper = with_outcome(paper, linked, self._generated_at)
        assert paper.outcome is not None
        self._papers += 1
        self._outcomes[paper.outcome] += 1
        self._mentioning += paper.outcome not in (PaperOutcome.NONE, PaperOutcome.READING_LIST)
        self._linking += bool(paper.repos) and paper.outcome is not PaperOutcome.READING_LIST
        self._artifacts_of(paper.artifacts)
        return paper

    def summary(self) -> Summary:
        method = self._kinds[RepoKind.METHOD]
        scope = RepoKind.METHOD if method.repos else None
        in_scope = method if scope else self._audited
        head = in_scope.kind(scope or RepoKind.METHOD)  # the scope's figures, as a kind's
        tellable = self._code_item is not None or not self._untold
        placeholders = self._kinds[RepoKind.PLACEHOLDER].repos
        return Summary(
            papers=self._papers,
            papers_mentioning_code=self._mentioning,
            papers_linking_repository=self._linking,
            outcomes={o: self._outcomes[o] for o in PaperOutcome},
            promises_not_kept=sum(self._outcomes[o] for o in NOT_KEPT),
            repos=len(self._judged),
            audited=self._audited.repos,
            not_audited=dict(sorted(self._not_audited.items())),
            kinds=[group.kind(k) for k, group in self._kinds.items() if group.repos],
            placeholders=placeholders if tellable else None,
            scope=scope,
            scope_repos=in_scope.repos,
            items=in_scope.items(self._checklist),
            median=head.median,
            scored=head.scored,
            repeatable=head.repeatable,
            repeatable_decided=head.repeatable_decided,
            pwc_median=head.pwc_median,
            artifacts=dict(sorted(Counter(self._artifacts.values()).items())),
            waived=self._waived,
        )

    def _artifacts_of(self, artifacts: list[Artifact] | None) -> None:
        for item in artifacts or []:
            self._artifacts.setdefault(item.url, item.status)


def finalize(report: Report) -> Report:
    """The report with what its views read filled in: links to evidence files at the audited
    commit, each paper's outcome, the summary. Idempotent."""
    tally = Tally(report.checklist_items, report.generated_at)
    repos = [tally.repo(a) for a in report.repos]
    papers = [tally.paper(p) for p in report.papers]
    return report.model_copy(update={"repos": repos, "papers": papers, "summary": tally.summary()})


def finalized(report: Report) -> Report:
    """The report as it is when it has its summary (it was finalized when it was made), else
    finalized now: one made by hand, or an older one."""
    return report if report.summary is not None else finalize(report)


def summary_of(report: Report) -> Summary:
    """The headline's figures of any report."""
    summary = finalized(report).summary
    assert summary is not None  # finalize always fills it
    return summary
