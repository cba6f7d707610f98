"""The terminal views: the report table, the progress of a long run, and the diff."""

import io

from rich.console import Console

from auditor.cli.progress import RunProgress
from auditor.models import RepoKind, RepoStatus, StatementKind
from auditor.render import terminal
from reports import E, F, P, U, paper, repo, report


def shown(renderable, *, terminal_: bool = False, width: int = 200) -> str:
    buffer = io.StringIO()
    console = Console(file=buffer, width=width, force_terminal=terminal_, color_system=None)
    console.print(renderable)
    return buffer.getvalue()


def test_report_table_has_the_headline_symbols_and_item_legend():
    r = report(
        [
            repo("github.com/a/[red]b", {"code": P, "license": F, "weights": U}, score=0.67),
            repo("github.com/a/gone", status=RepoStatus.NOT_FOUND),
        ],
        [
            paper("P", ["github.com/a/[red]b"], says=StatementKind.AVAILABLE),
            paper("Q", ["github.com/a/gone"]),
        ],
    )
    text = shown(terminal.render(r))
    assert "2 papers: 2 mention code, 2 link a repository, 1 promise not kept" in text
    assert "2 repositories: 1 audited (not: 1 not-found), 0 placeholders; median score 67%" in text
    assert "github.com/a/[red]b  ok  score 67%" in text  # markup from a repository is shown, not applied
    first = text.split("\ngithub.com/a/gone")[0]  # one table per repository; the first one's rows
    rows = {line.split("│")[1].strip(): line for line in first.splitlines() if line.count("│") == 4}
    assert "✅" in rows["Code is present"]
    assert "❌" in rows["License"] and "license is fail" in rows["License"]  # a few repos: each message
    assert "❔" in rows["Pretrained weights"]
    assert "github.com/a/gone  not-found" in text


def test_a_few_papers_lead_with_what_their_abstract_says():
    r = report(
        [repo("github.com/a/b", {"code": F}, score=0.0)],
        [paper("SegDT", ["github.com/a/b"], says=StatementKind.PROMISED, date="2025-12-01")],
    )
    lines = shown(terminal.render(r), width=100).splitlines()
    assert lines[:4] == [
        "SegDT",
        "  outcome: links a placeholder: the repository holds no code (31 days since the paper)",
        "  says (promised): “Code promised.”",
        "  repository github.com/a/b  ok  score 0%",
    ]


def long_names(count: int):
    items = {"code": P, "license": F, "weights": U}
    return report(
        [
            repo(
                f"github.com/a-long-owner-name/a-rather-long-repository-name-{i}",
                items,
                score=0.5,
                kind=RepoKind.METHOD,
            )
            for i in range(count)
        ]
    )


def test_at_80_columns_each_repository_is_one_line_that_keeps_its_name():
    text = shown(terminal.render(long_names(7), width=80), width=80)
    for i in range(7):
        assert f"github.com/a-long-owner-name/a-rather-long-repository-name-{i}  ok  50%" in text
    assert "fails: license" in text and "…" not in text
    assert max(len(line) for line in text.splitlines()) <= 80


def test_a_few_repositories_at_80_columns_keep_names_and_symbols():
    text = shown(terminal.render(long_names(2), width=80), width=80)
    assert "github.com/a-long-owner-name/a-rather-long-repository-name-1" in text
    assert "…" not in text and "❌" in text and "license is fail" in text
    assert max(len(line) for line in text.splitlines()) <= 80


def test_many_repositories_make_one_matrix_with_numbered_items():
    r = report([repo(f"github.com/a/r{i}", {"code": P, "license": F}, score=0.5) for i in range(6)])
    text = shown(terminal.render(r, width=200))
    row = next(line for line in text.splitlines() if "github.com/a/r3" in line)
    assert "✅" in row and "❌" in row and "50%" in row
    numbers = [i.id for i in r.checklist_items]
    assert f"  1 {numbers[0]}: " in text and f"  {len(numbers)} {numbers[-1]}: " in text


def fake_run(progress: RunProgress) -> None:
    with progress:
        progress("github.com/a/one", repo("github.com/a/one", {"code": P}))
        progress("github.com/a/two", repo("github.com/a/two", status=RepoStatus.NOT_FOUND))
        progress("github.com/a/three", repo("github.com/a/three", {"code": E}))


def test_progress_counts_repositories_and_errors():
    buffer = io.StringIO()
    console = Console(file=buffer, width=160, force_terminal=True, color_system=None)
    progress = RunProgress(console, total=4)
    fake_run(progress)
    assert (progress.done, progress.errors) == (3, 2)  # not found, and a check that crashed
    assert progress._bar is not None
    (task,) = progress._bar.tasks
    assert (task.completed, task.total, task.fields["errors"], task.fields["current"]) == (
        3,
        4,
        2,
        "github.com/a/three",
    )
    assert "3/4" in buffer.getvalue() and "2 errors" in buffer.getvalue()


def test_progress_off_a_terminal_is_a_line_per_repository():
    buffer = io.StringIO()
    fake_run(RunProgress(Console(file=buffer, width=160), total=3))
    assert buffer.getvalue().splitlines() == [
        "audited github.com/a/one: ok",
        "audited github.com/a/two: not-found",
        "audited github.com/a/three: ok",
    ]
