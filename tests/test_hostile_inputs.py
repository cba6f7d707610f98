"""Attacks through repositories and corpora, kept as regression tests: documents built to exhaust a
parser, a corrupt checkout, a stage that fails for one repository, and credentials in URLs. Each
is reported against its repository or file, and the run goes on and writes its report."""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from gitrepos import make_repo
from hypothesis import given, settings
from hypothesis import strategies as st

from auditor import pipeline
from auditor.cli import Exit, main
from auditor.data.parse import ParseRefused, parse_json, parse_python, parse_toml, parse_yaml
from auditor.models import Outcome, RepoStatus
from auditor.report.files import read_report

ABSTRACT = (
    "We propose a segmentation model for medical images that beats the baselines on three "
    "public datasets by a wide margin, with fewer parameters and less training time. "
)


def alias_bomb(levels: int = 25, fanout: int = 9) -> str:
    """YAML whose last anchor expands to fanout**levels strings (9**25 here), in under 2 KB."""
    lines = [f"b0: &b0 [{', '.join(['lol'] * fanout)}]"]
    for level in range(1, levels):
        lines.append(f"b{level}: &b{level} [{', '.join([f'*b{level - 1}'] * fanout)}]")
    return "\n".join(lines) + "\n"


def conda_bomb() -> str:
    return f"name: bomb\nchannels: [conda-forge]\n{alias_bomb()}dependencies:\n  - python=3.10\n  - *b24\n"


def deep_yaml(depth: int = 100_000) -> str:
    return "name: deep\ndependencies:\n  - " + "[" * depth + "]" * depth + "\n"


def check(folder: Path, out: Path) -> int:
    return main(["check", str(folder), "--out", str(out), "--quiet", "--no-network-checks"])


def folder(tmp_path: Path, files: dict[str, str]) -> Path:
    path = tmp_path / "repo"
    path.mkdir()
    for name, text in files.items():
        (path / name).write_text(text, encoding="utf-8")
    return path


CODE = {"README.md": "# Tool\n\nRun `python train.py`.\n", "train.py": "import torch\n"}


def test_a_yaml_alias_bomb_in_an_environment_file_is_refused_against_its_file(tmp_path: Path):
    repo = folder(tmp_path, CODE | {"environment.yml": conda_bomb()})
    assert check(repo, tmp_path / "out") == Exit.OK
    [audit] = read_report(tmp_path / "out" / "report.json").repos
    pinned = next(r for r in audit.results if r.id == "dependencies-pinned")
    assert pinned.outcome is Outcome.UNKNOWN
    assert [e.path for e in pinned.evidence] == ["environment.yml"]


def test_a_yaml_alias_bomb_in_citation_cff_fails_with_the_reason(tmp_path: Path):
    cff = "cff-version: 1.2.0\nmessage: cite\ntitle: t\nauthors:\n  - name: lab\n" + alias_bomb()
    repo = folder(tmp_path, CODE | {"CITATION.cff": cff})
    assert check(repo, tmp_path / "out") == Exit.OK
    [audit] = read_report(tmp_path / "out" / "report.json").repos
    citation = next(r for r in audit.results if r.id == "citation")
    assert citation.outcome is Outcome.FAIL and "alias" in citation.message


def test_a_deeply_nested_yaml_document_does_not_crash_the_process(tmp_path: Path):
    """100,000 nested brackets overflow the C parser's stack: a segmentation fault that takes the
    whole run down. Run as its own process, so a regression fails this test, not the suite."""
    repo = folder(tmp_path, CODE | {"environment.yml": deep_yaml()})
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "auditor",
            "check",
            str(repo),
            "--out",
            str(tmp_path / "out"),
            "--quiet",
            "--no-network-checks",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == Exit.OK, done.stderr[-2000:]
    [audit] = read_report(tmp_path / "out" / "report.json").repos
    pinned = next(r for r in audit.results if r.id == "dependencies-pinned")
    assert pinned.outcome is Outcome.UNKNOWN and [e.path for e in pinned.evidence] == ["environment.yml"]


@pytest.mark.parametrize("name", ["pyproject.toml", "Pipfile"])
def test_a_deeply_nested_toml_document_is_refused(tmp_path: Path, name: str):
    toml = "[project]\nname = 'x'\ndependencies = " + "[" * 50_000 + "]" * 50_000 + "\n"
    repo = folder(tmp_path, CODE | {name: toml})
    assert check(repo, tmp_path / "out") == Exit.OK
    [audit] = read_report(tmp_path / "out" / "report.json").repos
    pinned = next(r for r in audit.results if r.id == "dependencies-pinned")
    assert pinned.outcome is Outcome.UNKNOWN and [e.path for e in pinned.evidence] == [name]


