"""`auditor run` and `auditor links`: the papers gathered (corpus files and paper sources), the
repositories audited with a journal and a progress bar, the report written; or the papers' links
listed."""

from __future__ import annotations

import argparse
import contextlib
import errno
import fcntl
import functools
import json
import os
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from auditor import __version__
from auditor.audit import Settings
from auditor.cli import _SOURCE_FLAGS, Exit, _today
from auditor.cli.commands import CORPUS_NAME, UsageError, audit_settings, cannot_write, finish
from auditor.cli.output import Output
from auditor.cli.progress import RunProgress, count_repos
from auditor.data import default_corpus
from auditor.data.atomic import write_atomic
from auditor.models import (
    ChecklistRef,
    InputProblem,
    LinkOrigin,
    Paper,
    RepoAudit,
    Report,
    Shards,
    SourceRef,
)
from auditor.papers.corpus import carry_over, merge, read_records, slugify, to_jsonl
from auditor.papers.extract import analyze_paper
from auditor.papers.lookup import PaperNotFoundError, acronym, find_paper
from auditor.pipeline import (
    Progress,
    audit_papers,
    audit_targets,
    shard_plan,
    target_from_argument,
)
from auditor.render.text import clean
from auditor.report.journal import Journal, Spill

if TYPE_CHECKING:  # imported by the functions that read paper sources: they bring the HTTP stack
    from auditor.sources import collect as sources
    from auditor.sources.client import SourceClient
    from auditor.sources.fulltext import FullTextReader
    from auditor.sources.seen import Seen


def _specs(args: argparse.Namespace) -> list[sources.Spec]:
    named = [(kind, v) for kind, name in _SOURCE_FLAGS for v in getattr(args, name, None) or []]
    if not named:
        return []  # no source asked for: their modules, and the HTTP stack, stay unloaded
    from auditor.sources import collect as sources

    return [sources.Spec(kind, v) for kind, v in named]


@dataclass
class _Gathered:
    """The papers of a run (corpus files and sources), on disk and read back one at a time; the
    problems met reading them; and what the sources need afterwards."""

    papers: Sequence[Paper]
    problems: list[InputProblem]
    collected: sources.Collected | None = None
    client: SourceClient | None = None
    reader: FullTextReader | None = None
    seen: Seen | None = None

    def close(self) -> None:
        if self.client is not None:
            self.client.close()


def _gather(args: argparse.Namespace, err: Output, previous: Path | None) -> _Gathered:
    """Corpus files and source listings merged, a paper at a time into a temporary file (a corpus
    may hold a hundred thousand); with --since last, the previous corpus merged in. The bundled
    corpus only when nothing else is given."""
    specs = _specs(args)
    if args.since and not specs:
        err.print("error: --since last needs a paper source (--hf-papers, --arxiv …)", markup=False)
        raise UsageError
    if args.since and args.paper:
        # It would mark every listed paper seen and keep only the one chosen.
        err.print("error: --since last covers every paper listed; it does not go with --paper", markup=False)
        raise UsageError
    files = args.corpus or ([] if specs or getattr(args, "repo", None) else [default_corpus()])
    corpora = (read_records(path, name=_shown_path(path)) for path in files)
    problems: list[InputProblem] = []
    spill = Spill(Paper)
    if not specs:
        spill.extend(merge(corpora, problems))
        return _Gathered(spill.records(), problems)
    from auditor.sources import collect as sources
    from auditor.sources.client import SourceClient
    from auditor.sources.fulltext import FullTextReader
    from auditor.sources.seen import Seen

    endpoints = sources.Endpoints.from_env()
    # The services' base URLs and the PDFs named on the command line are the user's to choose.
    pdfs = [s.value for s in specs if s.kind == "pdf" and "://" in s.value]
    trusted = [endpoints.hf, endpoints.arxiv_api, endpoints.arxiv_site, endpoints.openreview, *pdfs]
    client = SourceClient(cache_path=args.cache_dir / "papers-http.sqlite", trusted=trusted)
    seen = Seen.in_cache(args.cache_dir)
    options = sources.Options(
        today=_today(),
        since_last=args.since == "last",
        max_papers=args.max_papers,
        arxiv_dates=args.arxiv_dates,
        endpoints=endpoints,
    )
    reader = FullTextReader(client, args.cache_dir)
    collected = sources.collect(specs, options, client, seen, reader)
    listed: list[Paper | InputProblem] = [*collected.corpus.problems, *collected.corpus.papers]
    spill.extend(merge([*corpora, listed], problems))
    if options.since_last and previous is not None:
        if previous.is_file():
            earlier: list[InputProblem] = []
            carried = Spill(Paper)
            carried.extend(carry_over(read_records(previous), spill.records(), earlier))
            spill, problems = carried, [*earlier, *problems]
        else:
            problems.append(
                InputProblem(
                    source=SourceRef(file=str(previous)),
                    message="no previous corpus here: this report covers this run's papers only",
                )
            )
    return _Gathered(spill.records(), problems, collected, client, reader, seen)


