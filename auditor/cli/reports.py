"""Commands over reports already written (`diff`, `merge`, `summary`, `publish`) and over what
the auditor ships (`checklists`, `schema`)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from auditor.checks import checklist as checklists
from auditor.cli import Exit
from auditor.cli.commands import CORPUS_NAME, cannot_write, print_paths
from auditor.cli.output import Output
from auditor.data.atomic import write_atomic
from auditor.models import Report
from auditor.papers.corpus import read_corpus, to_jsonl
from auditor.render import checklists as checklist_render
from auditor.render import diffview, markdown, terminal
from auditor.report.diff import diff_reports, failing
from auditor.report.files import load_report, write_report
from auditor.report.merge import MergeError, merge_shards
from auditor.report.publish import Unhealthy, publish
from auditor.report.schema import schema_text


def run_command(args: argparse.Namespace, out: Output, err: Output) -> int:
    if args.command == "checklists":
        return _checklists(out, markdown_tables=args.markdown)
    if args.command == "schema":
        sys.stdout.write(schema_text())
        return Exit.OK
    if args.command == "publish":
        return _publish(args, err)
    try:
        return _report_command(args, out, err)
    except MergeError as e:
        err.line(f"error: {e}")
        return Exit.USAGE


def _report_command(args: argparse.Namespace, out: Output, err: Output) -> int:
    """diff, merge and summary: commands over report files already written."""
    if args.command == "summary":
        report = load_report(args.report)
        if args.json:
            sys.stdout.write(report.summary.model_dump_json(indent=2) + "\n" if report.summary else "null\n")
        else:
            sys.stdout.write(markdown.summary(report))
    elif args.command == "merge":
        return _merge(args, out, err)
    else:
        return _diff(args, out, err)
    return Exit.OK


def _merge(args: argparse.Namespace, out: Output, err: Output) -> int:
    """Shards merged; those failing the health gate left out; nothing written if the result fails it."""
    merged = merge_shards([load_report(p) for p in args.reports], max_failed=args.max_unreachable)
    for shard, reason in sorted(merged.left_out.items()):
        err.line(f"shard {shard} left out: {reason}")
    if merged.report is None:
        err.line(f"unhealthy run: {merged.health.reason}; nothing written")
        return Exit.UNHEALTHY
    try:
        paths = write_report(merged.report, args.out)
        corpus = _merge_corpora(args.reports, merged.report, args.out)
    except OSError as e:  # disk full, read-only folder
        return cannot_write(args.out, e)
    if not args.quiet:
        out.print(terminal.render(merged.report, width=out.console.width))
    print_paths([*paths, *([corpus] if corpus else [])], out)
    if merged.report.shards is not None:
        missing = merged.report.shards.missing
        shown = "; ".join(f"shard {m.shard}: {m.reason}" for m in missing)
        err.line(f"partial report: {len(missing)} of {merged.report.shards.count} shards missing ({shown})")
    return Exit.OK


def _merge_corpora(reports: list[Path], merged: Report, out_dir: Path) -> Path | None:
    """The corpus.jsonl files beside the shard reports as one, in the merged report's paper order,
    so a merged run can be repeated offline as a single run can."""
    files = [p.parent / CORPUS_NAME for p in reports if (p.parent / CORPUS_NAME).is_file()]
    if not files:
        return None
    papers = {paper.id: paper for path in files for paper in read_corpus(path).papers}
    ordered = [papers.pop(audit.paper.id) for audit in merged.papers if audit.paper.id in papers]
    target = out_dir / CORPUS_NAME
    write_atomic(target, to_jsonl([*ordered, *papers.values()]))
    return target


def _diff(args: argparse.Namespace, out: Output, err: Output) -> int:
    changes = diff_reports(load_report(args.old), load_report(args.new))
    if args.json:
        sys.stdout.write(changes.model_dump_json(indent=2) + "\n")
    elif args.markdown:
        sys.stdout.write(diffview.markdown(changes))
    else:
        out.print(diffview.terminal(changes))
    found = failing(changes, list(dict.fromkeys(k for kinds in args.fail_on for k in kinds)))
    for kind, lines in found.items():
        for line in lines:
            err.line(f"FAIL {kind}: {line}")
    return Exit.CHANGED if found else Exit.OK


def _publish(args: argparse.Namespace, err: Output) -> int:
    """The report folder into the history folder; the changes (Markdown) on stdout."""
    try:
        done = publish(
            args.report, args.into, query=args.query, keep=args.keep, max_failed=args.max_unreachable
        )
    except Unhealthy as e:
        err.line(f"unhealthy run: {e}; nothing published")
        return Exit.UNHEALTHY
    sys.stdout.write(done.changes)
    err.line(f"published to {', '.join(done.folders)} in {args.into}")
    if done.pruned:
        err.line(f"kept only summary.json of {', '.join(done.pruned)}")
    return Exit.OK


def _checklists(out: Output, *, markdown_tables: bool) -> int:
    for name in checklists.available():
        c = checklists.load(name)
        if markdown_tables:
            sys.stdout.write(checklist_render.table(c) + "\n")
            continue
        out.print(f"{c.id} v{c.version}: {c.title} ({len(c.items)} items)", markup=False)
        for item in c.items:
            out.print(f"  {item.id:<20} {item.title}", markup=False)
    return Exit.OK
