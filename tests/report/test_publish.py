"""`auditor publish`: where a report goes on the reports branch, and how history stays bounded."""

import json

from auditor.cli import main
from auditor.models import RepoStatus, Shards
from auditor.report.files import read_report, write_report
from auditor.report.publish import prune, publish, summary_json
from reports import F, P, repo, report


def made(tmp_path, name, day, *repos, **update):
    r = report(
        list(repos) or [repo("github.com/a/b", {"code": P}, score=1.0)], generated_at=f"{day}T03:00:00Z"
    )
    out = tmp_path / name
    write_report(r.model_copy(update=update), out)
    return out


def listing(path):
    return sorted(p.relative_to(path).as_posix() for p in path.iterdir())


def test_a_full_report_goes_to_its_day_and_latest_and_counts_changes_from_the_day_before(tmp_path):
    history = tmp_path / "history"
    first = publish(made(tmp_path, "r1", "2026-01-01"), history)
    assert first.folders == ["2026-01-01", "latest"] and first.previous is None
    assert "This is the first report." in first.changes
    worse = made(tmp_path, "r2", "2026-01-02", repo("github.com/a/b", status=RepoStatus.NOT_FOUND))
    second = publish(worse, history)
    assert second.previous == "2026-01-01" and "github.com/a/b: ok → not-found" in second.changes
    assert listing(history) == ["2026-01-01", "2026-01-02", "latest"]
    latest = sorted(p.name for p in (history / "latest").iterdir())
    assert latest == [
        "badges",
        "changes.md",
        "pass-rate.svg",
        "report.csv",
        "report.html",
        "report.json",
        "report.md",
        "summary.json",
    ]
    assert json.loads((history / "latest/report.json").read_text())["generated_at"].startswith("2026-01-02")


def test_a_subset_goes_to_its_own_folder_and_leaves_latest_alone(tmp_path):
    history = tmp_path / "history"
    publish(made(tmp_path, "full", "2026-01-01"), history)
    before = (history / "latest/report.json").read_bytes()
    subset = made(tmp_path, "one", "2026-01-02", repo("github.com/x/seg", {"code": F}, score=0.0))
    done = publish(subset, history, query="SegDT: one paper")
    assert (
        done.folders == ["queries/segdt-one-paper"]
        and "This is the first report of SegDT: one paper." in done.changes
    )
    assert listing(history) == ["2026-01-01", "latest", "queries"]
    assert (history / "latest/report.json").read_bytes() == before
    again = publish(subset, history, query="SegDT: one paper")
    assert again.previous == "queries/segdt-one-paper"  # the same query's last report


def test_a_partial_report_is_published_as_partial_never_as_latest_nor_compared_with(tmp_path):
    history = tmp_path / "history"
    publish(made(tmp_path, "full", "2026-01-01"), history)
    partial = made(tmp_path, "part", "2026-01-02", shards=Shards(count=4, included=[1, 2, 4]))
    done = publish(partial, history)
    assert done.folders == ["2026-01-02-partial"]
    assert json.loads((history / "latest/report.json").read_text())["generated_at"].startswith("2026-01-01")
    nextday = publish(made(tmp_path, "full3", "2026-01-03"), history)
    assert nextday.previous == "2026-01-01"  # the newest complete day, not the partial one


def test_history_keeps_the_newest_n_days_in_full_and_older_days_as_their_summary(tmp_path):
    history = tmp_path / "history"
    for day in range(1, 7):
        publish(made(tmp_path, f"r{day}", f"2026-01-0{day}"), history, keep=3)
    full = [d for d in listing(history) if (history / d / "report.json").exists()]
    assert full == ["2026-01-04", "2026-01-05", "2026-01-06", "latest"]
    for day in ("2026-01-01", "2026-01-02", "2026-01-03"):
        assert listing(history / day) == ["summary.json"]
        summary = json.loads((history / day / "summary.json").read_text())
        assert summary["generated_at"] == f"{day}T03:00:00Z" and summary["repos"] == {
            "github.com/a/b": {"status": "ok", "score": 1.0}
        }
    assert prune(history, keep=3) == []  # already pruned: nothing more to do


def test_publish_refuses_an_unhealthy_report_and_publishes_nothing(tmp_path, capsys):
    down = [repo(f"github.com/a/r{i}", status=RepoStatus.UNREACHABLE) for i in range(3)]
    source = made(tmp_path, "down", "2026-01-02", *down)
    history = tmp_path / "history"
    assert main(["publish", str(source), "--into", str(history)]) == 4
    assert capsys.readouterr().err.strip() == (
        "unhealthy run: github.com unreachable: 3 of 3 repositories; nothing published"
    )
    assert not history.exists()


def test_summary_json_is_what_history_keeps(tmp_path):
    source = made(
        tmp_path,
        "r",
        "2026-01-02",
        repo("github.com/a/b", {"code": P}, score=1.0),
        repo("github.com/a/c", status=RepoStatus.NOT_FOUND),
    )
    kept = json.loads(summary_json(read_report(source / "report.json")))
    summary = kept["summary"]
    assert (summary["repos"], summary["audited"], summary["not_audited"]) == (2, 1, {"not-found": 1})
    assert summary["median"] == 1.0 and kept["partial"] is None
    assert kept["repos"]["github.com/a/c"] == {"status": "not-found", "score": None}