def _with_full_text(
    args: argparse.Namespace, gathered: _Gathered, papers: Sequence[Paper]
) -> Sequence[Paper]:
    """The papers with their PDFs' statements, when --full-text asks; problems after the others."""
    if not args.full_text or gathered.collected is None or gathered.reader is None:
        return papers
    from auditor.sources import collect as sources

    read, problems = sources.with_full_text(list(papers), gathered.collected.pdfs, gathered.reader)
    gathered.problems.extend(problems)
    return read


def _save_corpus(path: Path, papers: Sequence[Paper], gathered: _Gathered) -> None:
    """The papers as JSONL (what --corpus reads), a paper at a time; then the sources' listings
    are marked seen."""
    write_atomic(path, (to_jsonl([paper]) for paper in papers))
    if gathered.collected is not None and gathered.seen is not None:
        from auditor.sources import collect as sources

        sources.remember(gathered.collected, gathered.seen, _today())


def _shown_path(path: Path) -> str:
    """How a corpus file is named in the report: relative to the working directory when it is
    under it (no install or home paths in a report that gets published), else as given. The
    bundled corpus is named for its place in the package."""
    if path == default_corpus():
        return f"auditor/data/{path.name}"
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return str(path)


def _select(papers: Sequence[Paper], query: str | None, err: Output) -> Sequence[Paper] | None:
    if query is None:
        return papers
    try:
        paper = find_paper(query, papers)
    except PaperNotFoundError as e:
        err.print(f"[red]error:[/] {e}")
        if e.candidates:
            err.print("candidates:")
            for p in e.candidates:
                err.print(f"  {clean(p.title)}", markup=False, highlight=False)
        return None
    return [paper]


def _token(args: argparse.Namespace, err: Output) -> str | None:
    """The GitHub token from the environment; a variable named by --token-env must be set."""
    token = os.environ.get(args.token_env or "GITHUB_TOKEN") or None
    if token is None and args.token_env:
        err.line(f"error: environment variable {args.token_env} is not set")
        raise UsageError
    return token