def test_python_built_to_overflow_the_parser_is_no_crash_and_no_warning(tmp_path: Path, capfd):
    """A setup.py of 200,000 nested unary minuses overflows CPython's parser (MemoryError), and a
    module whose strings hold invalid escapes makes it warn: neither may break a check or reach
    the reader's terminal. The file is read as text, never run."""
    with pytest.raises(ParseRefused, match="nested too deeply"):
        parse_python("x = " + "-" * 200_000 + "1\n")
    stub = '"""TODO: segment \\d+ scans"""\npattern = "\\d+"\n'
    setup = "from setuptools import setup\nx = " + "-" * 200_000 + "1\nsetup(install_requires=['torch'])\n"
    repo = folder(tmp_path, {"README.md": "# Tool\n", "setup.py": setup, "model.py": stub})
    assert check(repo, tmp_path / "out") == Exit.OK
    [audit] = read_report(tmp_path / "out" / "report.json").repos
    assert all(r.outcome is not Outcome.ERROR for r in audit.results), [r.message for r in audit.results]
    assert "Warning" not in capfd.readouterr().err


def test_a_deeply_nested_corpus_record_is_reported_with_its_line(tmp_path: Path, capsys):
    corpus = tmp_path / "papers.jsonl"
    good = {"title": "Fine: a paper", "abstract": ABSTRACT}
    corpus.write_text(json.dumps(good) + "\n" + "[" * 100_000 + "\n", encoding="utf-8")
    assert main(["links", "--corpus", str(corpus), "--json"]) == Exit.OK
    captured = capsys.readouterr()
    assert [json.loads(line)["paper"]["title"] for line in captured.out.splitlines()] == ["Fine: a paper"]
    assert f"input {corpus}:2: " in captured.err


# --- a repository that cannot be audited --------------------------------------------------------------


def corrupt_checkout(path: Path) -> Path:
    repo = make_repo(path, CODE)
    (repo / ".git" / "shallow").write_text("garbage\n")  # git ls-tree: fatal: bad shallow line
    return repo


def test_links_that_cannot_be_split_are_no_links_and_no_check_breaks(tmp_path: Path):
    """`urlsplit` raises on an unclosed IPv6 bracket: such a link leads nowhere, for every check
    and for the artifact stage (which is run: it has nothing to probe)."""
    readme = (
        "# Tool\n\n## Pretrained weights\n\n"
        '<a href="http://[abc/x.pth">weights</a>\n\n'
        "[the checkpoint](https://[::1/model.ckpt) and [code](https://github.com]/lab/other)\n\n"
        "![results](http://[zz]/results.png)\n\nData: [download](http://[data/set.zip)\n"
    )
    repo = folder(tmp_path, CODE | {"README.md": readme})
    assert check(repo, tmp_path / "checks") == Exit.OK  # the checks alone
    assert main(["check", str(repo), "--out", str(tmp_path / "out"), "--quiet"]) == Exit.OK
    for out in ("checks", "out"):
        [audit] = read_report(tmp_path / out / "report.json").repos
        assert audit.repo.status is RepoStatus.OK
        assert [(r.id, r.message) for r in audit.results if r.outcome is Outcome.ERROR] == []


def test_check_on_a_corrupt_checkout_exits_with_its_own_code_and_one_line(tmp_path: Path, capsys):
    repo = corrupt_checkout(tmp_path / "corrupt")
    assert check(repo, tmp_path / "out") == Exit.UNREADABLE
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "bad shallow line" in err and "Traceback" not in err
    [audit] = read_report(tmp_path / "out" / "report.json").repos
    assert audit.repo.status is RepoStatus.ERROR and "bad shallow line" in audit.repo.detail
    assert "\n" not in audit.repo.detail


def test_a_corrupt_repository_in_a_run_is_an_error_and_the_run_goes_on(tmp_path: Path):
    good = make_repo(tmp_path / "good", CODE)
    bad = corrupt_checkout(tmp_path / "bad")
    args = ["run", "--repo", str(bad), "--repo", str(good), "--out", str(tmp_path / "out")]
    assert main([*args, "--cache-dir", str(tmp_path / "cache"), "--quiet"]) == Exit.OK
    statuses = [(a.repo.url, a.repo.status) for a in read_report(tmp_path / "out" / "report.json").repos]
    assert statuses == [(str(bad), RepoStatus.ERROR), (str(good), RepoStatus.OK)]


def test_a_stage_that_fails_for_one_repository_makes_it_an_error_not_a_lost_run(tmp_path: Path, monkeypatch):
    good = make_repo(tmp_path / "good", CODE)
    cursed = make_repo(tmp_path / "cursed", CODE | {"CURSED": "1\n"})
    evaluate = pipeline.evaluate

    def failing(facts, checklist):
        if "CURSED" in facts.entries:
            raise RuntimeError("the stage broke\nover two lines")
        return evaluate(facts, checklist)

    monkeypatch.setattr(pipeline, "evaluate", failing)
    args = ["run", "--repo", str(cursed), "--repo", str(good), "--out", str(tmp_path / "out")]
    assert main([*args, "--cache-dir", str(tmp_path / "cache"), "--quiet"]) == Exit.OK
    cursed_audit, good_audit = read_report(tmp_path / "out" / "report.json").repos
    assert cursed_audit.repo.status is RepoStatus.ERROR
    assert cursed_audit.repo.detail == "RuntimeError: the stage broke over two lines"
    assert good_audit.repo.status is RepoStatus.OK


