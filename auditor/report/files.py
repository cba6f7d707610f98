"""Write reports atomically: a crash mid-write leaves the previous report intact."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from pydantic import ValidationError

from auditor.models import Report
from auditor.render import markdown, svg
from auditor.report.stats import headline

JSON_NAME = "report.json"
MARKDOWN_NAME = "report.md"


def write_atomic(path: Path, text: str, *, sync: bool = True) -> None:
    """`text` in `path`, all or nothing; synced to disk first unless `sync` is off (for files
    derived from others: a power cut may lose them, never tear them)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            if sync:
                handle.flush()
                os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_report(report: Report, out_dir: Path) -> list[Path]:
    """report.json (the model, exactly), report.md with its chart, and a badge per repository.

    Returns the paths written. Badges of repositories no longer in the report are removed, so a
    reused folder never shows a stale verdict.
    """
    json_path, md_path = out_dir / JSON_NAME, out_dir / MARKDOWN_NAME
    write_atomic(json_path, report.model_dump_json(indent=2) + "\n")
    write_atomic(md_path, markdown.render(report))
    chart = out_dir / markdown.CHART_NAME
    write_atomic(chart, svg.pass_rate_chart(headline(report).items))
    badges = {out_dir / markdown.badge_path(a.repo.key): a for a in report.repos}
    for path, audit in badges.items():
        badge = svg.badge(audit)
        if not _holds(path, badge):  # a re-run rewrites only the badges that changed
            write_atomic(path, badge, sync=False)  # derived from report.json, which is synced
    for old in (out_dir / markdown.BADGE_DIR).glob("*.svg"):
        if old not in badges:
            old.unlink()
    return [json_path, md_path, chart, *badges]


def _holds(path: Path, text: str) -> bool:
    try:
        return path.read_text(encoding="utf-8") == text
    except OSError:
        return False


def read_report(path: Path) -> Report:
    return Report.model_validate_json(path.read_text(encoding="utf-8"))


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
