"""Command line: thin over the library. Exit codes: 0 done, 2 bad input or no such paper."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from rich.console import Console

from auditor import __version__
from auditor import checklist as checklists
from auditor.corpus import Corpus, merge, read_corpus, slugify
from auditor.extract import analyze_paper
from auditor.models import Paper, RepoAudit, Report
from auditor.papers import PaperNotFoundError, acronym, find_paper
from auditor.pipeline import (
    DEFAULT_CLONE_URL,
    Settings,
    audit_checkout,
    audit_papers,
    audit_targets,
    target_from_argument,
)
from auditor.render import terminal
from auditor.reportio import write_report
from auditor.resources import default_corpus

EXIT_OK, EXIT_USAGE = 0, 2


def _default_cache() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "auditor"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="auditor", description=__doc__)
    parser.add_argument("--version", action="version", version=f"auditor {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    def corpus_options(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--corpus",
            action="append",
            type=Path,
            metavar="FILE",
            help="corpus file (listing .txt, .jsonl or .csv); repeatable; "
            "default: the bundled medical-imaging corpus",
        )
        p.add_argument(
            "--paper", metavar="QUERY", help="only the paper matching QUERY (acronym, title words)"
        )

    def audit_options(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--checklist",
            default=checklists.DEFAULT_CHECKLIST,
            help="checklist id or YAML file (default: %(default)s)",
        )
        p.add_argument("--out", type=Path, metavar="DIR", help="report folder")
        p.add_argument(
            "--cache-dir",
            type=Path,
            default=_default_cache(),
            metavar="DIR",
            help="clone cache (default: %(default)s)",
        )
        p.add_argument(
            "--timeout",
            type=float,
            default=120.0,
            metavar="SECONDS",
            help="wall-clock limit per git command (default: %(default)s)",
        )
        p.add_argument("--quiet", action="store_true", help="print only the report paths")

    run = sub.add_parser("run", help="audit the repositories of papers, or repositories given")
    corpus_options(run)
    run.add_argument(
        "--repo", action="append", metavar="URL_OR_PATH", help="audit this repository directly; repeatable"
    )
    run.add_argument(
        "--clone-url",
        default=DEFAULT_CLONE_URL,
        metavar="TEMPLATE",
        help="clone URL template with {host} {owner} {name} (default: %(default)s); "
        "a file:// template allows local mirrors",
    )
    audit_options(run)

    check = sub.add_parser("check", help="audit a local checkout (before you submit)")
    check.add_argument("path", type=Path)
    audit_options(check)

    links = sub.add_parser("links", help="show the links and code statements of papers")
    corpus_options(links)
    links.add_argument("--json", action="store_true", help="JSON lines, one paper per line")

    sub.add_parser("checklists", help="list the shipped checklists")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    out = Console(soft_wrap=True)
    err = Console(stderr=True, soft_wrap=True)
    try:
        if args.command == "checklists":
            return _checklists(out)
        if args.command == "links":
            return _links(args, out, err)
        if args.command == "check":
            return _check(args, out, err)
        return _run(args, out, err)
    except checklists.ChecklistError as e:
        err.print(f"[red]error:[/] {e}")
        return EXIT_USAGE


def _load_corpus(paths: list[Path] | None) -> Corpus:
    return merge([read_corpus(p) for p in (paths or [default_corpus()])])


def _select(corpus: Corpus, query: str | None, err: Console) -> Corpus | None:
    if query is None:
        return corpus
    try:
        paper = find_paper(query, corpus.papers)
    except PaperNotFoundError as e:
        err.print(f"[red]error:[/] {e}")
        if e.candidates:
            err.print("candidates:")
            for p in e.candidates:
                err.print(f"  {p.title}", markup=False, highlight=False)
        return None
    return Corpus(papers=[paper], problems=corpus.problems)


def _settings(args: argparse.Namespace, *, allow_local: bool = False) -> Settings:
    return Settings(
        cache_dir=args.cache_dir,
        checklist=checklists.load(args.checklist),
        clone_url=getattr(args, "clone_url", DEFAULT_CLONE_URL),
        allow_local=allow_local,
        timeout=args.timeout,
    )


def _run(args: argparse.Namespace, out: Console, err: Console) -> int:
    def progress(key: str, audit: RepoAudit) -> None:
        if not args.quiet:
            err.print(f"audited {key}: {audit.repo.status.value}", markup=False, highlight=False)

    if args.repo:
        targets = [target_from_argument(r, args.clone_url) for r in args.repo]
        settings = _settings(args, allow_local=any(t.clone_url.startswith("file:") for t in targets))
        report = audit_targets(targets, settings, on_repo=progress)
        name = "repos"
    else:
        corpus = _select(_load_corpus(args.corpus), args.paper, err)
        if corpus is None:
            return EXIT_USAGE
        settings = _settings(args)
        report = audit_papers(corpus.papers, settings, problems=corpus.problems, on_repo=progress)
        name = (
            _paper_slug(corpus.papers[0])
            if args.paper
            else (args.corpus[0].stem if args.corpus else "corpus")
        )
    return _finish(report, args.out or Path("reports") / name, args.quiet, out)


def _paper_slug(paper: Paper) -> str:
    return slugify(acronym(paper.title) or paper.title)


def _check(args: argparse.Namespace, out: Console, err: Console) -> int:
    if not args.path.is_dir():
        err.print(f"[red]error:[/] {args.path} is not a folder")
        return EXIT_USAGE
    report = audit_checkout(args.path, _settings(args, allow_local=True))
    return _finish(report, args.out or Path("reports") / "check", args.quiet, out)


def _finish(report: Report, out_dir: Path, quiet: bool, out: Console) -> int:
    paths = write_report(report, out_dir)
    if not quiet:
        out.print(terminal.render(report))
    for path in paths:
        out.print(f"wrote {path}", markup=False, highlight=False)
    return EXIT_OK


def _links(args: argparse.Namespace, out: Console, err: Console) -> int:
    corpus = _select(_load_corpus(args.corpus), args.paper, err)
    if corpus is None:
        return EXIT_USAGE
    for problem in corpus.problems:
        err.print(
            f"input {problem.source.file}:{problem.source.line}: {problem.message}",
            markup=False,
            highlight=False,
        )
    for paper in corpus.papers:
        found = analyze_paper(paper)
        if args.json:
            record = {
                "paper": paper.model_dump(mode="json", exclude={"abstract"}),
                "links": [link.model_dump(mode="json") for link in found.links],
                "statements": [s.model_dump(mode="json") for s in found.statements],
            }
            sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
            continue
        if not (found.links or found.statements):
            continue
        out.print(paper.title, style="bold", markup=False, highlight=False)
        for link in found.links:
            out.print(f"  link  {link.kind.value:<13} {link.url}", markup=False, highlight=False)
        for statement in found.statements:
            out.print(f"  says  {statement.kind.value:<15} {statement.text}", markup=False, highlight=False)
    return EXIT_OK


def _checklists(out: Console) -> int:
    for name in checklists.available():
        c = checklists.load(name)
        out.print(f"{c.id} v{c.version}: {c.title} ({len(c.items)} items)", markup=False)
        for item in c.items:
            out.print(f"  {item.id:<20} {item.title}", markup=False)
    return EXIT_OK
