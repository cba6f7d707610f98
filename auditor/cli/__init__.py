"""Command line: thin over the library. Parsing arguments loads no stage of the auditor (`--help`
and `--version` answer at once); `auditor.cli.commands` does what each command says. Its exit codes
are `Exit`, each with its meaning in `EXIT_MEANINGS` (the README's table is checked against it)."""

from __future__ import annotations

import argparse
import atexit
import gc
import importlib
import os
import string
import sys
import threading
from collections.abc import Sequence
from datetime import UTC, date, datetime
from enum import IntEnum
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn
from urllib.parse import urlsplit

from auditor import __version__
from auditor.acquire import DEFAULT_API, DEFAULT_CLONE_URL, DEFAULT_GIT_TIMEOUT, DEFAULT_JOBS
from auditor.checks import DEFAULT_CHECKLIST
from auditor.net import DEFAULT_MAX_WAIT
from auditor.report import DEFAULT_KEEP, DEFAULT_MAX_FAILED, FAIL_ON
from auditor.sources import DEFAULT_MAX_PAPERS

if TYPE_CHECKING:
    from auditor.report.shard import Shard
    from auditor.sources.collect import Kind


class Exit(IntEnum):
    OK = 0
    BELOW = 1
    USAGE = 2
    WRITE = 3
    UNHEALTHY = 4
    CHANGED = 5
    UNREADABLE = 6
    INTERRUPTED = 130
    CLOSED_OUTPUT = 141


EXIT_MEANINGS = {
    Exit.OK: "the report was written (and met `--fail-under`, if given)",
    Exit.BELOW: "`--fail-under N`: a repository (`check`, `run --repo`) or the corpus median (`run` over "
    "papers) scored below N percent; a repository that could not be scored counts as below",
    Exit.USAGE: "bad arguments (one line on stderr naming the value and what is allowed), an unreadable "
    "checklist or report file, a paper query that matches no single paper, or reports that `merge` refuses "
    "to mix (other checklist, tool version or number of shards, a shard twice)",
    Exit.WRITE: "the report (or the run's journal) could not be written: disk full, read-only folder, "
    "or another run writing to the same folder",
    Exit.UNHEALTHY: "the health gate: every repository, or more than `--max-unreachable` percent of them, "
    "came back `unreachable`, `rate-limited` or `timeout`, or no repository could be audited at all (each "
    "of those, or `error`); the reason is one line on stderr (`run` still "
    "writes its report, to look at; `merge` and `publish` write nothing)",
    Exit.CHANGED: "`diff --fail-on KIND`: a change of a listed kind was found (each is listed on stderr)",
    Exit.UNREADABLE: "`check`: the checkout could not be audited (a corrupt git repository): one line "
    "on stderr says why; the report records it with status `error`",
    Exit.INTERRUPTED: "interrupted (Ctrl-C): the previous report is intact; `--resume` continues the run",
    Exit.CLOSED_OUTPUT: "the output was closed before it was all written (piped into `head`, say)",
}


