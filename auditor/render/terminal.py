"""Report → rich renderables for the terminal: the headline, then repositories by items."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from auditor.models import Outcome, Report, RepoStatus
from auditor.render.symbols import LEGEND, SYMBOLS, score_text
from auditor.stats import Headline, headline

# Below this many repositories, every failed item's message is listed under the table.
_DETAIL_LIMIT = 5


def render(report: Report) -> Group:
    head = headline(report)
    items = report.checklist_items
    table = Table(
        title=f"Checklist {report.checklist.id} v{report.checklist.version}",
        caption=LEGEND,
    )
    table.add_column("Repository", overflow="fold")
    table.add_column("Status", no_wrap=True)
    table.add_column("Score", justify="right")
    for item in items:
        table.add_column(item.id, justify="center", overflow="fold")
    for audit in report.repos:
        by_id = {r.id: r.outcome for r in audit.results}
        status = audit.repo.status
        table.add_row(
            Text(audit.repo.key),
            Text(status.value, style="green" if status is RepoStatus.OK else "red"),
            score_text(audit.score),
            *(SYMBOLS[by_id[i.id]] if i.id in by_id else "" for i in items),
        )
    parts: list[RenderableType] = [*_headline(head), table]
    parts += [Text(f"  {i.id}: {i.title}", style="dim") for i in items]
    if len(report.repos) <= _DETAIL_LIMIT:
        parts += [
            Text(f"  {audit.repo.key}: {r.id}: {r.message}", style="red")
            for audit in report.repos
            for r in audit.results
            if r.outcome in (Outcome.FAIL, Outcome.ERROR)
        ]
    for problem in report.problems:
        parts.append(
            Text(f"input {problem.source.file}:{problem.source.line}: {problem.message}", style="yellow")
        )
    return Group(*parts)


def _headline(head: Headline) -> list[Text]:
    lines = []
    if head.papers:
        lines.append(
            Text(
                f"{head.papers} papers: {head.papers_with_statement} mention their code, "
                f"{head.papers_linking_code} link a code repository, "
                f"{len(head.broken_promises)} promises not kept"
            )
        )
    missing = ", ".join(f"{n} {s.value}" for s, n in sorted(head.not_audited.items()))
    line = f"{head.repos} repositories: {head.audited} audited" + (f" (not: {missing})" if missing else "")
    if head.placeholders is not None:
        line += f", {len(head.placeholders)} placeholders"
    if head.scored:
        line += f"; median score {score_text(head.median)}"
    lines.append(Text(line))
    return lines
