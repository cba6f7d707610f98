"""Reports written by hand, for renderer, diff, merge and gate tests that need no repositories."""

from __future__ import annotations

from auditor.models import (
    ChecklistItem,
    ChecklistRef,
    CheckResult,
    CodeStatement,
    Evidence,
    Outcome,
    Paper,
    PaperAudit,
    RepoAudit,
    RepoFacts,
    RepoKind,
    Report,
    RepoStatus,
    SourceRef,
    StatementKind,
)
from auditor.report.stats import finalize

ITEMS = [
    ChecklistItem(id="code", title="Code is present", rationale="r", fix="f", weight=2),
    ChecklistItem(id="license", title="License", rationale="r", fix="f"),
    ChecklistItem(id="weights", title="Pretrained weights", rationale="r", fix="f"),
]

P, F, U, NA, E = Outcome.PASS, Outcome.FAIL, Outcome.UNKNOWN, Outcome.NOT_APPLICABLE, Outcome.ERROR


def repo(
    key: str,
    outcomes: dict[str, Outcome] | None = None,
    *,
    status: RepoStatus = RepoStatus.OK,
    score: float | None = None,
    commit: str | None = "a" * 40,
    url: str | None = None,
    evidence: dict[str, list[Evidence]] | None = None,
    kind: RepoKind | None = None,
    repeatable: Outcome | None = None,
    pwc_score: int | None = None,
    **facts: object,
) -> RepoAudit:
    """An audit of `key` (host/owner/name); not audited repositories get all-unknown results."""
    _, owner, name = key.split("/")
    if status is not RepoStatus.OK:
        outcomes = {i.id: U for i in ITEMS} if outcomes is None else outcomes
        commit = None
    outcomes = outcomes or {}
    results = [
        CheckResult(id=i, outcome=o, message=f"{i} is {o.value}", evidence=(evidence or {}).get(i, []))
        for i, o in outcomes.items()
    ]
    return RepoAudit(
        repo=RepoFacts(
            key=key,
            url=url or f"https://github.com/{owner}/{name}",
            status=status,
            source="git",
            commit=commit,
            branch="main" if commit else None,
            **facts,  # type: ignore[arg-type]
        ),
        results=results,
        score=score,
        kind=kind,
        repeatable=repeatable,
        pwc_score=pwc_score,
    )


def paper(
    title: str,
    repos: list[str] = (),  # type: ignore[assignment]
    *,
    says: StatementKind | None = None,
    line: int = 1,
    url: str | None = None,
    date: str | None = None,
) -> PaperAudit:
    statements = [CodeStatement(kind=says, text=f"Code {says.value}.")] if says else []
    return PaperAudit(
        paper=Paper(
            id=title.lower().replace(" ", "-"),
            title=title,
            url=url,
            date=date,
            source=SourceRef(file="papers.jsonl", line=line),
        ),
        links=[],
        statements=statements,
        repos=list(repos),
    )


def report(
    repos: list[RepoAudit],
    papers: list[PaperAudit] = (),  # type: ignore[assignment]
    *,
    items: list[ChecklistItem] = ITEMS,
    generated_at: str = "2026-01-01T00:00:00Z",
) -> Report:
    """A report as the pipeline makes it: with outcomes, summary and evidence links."""
    return finalize(
        Report(
            tool_version="0.1.0",
            generated_at=generated_at,
            checklist=ChecklistRef(id="test", version="1"),
            checklist_items=items,
            papers=list(papers),
            repos=repos,
        )
    )
