"""Report → rich renderables for the terminal: the headline, then repositories by items."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from auditor.models import ArtifactStatus, Outcome, RepoAudit, Report, RepoStatus
from auditor.render.symbols import LEGEND, SYMBOLS, score_text
from auditor.report.stats import Headline, headline

# Below this many repositories, every failed item's message is listed under the table.
_DETAIL_LIMIT = 5


def render(report: Report) -> Group:
    """A few repositories: one table each, item by item with its message (an author reading why).
    Many: one matrix of repositories by numbered items, with the key below it."""
    parts: list[RenderableType] = [*_headline(headline(report))]
    if len(report.repos) <= _DETAIL_LIMIT:
        parts += [_repo_table(report, audit) for audit in report.repos]
    else:
        parts.append(_matrix(report))
        parts += [
            Text(f"  {n} {i.id}: {i.title}", style="dim") for n, i in enumerate(report.checklist_items, 1)
        ]
    for problem in report.problems:
        parts.append(
            Text(f"input {problem.source.file}:{problem.source.line}: {problem.message}", style="yellow")
        )
    return Group(*parts)


def _status(audit: RepoAudit) -> Text:
    status = audit.repo.status
    return Text(status.value, style="green" if status is RepoStatus.OK else "red")


def _repo_table(report: Report, audit: RepoAudit) -> Table:
    title = Text.assemble(audit.repo.key, "  ", _status(audit), f"  score {score_text(audit.score)}")
    table = Table(title=title, caption=LEGEND, show_header=False)
    table.add_column("Item", no_wrap=True)
    table.add_column("", justify="center", no_wrap=True)
    table.add_column("Why", overflow="fold")
    by_id = {r.id: r for r in audit.results}
    for item in report.checklist_items:
        result = by_id.get(item.id)
        if result is None:
            continue
        style = "red" if result.outcome in (Outcome.FAIL, Outcome.ERROR) else ""
        table.add_row(item.title, SYMBOLS[result.outcome], Text(result.message, style=style))
    return table


def _matrix(report: Report) -> Table:
    items = report.checklist_items
    table = Table(title=f"Checklist {report.checklist.id} v{report.checklist.version}", caption=LEGEND)
    table.add_column("Repository", overflow="fold", min_width=20)
    table.add_column("Status", no_wrap=True)
    table.add_column("Score", justify="right", no_wrap=True)
    for number, _ in enumerate(items, 1):
        table.add_column(str(number), justify="center", no_wrap=True)
    for audit in report.repos:
        by_id = {r.id: r.outcome for r in audit.results}
        table.add_row(
            Text(audit.repo.key),
            _status(audit),
            score_text(audit.score),
            *(SYMBOLS[by_id[i.id]] if i.id in by_id else "" for i in items),
        )
    return table


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
    if head.artifacts:
        lines.append(_artifacts(head.artifacts))
    return lines


def _artifacts(counts: dict[ArtifactStatus, int]) -> Text:
    total = sum(counts.values())
    skipped = counts.get(ArtifactStatus.NOT_CHECKED, 0)
    if skipped == total:
        return Text(f"{total} artifact links not checked (network checks off)", style="dim")
    dead, restricted = counts.get(ArtifactStatus.GONE, 0), counts.get(ArtifactStatus.RESTRICTED, 0)
    return Text.assemble(
        f"{total} artifact links: ",
        (f"{dead} dead", "red" if dead else ""),
        ", ",
        (f"{restricted} restricted", "yellow" if restricted else ""),
        f", {counts.get(ArtifactStatus.AVAILABLE, 0)} available, "
        f"{counts.get(ArtifactStatus.UNKNOWN, 0)} unknown" + (f", {skipped} not checked" if skipped else ""),
    )
