"""Author mode (`auditor check`): waivers with reasons, files that committing would count, a report
written outside the checkout, and SARIF for code scanning."""

import json
from pathlib import Path

import pytest
from gitrepos import git

from auditor.acquire.gitrunner import GitRunner
from auditor.checks.checklist import load
from auditor.cli import author, main
from auditor.models import Outcome
from auditor.report.files import read_report

TOOL = {"README.md": "# Tool\n\nRun `python main.py`.\n", "main.py": "import numpy\nprint(numpy.pi)\n"}


def check(path: Path, out: Path, *extra: str) -> int:
    return main(["check", str(path), "--out", str(out), "--quiet", "--no-network-checks", *extra])


def test_a_waived_item_is_shown_as_waived_and_never_counted_as_passed(tmp_path, mirror):
    _, add = mirror
    waivers = '[tool.auditor.waive]\npretrained-weights = "no weights: the method trains nothing"\n'
    repo = add("me", "tool", TOOL | {"pyproject.toml": waivers})
    assert check(repo, tmp_path / "out") == 0
    (audit,) = read_report(tmp_path / "out" / "report.json").repos
    results = {r.id: r for r in audit.results}
    weights = results["pretrained-weights"]
    assert weights.outcome is not Outcome.PASS  # what the check found is kept
    assert weights.waiver.reason == "no weights: the method trains nothing"
    assert weights.waiver.source == "pyproject.toml"
    # The score leaves the waived item out: it is neither a pass nor a fail.
    weights_of = {i.id: i.weight for i in load("midl").items}
    decided = [r for r in audit.results if r.outcome in (Outcome.PASS, Outcome.FAIL) and not r.waived]
    passed = sum(weights_of[r.id] for r in decided if r.outcome is Outcome.PASS)
    assert audit.score == round(passed / sum(weights_of[r.id] for r in decided), 4)
    assert all(r.outcome is not Outcome.PASS for r in audit.results if r.waived)
    markdown = (tmp_path / "out" / "report.md").read_text()
    assert (
        "- 🏳️ **Pretrained weights** — waived: no weights: the method trains nothing (pyproject.toml)"
        in markdown
    )
    report = read_report(tmp_path / "out" / "report.json")
    assert report.summary.waived == 1
    (weights_row,) = [i for i in report.summary.items if i.id == "pretrained-weights"]
    assert (weights_row.waived, weights_row.passed, weights_row.failed) == (1, 0, 0)
    sarif = json.loads((tmp_path / "out" / "report.sarif").read_text())
    (waived,) = [r for r in sarif["runs"][0]["results"] if r["ruleId"] == "pretrained-weights"]
    assert waived["suppressions"][0]["justification"].startswith("no weights: the method trains nothing")


def test_a_waiver_file_of_its_own_wins_and_a_bad_one_is_a_clear_error(tmp_path, mirror, capsys):
    _, add = mirror
    repo = add("me", "tool", TOOL | {".auditor.toml": '[waive]\nlicense = "in-house code, not for reuse"\n'})
    assert author.read_waivers(repo, load("midl"))["license"].source == ".auditor.toml"
    (repo / ".auditor.toml").write_text('[waive]\nno-such-item = "why"\n')
    assert check(repo, tmp_path / "out") == 2
    assert "error: .auditor.toml: no item no-such-item in checklist midl" in capsys.readouterr().err
    (repo / ".auditor.toml").write_text('[waive]\nlicense = "  "\n')
    assert check(repo, tmp_path / "out") == 2
    assert "a waiver needs a reason: license" in capsys.readouterr().err
    (repo / ".auditor.toml").write_text("[waive\n")
    assert check(repo, tmp_path / "out") == 2
    assert "error: .auditor.toml:" in capsys.readouterr().err


def test_uncommitted_files_that_would_change_a_verdict_are_listed(tmp_path, mirror, capsys):
    _, add = mirror
    repo = add("me", "tool", TOOL)
    (repo / "LICENSE").write_text("MIT License\n\nPermission is hereby granted, free of charge.\n")
    (repo / "notes.txt").write_text("scratch\n")  # changes no verdict
    (repo / ".gitignore").write_text("venv/\n")
    (repo / "venv").mkdir()
    (repo / "venv" / "requirements.txt").write_text("numpy==1.0\n")  # ignored: never committed
    assert main(["check", str(repo), "--out", str(tmp_path / "out"), "--no-network-checks"]) == 0
    (audit,) = read_report(tmp_path / "out" / "report.json").repos
    pending = {p.item: p for p in audit.pending}
    assert pending["license"].committed is Outcome.FAIL and pending["license"].working_tree is Outcome.PASS
    assert pending["license"].files == ["LICENSE"]
    assert "dependencies" not in pending  # the ignored venv does not count
    markdown = (tmp_path / "out" / "report.md").read_text()
    assert "- **License**: ❌ fail now, ✅ pass once you commit LICENSE" in markdown
    out = capsys.readouterr().out
    assert "License: fail now, pass once you commit LICENSE" in out


def test_a_clean_checkout_costs_three_git_commands(tmp_path, mirror, monkeypatch):
    """HEAD's commit and branch, the tree with its sizes, and the working tree's status: a git
    process each (blobs are read by one more, `cat-file --batch`); nothing is listed for pending
    changes when there are none."""
    _, add = mirror
    repo = add("me", "tool", TOOL)
    ran: list[str] = []
    real = GitRunner.run

    def run(self, args, **kwargs):
        ran.append(args[0])
        return real(self, args, **kwargs)

    monkeypatch.setattr(GitRunner, "run", run)
    assert main(["check", str(repo), "--out", str(tmp_path / "out"), "--no-network-checks", "--quiet"]) == 0
    assert ran == ["rev-parse", "ls-tree", "status"]


def test_the_report_goes_outside_the_checkout_by_default(tmp_path, mirror, capsys):
    _, add = mirror
    repo = add("me", "tool", TOOL)
    cache = tmp_path / "cache"
    assert main(["check", str(repo), "--cache-dir", str(cache), "--no-network-checks"]) == 0
    written = author.default_out(cache, repo)
    assert written.parent == cache / "check" and written.name.startswith("tool-")
    assert (written / "report.md").is_file() and (written / "report.sarif").is_file()
    assert git("status", "--porcelain", "--untracked-files=all", cwd=repo) == ""  # nothing in the checkout
    assert f"wrote {written / 'report.md'}" in capsys.readouterr().out


@pytest.mark.parametrize("fmt", ["sarif", "json", "csv", "html", "markdown"])
def test_format_prints_that_view_on_stdout_and_paths_on_stderr(tmp_path, mirror, capsys, fmt):
    _, add = mirror
    repo = add("me", "tool", TOOL)
    out = tmp_path / "out"
    assert main(["check", str(repo), "--out", str(out), "--no-network-checks", "--format", fmt]) == 0
    printed = capsys.readouterr()
    assert "wrote" in printed.err and "wrote" not in printed.out
    if fmt == "sarif":
        assert json.loads(printed.out)["version"] == "2.1.0"
    elif fmt == "json":
        assert json.loads(printed.out)["summary"]["repos"] == 1
    elif fmt == "csv":
        assert printed.out.startswith("repository,kind,status,score,repeatable,pwc_score,code,")
    elif fmt == "html":
        assert printed.out.startswith("<!DOCTYPE html>")
    else:
        assert printed.out.startswith("# Reproducibility audit")
