"""The figures a report leads with, in the terms of the MIDL reproducibility study.

How many papers link code, how many links work, how many repositories pass each item, how many are
placeholders, and which papers promised code that never came. Pure functions of a `Report`: the
Markdown, terminal, gate and diff views all read the same numbers.
"""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass
from datetime import date
from functools import cache

from auditor.models import (
    Artifact,
    ArtifactKind,
    ArtifactStatus,
    ChecklistItem,
    Outcome,
    PaperAudit,
    RepoAudit,
    Report,
    RepoStatus,
    StatementKind,
)
from auditor.resources import load_yaml

# Statuses that mean the link leads nowhere (as opposed to "could not tell": errors, timeouts).
_MISSING = {RepoStatus.NOT_FOUND: "repository not found", RepoStatus.EMPTY: "repository is empty"}
# Statements that promise code the abstract does not link to a repository.
_UNLINKED_PROMISES = (StatementKind.PROMISED, StatementKind.CLAIMED_NO_LINK)


@cache
def _roles() -> dict[str, list[str]]:
    roles: dict[str, list[str]] = load_yaml("report.yaml")["roles"]
    return roles


def role_item(items: list[ChecklistItem], role: str) -> str | None:
    """The id of the item that answers `role` ("code", "license", "weights") in this checklist."""
    ids = {item.id for item in items}
    return next((candidate for candidate in _roles()[role] if candidate in ids), None)


def outcome(audit: RepoAudit, item_id: str | None) -> Outcome | None:
    if item_id is None:
        return None
    return next((r.outcome for r in audit.results if r.id == item_id), None)


@dataclass(frozen=True)
class ItemCount:
    item: ChecklistItem
    counts: dict[Outcome, int]

    @property
    def decided(self) -> int:
        return self.counts[Outcome.PASS] + self.counts[Outcome.FAIL]

    @property
    def rate(self) -> float | None:
        """Share of passes among decided repositories; unknowns stay out, as in the score."""
        return self.counts[Outcome.PASS] / self.decided if self.decided else None


@dataclass(frozen=True)
class BrokenPromise:
    paper: PaperAudit
    reason: str
    age_days: int | None = None  # days from the paper's date to the report's, when both are known


@dataclass(frozen=True)
class Headline:
    papers: int
    papers_with_statement: int
    papers_linking_code: int
    repos: int
    audited: int
    not_audited: dict[RepoStatus, int]
    placeholders: list[str] | None  # keys; None when the checklist has no item that can tell
    broken_promises: list[BrokenPromise]
    items: list[ItemCount]
    median: float | None
    scored: int
    artifacts: dict[ArtifactStatus, int]  # artifact links of repositories and abstracts, each once


def is_placeholder(audit: RepoAudit, code_item: str | None) -> bool:
    if audit.repo.status is RepoStatus.EMPTY:
        return True
    return audit.repo.status is RepoStatus.OK and outcome(audit, code_item) is Outcome.FAIL


def median_score(repos: list[RepoAudit]) -> float | None:
    scores = [a.score for a in repos if a.score is not None]
    return statistics.median(scores) if scores else None


def headline(report: Report) -> Headline:
    repos = {a.repo.key: a for a in report.repos}
    code_item = role_item(report.checklist_items, "code")
    audited = [a for a in report.repos if a.repo.status is RepoStatus.OK]
    items = []
    for item in report.checklist_items:
        counts = Counter({o: 0 for o in Outcome})
        counts.update(r.outcome for a in audited for r in a.results if r.id == item.id)
        items.append(ItemCount(item, dict(counts)))
    placeholders = (
        None if code_item is None else [a.repo.key for a in report.repos if is_placeholder(a, code_item)]
    )
    broken = [
        BrokenPromise(paper, reason, promise_age(paper, report.generated_at))
        for paper in report.papers
        if (reason := _broken_reason(paper, [repos[k] for k in paper.repos if k in repos], code_item))
    ]
    return Headline(
        papers=len(report.papers),
        papers_with_statement=sum(1 for p in report.papers if p.statements),
        papers_linking_code=sum(1 for p in report.papers if p.repos),
        repos=len(report.repos),
        audited=len(audited),
        not_audited=dict(Counter(a.repo.status for a in report.repos if a.repo.status is not RepoStatus.OK)),
        placeholders=placeholders,
        broken_promises=broken,
        items=items,
        median=median_score(report.repos),
        scored=sum(1 for a in report.repos if a.score is not None),
        artifacts=dict(Counter(a.status for a in all_artifacts(report).values())),
    )


def all_artifacts(report: Report) -> dict[str, Artifact]:
    """Every artifact link of the report, once per URL (repositories first, then abstracts)."""
    found: dict[str, Artifact] = {}
    for audit in report.repos:
        for item in audit.repo.artifacts or []:
            found.setdefault(item.url, item)
    for paper in report.papers:
        for item in paper.artifacts or []:
            found.setdefault(item.url, item)
    return found


def unverified(audit: RepoAudit) -> dict[str, list[Artifact]]:
    """Verdicts that rest on artifact links the network stage did not verify (not checked, or no
    answer), by item id: what `--no-network-checks` leaves to the README's word."""
    open_ = {
        a.url: a
        for a in audit.repo.artifacts or []
        if a.status in (ArtifactStatus.NOT_CHECKED, ArtifactStatus.UNKNOWN)
    }
    out: dict[str, list[Artifact]] = {}
    for result in audit.results:
        cited = [open_[e.url] for e in result.evidence if e.url in open_]
        if cited:
            out[result.id] = list({a.url: a for a in cited}.values())
    return out


def promise_age(paper: PaperAudit, generated_at: str) -> int | None:
    """Days from the paper's date to the report's; None when the corpus gave no date."""
    if paper.paper.date is None:
        return None
    try:
        return (date.fromisoformat(generated_at[:10]) - date.fromisoformat(paper.paper.date)).days
    except ValueError:
        return None


def _broken_reason(paper: PaperAudit, repos: list[RepoAudit], code_item: str | None) -> str | None:
    """Why the code a paper promised is not there, or None if it is there or we cannot tell.

    A promise is a code statement in the abstract or a repository link. It is broken when no
    repository is linked for a promise, or when every linked repository is missing or a
    placeholder. Errors and timeouts are not evidence of anything, so they break no promise.
    """
    if not repos:
        promised = any(s.kind in _UNLINKED_PROMISES for s in paper.statements)
        if not promised:
            return None
        pages = [
            a
            for a in paper.artifacts or []
            if a.kind is ArtifactKind.PROJECT_PAGE and a.status is ArtifactStatus.AVAILABLE
        ]
        if pages:
            return f"code promised, no repository linked; its project page {pages[0].detail}"
        return "code promised, no repository linked"
    reasons = []
    for audit in repos:
        if audit.repo.status in _MISSING:
            reasons.append(_MISSING[audit.repo.status])
        elif is_placeholder(audit, code_item):
            reasons.append("placeholder: no code")
        else:
            return None
    return "; ".join(dict.fromkeys(reasons))
