"""End to end: the commands a user types, against local repositories, checking written reports."""

import json
import os
import re
from pathlib import Path

import pytest
from repos import complete_repo

from auditor.cli import main
from auditor.cli.output import Output
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


def test_check_quiet_prints_the_paths_written_as_they_are(tmp_path: Path, capsys):
    """A script reads these lines: a folder named `:tada:` stays that (rich made it an emoji)."""
    folder = tmp_path / "folder"
    folder.mkdir()
    (folder / "README.md").write_text("# f\n")
    out = tmp_path / ":tada: reports"
    assert run("check", str(folder), "--out", str(out), "--quiet") == 0
    printed = capsys.readouterr().out.splitlines()
    assert printed[0] == f"wrote {out / 'report.json'}"
    assert printed[-1] == f"wrote 1 badge in {out / 'badges'}"
    assert all(line.startswith("wrote ") and Path(line[6:].split(" in ")[-1]).exists() for line in printed)


def test_an_error_quoting_a_strangers_text_shows_its_control_characters_and_sends_none(capsys):
    Output(stderr=True).line("error: bad line '\x1b]0;owned\x07\x1b[2J'\tnext")
    assert capsys.readouterr().err == "error: bad line '␛]0;owned␇␛[2J'\tnext\n"


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


def test_with_no_network_every_repository_is_unreachable_the_report_is_written_and_the_run_fails_its_health_gate(
    tmp_path: Path, corpus, capsys
):
    path, _ = corpus
    out = tmp_path / "out"
    dead = "https://127.0.0.1:1/{owner}/{name}.git"  # nothing listens: connection refused at once
    code = run(
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
    assert code == 4
    report = read_report(out / "report.json")
    assert {a.repo.status for a in report.repos} == {RepoStatus.UNREACHABLE}
    assert len(report.repos) == 3 and (out / "report.md").exists()  # written, to look at
    err = capsys.readouterr().err.strip().splitlines()
    assert err == ["unhealthy run: github.com unreachable: 3 of 3 repositories"]


def test_after_three_unreachable_repositories_of_a_host_it_is_not_asked_again(tmp_path: Path):
    repos = [a for i in range(7) for a in ("--repo", f"https://github.com/lab/repo{i}")]
    dead = "https://127.0.0.1:1/{owner}/{name}.git"
    args = [
        "--clone-url",
        dead,
        "--jobs",
        "1",
        "--cache-dir",
        str(tmp_path / "c"),
        "--out",
        str(tmp_path / "o"),
    ]
    assert run("run", *repos, *args, "--quiet") == 4
    details = [a.repo.detail for a in read_report(tmp_path / "o" / "report.json").repos]
    not_asked = "127.0.0.1 did not answer for 3 repositories in a row; not asked again in this run"
    assert [d == not_asked for d in details] == [False] * 3 + [True] * 4
    assert all("127.0.0.1" in d for d in details[:3])  # git's own error, after its retries


def test_a_few_unreachable_repositories_pass_the_health_gate_unless_the_share_is_set_lower(
    tmp_path: Path, mirror
):
    _, add = mirror
    local = [str(add("me", f"tool{i}", {"README.md": f"# {i}\n"})) for i in range(3)]
    args = [a for p in local for a in ("--repo", p)] + ["--repo", "https://127.0.0.1:1/lab/gone.git"]
    args += ["--cache-dir", str(tmp_path / "c"), "--out", str(tmp_path / "o"), "--quiet"]
    assert run("run", *args) == 0  # 1 of 4 unreachable: 25%, not more than the default 25%
    assert run("run", *args, "--max-unreachable", "20") == 4


def test_the_readme_lists_every_exit_code_with_the_meaning_the_cli_gives_it():
    from auditor.cli import EXIT_MEANINGS, Exit

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    table = readme.split("### Exit codes", 1)[1].split("\n#", 1)[0]
    rows = dict(re.findall(r"^\| (\d+) \| (.+) \|$", table, re.MULTILINE))
    assert {int(code) for code in rows} == {int(code) for code in Exit}
    assert {int(code): meaning for code, meaning in rows.items()} == {
        int(c): m for c, m in EXIT_MEANINGS.items()
    }


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (
            ["run", "--repo", "not-a-url"],
            "'not-a-url' is neither a repository URL (https://HOST/OWNER/NAME) nor a local folder",
        ),
        (
            ["run", "--repo", "git@github.com:lab/tool.git"],
            "'git@github.com:lab/tool.git' is neither a repository URL",
        ),
        (
            ["run", "--repo", "https://github.com/lab"],
            "'https://github.com/lab' is neither a repository URL (https://HOST/OWNER/NAME) nor a local folder "
            "(a github.com user or organisation, not a repository)",
        ),
        (
            ["run", "--clone-url", "https://mirror/{owner}/{nam}.git"],
            "unknown placeholder {nam} in 'https://mirror/{owner}/{nam}.git'; allowed: {host}, {owner}, {name}",
        ),
        (["run", "--clone-url", "https://mirror/{0}/{name}"], "unknown placeholder {0} in"),
        (["run", "--clone-url", "https://mirror/{owner!r}/{name}"], "unknown placeholder {owner!r} in"),
        (
            ["run", "--clone-url", "https://mirror/static.git"],
            "'https://mirror/static.git' has no {owner} or {name}: every repository would get the same URL",
        ),
        (
            ["run", "--clone-url", "https://mirror/{owner}.git"],
            "has no {name}: every repository would get the same URL",
        ),
        (["run", "--clone-url", "https://mirror/{owner/{name}"], "is not a template ("),
        (["run", "--fail-under", "150"], "--fail-under: expected a percentage from 0 to 100, not '150'"),
        (["check", ".", "--fail-under", "x"], "--fail-under: expected a percentage from 0 to 100, not 'x'"),
        (
            ["run", "--max-unreachable", "-5"],
            "--max-unreachable: expected a percentage from 0 to 100, not '-5'",
        ),
        (["run", "--jobs", "0"], "--jobs: expected a whole number of at least 1, not '0'"),
        (["run", "--timeout", "0"], "--timeout: expected a number of seconds above 0, not '0'"),
        (["run", "--max-wait", "soon"], "--max-wait: expected a number of seconds above 0, not 'soon'"),
        (["run", "--github-api", "ftp://mirror"], "--github-api: 'ftp://mirror' is not an http(s) URL"),
        (["run", "--shard", "5/4"], "--shard: shard 5/4: K must be between 1 and N"),
        (
            ["diff", "a.json", "b.json", "--fail-on", "link-rot,typo"],
            "unknown kind 'typo'; allowed: new-failures, ",
        ),
        (
            ["publish", "r", "--into", "h", "--keep", "0"],
            "--keep: expected a whole number of at least 1, not '0'",
        ),
    ],
)
def test_each_usage_error_exits_2_with_one_line_naming_the_value_and_what_is_allowed(args, says, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(args)
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith(f"auditor {args[0]}: error: ")
    assert says in err and err.endswith(f"(see auditor {args[0]} --help)\n")


def test_a_usage_error_never_shows_the_credentials_of_a_url(capsys):
    for args in (
        ["run", "--clone-url", "https://user:s3cret@mirror/{nam}"],
        ["run", "--repo", "ext::https://user:s3cret@x"],
    ):
        with pytest.raises(SystemExit):
            main(args)
        assert "s3cret" not in capsys.readouterr().err


def test_good_values_of_the_checked_options_are_accepted(tmp_path: Path, mirror):
    _, add = mirror
    local = add("me", "tool", {"README.md": "# t\n"})
    args = [
        "run",
        "--repo",
        str(local),
        "--repo",
        "https://127.0.0.1:1/lab/tool.git",  # another host; nothing listens there
        "--no-network-checks",
    ]
    args += ["--clone-url", "https://{host}/mirror/{owner}/{name}", "--max-unreachable", "100"]
    args += ["--cache-dir", str(tmp_path / "c"), "--out", str(tmp_path / "o"), "--quiet", "--timeout", "5"]
    assert main(args) == 0  # the other host's repository is unreachable: 1 of 2, allowed up to 100%
