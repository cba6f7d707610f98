"""`--shard K/N` and `auditor merge`: N slices audited apart and merged equal one whole run."""

import json

import pytest

from auditor.cli import main
from auditor.models import ChecklistRef, InputProblem, SourceRef
from auditor.pipeline import DEFAULT_CLONE_URL, target_from_argument
from auditor.report.merge import MergeError, merge_reports
from auditor.report.shard import Shard
from reports import P, paper, repo, report


def test_shard_spec_is_k_of_n():
    assert Shard.parse("2/4") == Shard(2, 4) and str(Shard.parse(" 1 / 1 ")) == "1/1"
    for bad in ("0/4", "5/4", "2", "a/b", "-1/2"):
        with pytest.raises(ValueError):
            Shard.parse(bad)


def test_shards_partition_the_input_and_keep_their_members_when_it_grows():
    ids = [f"paper-{i}" for i in range(200)]
    shards = [Shard(k, 4) for k in range(1, 5)]
    slices = [s.select(ids, str) for s in shards]
    assert sorted(x for part in slices for x in part) == sorted(ids)
    assert all(30 < len(part) < 70 for part in slices)  # roughly even
    grown = [*ids, *(f"new-{i}" for i in range(50))]
    for s, part in zip(shards, slices, strict=True):
        assert set(part) <= set(s.select(grown, str))


def test_bad_shard_argument_exits_2(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["run", "--shard", "5/4"])
    assert exit_.value.code == 2
    assert "K must be between 1 and N" in capsys.readouterr().err


def test_merge_refuses_reports_of_different_checklists():
    a = report([repo("github.com/a/b", {"code": P})])
    b = a.model_copy(update={"checklist": ChecklistRef(id="other", version="1")})
    with pytest.raises(MergeError, match="checklist"):
        merge_reports([a, b])


def test_merge_keeps_one_of_each_repo_paper_and_problem():
    problem = InputProblem(source=SourceRef(file="papers.jsonl", line=9), message="not valid JSON")
    a = report([repo("github.com/a/b", {"code": P})], [paper("Two", ["github.com/a/b"], line=2)])
    b = report(
        [repo("github.com/a/b", {"code": P}), repo("github.com/a/c", {"code": P})],
        [paper("One", ["github.com/a/c", "github.com/a/b"], line=1)],
        generated_at="2026-01-03T00:00:00Z",
    )
    merged = merge_reports(
        [a.model_copy(update={"problems": [problem]}), b.model_copy(update={"problems": [problem]})]
    )
    assert [p.paper.title for p in merged.papers] == ["One", "Two"]  # corpus order
    assert [r.repo.key for r in merged.repos] == ["github.com/a/c", "github.com/a/b"]  # first mention
    assert merged.problems == [problem] and merged.generated_at == "2026-01-03T00:00:00Z"


@pytest.fixture
def corpus(tmp_path, mirror):
    root, add = mirror
    add("lab", "alpha", {"README.md": "# a\n", "train.py": "x = 1\n", "LICENSE": "MIT\n"})
    add("lab", "beta", {"README.md": "# b\nComing soon.\n"})
    add("lab", "gamma", {"README.md": "# g\n", "eval.py": "y = 2\n", "requirements.txt": "numpy\n"})
    records = [
        {"title": f"Paper {i}: on {name}", "abstract": f"Code is available at https://github.com/lab/{name}."}
        for i, name in enumerate(["alpha", "beta", "gamma", "alpha", "gone", "beta", "gamma", "alpha"])
    ]
    records.insert(3, {"title": "Silent: no code", "abstract": "We study things."})
    path = tmp_path / "papers.jsonl"
    path.write_text("\n".join(map(json.dumps, records)) + "\n{broken\n")
    return path, f"file://{root}/{{owner}}/{{name}}"


def test_sharded_runs_merged_equal_the_unsharded_run(tmp_path, corpus):
    path, template = corpus

    def run(out: str, *extra: str) -> None:
        args = ["run", "--corpus", str(path), "--clone-url", template, "--quiet"]
        assert (
            main([*args, "--cache-dir", str(tmp_path / f"cache-{out}"), "--out", str(tmp_path / out), *extra])
            == 0
        )

    run("whole")
    for k in (1, 2, 3):
        run(f"shard{k}", "--shard", f"{k}/3")
    shard_papers = [json.loads((tmp_path / f"shard{k}/report.json").read_text())["papers"] for k in (1, 2, 3)]
    assert [len(p) for p in shard_papers] == [4, 2, 3]  # the corpus really was split
    reports = [str(tmp_path / f"shard{k}/report.json") for k in (1, 2, 3)]
    assert main(["merge", *reports, "--out", str(tmp_path / "merged"), "--quiet"]) == 0
    assert (tmp_path / "merged/report.json").read_bytes() == (tmp_path / "whole/report.json").read_bytes()
    assert (tmp_path / "merged/report.md").read_text() == (tmp_path / "whole/report.md").read_text()


def test_merging_reports_of_different_checklists_exits_2(tmp_path, capsys):
    a = report([repo("github.com/a/b", {"code": P})])
    b = a.model_copy(update={"checklist": ChecklistRef(id="other", version="1")})
    for name, r in (("a.json", a), ("b.json", b)):
        (tmp_path / name).write_text(r.model_dump_json())
    assert (
        main(["merge", str(tmp_path / "a.json"), str(tmp_path / "b.json"), "--out", str(tmp_path / "m")]) == 2
    )
    assert "refusing to mix" in capsys.readouterr().err


def test_repo_targets_are_sharded_by_key(tmp_path, mirror):
    _, add = mirror
    paths = [str(add("me", f"tool{i}", {"README.md": f"# {i}\n"})) for i in range(6)]
    keys = []
    for k in (1, 2):
        out = tmp_path / f"s{k}"
        args = ["run", *(a for p in paths for a in ("--repo", p)), "--shard", f"{k}/2"]
        assert main([*args, "--cache-dir", str(tmp_path / "c"), "--out", str(out), "--quiet"]) == 0
        keys.append([r["repo"]["url"] for r in json.loads((out / "report.json").read_text())["repos"]])
    # Each path in the shard its key hashes to (the temporary folder decides which: sometimes all
    # six fall in one), and in no other.
    by_key = [
        [p for p in paths if Shard(k, 2).holds(target_from_argument(p, DEFAULT_CLONE_URL).key)]
        for k in (1, 2)
    ]
    assert keys == by_key and sorted(keys[0] + keys[1]) == sorted(paths)