def run(args: argparse.Namespace, out: Output, err: Output) -> int:
    shown = Output(stderr=True, quiet=args.quiet or args.format != "terminal")
    token = _token(args, err)
    audit: Callable[[dict[str, RepoAudit], Progress, Journal], Report]
    repos_only = bool(args.repo) and not (args.corpus or _specs(args))
    gathered: _Gathered | None = None
    papers: Sequence[Paper] = []
    targets = [target_from_argument(r, args.clone_url) for r in args.repo or []]  # --repo's
    if args.shard:
        targets = args.shard.select(targets, lambda t: t.key)
    settings = audit_settings(
        args, allow_local=any(t.clone_url.startswith("file:") for t in targets), token=token
    )
    total: Callable[[], int]  # the progress bar's length, counted only if a bar is shown
    if repos_only:
        name = "repos"

        def total() -> int:
            return len({t.key for t in targets})

        def audit(done: dict[str, RepoAudit], on_repo: Progress, store: Journal) -> Report:
            return audit_targets(targets, settings, done=done, on_repo=on_repo, store=store)

    else:
        gathered = _gather(args, err, (args.out or Path("reports") / _corpus_name(args)) / CORPUS_NAME)
        _give_back_memory()  # what reading the corpus held (each paper's id, to name duplicates)
        chosen = _select(gathered.papers, args.paper, err)
        if chosen is None:
            gathered.close()
            return Exit.USAGE
        name = _paper_slug(chosen[0]) if args.paper else _corpus_name(args)
        # A shard's plan holds its papers (and what they link), as the pipeline makes it.
        plan = shard_plan(list(chosen), args.shard) if args.shard else None
        papers = _with_full_text(args, gathered, plan.papers if plan else chosen)
        problems = gathered.problems
        # While the run goes on the papers wait on disk, read back one at a time (by the pipeline,
        # then for corpus.jsonl): those chosen from the gathered ones go there too.
        if isinstance(papers, list):
            spill = Spill(Paper)
            spill.extend(papers)
            papers = spill.records()
        del chosen

        def total() -> int:
            return (len(plan.repos) if plan else count_repos(papers)) + len({t.key for t in targets})

        def audit(done: dict[str, RepoAudit], on_repo: Progress, store: Journal) -> Report:
            return audit_papers(
                papers,
                settings,
                problems=problems,
                done=done,
                on_repo=on_repo,
                targets=targets,
                shard=plan,
                store=store,
            )

    out_dir = args.out or Path("reports") / name
    try:
        with _only_run_in(out_dir):
            code = _journaled(audit, args, settings, out_dir, total, shown, out, err, per_repo=repos_only)
            if gathered is not None and code not in (Exit.WRITE, Exit.INTERRUPTED):
                _save_corpus(out_dir / CORPUS_NAME, papers, gathered)
                (out if args.format == "terminal" else err).line(f"wrote {out_dir / CORPUS_NAME}")
            return code
    except _Busy:
        err.line(f"error: another auditor run is writing to {out_dir}; wait for it, or choose another --out")
        return Exit.WRITE
    except OSError as e:  # the folder cannot be made: a read-only file system, a file in the way
        return cannot_write(out_dir, e)
    finally:
        if gathered is not None:
            gathered.close()


class _Busy(Exception):
    """Another run holds the output folder."""


@contextmanager
def _only_run_in(out_dir: Path) -> Iterator[None]:
    """Hold the output folder for one run at a time: a second run into it would truncate the first
    one's journal, and the report of whichever ended last would replace the other's. The lock is
    the kernel's POSIX record lock on `.lock` in the folder: a run that dies, even by kill -9,
    never leaves it held, and, unlike flock, a git process forked at that moment does not inherit
    it (so a run resumed right after a Ctrl-C finds the folder free)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    key = str(out_dir.resolve())
    with _HELD_LOCK:  # the kernel's lock is per process: runs in this process are told apart here
        if key in _HELD:
            raise _Busy
        _HELD.add(key)
    try:
        lock = os.open(out_dir / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            try:
                fcntl.lockf(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError as err:
                if err.errno in (errno.EACCES, errno.EAGAIN):
                    raise _Busy from None
                raise
            yield
        finally:
            os.close(lock)  # releases the lock
    finally:
        with _HELD_LOCK:
            _HELD.discard(key)


# The lock file of an output folder; and the folders runs of this process hold.
LOCK_NAME = ".lock"


_HELD: set[str] = set()


_HELD_LOCK = threading.Lock()


def _journaled(
    audit: Callable[[dict[str, RepoAudit], Progress, Journal], Report],
    args: argparse.Namespace,
    settings: Settings,
    out_dir: Path,
    total: Callable[[], int],
    shown: Output,
    out: Output,
    err: Output,
    *,
    per_repo: bool,
) -> int:
    """The run, each audit journaled as it completes, then its report."""
    checklist = ChecklistRef(id=settings.checklist.id, version=settings.checklist.version)
    journal = Journal(out_dir, tool_version=__version__, checklist=checklist)
    done = journal.load() if args.resume else {}
    if done:
        shown.print(f"resuming: {len(done)} repositories already audited", markup=False)
    try:
        journal.start(done)
        kept = len(done)
        console = None if shown.quiet else shown.console  # a quiet run draws nothing: no rich
        with RunProgress(console, lambda: max(0, total() - kept)) as progress:

            def on_repo(key: str, audited: RepoAudit) -> None:
                progress(key, audited)
                if progress.done % GIVE_BACK_EVERY == 0:
                    _give_back_memory()

            # Each audit goes to the journal as it completes; the report reads them back from it.
            report = audit(done, on_repo, journal)
        del done
        _give_back_memory()
        if args.shard:
            shards = Shards(count=args.shard.count, included=[args.shard.index])
            report = report.model_copy(update={"shards": shards})
    except KeyboardInterrupt:
        err.print(
            f"interrupted: the previous report in {out_dir} is intact; run again with --resume to continue",
            markup=False,
        )
        return Exit.INTERRUPTED
    except OSError as e:
        return cannot_write(out_dir, e)
    finally:
        with contextlib.suppress(OSError):  # a full disk: said above, or by the report's writing
            journal.close()
    code = finish(report, args, out_dir, out, err, per_repo=per_repo, max_failed=args.max_unreachable)
    if code != Exit.WRITE:
        journal.remove()
    else:  # kept for --resume; the report read its audits back from it
        journal.close()
    return code


# Repositories audited between two returns of the C allocator's free memory to the system.
GIVE_BACK_EVERY = 500


def _give_back_memory() -> None:
    """Return the memory the C allocator holds free to the system (glibc's `malloc_trim`; where
    there is none, nothing). Worker threads parse JSON and read git's output in glibc's per-thread
    arenas, which keep what is freed, scattered between what is not: left alone, the process grows
    by a few MB over 10,000 repositories that it holds nothing for. Returned after the corpus is
    read, every `GIVE_BACK_EVERY` repositories and before the report, a long run's peak stays
    that of a short one. Costs about a millisecond."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@functools.cache
