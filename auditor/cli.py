"""Command line: thin over the library. Its exit codes are `Exit`, each with its meaning in
`EXIT_MEANINGS` (the README's table is checked against it)."""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import json
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from enum import IntEnum
from pathlib import Path
from typing import NoReturn

from rich.console import Console

from auditor import __version__
from auditor import checklist as checklists
from auditor.acquire.github import DEFAULT_API, DEFAULT_MAX_WAIT
from auditor.acquire.gitrunner import kill_running
from auditor.artifacts.checker import ProbeSettings
from auditor.models import ChecklistRef, Paper, RepoAudit, Report, RepoStatus
from auditor.papers.corpus import Corpus, merge, read_corpus, slugify
from auditor.papers.extract import analyze_paper
from auditor.papers.lookup import PaperNotFoundError, acronym, find_paper
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
from auditor.progress import RunProgress, count_repos
from auditor.render import checklists as checklist_render
from auditor.render import diffview, markdown, terminal
from auditor.report.diff import diff_reports
from auditor.report.files import ReportFileError, load_report, write_report
from auditor.report.gate import gate
from auditor.report.journal import Journal
from auditor.report.merge import MergeError, merge_reports
from auditor.report.schema import schema_text
from auditor.report.shard import Shard
from auditor.resources import default_corpus


class Exit(IntEnum):
    OK = 0
    BELOW = 1
    USAGE = 2
    WRITE = 3
    UNREADABLE = 4
    INTERRUPTED = 130
    CLOSED_OUTPUT = 141


EXIT_MEANINGS = {
    Exit.OK: "the report was written (and met `--fail-under`, if given)",
    Exit.BELOW: "`--fail-under N`: a repository (`check`, `run --repo`) or the corpus median (`run` over "
    "papers) scored below N percent; a repository that could not be scored counts as below",
    Exit.USAGE: "bad arguments, an unreadable checklist or report file, a paper query that matches no "
    "single paper, or reports that `merge` refuses to mix (other checklist or tool version)",
    Exit.WRITE: "the report (or the run's journal) could not be written: disk full, read-only folder, "
    "or another run writing to the same folder",
    Exit.UNREADABLE: "`check`: the checkout could not be audited (a corrupt git repository): one line "
    "on stderr says why; the report records it with status `error`",
    Exit.INTERRUPTED: "interrupted (Ctrl-C): the previous report is intact; `--resume` continues the run",
    Exit.CLOSED_OUTPUT: "the output was closed before it was all written (piped into `head`, say)",
}


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
        p.add_argument(
            "--json", action="store_true", help="print the report as JSON on stdout (paths on stderr)"
        )
        p.add_argument(
            "--no-network-checks",
            action="store_true",
            help="do not probe weights, data, demo and project-page links; the report lists them as "
            "not checked (a file:// --clone-url implies this)",
        )
        p.add_argument(
            "--fail-under",
            type=float,
            metavar="PERCENT",
            help="exit 1 if a repository (--repo, check) or the corpus median scores below PERCENT",
        )

    run = sub.add_parser("run", help="audit the repositories of papers, or repositories given")
    corpus_options(run)
    run.add_argument(
        "--repo", action="append", metavar="URL_OR_PATH", help="audit this repository directly; repeatable"
    )
    run.add_argument(
        "--shard", type=_shard, metavar="K/N", help="audit only the K-th of N stable slices of the input"
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

    listing = sub.add_parser("checklists", help="list the shipped checklists")
    listing.add_argument("--markdown", action="store_true", help="as Markdown tables (the README's)")

    sub.add_parser("schema", help="print the JSON Schema of report.json")

    diff = sub.add_parser("diff", help="what changed between two reports")
    diff.add_argument("old", type=Path, metavar="OLD.json")
    diff.add_argument("new", type=Path, metavar="NEW.json")
    diff_format = diff.add_mutually_exclusive_group()
    diff_format.add_argument("--markdown", action="store_true", help="Markdown, for a CI job summary")
    diff_format.add_argument("--json", action="store_true", help="the differences as JSON")

    merge_cmd = sub.add_parser("merge", help="combine shard reports into one report")
    merge_cmd.add_argument("reports", type=Path, nargs="+", metavar="REPORT.json")
    merge_cmd.add_argument("--out", type=Path, required=True, metavar="DIR", help="report folder")
    merge_cmd.add_argument("--quiet", action="store_true", help="print only the report paths")

    summary = sub.add_parser("summary", help="print the Markdown summary of a report")
    summary.add_argument("report", type=Path, metavar="REPORT.json")
    return parser


def _positive(text: str) -> int:
    try:
        number = int(text)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, not {text!r}")
    return number


def _shard(text: str) -> Shard:
    try:
        return Shard.parse(text)
    except ValueError as err:
        raise argparse.ArgumentTypeError(str(err)) from err


def entry() -> NoReturn:
    """The `auditor` command. After an interruption it exits at once, without waiting for the
    repositories still in progress in worker threads (a request or a clone may take minutes to
    give up): the journal is closed and reports are written whole or not at all, so nothing is
    lost that `--resume` needs. Their git commands are killed, not left running unwatched."""
    try:
        code = main()
    except BrokenPipeError:  # the reader went away: nothing more to say, and no one to say it to
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        code = Exit.CLOSED_OUTPUT
    if code in (Exit.INTERRUPTED, Exit.CLOSED_OUTPUT):
        kill_running()
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    sys.exit(code)


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    out = Console(soft_wrap=True)
    err = Console(stderr=True, soft_wrap=True)
    try:
        if args.command == "checklists":
            return _checklists(out, markdown_tables=args.markdown)
        if args.command == "schema":
            sys.stdout.write(schema_text())
            return Exit.OK
        if args.command in ("diff", "merge", "summary"):
            return _report_command(args, out)
        if args.command == "links":
            return _links(args, out, err)
        if args.command == "check":
            return _check(args, out, err)
        return _run(args, out, err)
    except (checklists.ChecklistError, MergeError, ReportFileError) as e:
        err.print(f"error: {e}", markup=False, highlight=False)
        return Exit.USAGE
    except _UsageError:
        return Exit.USAGE
    except KeyboardInterrupt:  # outside a run (which says more): links, writing a report …
        err.print("interrupted", markup=False, highlight=False)
        return Exit.INTERRUPTED


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
        probe=None if args.no_network_checks else ProbeSettings(hosts=_host_overrides()),
    )


