"""End to end: the commands a user types, against local repositories, checking written reports."""

import json
import os
import re
from pathlib import Path

import pytest
from repos import complete_repo

from auditor.cli import main
from auditor.models import Outcome, Report, RepoStatus
from auditor.report.files import read_report

ABSTRACT = (
    "We propose a segmentation model for medical images that beats the baselines on three "
    "public datasets by a wide margin, with fewer parameters and less training time. "
)


@pytest.fixture
def corpus(tmp_path: Path, mirror) -> tuple[Path, Path]:
    root, add = mirror
    add("lab", "SegTool", complete_repo())
    add("someone", "Placeholder", {"README.md": "# Placeholder\nCode coming soon.\n"})
    path = tmp_path / "papers.jsonl"
    path.write_text(
        "\n".join(
            json.dumps(r)
            for r in [
                {
                    "title": "SegTool: fast segmentation",
                    "abstract": ABSTRACT + "Code is available at https://github.com/lab/SegTool{GitHub}.",
                },
                {
                    "title": "Holder: a promise",
                    "abstract": ABSTRACT + "Code will be released at https://github.com/someone/Placeholder.",
                },
                {
                    "title": "Also SegTool: same repo, other spelling",
                    "abstract": ABSTRACT + "See http://www.github.com/LAB/segtool.git.",
                },
                {
                    "title": "Gone: a vanished repository",
                    "abstract": ABSTRACT + "Code: https://github.com/lab/deleted.",
                },
                {"title": "Quiet: no code", "abstract": ABSTRACT + "Our code is available at TBD."},
            ]
        )
        + "\n"
        + "{broken\n",
        encoding="utf-8",
    )
    return path, root


def run(*args: str) -> int:
    return main(list(args))


def test_run_over_a_corpus_writes_json_and_markdown(tmp_path: Path, corpus, capsys):
    path, root = corpus
    out = tmp_path / "out"
    code = run(
        "run",
        "--corpus",
        str(path),
        "--clone-url",
        f"file://{root}/{{owner}}/{{name}}",
        "--cache-dir",
        str(tmp_path / "cache"),
        "--out",
        str(out),
    )
    assert code == 0
    report = read_report(out / "report.json")
    repos = {a.repo.key: a for a in report.repos}
    assert list(repos) == [
        "github.com/lab/segtool",
        "github.com/someone/placeholder",
        "github.com/lab/deleted",
    ]  # one audit for the repo linked twice
    segtool = repos["github.com/lab/segtool"]
    assert {r.id for r in segtool.results} == {i.id for i in report.checklist_items}
    assert {r.outcome for r in segtool.results} == {Outcome.PASS}
    assert segtool.score == 1.0 and segtool.repeatable is Outcome.PASS and segtool.pwc_score == 5
    placeholder = {r.id: r.outcome for r in repos["github.com/someone/placeholder"].results}
    assert placeholder["code"] is Outcome.FAIL
    gone = repos["github.com/lab/deleted"]
    assert gone.repo.status is RepoStatus.NOT_FOUND
    assert {r.outcome for r in gone.results} == {Outcome.UNKNOWN} and gone.score is None
    papers = {p.paper.title: p for p in report.papers}
    assert papers["Also SegTool: same repo, other spelling"].repos == ["github.com/lab/segtool"]
    assert papers["Quiet: no code"].repos == []
    assert papers["Quiet: no code"].statements[0].kind.value == "claimed-no-link"
    assert [(p.source.line, p.message[:14]) for p in report.problems] == [(6, "not valid JSON")]
    markdown = (out / "report.md").read_text()
    assert (
        "| [SegTool: fast segmentation](#segtool-fast-segmentation) | links code | "
        "[github.com/lab/segtool](#github.com+lab+segtool) | method code | 100% | yes | 5/5 |" in markdown
    )
    assert "wrote" in capsys.readouterr().out