def _default_cache() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "auditor"


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="auditor", description=__doc__)
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
        """Options of the commands that audit: what to audit against, where to write, what to show."""
        p.add_argument(
            "--checklist",
            default=DEFAULT_CHECKLIST,
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
            type=_seconds,
            default=DEFAULT_GIT_TIMEOUT,
            metavar="SECONDS",
            help="wall-clock limit per git command (default: %(default)s)",
        )
        output_options(p)
        p.add_argument(
            "--no-network-checks",
            action="store_true",
            help="do not probe weights, data, demo and project-page links; the report lists them as "
            "not checked (a file:// --clone-url implies this)",
        )
        p.add_argument(
            "--fail-under",
            type=_percent,
            metavar="PERCENT",
            help="exit 1 if a repository (--repo, check) or the corpus median scores below PERCENT",
        )

    run = sub.add_parser("run", help="audit the repositories of papers, or repositories given")
    corpus_options(run)
    _source_options(run)
    run.add_argument(
        "--repo",
        action="append",
        type=_repo_argument,
        metavar="URL_OR_PATH",
        help="audit this repository (https://HOST/OWNER/NAME, or a local folder) directly; repeatable",
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
        type=_clone_template,
        metavar="TEMPLATE",
        help="clone URL template with {host} {owner} {name} (default: %(default)s); "
        "a file:// template allows local mirrors",
    )
    run.add_argument(
        "--github-api",
        default=DEFAULT_API,
        type=_http_url,
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
        type=_seconds,
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
    _max_unreachable(run)
    audit_options(run)

    check = sub.add_parser(
        "check",
        help="audit a local checkout (before you submit); the report goes to the cache, not the checkout",
    )
    check.add_argument("path", type=Path)
    audit_options(check)
    # A checkout is read where it is, through no API: what `run` asks of these, `check` fixes.
    check.set_defaults(clone_url=DEFAULT_CLONE_URL, no_api=True, max_wait=DEFAULT_MAX_WAIT, jobs=DEFAULT_JOBS)

    links = sub.add_parser("links", help="show the links and code statements of papers")
    corpus_options(links)
    sourced = _source_options(links)
    sourced.add_argument(
        "--cache-dir",
        type=Path,
        default=_default_cache(),
        metavar="DIR",
        help="HTTP cache, full-text cache and the sources' seen state (default: %(default)s)",
    )
    sourced.add_argument(
        "--save-corpus",
        type=Path,
        metavar="FILE",
        help="write the papers as JSONL (what --corpus reads) and mark them seen; with --since last, "
        "FILE is also the previous corpus brought up to date",
    )
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
    diff.add_argument(
        "--fail-on",
        type=_fail_on,
        action="append",
        default=[],
        metavar="KIND[,KIND]",
        help=f"exit {int(Exit.CHANGED)} when a change of these kinds is found: {', '.join(FAIL_ON)}",
    )

    merge_cmd = sub.add_parser("merge", help="combine shard reports into one report")
    merge_cmd.add_argument("reports", type=Path, nargs="+", metavar="REPORT.json")
    merge_cmd.add_argument("--out", type=Path, required=True, metavar="DIR", help="report folder")
    merge_cmd.add_argument("--quiet", action="store_true", help="print only the report paths")
    _max_unreachable(merge_cmd)

    pub = sub.add_parser("publish", help="put a report folder into a history folder (the reports branch)")
    pub.add_argument("report", type=Path, metavar="REPORT_DIR", help="holds report.json and its files")
    pub.add_argument("--into", type=Path, required=True, metavar="DIR", help="the history folder")
    pub.add_argument(
        "--query",
        default="",
        metavar="TEXT",
        help="the report is of a subset: publish it to queries/<TEXT as a folder name>/, not to latest/",
    )
    pub.add_argument(
        "--keep",
        type=_positive,
        default=DEFAULT_KEEP,
        metavar="N",
        help="dated reports kept in full; older days keep only summary.json (default: %(default)s)",
    )
    _max_unreachable(pub)

    summary = sub.add_parser("summary", help="print the summary of a report (Markdown, or --json)")
    summary.add_argument("report", type=Path, metavar="REPORT.json")
    summary.add_argument("--json", action="store_true", help="the summary block of report.json, as JSON")
    return parser


# What `--format` prints on stdout (the files are written whatever it is).
FORMATS = ("terminal", "json", "markdown", "html", "csv", "sarif")


def output_options(p: argparse.ArgumentParser) -> None:
    shown = p.add_mutually_exclusive_group()
    shown.add_argument("--quiet", action="store_true", help="print only the report paths")
    shown.add_argument(
        "--format",
        choices=FORMATS,
        default="terminal",
        help="what to print on stdout: the terminal view (default), the report as JSON, its Markdown "
        "page, HTML page, CSV table or SARIF log; paths then go to stderr",
    )
    shown.add_argument(
        "--json", dest="format", action="store_const", const="json", help="the same as --format json"
    )


class _Parser(argparse.ArgumentParser):
    """Usage errors in one line, naming the bad value and what is allowed, and exit 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(Exit.USAGE, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def _max_unreachable(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--max-unreachable",
        type=_percent,
        default=DEFAULT_MAX_FAILED,
        metavar="PERCENT",
        help=f"the health gate: exit {int(Exit.UNHEALTHY)} when more than PERCENT of the repositories "
        "(or all) came back unreachable, rate-limited or timeout (default: %(default)s)",
    )


_PLACEHOLDERS = ("host", "owner", "name")


def _clone_template(text: str) -> str:
    """A --clone-url template: only {host}, {owner} and {name}, and {owner} and {name} in it, or
    every repository would get the same URL."""
    from auditor.acquire.gitrunner import redact

    shown, allowed = redact(text), ", ".join(f"{{{p}}}" for p in _PLACEHOLDERS)
    try:
        fields = [(f, spec, conv) for _, f, spec, conv in string.Formatter().parse(text) if f is not None]
    except ValueError as err:
        raise argparse.ArgumentTypeError(f"{shown!r} is not a template ({err}); allowed: {allowed}") from err
    unknown = [
        "{" + f + (f"!{conv}" if conv else "") + (f":{spec}" if spec else "") + "}"
        for f, spec, conv in fields
        if f not in _PLACEHOLDERS or spec or conv
    ]
    if unknown:
        raise argparse.ArgumentTypeError(
            f"unknown placeholder {', '.join(unknown)} in {shown!r}; allowed: {allowed}"
        )
    missing = [f"{{{p}}}" for p in ("owner", "name") if p not in {f for f, _, _ in fields}]
    if missing:
        raise argparse.ArgumentTypeError(
            f"{shown!r} has no {' or '.join(missing)}: every repository would get the same URL; "
            "a template must contain {owner} and {name}"
        )
    return text


def _repo_argument(text: str) -> str:
    """A --repo value: a repository URL, another https git URL, or a local folder."""
    from auditor.acquire.gitrunner import redact
    from auditor.papers.links import classify

    path = Path(text).expanduser()
    if "://" not in text and path.is_dir():
        return text
    link, parts = classify(text.strip()), urlsplit(text.strip())
    if link.repo is not None or (not link.note and parts.scheme == "https" and parts.path.strip("/")):
        return text
    why = f" ({link.note})" if link.note else ""
    raise argparse.ArgumentTypeError(
        f"{redact(text)!r} is neither a repository URL (https://HOST/OWNER/NAME) nor a local folder{why}"
    )


def _http_url(text: str) -> str:
    from auditor.acquire.gitrunner import redact

    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise argparse.ArgumentTypeError(f"{redact(text)!r} is not an http(s) URL, like {DEFAULT_API}")
    return text


def _percent(text: str) -> float:
    try:
        number = float(text)
    except ValueError:
        number = -1.0
    if not 0 <= number <= 100:
        raise argparse.ArgumentTypeError(f"expected a percentage from 0 to 100, not {text!r}")
    return number


def _seconds(text: str) -> float:
    try:
        number = float(text)
    except ValueError:
        number = -1.0
    if not number > 0:
        raise argparse.ArgumentTypeError(f"expected a number of seconds above 0, not {text!r}")
    return number


def _fail_on(text: str) -> list[str]:
    kinds = [k.strip() for k in text.split(",") if k.strip()]
    unknown = [k for k in kinds if k not in FAIL_ON]
    if unknown or not kinds:
        raise argparse.ArgumentTypeError(
            f"unknown kind {', '.join(map(repr, unknown)) or repr(text)}; allowed: {', '.join(FAIL_ON)}"
        )
    return kinds


def _positive(text: str) -> int:
    try:
        number = int(text)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, not {text!r}")
    return number


def _shard(text: str) -> Shard:
    from auditor.report.shard import Shard

    try:
        return Shard.parse(text)
    except ValueError as err:
        raise argparse.ArgumentTypeError(str(err)) from err


_SOURCE_FLAGS: tuple[tuple[Kind, str], ...] = (
    ("hf-papers", "hf_papers"),
    ("hf-daily", "hf_daily"),
    ("hf-paper", "hf_paper"),
    ("arxiv", "arxiv"),
    ("arxiv-id", "arxiv_id"),
    ("openreview", "openreview"),
    ("pdf", "pdf"),
)


def _source_options(p: argparse.ArgumentParser) -> argparse._ArgumentGroup:
    """Paper sources, the same for `run` and `links`; each flag is repeatable, and they combine
    with --corpus (and, for `run`, --repo)."""
    group = p.add_argument_group(
        "paper sources (base URLs: HF_ENDPOINT, ARXIV_API_URL, ARXIV_SITE_URL, OPENREVIEW_API_BASEURL_V2)"
    )
    add = group.add_argument
    add("--hf-papers", action="append", metavar="QUERY", help="a Hugging Face Papers search")
    add(
        "--hf-daily",
        action="append",
        type=_days_text,
        metavar="DAYS",
        help="Hugging Face daily papers of DAY or DAY..DAY (YYYY-MM-DD or `today`)",
    )
    add("--hf-paper", action="append", metavar="ARXIV_ID", help="one paper of Hugging Face Papers")
    add(
        "--arxiv",
        action="append",
        metavar="QUERY",
        help="an arXiv API query ('cat:eess.IV AND abs:segmentation')",
    )
    add(
        "--arxiv-dates",
        type=_days,
        metavar="DAYS",
        help="submission dates of --arxiv queries: DAY or DAY..DAY",
    )
    add("--arxiv-id", action="append", metavar="IDS", help="arXiv ids, comma-separated")
    add(
        "--openreview",
        action="append",
        metavar="VENUE",
        help="an OpenReview venue's accepted papers (MIDL.io/2025/Conference), or its submissions "
        "(MIDL.io/2025/Conference/-/Submission)",
    )
    add("--pdf", action="append", metavar="FILE_OR_URL", help="a paper's PDF: its code statements and links")
    add("--full-text", action="store_true", help="also read the PDF of each listed paper (cached)")
    add(
        "--since",
        choices=["last"],
        help="`last`: dated sources start where their last run ended, and the previous corpus "
        "(corpus.jsonl beside the report) is merged in, so the report covers all of it",
    )
    add(
        "--max-papers",
        type=_positive,
        default=DEFAULT_MAX_PAPERS,
        metavar="N",
        help="at most N papers from each source (default: %(default)s)",
    )
    return group


def _days(text: str) -> tuple[date, date]:
    from auditor.sources.collect import parse_days

    try:
        return parse_days(text, _today())
    except ValueError as err:
        raise argparse.ArgumentTypeError(str(err)) from err


def _days_text(text: str) -> str:
    """A `--hf-daily` value, checked now and resolved when the run starts (`today`)."""
    _days(text)
    return text


def _today() -> date:
    return datetime.now(UTC).date()


# The cyclic garbage collector's pace: a young generation collected every GC_YOUNG new objects.
# The auditor makes little cyclic garbage (a cold run over 285 repositories, about 1,300 objects,
# all of start-up), but at Python's default pace (700) that run went over its young objects about
# 2,000 times: about 6% of its Python CPU, while holding the GIL. Every 100,000 they are gone over
# once or twice a run, and a `check` not at all.
GC_YOUNG = 100_000


def entry() -> NoReturn:
    """The `auditor` command. After an interruption it exits at once, without waiting for the
    repositories still in progress in worker threads (a request or a clone may take minutes to
    give up): the journal is closed and reports are written whole or not at all, so nothing is
    lost that `--resume` needs. Their git commands are killed, not left running unwatched."""
    gc.set_threshold(GC_YOUNG, *gc.get_threshold()[1:])
    try:
        code = main()
        sys.stdout.flush()  # a reader that went away is found here, not at the interpreter's exit
    except BrokenPipeError:  # the reader went away: nothing more to say, and no one to say it to
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        code = Exit.CLOSED_OUTPUT
    if code in (Exit.INTERRUPTED, Exit.CLOSED_OUTPUT):
        from auditor.acquire.gitrunner import kill_running

        kill_running()
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    _leave(code)


def _leave(code: int) -> NoReturn:
    """Exit without tearing the interpreter down: freeing every module and object one by one costs
    a `check` about a tenth of its CPU, and the process is ending anyway. What an exit must do is
    done first: the exit handlers run (a reader's git process is ended and waited for, temporary
    folders removed) and the output is flushed. While a worker thread is still running, the exit is
    the ordinary one, which waits for it."""
    if _workers_running():
        sys.exit(code)
    atexit._run_exitfuncs()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except BrokenPipeError:
        code = Exit.CLOSED_OUTPUT
    os._exit(code)


def _workers_running() -> bool:
    """Whether a thread that the interpreter's exit would wait for (not the main one, not a daemon)
    is still running."""
    main_thread = threading.main_thread()
    return any(t is not main_thread and not t.daemon and t.is_alive() for t in threading.enumerate())


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the arguments, then run the command: only its modules are imported (`--help` and
    `--version` import no stage of the auditor)."""
    args = build_parser().parse_args(argv)
    if "auditor.cli.commands" not in sys.modules:
        _import_uncollected("auditor.cli.commands")
    from auditor.cli.commands import run_command

    return run_command(args)


def _import_uncollected(name: str) -> None:
    """Import `name` with the cyclic garbage collector paused, then freeze what is alive out of its
    sight: what importing makes (modules, classes, the models' validators) lives as long as the
    process, and the collector would go over each of it twice for nothing (a thirtieth of a
    check's CPU); a long run's collections then pass over it too."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        importlib.import_module(name)
    finally:
        gc.freeze()
        if enabled:
            gc.enable()
