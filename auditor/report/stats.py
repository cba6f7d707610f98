"""The figures a report leads with, in the terms of the MIDL reproducibility study.

How many papers mention and link code, what became of each paper's code (`PaperOutcome`), how many
repositories of each kind pass each item, which promises were not kept. `finalize` computes them
once, when a report is made (the pipeline and merge call it; an older report read from disk gets
them too), and stores them in the report: the Markdown, terminal, HTML and JSON views read the
same numbers and compute none.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Iterable
from datetime import date
from functools import cache
from urllib.parse import quote, urlsplit

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


def median_score(repos: Iterable[RepoAudit]) -> float | None:
    scores = [a.score for a in repos if a.score is not None]
    return statistics.median(scores) if scores else None


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
    url = layout["file"].format(
        owner=quote(owner), name=quote(name), commit=quote(facts.commit), path=quote(path)
    )
    return url + (layout["line"].format(line=line) if line else "")


def with_file_urls(audit: RepoAudit) -> RepoAudit:
    """Evidence and artifacts with the address of their file at the audited commit; evidence that
    names no other link gets it as its `url` too, so every clickable piece of evidence has one."""

    def evidence(e: Evidence) -> Evidence:
        if e.path is None or e.file_url is not None:
            return e
        link = file_url(audit.repo, e.path, e.line)
        if link is None:
            return e
        return e.model_copy(update={"file_url": link, "url": e.url or link})

    def artifact(a: Artifact) -> Artifact:
        if a.path is None or a.file_url is not None:
            return a
        return a.model_copy(update={"file_url": file_url(audit.repo, a.path, a.line)})

    results = [r.model_copy(update={"evidence": [evidence(e) for e in r.evidence]}) for r in audit.results]
    repo = audit.repo
    if repo.artifacts:
        repo = repo.model_copy(update={"artifacts": [artifact(a) for a in repo.artifacts]})
    return audit.model_copy(update={"results": results, "repo": repo})


# --- what became of each paper's code ------------------------------------------------------------


def promise_age(paper: PaperAudit, generated_at: str) -> int | None:
    """Days from the paper's date to the report's; None when the corpus gave no date."""
    if paper.paper.date is None:
        return None
    try:
        return (date.fromisoformat(generated_at[:10]) - date.fromisoformat(paper.paper.date)).days
    except ValueError:
        return None


def paper_outcome(
    paper: PaperAudit, repos: list[RepoAudit], code_item: str | None
) -> tuple[PaperOutcome, str]:
    """The outcome of a paper and why, from its statements and the repositories it links.

    Decided in the order of `PaperOutcome`: working code anywhere wins; a survey's reading list is
    no code promise; a repository that could not be audited is no evidence either way, so it breaks
    no promise; a link (or a statement) to code that is not there is a promise not kept.
    """
    kinds = [kind_of(a, code_item) for a in repos]
    said = {s.kind for s in paper.statements}
    audited = [a.repo.status is RepoStatus.OK for a in repos]
    # A report made before kinds were recorded says only whether an audited repository has code.
    if any(k in _CODE_KINDS or (k is None and ok) for k, ok in zip(kinds, audited, strict=True)):
        return PaperOutcome.CODE, ""
    if RepoKind.DATASET in kinds:
        return PaperOutcome.DATASET, ""
    if RepoKind.CURATED_LIST in kinds or said == {StatementKind.READING_LIST}:
        return PaperOutcome.READING_LIST, ""
    unaudited = sorted({a.repo.status.value for a, k in zip(repos, kinds, strict=True) if k is None})
    unaudited = [s for s in unaudited if RepoStatus(s) not in _MISSING]
    if unaudited:
        return PaperOutcome.NOT_AUDITED, "could not be audited: " + ", ".join(unaudited)
    if RepoKind.PLACEHOLDER in kinds:
        empty = any(a.repo.status is RepoStatus.EMPTY for a in repos)
        return (
            PaperOutcome.PLACEHOLDER,
            "the repository is empty" if empty else "the repository holds no code",
        )
    if repos:
        return PaperOutcome.MISSING, "; ".join(dict.fromkeys(_MISSING[a.repo.status] for a in repos))
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


def with_outcome(
    paper: PaperAudit, repos: list[RepoAudit], code_item: str | None, generated_at: str
) -> PaperAudit:
    kind, detail = paper_outcome(paper, repos, code_item)
    age = promise_age(paper, generated_at) if kind in NOT_KEPT else None
    return paper.model_copy(update={"outcome": kind, "outcome_detail": detail, "age_days": age})


# --- the summary ---------------------------------------------------------------------------------


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


def _items(report: Report, audits: list[RepoAudit]) -> list[ItemSummary]:
    out = []
    for item in report.checklist_items:
        results = [r for a in audits for r in a.results if r.id == item.id]
        counts = Counter(r.outcome for r in results if not r.waived)
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
                waived=sum(1 for r in results if r.waived),
                rate=passed / (passed + failed) if passed + failed else None,
            )
        )
    return out


def _pwc_median(audits: list[RepoAudit]) -> float | None:
    scores = [a.pwc_score for a in audits if a.pwc_score is not None]
    return statistics.median(scores) if scores else None


def _kind_summary(kind: RepoKind, audits: list[RepoAudit]) -> KindSummary:
    return KindSummary(
        kind=kind,
        repos=len(audits),
        scored=sum(1 for a in audits if a.score is not None),
        median=median_score(audits),
        repeatable=sum(1 for a in audits if a.repeatable is Outcome.PASS),
        repeatable_decided=sum(1 for a in audits if a.repeatable in (Outcome.PASS, Outcome.FAIL)),
        pwc_median=_pwc_median(audits),
    )


def summarize(report: Report) -> Summary:
    """The headline of a report whose papers already have their outcome."""
    code_item = role_item(report.checklist_items, "code")
    audited = [a for a in report.repos if a.repo.status is RepoStatus.OK]
    kinds = {a.repo.key: kind_of(a, code_item) for a in report.repos}
    by_kind = {k: [a for a in report.repos if kinds[a.repo.key] is k] for k in RepoKind}  # empty ones too
    scope = RepoKind.METHOD if by_kind[RepoKind.METHOD] else None
    in_scope = by_kind[RepoKind.METHOD] if scope else audited
    outcomes = Counter(p.outcome for p in report.papers)
    tellable = code_item is not None or all(a.kind is not None for a in audited)
    head = _kind_summary(scope or RepoKind.METHOD, in_scope)  # the scope's figures, as a kind's
    return Summary(
        papers=len(report.papers),
        papers_mentioning_code=sum(
            1 for p in report.papers if p.outcome not in (PaperOutcome.NONE, PaperOutcome.READING_LIST)
        ),
        papers_linking_repository=sum(
            1 for p in report.papers if p.repos and p.outcome is not PaperOutcome.READING_LIST
        ),
        outcomes={o: outcomes[o] for o in PaperOutcome},
        promises_not_kept=sum(outcomes[o] for o in NOT_KEPT),
        repos=len(report.repos),
        audited=len(audited),
        not_audited=dict(
            sorted(Counter(a.repo.status for a in report.repos if a.repo.status is not RepoStatus.OK).items())
        ),
        kinds=[_kind_summary(k, by_kind[k]) for k in RepoKind if by_kind[k]],
        placeholders=sum(1 for k in kinds.values() if k is RepoKind.PLACEHOLDER) if tellable else None,
        scope=scope,
        scope_repos=len(in_scope),
        items=_items(report, in_scope),
        median=head.median,
        scored=head.scored,
        repeatable=head.repeatable,
        repeatable_decided=head.repeatable_decided,
        pwc_median=head.pwc_median,
        artifacts=dict(sorted(Counter(a.status for a in all_artifacts(report).values()).items())),
        waived=sum(1 for a in report.repos for r in a.results if r.waived),
    )


def finalize(report: Report) -> Report:
    """The report with what its views read filled in: links to evidence files at the audited
    commit, each paper's outcome, the summary. Idempotent."""
    repos = [with_file_urls(a) for a in report.repos]
    by_key = {a.repo.key: a for a in repos}
    code_item = role_item(report.checklist_items, "code")
    papers = [
        with_outcome(p, [by_key[k] for k in p.repos if k in by_key], code_item, report.generated_at)
        for p in report.papers
    ]
    done = report.model_copy(update={"repos": repos, "papers": papers})
    return done.model_copy(update={"summary": summarize(done)})


def finalized(report: Report) -> Report:
    """The report as it is when it has its summary (it was finalized when it was made), else
    finalized now: one made by hand, or an older one."""
    return report if report.summary is not None else finalize(report)


def summary_of(report: Report) -> Summary:
    """The headline's figures of any report."""
    summary = finalized(report).summary
    assert summary is not None  # finalize always fills it
    return summary