def test_same_input_gives_byte_identical_json(tmp_path: Path, corpus):
    path, root = corpus
    template = f"file://{root}/{{owner}}/{{name}}"
    for name in ("a", "b"):
        assert (
            run(
                "run",
                "--corpus",
                str(path),
                "--clone-url",
                template,
                "--quiet",
                "--cache-dir",
                str(tmp_path / f"cache-{name}"),
                "--out",
                str(tmp_path / name),
            )
            == 0
        )
    assert (tmp_path / "a/report.json").read_bytes() == (tmp_path / "b/report.json").read_bytes()


def test_paper_query_selects_one_paper(tmp_path: Path, corpus, monkeypatch):
    path, root = corpus
    monkeypatch.chdir(tmp_path)
    code = run(
        "run",
        "--corpus",
        str(path),
        "--paper",
        "Holder",
        "--quiet",
        "--clone-url",
        f"file://{root}/{{owner}}/{{name}}",
        "--cache-dir",
        str(tmp_path / "c"),
    )
    assert code == 0
    report = read_report(tmp_path / "reports" / "holder" / "report.json")
    assert [p.paper.title for p in report.papers] == ["Holder: a promise"]
    assert [a.repo.key for a in report.repos] == ["github.com/someone/placeholder"]


def test_ambiguous_or_unknown_paper_lists_candidates_and_exits_2(corpus, capsys):
    path, _ = corpus
    assert run("run", "--corpus", str(path), "--paper", "segto") == 2
    err = capsys.readouterr().err
    assert "matches several papers" in err
    assert "SegTool: fast segmentation" in err and "Also SegTool" in err
    assert run("links", "--corpus", str(path), "--paper", "xyzzy plugh") == 2


def test_repo_argument_audits_a_local_repository(tmp_path: Path, mirror):
    _, add = mirror
    repo = add("me", "tool", {"README.md": "# t\n", "main.py": "print()\n"})
    out = tmp_path / "out"
    assert (
        run("run", "--repo", str(repo), "--cache-dir", str(tmp_path / "c"), "--out", str(out), "--quiet") == 0
    )
    (audit,) = read_report(out / "report.json").repos
    assert audit.repo.status is RepoStatus.OK
    assert audit.repo.url == str(repo)


def test_check_audits_head_of_a_checkout_and_a_plain_folder(tmp_path: Path, mirror):
    _, add = mirror
    repo = add("me", "tool", {"README.md": "# t\n", "main.py": "print()\n", "LICENSE": "MIT\n"})
    (repo / "requirements.txt").write_text("numpy\n")  # not committed: not what readers will get
    assert run("check", str(repo), "--out", str(tmp_path / "o1"), "--quiet") == 0
    (audit,) = read_report(tmp_path / "o1" / "report.json").repos
    assert audit.repo.source == "local" and audit.repo.commit
    outcomes = {r.id: r.outcome for r in audit.results}
    assert outcomes["dependencies"] is Outcome.FAIL and outcomes["license"] is Outcome.PASS
    folder = tmp_path / "folder"
    folder.mkdir()
    (folder / "README.md").write_text("# f\n")
    assert run("check", str(folder), "--out", str(tmp_path / "o2"), "--quiet") == 0
    (audit,) = read_report(tmp_path / "o2" / "report.json").repos
    assert {r.id: r.outcome for r in audit.results}["code"] is Outcome.FAIL


def test_links_json_lists_links_and_statements_per_paper(corpus, capsys):
    path, _ = corpus
    assert run("links", "--corpus", str(path), "--json") == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(records) == 5
    first = records[0]
    assert first["links"][0]["url"] == "https://github.com/lab/SegTool"
    assert first["statements"][0]["kind"] == "available"


def test_links_on_the_bundled_corpus_finds_segdt(capsys):
    assert run("links", "--paper", "SegDT") == 0
    out = capsys.readouterr().out
    assert "https://github.com/Bekhouche/SegDT" in out and "{GitHub}" in out  # statement text kept


def test_python_dash_m_runs_the_cli():
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "auditor", "checklists"], capture_output=True, text=True, check=True
    )
    assert done.stdout.startswith("midl")
    assert "\npwc v1.0: Papers with Code ML Code Completeness Checklist (5 items)" in done.stdout
    assert "  readme-results " in done.stdout


