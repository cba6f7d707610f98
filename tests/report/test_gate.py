"""`--fail-under`: exit 1 when a repository, or the corpus median, scores below the bar."""

import json

from auditor.cli import main
from auditor.models import RepoStatus
from auditor.report.files import read_report
from auditor.report.gate import gate
from reports import F, P, repo, report


def test_every_repository_must_reach_the_bar_per_repo():
    r = report(
        [
            repo("github.com/a/good", {"code": P}, score=0.8),
            repo("github.com/a/weak", {"code": F}, score=0.795),
        ]
    )
    verdict = gate(r, 80, per_repo=True)
    assert not verdict.passed
    assert verdict.message == "below 80%: github.com/a/weak (79.5%)"
    assert gate(r, 79.5, per_repo=True).passed


def test_a_repository_without_score_fails_the_gate():
    r = report([repo("github.com/a/gone", status=RepoStatus.NOT_FOUND)])
    verdict = gate(r, 10, per_repo=True)
    assert not verdict.passed and "no score: not-found" in verdict.message
    assert not gate(report([]), 10, per_repo=True).passed


def test_the_corpus_median_must_reach_the_bar():
    r = report(
        [
            repo("github.com/a/one", score=0.2),
            repo("github.com/a/two", score=0.6),
            repo("github.com/a/three", score=1.0),
            repo("github.com/a/gone", status=RepoStatus.NOT_FOUND),
        ]
    )
    assert gate(r, 60, per_repo=False).passed
    below = gate(r, 61, per_repo=False)
    assert not below.passed and below.message == "median score 60% is below 61%"
    assert not gate(
        report([repo("github.com/a/gone", status=RepoStatus.NOT_FOUND)]), 0, per_repo=False
    ).passed


def test_check_exits_1_below_the_bar_and_0_above(tmp_path, mirror, capsys):
    _, add = mirror
    text = "# t\n\nA small tool that prints an empty line: see [its documentation](https://t.example.org/docs).\n"
    checkout = add("me", "tool", {"README.md": text, "main.py": "print()\n"})  # no license, no deps
    out = str(tmp_path / "out")
    assert main(["check", str(checkout), "--out", out, "--quiet", "--fail-under", "70"]) == 1
    assert "FAIL: below 70%: tool (7.41%)" in capsys.readouterr().err
    assert main(["check", str(checkout), "--out", out, "--quiet", "--fail-under", "7"]) == 0
    assert "pass: every repository scores at least 7%" in capsys.readouterr().out


def test_run_over_a_corpus_gates_on_the_median(tmp_path, mirror):
    root, add = mirror
    add("lab", "full", {"README.md": "# f\n", "a.py": "x\n", "LICENSE": "MIT\n", "requirements.txt": "x\n"})
    add("lab", "bare", {"README.md": "# b\n"})
    corpus = tmp_path / "c.jsonl"
    corpus.write_text(
        "\n".join(
            json.dumps({"title": n, "abstract": f"Code: https://github.com/lab/{n}."})
            for n in ("full", "bare")
        )
    )
    args = ["run", "--corpus", str(corpus), "--clone-url", f"file://{root}/{{owner}}/{{name}}", "--quiet"]
    args += ["--cache-dir", str(tmp_path / "cache"), "--out", str(tmp_path / "out")]
    assert main(args) == 0
    scores = [a.score for a in read_report(tmp_path / "out" / "report.json").repos]
    median = (scores[0] + scores[1]) / 2 * 100
    assert scores[0] > scores[1]  # full scores above bare: the median lies strictly between
    assert main([*args, "--fail-under", f"{median - 0.01:.2f}"]) == 0
    assert main([*args, "--fail-under", f"{median + 0.5:.2f}"]) == 1


def test_json_prints_the_report_alone_on_stdout(tmp_path, mirror, capsys):
    _, add = mirror
    checkout = add("me", "tool", {"README.md": "# t\n"})
    assert main(["check", str(checkout), "--out", str(tmp_path / "o"), "--json"]) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out)["repos"][0]["repo"]["key"] == "tool"
    assert "wrote" in captured.err
