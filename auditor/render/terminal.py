"""Report → rich renderables for the terminal: each paper's view (a few papers), the headline, then
the repositories, laid out for the width there is.

Everything from papers and repositories is a `Text` (rich markup in it is shown, not applied) and
goes through `clean` (terminal control sequences in it are shown, not obeyed).
"""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from auditor.models import (
    NOT_KEPT,
    ArtifactStatus,
    Outcome,
    PaperAudit,
    PaperOutcome,
    RepoAudit,
    Report,
    RepoStatus,
    Summary,
)
from auditor.render.symbols import LEGEND, SYMBOLS, WAIVED, result_symbol, score_text
from auditor.render.text import (
    KIND_TEXT,
    OUTCOME_TEXT,
    STATEMENT_TEXT,
    clean,
    kinds_text,
    plural,
    pwc_text,
    tone,
)

# Up to this many repositories, each gets a table of its items with the messages (an author
# reading why); up to this many papers, each paper's view leads.
DETAIL_LIMIT = 5
# Narrower than this, many repositories are listed one line each instead of as a matrix.
MATRIX_WIDTH = 120
_TONE_STYLE = {"bad": "red", "good": "green", "neutral": ""}


def _t(text: str, style: str = "") -> Text:
    return Text(clean(text), style=style)


def render(report: Report, *, width: int = MATRIX_WIDTH) -> Group:
    """`width`: the columns of the terminal (80 in a pipe), so a table never loses its names."""
    if report.summary is None:
        raise ValueError("a report without its summary: make it with auditor.report.stats.finalize")
    parts: list[RenderableType] = []
    if report.papers and len(report.papers) <= DETAIL_LIMIT:
        repos = {a.repo.key: a for a in report.repos}
        for paper in report.papers:
            parts += _paper(paper, repos)
    parts += _headline(report.summary)
    if len(report.repos) <= DETAIL_LIMIT:
        for audit in report.repos:
            parts += _repo_table(report, audit)
        if report.repos:
            parts.append(Text(LEGEND, style="dim"))
    elif width >= MATRIX_WIDTH:
        parts.append(_matrix(report))
        parts += [_t(f"  {n} {i.id}: {i.title}", "dim") for n, i in enumerate(report.checklist_items, 1)]
    else:
        parts.append(_t(f"Checklist {report.checklist.id} v{report.checklist.version}; {LEGEND}", "dim"))
        parts += [_line(audit) for audit in report.repos]
    for problem in report.problems:
        parts.append(_t(f"input {problem.source}: {problem.message}", "yellow"))
    return Group(*parts)


def _paper(paper: PaperAudit, repos: dict[str, RepoAudit]) -> list[RenderableType]:
    """A reviewer's view of one paper: the abstract's words on code, each repository's fate."""
    out: list[RenderableType] = [_t(paper.paper.title, "bold")]
    if paper.outcome is not None:
        verdict = OUTCOME_TEXT[paper.outcome] + (f": {paper.outcome_detail}" if paper.outcome_detail else "")
        if paper.age_days is not None and paper.outcome in NOT_KEPT:
            verdict += f" ({plural(paper.age_days, 'day')} since the paper)"
        out.append(Text.assemble("  outcome: ", _t(verdict, _TONE_STYLE[tone(paper.outcome)])))
    for statement in paper.statements:
        out.append(
            Text.assemble(f"  says ({STATEMENT_TEXT[statement.kind]}): ", _t(f"“{statement.text}”", "italic"))
        )
    if not paper.statements and paper.outcome is PaperOutcome.NONE:
        out.append(_t("  the abstract says nothing about code", "dim"))
    for key in paper.repos:
        audit = repos.get(key)
        if audit is not None:
            out.append(
                Text.assemble(
                    "  repository ", _t(key), "  ", _status(audit), f"  score {score_text(audit.score)}"
                )
            )
    return out


def _status(audit: RepoAudit) -> Text:
    status = audit.repo.status
    return Text(status.value, style="green" if status is RepoStatus.OK else "red")


def _repo_table(report: Report, audit: RepoAudit) -> list[RenderableType]:
    """The repository's name on a line of its own (whole at any width), then its items."""
    kind = f"  {KIND_TEXT[audit.kind]}" if audit.kind else ""
    title = Text.assemble(
        _t(audit.repo.key, "bold"), "  ", _status(audit), f"{kind}  score {score_text(audit.score)}"
    )
    table = Table(show_header=False, expand=True)
    table.add_column("Item", overflow="fold", max_width=32)
    table.add_column("", justify="center", no_wrap=True)
    table.add_column("Why", overflow="fold", ratio=1)
    by_id = {r.id: r for r in audit.results}
    for item in report.checklist_items:
        result = by_id.get(item.id)
        if result is None:
            continue
        why = result.message
        if result.waiver is not None:
            why = f"waived: {result.waiver.reason} — found {result.outcome.value}: {why}"
        style = "red" if result.outcome in (Outcome.FAIL, Outcome.ERROR) and not result.waived else ""
        table.add_row(_t(item.title), result_symbol(result), _t(why, style))
    parts: list[RenderableType] = [title, table]
    if audit.pending:
        titles = {i.id: i.title for i in report.checklist_items}
        parts.append(_t("Only committed files count. Committing your working tree would change:", "yellow"))
        for p in audit.pending:
            files = ", ".join(p.files) or "your changes"
            parts.append(
                _t(
                    f"  {titles.get(p.item, p.item)}: {p.committed.value} now, {p.working_tree.value} "
                    f"once you commit {files}",
                    "yellow",
                )
            )
    return parts


