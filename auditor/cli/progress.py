"""What a long run shows while it works: repositories done of all, the latest one, errors so far.

Fed by the pipeline's `on_repo` callback. On a terminal it is a live progress bar (gone when the
run ends); elsewhere, a line per repository, so CI logs show where a run spent its time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from types import TracebackType
from typing import TYPE_CHECKING

from auditor.models import Outcome, Paper, RepoAudit, RepoStatus
from auditor.papers.extract import analyze_paper

if TYPE_CHECKING:
    from rich.console import Console
    from rich.progress import Progress, TaskID


def count_repos(papers: Iterable[Paper]) -> int:
    """How many distinct repositories these papers link: the length of the progress bar."""
    return len({repo.key for paper in papers for repo in analyze_paper(paper).repos})


def is_error(audit: RepoAudit) -> bool:
    """The repository could not be audited, or a check failed to run (not: a check failed)."""
    return audit.repo.status is not RepoStatus.OK or any(r.outcome is Outcome.ERROR for r in audit.results)


class RunProgress:
    """`total`: the length of the bar, or how to count it; counted only when a bar is shown (on a
    terminal), as counting reads every paper once more and holds each repository's key meanwhile.
    With no console (a quiet run) it only counts, and rich is never imported."""

    def __init__(self, console: Console | None, total: int | Callable[[], int]) -> None:
        self.console = console
        self.done = 0
        self.errors = 0
        self._bar: Progress | None = None
        self._task: TaskID | None = None
        if console is not None and console.is_terminal:
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

            self._bar = Progress(
                TextColumn("auditing"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("[red]{task.fields[errors]} errors"),
                TimeElapsedColumn(),
                TextColumn("{task.fields[current]}", markup=False),
                console=console,
                transient=True,
            )
            length = total() if callable(total) else total
            self._task = self._bar.add_task("audit", total=length or None, errors=0, current="")

    def __enter__(self) -> RunProgress:
        if self._bar:
            self._bar.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, err: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._bar:
            self._bar.stop()

    def __call__(self, key: str, audit: RepoAudit) -> None:
        self.done += 1
        self.errors += is_error(audit)
        if self._bar is not None and self._task is not None:
            self._bar.update(self._task, advance=1, errors=self.errors, current=key)
        elif self.console is not None and not self.console.quiet:  # else rich would lay it out to drop it
            self.console.print(f"audited {key}: {audit.repo.status.value}", markup=False, highlight=False)
