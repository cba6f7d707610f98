"""Write reports atomically: a crash mid-write leaves the previous report intact.

Files are created with the mode any new file gets (0666 less the umask), like the output of any
other command, not the 0600 of a temporary file.
"""

from __future__ import annotations

import itertools
import os
import shutil
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import overload

from pydantic import ValidationError

from auditor.data.atomic import write_atomic
from auditor.models import Report
from auditor.render import csvtable, html, markdown, sarif, svg
from auditor.report.stats import finalized, summary_of

JSON_NAME = "report.json"
MARKDOWN_NAME = markdown.REPORT_NAME
HTML_NAME = "report.html"
CSV_NAME = "report.csv"
SARIF_NAME = "report.sarif"


def write_report(report: Report, out_dir: Path, *, with_sarif: bool = False) -> Written:
    """report.json (the model, exactly), report.md with its pages, chart and badges, report.html,
    report.csv, and report.sarif if asked (an author's check).

    Returns the paths written. Pages and badges of repositories and papers no longer in the
    report are removed, so a reused folder never shows a stale verdict. Each file is written as it
    is made, a paper or repository at a time: a report whose records stay on disk (a run's, see
    auditor.report.journal) is read back one record at a time and never held whole.
    """
    report = finalized(report)
    top = [out_dir / JSON_NAME, out_dir / MARKDOWN_NAME]
    write_atomic(top[0], report_json(report))
    write_atomic(top[1], markdown.render_lines(report))
    _write_beside(report, out_dir)
    others: dict[Path, str | Iterable[str]] = {
        out_dir / markdown.CHART_NAME: svg.pass_rate_chart(summary_of(report).items),
        out_dir / HTML_NAME: html.lines(report),
        out_dir / CSV_NAME: csvtable.rows(report),
    }
    if with_sarif:
        others[out_dir / SARIF_NAME] = sarif.render(report)
    for path, content in others.items():
        write_atomic(path, content, sync=False)
    return Written(out_dir, [*top, *others])


_FOLDERS = (markdown.REPO_DIR, markdown.PAPER_DIR, markdown.BADGE_DIR)


def _write_beside(report: Report, out_dir: Path) -> None:
    """The pages and badges, each folder made anew beside the old one (`.repos.new`) and put in
    its place once complete: what the report no longer holds is gone without a list of what it
    holds being kept. A page or badge that did not change is the same file (a hard link to it)."""
    staged: set[str] = set()
    for folder in _FOLDERS:
        shutil.rmtree(out_dir / f".{folder}.new", ignore_errors=True)  # left by a run that died
    badges = ((markdown.badge_path(a.repo.key), svg.badge(a)) for a in report.repos)
    for name, text in itertools.chain(markdown.pages(report), badges):
        folder, _, file = name.partition("/")
        new = out_dir / f".{folder}.new"
        if folder not in staged:
            new.mkdir(parents=True)
            staged.add(folder)
        old = out_dir / name
        if not _holds(old, text) or not _link(old, new / file):
            # written plainly: the folder is new, and put in place only once complete (derived
            # from report.json, which is synced)
            (new / file).write_text(text, encoding="utf-8")
    for folder in _FOLDERS:
        current = out_dir / folder
        if folder not in staged:
            for stale in current.glob("*.*"):
                stale.unlink()
            continue
        trash = out_dir / f".{folder}.old"
        shutil.rmtree(trash, ignore_errors=True)
        if current.exists():
            current.rename(trash)
        (out_dir / f".{folder}.new").rename(current)
        shutil.rmtree(trash, ignore_errors=True)


def _link(old: Path, new: Path) -> bool:
    try:
        os.link(old, new)
    except OSError:  # a file system without hard links, or a name given twice
        return False
    return True


class Written(Sequence[Path]):
    """The paths `write_report` wrote, in order: report.json, report.md, the pages beside it, the
    chart and other views, the badges. Those in folders are listed from the folders when asked (a
    report may have tens of thousands)."""

    def __init__(self, out_dir: Path, top: list[Path]) -> None:
        self._out_dir, self._top = out_dir, top

    def __len__(self) -> int:
        return sum(1 for _ in self)

    @overload
    def __getitem__(self, index: int) -> Path: ...
    @overload
    def __getitem__(self, index: slice) -> list[Path]: ...
    def __getitem__(self, index: int | slice) -> Path | list[Path]:
        return list(self)[index]

    def __iter__(self) -> Iterator[Path]:
        yield from self._top[:2]
        yield from self._folder(markdown.REPO_DIR)
        yield from self._folder(markdown.PAPER_DIR)
        yield from self._top[2:]
        yield from self._folder(markdown.BADGE_DIR)

    def _folder(self, name: str) -> Iterator[Path]:
        try:
            with os.scandir(self._out_dir / name) as entries:
                yield from (Path(entry.path) for entry in entries if entry.is_file())
        except FileNotFoundError:
            return


def report_json(report: Report) -> Iterator[str]:
    """The text of report.json in pieces: `report.model_dump_json(indent=2)` and a newline, each
    paper and repository serialized on its own (a test holds the two the same)."""
    shell = report.model_copy(update={"papers": [], "repos": []}).model_dump_json(indent=2)
    for name, records in (("papers", report.papers), ("repos", report.repos)):
        before, marker, shell = shell.partition(f'\n  "{name}": []')
        if not marker:
            raise AssertionError(f"report.json has no {name} list")
        yield before
        if not records:
            yield marker
            continue
        yield f'\n  "{name}": ['
        for i, record in enumerate(records):
            text = record.model_dump_json(indent=2).replace("\n", "\n    ")
            yield f"{',' if i else ''}\n    {text}"
        yield "\n  ]"
    yield shell + "\n"


def _holds(path: Path, text: str) -> bool:
    try:
        return path.read_text(encoding="utf-8") == text
    except OSError:
        return False


def read_report(path: Path) -> Report:
    """A report file; one written before its summary was stored (schema 1.0) gets it now."""
    report = Report.model_validate_json(path.read_text(encoding="utf-8"))
    return finalized(report)


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
