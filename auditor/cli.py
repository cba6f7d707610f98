"""Command line: thin over the library. Exit codes: 0 done, 2 bad input or no such paper."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from rich.console import Console

from auditor import __version__
from auditor import checklist as checklists
from auditor.corpus import Corpus, merge, read_corpus, slugify
from auditor.extract import analyze_paper
from auditor.github import DEFAULT_API, DEFAULT_MAX_WAIT
from auditor.journal import Journal
from auditor.models import ChecklistRef, Paper, RepoAudit, Report
from auditor.papers import PaperNotFoundError, acronym, find_paper
from auditor.pipeline import (
    DEFAULT_CLONE_URL,
    DEFAULT_JOBS,
    Progress,
    Settings,
    audit_checkout,
    audit_papers,
    audit_targets,
    target_from_argument,
)
from auditor.render import terminal
from auditor.reportio import write_report
from auditor.resources import default_corpus

EXIT_OK, EXIT_USAGE, EXIT_WRITE, EXIT_INTERRUPTED = 0, 2, 3, 130


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
        "--resume",
        action="store_true",
        help="reuse the audits an interrupted run into the same output folder recorded",
    )
    run.add_argument(
        "--clone-url",
        default=DEFAULT_CLONE_URL,
        metavar="TEMPLATE",
        help="clone URL template with {host} {owner} {name} (default: %(default)s); "
        "a file:// template allows local mirrors",
    )
    run.add_argument(
        "--github-api",
        default=DEFAULT_API,
        metavar="URL",
        help="GitHub REST API base URL, for github.com repositories (default: %(default)s)",
    )
    run.add_argument(
        "--no-api", action="store_true", help="clone github.com repositories with git instead of the API"
    )
    run.add_argument(
        "--token-env",
        metavar="NAME",
        help="environment variable holding a GitHub token (default: GITHUB_TOKEN if set; "
        "without a token GitHub allows 60 requests an hour)",
    )
    run.add_argument(
        "--max-wait",
        type=float,
        default=DEFAULT_MAX_WAIT,
        metavar="SECONDS",
        help="longest wait for a GitHub rate limit to reset; beyond it the remaining repositories "
        "are reported rate-limited (default: %(default)s)",
    )
    run.add_argument(
        "--jobs",
        type=_positive,
        default=DEFAULT_JOBS,
        metavar="N",
        help="repositories audited at once (default: %(default)s); each host still sees at most a "
        "few requests at a time",
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


def _positive(text: str) -> int:
    try:
        number = int(text)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, not {text!r}")
    return number


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
    except _UsageError:
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


def _settings(args: argparse.Namespace, *, allow_local: bool = False, token: str | None = None) -> Settings:
    return Settings(
        cache_dir=args.cache_dir,
        checklist=checklists.load(args.checklist),
        clone_url=getattr(args, "clone_url", DEFAULT_CLONE_URL),
        allow_local=allow_local,
        timeout=args.timeout,
        github_api=None if getattr(args, "no_api", True) else args.github_api,
        token=token,
        max_wait=getattr(args, "max_wait", DEFAULT_MAX_WAIT),
        jobs=getattr(args, "jobs", DEFAULT_JOBS),
    )


def _token(args: argparse.Namespace, err: Console) -> str | None:
    """The GitHub token from the environment; a variable named by --token-env must be set."""
    token = os.environ.get(args.token_env or "GITHUB_TOKEN") or None
    if token is None and args.token_env:
        err.print(f"[red]error:[/] environment variable {args.token_env} is not set", highlight=False)
        raise _UsageError
    return token


class _UsageError(Exception):
    """Bad arguments, already explained on stderr."""


def _run(args: argparse.Namespace, out: Console, err: Console) -> int:
    def progress(key: str, audit: RepoAudit) -> None:
        if not args.quiet:
            err.print(f"audited {key}: {audit.repo.status.value}", markup=False, highlight=False)

    token = _token(args, err)
    audit: Callable[[dict[str, RepoAudit], Progress], Report]
    if args.repo:
        targets = [target_from_argument(r, args.clone_url) for r in args.repo]
        local = any(t.clone_url.startswith("file:") for t in targets)
        settings = _settings(args, allow_local=local, token=token)
        name = "repos"

        def audit(done: dict[str, RepoAudit], on_repo: Progress) -> Report:
            return audit_targets(targets, settings, done=done, on_repo=on_repo)

    else:
        corpus = _select(_load_corpus(args.corpus), args.paper, err)
        if corpus is None:
            return EXIT_USAGE
        settings = _settings(args, token=token)
        name = (
            _paper_slug(corpus.papers[0])
            if args.paper
            else (args.corpus[0].stem if args.corpus else "corpus")
        )

        def audit(done: dict[str, RepoAudit], on_repo: Progress) -> Report:
            return audit_papers(corpus.papers, settings, problems=corpus.problems, done=done, on_repo=on_repo)

    out_dir = args.out or Path("reports") / name
    checklist = ChecklistRef(id=settings.checklist.id, version=settings.checklist.version)
    journal = Journal(out_dir, tool_version=__version__, checklist=checklist)
    done = journal.load() if args.resume else {}
    if done:
        err.print(f"resuming: {len(done)} repositories already audited", markup=False)

    def record(key: str, result: RepoAudit) -> None:
        journal.append(result)
        progress(key, result)

    try:
        journal.start(done)
        report = audit(done, record)
    except KeyboardInterrupt:
        err.print(
            f"interrupted: the previous report in {out_dir} is intact; run again with --resume to continue",
            markup=False,
        )
        return EXIT_INTERRUPTED
    except OSError as e:
        return _cannot_write(out_dir, e)
    code = _finish(report, out_dir, args.quiet, out)
    if code == EXIT_OK:
        journal.remove()
    return code


def _cannot_write(out_dir: Path, e: OSError) -> int:
    where = e.filename or out_dir
    Console(stderr=True).print(f"error: cannot write to {where}: {e.strerror or e}", markup=False)
    return EXIT_WRITE


def _paper_slug(paper: Paper) -> str:
    return slugify(acronym(paper.title) or paper.title)


def _check(args: argparse.Namespace, out: Console, err: Console) -> int:
    if not args.path.is_dir():
        err.print(f"[red]error:[/] {args.path} is not a folder")
        return EXIT_USAGE
    report = audit_checkout(args.path, _settings(args, allow_local=True))
    return _finish(report, args.out or Path("reports") / "check", args.quiet, out)


def _finish(report: Report, out_dir: Path, quiet: bool, out: Console) -> int:
    try:
        paths = write_report(report, out_dir)
    except OSError as e:  # disk full, read-only folder: say so; the previous report is intact
        return _cannot_write(out_dir, e)
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
            out.print(f"  {item.id:<14} {item.title}", markup=False)
    return EXIT_OK