def _host_overrides() -> dict[str, str]:
    """Base URLs of artifact hosts from the environment: HF_ENDPOINT, as Hugging Face's own tools
    read it (a mirror of the Hub)."""
    endpoint = os.environ.get("HF_ENDPOINT", "").strip()
    return {"huggingface": endpoint} if endpoint else {}


def _token(args: argparse.Namespace, err: Console) -> str | None:
    """The GitHub token from the environment; a variable named by --token-env must be set."""
    token = os.environ.get(args.token_env or "GITHUB_TOKEN") or None
    if token is None and args.token_env:
        err.print(f"error: environment variable {args.token_env} is not set", markup=False, highlight=False)
        raise _UsageError
    return token


class _UsageError(Exception):
    """Bad arguments, already explained on stderr."""


def _run(args: argparse.Namespace, out: Console, err: Console) -> int:
    shown = Console(stderr=True, quiet=args.quiet or args.json, soft_wrap=True)
    token = _token(args, err)
    audit: Callable[[dict[str, RepoAudit], Progress], Report]
    if args.repo:
        targets = [target_from_argument(r, args.clone_url) for r in args.repo]
        if args.shard:
            targets = args.shard.select(targets, lambda t: t.key)
        local = any(t.clone_url.startswith("file:") for t in targets)
        settings = _settings(args, allow_local=local, token=token)
        name, total = "repos", len({t.key for t in targets})

        def audit(done: dict[str, RepoAudit], on_repo: Progress) -> Report:
            return audit_targets(targets, settings, done=done, on_repo=on_repo)

    else:
        corpus = _select(_load_corpus(args.corpus), args.paper, err)
        if corpus is None:
            return Exit.USAGE
        name = (
            _paper_slug(corpus.papers[0])
            if args.paper
            else (args.corpus[0].stem if args.corpus else "corpus")
        )
        papers = args.shard.select(corpus.papers, lambda p: p.id) if args.shard else corpus.papers
        settings = _settings(args, token=token)
        total = count_repos(papers)

        def audit(done: dict[str, RepoAudit], on_repo: Progress) -> Report:
            return audit_papers(papers, settings, problems=corpus.problems, done=done, on_repo=on_repo)

    out_dir = args.out or Path("reports") / name
    try:
        with _only_run_in(out_dir):
            return _journaled(audit, args, settings, out_dir, total, shown, out, err)
    except _Busy:
        err.print(
            f"error: another auditor run is writing to {out_dir}; wait for it, or choose another --out",
            markup=False,
            highlight=False,
        )
        return Exit.WRITE
    except OSError as e:  # the folder cannot be made: a read-only file system, a file in the way
        return _cannot_write(out_dir, e)


class _Busy(Exception):
    """Another run holds the output folder."""