def test_interrupted_run_keeps_the_previous_report_and_resume_finishes_it(
    tmp_path: Path, corpus, monkeypatch, capsys
):
    path, root = corpus
    out = tmp_path / "out"
    args = ["run", "--corpus", str(path), "--clone-url", f"file://{root}/{{owner}}/{{name}}", "--quiet"]
    args += ["--cache-dir", str(tmp_path / "c"), "--out", str(out)]
    assert run(*args) == 0
    previous = (out / "report.json").read_bytes()

    import auditor.pipeline as pipeline

    real = pipeline.evaluate
    calls: list[str] = []

    def interrupt_on_second(snap, checklist):
        calls.append(snap.repo.key)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return real(snap, checklist)

    monkeypatch.setattr(pipeline, "evaluate", interrupt_on_second)
    # A new cache (the first run's would answer from its results without evaluating anything),
    # and one worker, so that the first repository is the one recorded before the interruption.
    args[args.index("--cache-dir") + 1] = str(tmp_path / "c2")
    args += ["--jobs", "1"]
    assert run(*args) == 130
    assert (out / "report.json").read_bytes() == previous
    assert "--resume" in capsys.readouterr().err

    calls.clear()
    monkeypatch.setattr(pipeline, "evaluate", lambda snap, cl: calls.append(snap.repo.key) or real(snap, cl))
    assert run(*args, "--resume") == 0
    assert calls == ["github.com/someone/placeholder", "github.com/lab/deleted"]  # the first was kept
    verdicts = lambda report: [(a.repo.key, a.repo.commit, a.results) for a in report.repos]  # noqa: E731
    assert verdicts(read_report(out / "report.json")) == verdicts(Report.model_validate_json(previous))
    assert not (out / ".journal.jsonl").exists()


def test_unwritable_output_is_a_clear_error(tmp_path: Path, corpus, capsys):
    path, root = corpus
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    code = run(
        "run",
        "--corpus",
        str(path),
        "--clone-url",
        f"file://{root}/{{owner}}/{{name}}",
        "--quiet",
        "--cache-dir",
        str(tmp_path / "c"),
        "--out",
        str(blocker / "out"),
    )
    assert code == 3
    assert "cannot write to" in capsys.readouterr().err


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root to chown a checkout")
def test_check_reads_a_checkout_owned_by_another_user(tmp_path: Path, mirror):
    _, add = mirror
    repo = add("me", "tool", {"README.md": "# t\n"})
    for path in [repo, *repo.rglob("*")]:
        os.chown(path, 65534, 65534, follow_symlinks=False)  # nobody: git's ownership check refuses it
    assert run("check", str(repo), "--out", str(tmp_path / "o"), "--quiet") == 0
    (audit,) = read_report(tmp_path / "o" / "report.json").repos
    assert audit.repo.status is RepoStatus.OK and audit.repo.commit


def test_with_no_network_every_repository_is_unreachable_and_the_report_is_written(tmp_path: Path, corpus):
    path, _ = corpus
    out = tmp_path / "out"
    dead = "https://127.0.0.1:1/{owner}/{name}.git"  # nothing listens: connection refused at once
    assert (
        run(
            "run",
            "--corpus",
            str(path),
            "--clone-url",
            dead,
            "--cache-dir",
            str(tmp_path / "c"),
            "--out",
            str(out),
            "--quiet",
        )
        == 0
    )
    report = read_report(out / "report.json")
    assert {a.repo.status for a in report.repos} == {RepoStatus.UNREACHABLE}
    assert len(report.repos) == 3 and (out / "report.md").exists()


def test_the_readme_lists_every_exit_code_with_the_meaning_the_cli_gives_it():
    from auditor.cli import EXIT_MEANINGS, Exit

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    table = readme.split("### Exit codes", 1)[1].split("\n#", 1)[0]
    rows = dict(re.findall(r"^\| (\d+) \| (.+) \|$", table, re.MULTILINE))
    assert {int(code) for code in rows} == {int(code) for code in Exit}
    assert {int(code): meaning for code, meaning in rows.items()} == {
        int(c): m for c, m in EXIT_MEANINGS.items()
    }