# --- credentials in URLs --------------------------------------------------------------------------------

SECRETS = ["s3cret-pw", "hunter2", "tok-123", "pa55word", "tok-456", "pw-789", "sig-000"]


def test_credentials_and_query_tokens_are_never_stored_or_shown(tmp_path: Path, mirror, capsys):
    root, add = mirror
    readme = (
        "# Tool\n\nRun `python train.py`.\n\n"
        "Pretrained weights: [model.pth](https://erin:sig-000@example.org/model.pth?X-Amz-Signature=sig-000)\n"
    )
    add("lab", "tool", {"README.md": readme, "train.py": "import torch\n"})
    corpus = tmp_path / "papers.jsonl"
    record = {
        "title": "Leaky: credentials in links",
        "abstract": ABSTRACT + "Code: https://alice:s3cret-pw@github.com/lab/tool; weights at "
        "https://bob:hunter2@example.org/w.pth?token=tok-123&dl=1.",
        "url": "https://carol:pa55word@lab.example.org/paper?access_token=tok-456&page=2",
    }
    corpus.write_text(json.dumps(record) + "\n", encoding="utf-8")
    template = f"file://{root}/{{owner}}/{{name}}"
    common = ["--clone-url", template, "--cache-dir", str(tmp_path / "cache")]
    assert main(["run", "--corpus", str(corpus), *common, "--out", str(tmp_path / "a")]) == Exit.OK
    repo_url = "https://dave:pw-789@github.com/lab/tool?token=tok-123"
    assert main(["run", "--repo", repo_url, *common, "--out", str(tmp_path / "b")]) == Exit.OK
    assert main(["links", "--corpus", str(corpus)]) == Exit.OK
    assert main(["links", "--corpus", str(corpus), "--json"]) == Exit.OK
    shown = capsys.readouterr()
    written = [p.read_text(encoding="utf-8") for p in tmp_path.glob("[ab]/**/*") if p.is_file()]
    for text in [*written, shown.out, shown.err]:
        assert not [s for s in SECRETS if s in text]
    report = read_report(tmp_path / "a" / "report.json")
    [paper] = report.papers
    assert paper.paper.url == "https://lab.example.org/paper?access_token=***&page=2"
    assert [link.raw for link in paper.links][:2] == [
        "https://github.com/lab/tool",
        "https://example.org/w.pth?token=***&dl=1",
    ]
    [audit] = report.repos
    assert audit.repo.status is RepoStatus.OK
    assert [a.url for a in audit.repo.artifacts or []] == [
        "https://example.org/model.pth?X-Amz-Signature=***"
    ]


# --- the guarded loader itself ------------------------------------------------------------------------


def test_the_guarded_loader_refuses_bombs_and_reads_what_anchors_are_for():
    with pytest.raises(ParseRefused, match="alias bomb"):
        parse_yaml(alias_bomb())
    merge_chain = "a0: &a0 {k0: 0}\n" + "".join(
        f"a{i}: &a{i} {{<<: *a{i - 1}, k{i}: {i}}}\n" for i in range(1, 5000)
    )
    with pytest.raises(ParseRefused):  # quadratic in PyYAML's constructor: minutes at 1 MB
        parse_yaml(merge_chain)
    with pytest.raises(ParseRefused, match="contain itself"):
        parse_yaml("a: &a [1, *a]\n")
    with pytest.raises(ParseRefused, match="nested more than"):
        parse_yaml("k:\n" + "".join(" " * i + "- \n" for i in range(300)))
    with pytest.raises(ParseRefused, match="characters"):
        parse_json("[" + "0," * 3_000_000 + "0]")
    with pytest.raises(ParseRefused, match="nested more than"):
        parse_json("[" * 101 + "]" * 101)
    with pytest.raises(ParseRefused, match="nested more than"):
        parse_toml("a = " + "[" * 101 + "]" * 101)
    with pytest.raises(ParseRefused, match="not valid TOML"):
        parse_toml("a = = 1")
    text = "base: &b {channels: [conda-forge], x: 1}\nenv: {<<: *b, x: 2}\nboth: [*b, *b]\n"
    assert parse_yaml(text) == yaml.safe_load(text)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("[]{}:,-*&!|>'\"#? \n\tab1<")), max_size=120))
def test_the_guarded_loader_raises_nothing_but_its_refusal(text: str):
    for parse in (parse_yaml, parse_json, parse_toml, parse_python):
        with contextlib.suppress(ParseRefused):
            parse(text)