@contextmanager
def _only_run_in(out_dir: Path) -> Iterator[None]:
    """Hold the output folder for one run at a time: a second run into it would truncate the first
    one's journal, and the report of whichever ended last would replace the other's. The lock is
    the kernel's (flock on the folder), so a run that dies, even by kill -9, never leaves it held."""
    out_dir.mkdir(parents=True, exist_ok=True)
    folder = os.open(out_dir, os.O_RDONLY)
    try:
        try:
            fcntl.flock(folder, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise _Busy from None
        yield
    finally:
        os.close(folder)  # releases the lock


def _journaled(
    audit: Callable[[dict[str, RepoAudit], Progress], Report],
    args: argparse.Namespace,
    settings: Settings,
    out_dir: Path,
    total: int,
    shown: Console,
    out: Console,
    err: Console,
) -> int:
    """The run, each audit journaled as it completes, then its report."""
    checklist = ChecklistRef(id=settings.checklist.id, version=settings.checklist.version)
    journal = Journal(out_dir, tool_version=__version__, checklist=checklist)
    done = journal.load() if args.resume else {}
    if done:
        shown.print(f"resuming: {len(done)} repositories already audited", markup=False)
    try:
        journal.start(done)
        with RunProgress(shown, max(0, total - len(done))) as progress:

            def record(key: str, result: RepoAudit) -> None:
                journal.append(result)
                progress(key, result)

            report = audit(done, record)
    except KeyboardInterrupt:
        err.print(
            f"interrupted: the previous report in {out_dir} is intact; run again with --resume to continue",
            markup=False,
        )
        return Exit.INTERRUPTED
    except OSError as e:
        return _cannot_write(out_dir, e)
    finally:
        with contextlib.suppress(OSError):  # a full disk: said above, or by the report's writing
            journal.close()
    code = _finish(report, args, out_dir, out, err, per_repo=bool(args.repo))
    if code != Exit.WRITE:
        journal.remove()
    return code


def _cannot_write(out_dir: Path, e: OSError) -> int:
    where = e.filename or out_dir
    Console(stderr=True, soft_wrap=True).print(
        f"error: cannot write to {where}: {e.strerror or e}", markup=False, highlight=False
    )
    return Exit.WRITE


def _paper_slug(paper: Paper) -> str:
    return slugify(acronym(paper.title) or paper.title)


def _check(args: argparse.Namespace, out: Console, err: Console) -> int:
    if not args.path.is_dir():
        err.print(f"[red]error:[/] {args.path} is not a folder")
        return Exit.USAGE
    report = audit_checkout(args.path, _settings(args, allow_local=True))
    out_dir = args.out or Path("reports") / "check"
    [audit] = report.repos
    if audit.repo.status is not RepoStatus.ERROR:
        return _finish(report, args, out_dir, out, err, per_repo=True)
    try:
        write_report(report, out_dir)
    except OSError as e:
        return _cannot_write(out_dir, e)
    err.print(f"error: cannot audit {args.path}: {audit.repo.detail}", markup=False, highlight=False)
    return Exit.UNREADABLE


def _finish(
    report: Report, args: argparse.Namespace, out_dir: Path, out: Console, err: Console, *, per_repo: bool
) -> int:
    """Write the report, show it (table, JSON or nothing), then apply --fail-under."""
    try:
        paths = write_report(report, out_dir)
    except OSError as e:  # disk full, read-only folder: say so; the previous report is intact
        return _cannot_write(out_dir, e)
    if args.json:
        sys.stdout.write(report.model_dump_json(indent=2) + "\n")
    elif not args.quiet:
        out.print(terminal.render(report))
    _print_paths(paths, err if args.json else out)
    if args.fail_under is None:
        return Exit.OK
    verdict = gate(report, args.fail_under, per_repo=per_repo)
    (out if verdict.passed else err).print(
        f"{'pass' if verdict.passed else 'FAIL'}: {verdict.message}", markup=False, highlight=False
    )
    return Exit.OK if verdict.passed else Exit.BELOW


def _print_paths(paths: list[Path], console: Console) -> None:
    badges = [p for p in paths if p.parent.name == markdown.BADGE_DIR]
    for path in paths:
        if path.parent.name != markdown.BADGE_DIR:
            console.print(f"wrote {path}", markup=False, highlight=False)
    if badges:
        console.print(f"wrote {len(badges)} badge(s) in {badges[0].parent}", markup=False, highlight=False)


def _report_command(args: argparse.Namespace, out: Console) -> int:
    """diff, merge and summary: commands over report files already written."""
    if args.command == "summary":
        sys.stdout.write(markdown.summary(load_report(args.report)))
    elif args.command == "merge":
        report = merge_reports([load_report(p) for p in args.reports])
        try:
            paths = write_report(report, args.out)
        except OSError as e:  # disk full, read-only folder
            return _cannot_write(args.out, e)
        if not args.quiet:
            out.print(terminal.render(report))
        _print_paths(paths, out)
    else:
        changes = diff_reports(load_report(args.old), load_report(args.new))
        if args.json:
            sys.stdout.write(changes.model_dump_json(indent=2) + "\n")
        elif args.markdown:
            sys.stdout.write(diffview.markdown(changes))
        else:
            out.print(diffview.terminal(changes))
    return Exit.OK


def _links(args: argparse.Namespace, out: Console, err: Console) -> int:
    corpus = _select(_load_corpus(args.corpus), args.paper, err)
    if corpus is None:
        return Exit.USAGE
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
    return Exit.OK


def _checklists(out: Console, *, markdown_tables: bool) -> int:
    for name in checklists.available():
        c = checklists.load(name)
        if markdown_tables:
            sys.stdout.write(checklist_render.table(c) + "\n")
            continue
        out.print(f"{c.id} v{c.version}: {c.title} ({len(c.items)} items)", markup=False)
        for item in c.items:
            out.print(f"  {item.id:<20} {item.title}", markup=False)
    return Exit.OK
