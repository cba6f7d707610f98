"""The progress bar's length is counted only when a bar is shown: counting reads every paper once
more and holds every repository's key while it does."""

import io

from rich.console import Console

from auditor.cli.progress import RunProgress


def test_the_repositories_are_counted_only_for_a_bar_on_a_terminal():
    counted: list[int] = []

    def total() -> int:
        counted.append(7)
        return 7

    with RunProgress(Console(file=io.StringIO(), force_terminal=False), total) as lines:
        assert lines._bar is None
    assert counted == []
    with RunProgress(Console(file=io.StringIO(), force_terminal=True), total) as bar:
        assert bar._bar is not None and bar._bar.tasks[0].total == 7
    assert counted == [7]