def _matrix(report: Report) -> Table:
    items = report.checklist_items
    table = Table(
        title=_t(f"Checklist {report.checklist.id} v{report.checklist.version}"), caption=Text(LEGEND)
    )
    table.add_column("Repository", overflow="fold", min_width=20)
    table.add_column("Status", no_wrap=True)
    table.add_column("Score", justify="right", no_wrap=True)
    for number, _ in enumerate(items, 1):
        table.add_column(str(number), justify="center", no_wrap=True)
    for audit in report.repos:
        by_id = {r.id: r for r in audit.results}
        table.add_row(
            _t(audit.repo.key),
            _status(audit),
            score_text(audit.score),
            *(result_symbol(by_id[i.id]) if i.id in by_id else "" for i in items),
        )
    return table


def _line(audit: RepoAudit) -> Text:
    """One repository in a narrow terminal: its name first and whole, then the counts and what failed."""
    line = Text.assemble(_t(audit.repo.key, "bold"), "  ", _status(audit))
    if audit.repo.status is not RepoStatus.OK:
        return line
    counts = {o: sum(1 for r in audit.results if r.outcome is o and not r.waived) for o in SYMBOLS}
    shown = " ".join(f"{SYMBOLS[o]}{n}" for o, n in counts.items() if n)
    waived = sum(1 for r in audit.results if r.waived)
    line.append(f"  {score_text(audit.score)}  {shown}" + (f" {WAIVED}{waived}" if waived else ""))
    failed = [r.id for r in audit.results if r.outcome is Outcome.FAIL and not r.waived]
    if failed:
        line.append_text(_t(f"  fails: {', '.join(failed)}", "red"))
    return line


def _headline(s: Summary) -> list[Text]:
    lines = []
    if s.papers:
        lines.append(
            Text(
                f"{plural(s.papers, 'paper')}: {s.papers_mentioning_code} mention code, "
                f"{s.papers_linking_repository} link a repository, "
                f"{s.promises_not_kept} {'promise' if s.promises_not_kept == 1 else 'promises'} not kept"
                + (
                    f", {s.outcomes[PaperOutcome.READING_LIST]} reading lists"
                    if s.outcomes[PaperOutcome.READING_LIST]
                    else ""
                )
            )
        )
    missing = ", ".join(f"{n} {status.value}" for status, n in s.not_audited.items())
    line = f"{plural(s.repos, 'repository', 'repositories')}: {s.audited} audited" + (
        f" (not: {missing})" if missing else ""
    )
    if s.placeholders is not None:
        line += f", {plural(s.placeholders, 'placeholder')}"
    if s.scored:
        scope = "method code" if s.scope is not None else "all audited"
        line += f"; median score {score_text(s.median)} ({scope})"
    lines.append(Text(line))
    if s.kinds:
        lines.append(Text("by kind: " + kinds_text([(k.repos, k.kind) for k in s.kinds]), style="dim"))
    if s.repeatable_decided or s.pwc_median is not None:
        parts = []
        if s.repeatable_decided:
            parts.append(f"{s.repeatable} of {s.repeatable_decided} repeatable")
        if s.pwc_median is not None:
            parts.append(f"median Papers with Code score {pwc_text(s.pwc_median)}")
        lines.append(Text(", ".join(parts)))
    if s.artifacts:
        lines.append(_artifacts(s.artifacts))
    return lines


def _artifacts(counts: dict[ArtifactStatus, int]) -> Text:
    total = sum(counts.values())
    skipped = counts.get(ArtifactStatus.NOT_CHECKED, 0)
    links = "artifact link" if total == 1 else "artifact links"
    if skipped == total:
        return Text(f"{total} {links} not checked (network checks off)", style="dim")
    dead, restricted = counts.get(ArtifactStatus.GONE, 0), counts.get(ArtifactStatus.RESTRICTED, 0)
    return Text.assemble(
        f"{total} {links}: ",
        (f"{dead} dead", "red" if dead else ""),
        ", ",
        (f"{restricted} restricted", "yellow" if restricted else ""),
        f", {counts.get(ArtifactStatus.AVAILABLE, 0)} available, "
        f"{counts.get(ArtifactStatus.UNKNOWN, 0)} unknown" + (f", {skipped} not checked" if skipped else ""),
    )
