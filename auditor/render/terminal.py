"""Report → rich renderables for the terminal."""

from __future__ import annotations

from rich.console import Group
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from auditor.models import Outcome, Report, RepoStatus
from auditor.render.symbols import LEGEND, SYMBOLS, score_text


def render(report: Report) -> Group:
    items = report.checklist_items
    table = Table(title=f"Checklist {report.checklist.id} v{report.checklist.version}", caption=LEGEND)
    table.add_column("Repository", overflow="fold")
    table.add_column("Status", no_wrap=True)
    table.add_column("Score", justify="right")
    for item in items:
        table.add_column(item.title, justify="center", overflow="fold")
    for audit in report.repos:
        by_id = {r.id: r for r in audit.results}
        status = audit.repo.status
        table.add_row(
            escape(audit.repo.key),
            Text(status.value, style="green" if status is RepoStatus.OK else "red"),
            score_text(audit.score),
            *(SYMBOLS[by_id[i.id].outcome] if i.id in by_id else "" for i in items),
        )
    parts: list[Table | Text] = []
    if report.papers:
        linked = sum(1 for p in report.papers if p.repos)
        parts.append(Text(f"{len(report.papers)} papers, {linked} link a code repository"))
    parts.append(table)
    failures = [
        (audit.repo.key, r.message)
        for audit in report.repos
        for r in audit.results
        if r.outcome in (Outcome.FAIL, Outcome.ERROR)
    ]
    if failures and len(report.repos) <= 5:
        parts.extend(Text(f"  {key}: {message}", style="red") for key, message in failures)
    for problem in report.problems:
        parts.append(
            Text(f"input {problem.source.file}:{problem.source.line}: {problem.message}", style="yellow")
        )
    return Group(*parts)
