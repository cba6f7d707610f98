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


def corpus_report() -> Report:
    """A corpus of every paper outcome and repository kind, for statistics and the views of them."""
    m, t, lst = RepoKind.METHOD, RepoKind.TOOL, RepoKind.CURATED_LIST
    return report(
        [
            repo("github.com/lab/good", {"code": P, "license": P, "weights": F}, score=0.75, kind=m),
            repo("github.com/lab/empty-promise", {"code": F, "license": F, "weights": U}, score=0.0),
            repo("github.com/lab/gone", status=RepoStatus.NOT_FOUND),
            repo("github.com/lab/flaky", status=RepoStatus.TIMEOUT),
            repo("github.com/lab/nothing", status=RepoStatus.EMPTY),
            repo("github.com/lab/broken-check", {"code": P, "license": E, "weights": P}, score=1.0, kind=t),
            repo("github.com/lab/awesome", {"code": P, "license": P}, score=1.0, kind=lst),
        ],
        [
            paper("Good", ["github.com/lab/good"], says=StatementKind.AVAILABLE),
            paper("Placeholder", ["github.com/lab/empty-promise"], says=StatementKind.AVAILABLE),
            paper("Gone", ["github.com/lab/gone"]),
            paper("Flaky", ["github.com/lab/flaky"], says=StatementKind.AVAILABLE),
            paper("Nothing", ["github.com/lab/nothing"]),
            paper("Two repos, one good", ["github.com/lab/gone", "github.com/lab/good"]),
            paper("Promise without link", says=StatementKind.PROMISED, date="2025-12-01"),
            paper("Claim without link", says=StatementKind.CLAIMED_NO_LINK),
            paper("Project page only", says=StatementKind.AVAILABLE),
            paper("Survey", ["github.com/lab/awesome"], says=StatementKind.READING_LIST),
            paper("Survey without link", says=StatementKind.READING_LIST),
            paper("Silent"),
        ],
    )