def _malloc_trim() -> Callable[[int], int] | None:
    import ctypes  # only a run needs it

    try:
        trim: Callable[[int], int] = ctypes.CDLL(None).malloc_trim
    except (AttributeError, OSError):  # not glibc (macOS, musl)
        return None
    return trim


def _corpus_name(args: argparse.Namespace) -> str:
    """The report folder's name for a run over papers: its first source, or its first file."""
    specs = _specs(args)
    if specs:
        return specs[0].name
    return args.corpus[0].stem if args.corpus else "corpus"


def _paper_slug(paper: Paper) -> str:
    return slugify(acronym(paper.title) or paper.title)


def links(args: argparse.Namespace, out: Output, err: Output) -> int:
    gathered = _gather(args, err, args.save_corpus)
    try:
        chosen = _select(gathered.papers, args.paper, err)
        if chosen is None:
            return Exit.USAGE
        papers = _with_full_text(args, gathered, chosen)
        if args.save_corpus:
            try:
                _save_corpus(args.save_corpus, papers, gathered)
            except OSError as e:
                return cannot_write(args.save_corpus.parent, e)
    finally:
        gathered.close()
    _print_links(args, papers, gathered.problems, out, err)
    return Exit.OK


def _print_links(
    args: argparse.Namespace,
    papers: Sequence[Paper],
    problems: list[InputProblem],
    out: Output,
    err: Output,
) -> None:
    for problem in problems:
        err.print(clean(f"input {problem.source}: {problem.message}"), markup=False, highlight=False)
    for paper in papers:
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
        # Titles, links and sentences come from strangers: control characters are shown, not obeyed.
        out.print(clean(paper.title), style="bold", markup=False, highlight=False)
        for link in found.links:
            where = _where(link.origin, link.field, link.page)
            out.print(
                clean(f"  link  {link.kind.value:<13} {link.url}{where}"), markup=False, highlight=False
            )
        for statement in found.statements:
            where = _where(statement.origin, None, statement.page)
            out.print(
                clean(f"  says  {statement.kind.value:<15} {statement.text}{where}"),
                markup=False,
                highlight=False,
            )


def _where(origin: LinkOrigin, field_name: str | None, page: int | None) -> str:
    """`  (paper page: githubRepo)`, `  (full text, page 3)`; nothing for the abstract."""
    if origin is LinkOrigin.ABSTRACT:
        return ""
    if origin is LinkOrigin.FULL_TEXT:
        return f"  (full text, page {page})" if page else "  (full text)"
    return f"  (paper page: {field_name})" if field_name else "  (paper page)"
