"""What each command of the command line does, once `auditor.cli` has parsed its arguments. This
module runs `check` and hands the others to theirs, imported only when chosen: `auditor.cli.run`
(`run` and `links`, over papers and repositories) and `auditor.cli.reports` (reports over
reports, and the shipped checklists and schema). Each command ends with an `Exit` code."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from auditor.artifacts.links import ProbeSettings
from auditor.audit import Settings
from auditor.checks import checklist as checklists
from auditor.cli import Exit, author
from auditor.cli.output import Output
from auditor.models import RepoStatus
from auditor.render import csvtable, html, markdown, sarif
from auditor.report.files import ReportFileError, report_json, write_report

if TYPE_CHECKING:
    from auditor.models import Report


def run_command(args: argparse.Namespace) -> int:
    out, err = Output(), Output(stderr=True)
    try:
        if args.command == "check":
            return _check(args, out, err)
        if args.command in ("run", "links"):
            from auditor.cli import run

            return run.run(args, out, err) if args.command == "run" else run.links(args, out, err)
        from auditor.cli import reports

        return reports.run_command(args, out, err)
    except (checklists.ChecklistError, ReportFileError, author.ConfigError) as e:
        err.line(f"error: {e}")
        return Exit.USAGE
    except UsageError:
        return Exit.USAGE
    except KeyboardInterrupt:  # outside a run (which says more): links, writing a report …
        err.line("interrupted")
        return Exit.INTERRUPTED


def audit_settings(
    args: argparse.Namespace, *, allow_local: bool = False, token: str | None = None
) -> Settings:
    """The pipeline's settings from the arguments. A file:// clone template means an offline audit
    (mirrors): no link is probed, as with --no-network-checks."""
    offline = args.clone_url.startswith("file://")
    return Settings(
        cache_dir=args.cache_dir,
        checklist=checklists.load(args.checklist),
        clone_url=args.clone_url,
        allow_local=allow_local,
        timeout=args.timeout,
        github_api=None if args.no_api else args.github_api,
        token=token,
        max_wait=args.max_wait,
        jobs=args.jobs,
        probe=None if args.no_network_checks or offline else ProbeSettings(hosts=_host_overrides()),
    )


def _host_overrides() -> dict[str, str]:
    """Base URLs of artifact hosts from the environment: HF_ENDPOINT, as Hugging Face's own tools
    read it (a mirror of the Hub)."""
    endpoint = os.environ.get("HF_ENDPOINT", "").strip()
    return {"huggingface": endpoint} if endpoint else {}


class UsageError(Exception):
    """Bad arguments, already explained on stderr."""


# The papers a run audited, beside its report, in the JSONL that --corpus reads.
CORPUS_NAME = "corpus.jsonl"


def cannot_write(out_dir: Path, e: OSError) -> int:
    where = e.filename or out_dir
    Output(stderr=True).line(f"error: cannot write to {where}: {e.strerror or e}")
    return Exit.WRITE


def _check(args: argparse.Namespace, out: Output, err: Output) -> int:
    if not args.path.is_dir():
        err.print(f"[red]error:[/] {args.path} is not a folder")
        return Exit.USAGE
    report = author.check(args.path, audit_settings(args, allow_local=True))
    out_dir = args.out or author.default_out(args.cache_dir, args.path)
    [audit] = report.repos
    if audit.repo.status is not RepoStatus.ERROR:
        return finish(report, args, out_dir, out, err, per_repo=True, with_sarif=True)
    try:
        write_report(report, out_dir)
    except OSError as e:
        return cannot_write(out_dir, e)
    err.line(f"error: cannot audit {args.path}: {audit.repo.detail}")
    return Exit.UNREADABLE


def finish(
    report: Report,
    args: argparse.Namespace,
    out_dir: Path,
    out: Output,
    err: Output,
    *,
    per_repo: bool,
    with_sarif: bool = False,
    max_failed: float | None = None,
) -> int:
    """Write the report, show it (--format, or nothing), then apply the health gate (`run`) and
    --fail-under."""
    try:
        paths = write_report(report, out_dir, with_sarif=with_sarif)
    except OSError as e:  # disk full, read-only folder: say so; the previous report is intact
        return cannot_write(out_dir, e)
    if args.format != "terminal":
        sys.stdout.write(_formatted(report, args.format))
    elif not args.quiet:
        from auditor.render import terminal

        out.print(terminal.render(report, width=out.console.width))
    print_paths(paths, out if args.format == "terminal" else err)
    if max_failed is not None:
        from auditor.report.health import health

        verdict_health = health(report.repos, max_failed=max_failed)
        if not verdict_health.healthy:
            err.line(f"unhealthy run: {verdict_health.reason}")
            return Exit.UNHEALTHY
    if args.fail_under is None:
        return Exit.OK
    from auditor.report.gate import gate

    verdict = gate(report, args.fail_under, per_repo=per_repo)
    (out if verdict.passed else err).line(f"{'pass' if verdict.passed else 'FAIL'}: {verdict.message}")
    return Exit.OK if verdict.passed else Exit.BELOW


def _formatted(report: Report, fmt: str) -> str:
    """The report as `--format` asks, for stdout."""
    if fmt == "json":
        return "".join(report_json(report))
    if fmt == "markdown":
        return markdown.render(report)
    if fmt == "html":
        return html.render(report)
    if fmt == "csv":
        return csvtable.render(report)
    return sarif.render(report)


def print_paths(paths: Sequence[Path], output: Output) -> None:
    """Each file written; pages and badges, which may be thousands, as a count per folder."""
    folders = (markdown.BADGE_DIR, markdown.REPO_DIR, markdown.PAPER_DIR)
    grouped: dict[Path, int] = {}
    for path in paths:
        if path.parent.name in folders:
            grouped[path.parent] = grouped.get(path.parent, 0) + 1
        else:
            output.line(f"wrote {path}")
    for folder, count in grouped.items():
        what = "badge" if folder.name == markdown.BADGE_DIR else "page"
        output.line(f"wrote {count} {what}{'' if count == 1 else 's'} in {folder}")
