"""Report → CSV of papers by items, for analysis in pandas or R.

One row per paper and repository it links (a paper that links none has one row with the
repository columns empty); without papers, one row per repository. Columns: the paper, its
outcome and the promise's age, the repository, its kind, status, score, repeatable verdict and
Papers with Code score, then one column per checklist item holding the outcome (`waived` for a
waived item that did not pass). Text is written as it is, but for control characters and a
leading formula sign, quoted so that a spreadsheet does not run it.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from auditor.models import CheckResult, PaperAudit, RepoAudit, Report
from auditor.render.text import clean, repos_by_key

PAPER_COLUMNS = ["paper_id", "title", "date", "outcome", "outcome_detail", "age_days"]
REPO_COLUMNS = ["repository", "kind", "status", "score", "repeatable", "pwc_score"]


def render(report: Report) -> str:
    return "".join(rows(report))


def rows(report: Report) -> Iterator[str]:
    """The CSV text a row at a time, so that a large report is written as it is made."""
    ids = [i.id for i in report.checklist_items]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")

    def row(cells: list[str]) -> str:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(cells)
        return buffer.getvalue()

    yield row([*(PAPER_COLUMNS if report.papers else []), *REPO_COLUMNS, *ids])
    if not report.papers:
        yield from (row(_repo_cells(a, ids)) for a in report.repos)
    repos = repos_by_key(report)
    for paper in report.papers:
        linked: list[RepoAudit | None] = [repos[k] for k in paper.repos if k in repos]
        for audit in linked or [None]:
            yield row([*_paper_cells(paper), *_repo_cells(audit, ids)])


def _text(value: str) -> str:
    """Untrusted text (a title, an id) as a cell: control characters removed, and a leading `=`,
    `+`, `-` or `@` quoted with `'`, so that a spreadsheet opening the file shows a formula
    written in a paper's title instead of running it (OWASP's advice for CSV)."""
    text = clean(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def _paper_cells(paper: PaperAudit) -> list[str]:
    return [
        _text(paper.paper.id),
        _text(paper.paper.title),
        paper.paper.date or "",
        paper.outcome.value if paper.outcome else "",
        _text(paper.outcome_detail),
        "" if paper.age_days is None else str(paper.age_days),
    ]


def _cell(result: CheckResult | None) -> str:
    if result is None:
        return ""
    return "waived" if result.waived else result.outcome.value


def _repo_cells(audit: RepoAudit | None, ids: list[str]) -> list[str]:
    if audit is None:
        return [""] * (len(REPO_COLUMNS) + len(ids))
    by_id = {r.id: r for r in audit.results}
    return [
        _text(audit.repo.key),
        audit.kind.value if audit.kind else "",
        audit.repo.status.value,
        "" if audit.score is None else f"{audit.score:g}",
        audit.repeatable.value if audit.repeatable else "",
        "" if audit.pwc_score is None else str(audit.pwc_score),
        *(_cell(by_id.get(i)) for i in ids),
    ]
