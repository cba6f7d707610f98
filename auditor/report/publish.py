"""`auditor publish`: a report folder into a history folder (the `reports` branch), so that a
subset or a partial run can never replace the report everyone links to.

    latest/                the newest complete report of the whole corpus: a stable badge address
    YYYY-MM-DD/            a complete report of the whole corpus, by the day it was generated
    YYYY-MM-DD-partial/    a report some of whose shards are missing (never copied to latest/)
    queries/NAME/          a subset (a paper query, another corpus): its newest report only

Each published folder gets `changes.md` (since the previous report of its kind: the newest
complete day before, or the same query) and `summary.json` (the headline numbers and each
repository's status and score). Only the newest `keep` dated folders keep their full report;
older days keep only `summary.json`. An unhealthy report is refused (see `health`).
"""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from auditor.data.atomic import write_atomic
from auditor.models import Report
from auditor.render import diffview
from auditor.render.markdown import escape
from auditor.report import DEFAULT_KEEP, DEFAULT_MAX_FAILED
from auditor.report.diff import diff_reports
from auditor.report.files import JSON_NAME, read_report
from auditor.report.health import Health, health
from auditor.report.stats import summary_of

LATEST = "latest"
QUERIES = "queries"
SUMMARY_NAME = "summary.json"
CHANGES_NAME = "changes.md"

_DATED = re.compile(r"\d{4}-\d{2}-\d{2}(-partial)?")
_FIRST = "## Changes since the previous report\n\nThis is the first report{of}.\n"


@dataclass(frozen=True)
class Published:
    folders: list[str]  # where the report went, relative to the history folder
    previous: str | None  # the report the changes are counted from
    changes: str  # Markdown
    pruned: list[str]  # dated folders reduced to their summary


class Unhealthy(Exception):
    def __init__(self, verdict: Health) -> None:
        super().__init__(verdict.reason)


def publish(
    source: Path,
    into: Path,
    *,
    query: str = "",
    keep: int = DEFAULT_KEEP,
    max_failed: float = DEFAULT_MAX_FAILED,
) -> Published:
    report = read_report(source / JSON_NAME)
    verdict = health(report.repos, max_failed=max_failed)
    if not verdict.healthy:
        raise Unhealthy(verdict)
    day = report.generated_at[:10]
    previous: Path | None
    if query:
        folders = [f"{QUERIES}/{slug(query)}"]
        previous = into / folders[0] / JSON_NAME
    else:
        folders = [f"{day}-partial"] if report.shards else [day, LATEST]
        previous = _previous_day(into, day)
    old = read_report(previous) if previous is not None and previous.is_file() else None
    changes = (
        diffview.markdown(diff_reports(old, report))
        if old is not None
        else _FIRST.format(of=f" of {escape(query)}" if query else "")
    )
    for folder in folders:
        target = into / folder
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(source, target, ignore=shutil.ignore_patterns(".*"))
        write_atomic(target / CHANGES_NAME, changes, sync=False)
        write_atomic(target / SUMMARY_NAME, summary_json(report), sync=False)
    return Published(
        folders=folders,
        previous=previous.relative_to(into).parent.as_posix() if old is not None and previous else None,
        changes=changes,
        pruned=prune(into, keep=keep),
    )


def _previous_day(into: Path, day: str) -> Path | None:
    """The newest complete day before `day` that still holds its report."""
    days = (
        sorted((d.name for d in into.iterdir() if _DATED.fullmatch(d.name)), reverse=True)
        if into.is_dir()
        else []
    )
    for name in days:
        if name < day and not name.endswith("-partial") and (into / name / JSON_NAME).is_file():
            return into / name / JSON_NAME
    return None


def prune(into: Path, *, keep: int) -> list[str]:
    """Reduce the dated folders older than the newest `keep` to their summary.json."""
    days = sorted((d for d in into.iterdir() if d.is_dir() and _DATED.fullmatch(d.name)), reverse=True)
    pruned = []
    for folder in days[keep:]:
        rest = [p for p in folder.iterdir() if p.name != SUMMARY_NAME]
        if not rest:
            continue
        if not (folder / SUMMARY_NAME).exists() and (folder / JSON_NAME).is_file():
            write_atomic(folder / SUMMARY_NAME, summary_json(read_report(folder / JSON_NAME)), sync=False)
        for path in rest:
            if path.is_dir():
                shutil.rmtree(path)
            else:
                path.unlink()
        pruned.append(folder.name)
    return sorted(pruned)


def slug(query: str) -> str:
    """A folder name for a query: lower-case letters, digits and single dashes."""
    return re.sub(r"[^a-z0-9]+", "-", query.lower()).strip("-")[:80] or "query"


def summary(report: Report) -> dict[str, Any]:
    """What a day of history keeps once its full report is pruned (a few KB): which report it
    was, its headline numbers (the report's `summary` block) and each repository's status and score."""
    return {
        "generated_at": report.generated_at,
        "tool_version": report.tool_version,
        "checklist": report.checklist.model_dump(),
        "partial": report.shards.model_dump() if report.shards else None,
        "summary": summary_of(report).model_dump(mode="json"),
        "repos": {a.repo.key: {"status": a.repo.status.value, "score": a.score} for a in report.repos},
    }


def summary_json(report: Report) -> str:
    return json.dumps(summary(report), indent=2, ensure_ascii=False) + "\n"
