"""Write reports atomically: a crash mid-write leaves the previous report intact.

Files are created with the mode any new file gets (0666 less the umask), like the output of any
other command, not the 0600 of a temporary file.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from auditor.data.atomic import write_atomic
from auditor.models import Report
from auditor.render import csvtable, html, markdown, sarif, svg
from auditor.report.stats import finalized, summary_of

JSON_NAME = "report.json"
MARKDOWN_NAME = markdown.REPORT_NAME
HTML_NAME = "report.html"
CSV_NAME = "report.csv"
SARIF_NAME = "report.sarif"


def write_report(report: Report, out_dir: Path, *, with_sarif: bool = False) -> list[Path]:
    """report.json (the model, exactly), report.md with its pages, chart and badges, report.html,
    report.csv, and report.sarif if asked (an author's check).

    Returns the paths written. Pages and badges of repositories and papers no longer in the
    report are removed, so a reused folder never shows a stale verdict.
    """
    report = finalized(report)
    json_path = out_dir / JSON_NAME
    write_atomic(json_path, report.model_dump_json(indent=2) + "\n")
    written = [json_path]
    pages = {out_dir / name: text for name, text in markdown.pages(report).items()}
    badges = {out_dir / markdown.badge_path(a.repo.key): svg.badge(a) for a in report.repos}
    for path, text in [*pages.items(), *badges.items()]:
        if path.name == MARKDOWN_NAME and path.parent == out_dir:
            write_atomic(path, text)
        elif not _holds(path, text):  # a re-run rewrites only the pages and badges that changed
            write_atomic(path, text, sync=False)  # derived from report.json, which is synced
    for folder in (markdown.REPO_DIR, markdown.PAPER_DIR, markdown.BADGE_DIR):
        for old in (out_dir / folder).glob("*.*"):
            if old not in pages and old not in badges:
                old.unlink()
    others = {
        out_dir / markdown.CHART_NAME: svg.pass_rate_chart(summary_of(report).items),
        out_dir / HTML_NAME: html.render(report),
        out_dir / CSV_NAME: csvtable.render(report),
    }
    if with_sarif:
        others[out_dir / SARIF_NAME] = sarif.render(report)
    for path, text in others.items():
        write_atomic(path, text, sync=False)
    return [*written, *pages, *others, *badges]


def _holds(path: Path, text: str) -> bool:
    try:
        return path.read_text(encoding="utf-8") == text
    except OSError:
        return False


def read_report(path: Path) -> Report:
    """A report file; one written before its summary was stored (schema 1.0) gets it now."""
    report = Report.model_validate_json(path.read_text(encoding="utf-8"))
    return finalized(report)


class ReportFileError(ValueError):
    """A report file that cannot be read or is not a report: said in one line, for the CLI."""


def load_report(path: Path) -> Report:
    try:
        return read_report(path)
    except OSError as err:
        raise ReportFileError(f"cannot read {path}: {err.strerror or err}") from err
    except ValidationError as err:
        first = err.errors()[0]["msg"]
        raise ReportFileError(
            f"{path} is not an auditor report ({err.error_count()} problems; {first})"
        ) from err
