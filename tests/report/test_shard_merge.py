"""`--shard K/N` and `auditor merge`: N slices audited apart and merged equal one whole run."""

import json

import pytest

from auditor.cli import main
from auditor.data import default_corpus
from auditor.models import ChecklistRef, InputProblem, MissingShard, RepoStatus, Shards, SourceRef
from auditor.papers.corpus import read_corpus
from auditor.papers.extract import analyze_paper
from auditor.pipeline import DEFAULT_CLONE_URL, shard_plan, target_from_argument
from auditor.report.files import read_report
from auditor.report.merge import MergeError, merge_reports, merge_shards
from auditor.report.shard import Shard
from reports import P, paper, repo, report


def test_shard_spec_is_k_of_n():
    assert Shard.parse("2/4") == Shard(2, 4) and str(Shard.parse(" 1 / 1 ")) == "1/1"
    for bad in ("0/4", "5/4", "2", "a/b", "-1/2"):
        with pytest.raises(ValueError):
            Shard.parse(bad)


def where(keys: list[str], count: int) -> dict[str, int]:
    return {key: k for k in range(1, count + 1) for key in Shard(k, count).select(keys, str)}


@pytest.mark.parametrize("total", [0, 1, 3, 39, 200])
@pytest.mark.parametrize("count", [1, 2, 4, 7])
def test_shards_are_balanced_by_count_and_a_key_lands_in_the_same_shard_whatever_the_order(total, count):
    keys = [f"github.com/lab/repo{i}" for i in range(total)]
    parts = [Shard(k, count).select(keys, str) for k in range(1, count + 1)]
    sizes = [len(part) for part in parts]
    assert max(sizes) - min(sizes) <= 1
    assert sorted(key for part in parts for key in part) == sorted(keys)  # each key in one shard
    assert where(keys[::-1], count) == where(keys, count) == where(keys + keys[:5], count)


def test_a_grown_corpus_moves_only_keys_at_the_cuts_and_only_to_a_neighbouring_shard():
    keys = [f"github.com/lab/repo{i}" for i in range(200)]
    grown = [*keys, *(f"github.com/new/repo{i}" for i in range(10))]
    before, after = where(keys, 4), where(grown, 4)
    moved = [key for key in keys if before[key] != after[key]]
    assert all(abs(before[key] - after[key]) == 1 for key in moved)
    assert len(moved) <= 10 * 3  # each new key shifts each of the 3 cuts by at most one place
    assert len(moved) < len(keys) // 10  # most shards' clone caches stay warm


def test_the_bundled_corpus_is_cut_into_shards_that_differ_by_at_most_one_repository():
    papers = read_corpus(default_corpus()).papers
    linked = {repo.key for paper in papers for repo in analyze_paper(paper).repos}
    plans = [shard_plan(papers, Shard(k, 4)) for k in range(1, 5)]
    sizes = [len(plan.repos) for plan in plans]
    assert max(sizes) - min(sizes) <= 1 and sum(sizes) == len(linked)
    assert sorted(r.key for plan in plans for r in plan.repos) == sorted(linked)
    reported = [p.id for plan in plans for p in plan.papers]
    assert sorted(reported) == sorted(p.id for p in papers)  # every paper reported by one shard


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
    shards = [json.loads((tmp_path / f"shard{k}/report.json").read_text()) for k in (1, 2, 3)]
    # alpha, beta, gamma and gone: each audited by one shard, none by two, and each shard says so
    audited = [[r["repo"]["key"] for r in shard["repos"]] for shard in shards]
    assert sorted(k for keys in audited for k in keys) == [
        f"github.com/lab/{n}" for n in ("alpha", "beta", "gamma", "gone")
    ]
    assert sorted(map(len, audited)) == [1, 1, 2]
    assert [shard["shards"] for shard in shards] == [
        {"count": 3, "included": [k], "missing": []} for k in (1, 2, 3)
    ]
    assert sum(len(shard["papers"]) for shard in shards) == 9  # the corpus really was split
    reports = [str(tmp_path / f"shard{k}/report.json") for k in (1, 2, 3)]
    assert main(["merge", *reports, "--out", str(tmp_path / "merged"), "--quiet"]) == 0
    assert (tmp_path / "merged/report.json").read_bytes() == (tmp_path / "whole/report.json").read_bytes()
    assert (tmp_path / "merged/report.md").read_text() == (tmp_path / "whole/report.md").read_text()
    # and the corpus the shards used, as one: the merged run can be repeated offline as the whole
    assert (tmp_path / "merged/corpus.jsonl").read_text() == (tmp_path / "whole/corpus.jsonl").read_text()


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
    # Each path in the shard of its key, three in each, and in no other.
    key = {target_from_argument(p, DEFAULT_CLONE_URL).key: p for p in paths}
    by_key = [[p for p in paths if p in {key[s] for s in Shard(k, 2).slice(key)}] for k in (1, 2)]
    assert keys == by_key and sorted(keys[0] + keys[1]) == sorted(paths)
    assert [len(k) for k in keys] == [3, 3]


def shard(k: int, count: int, *repos):
    return report(list(repos)).model_copy(update={"shards": Shards(count=count, included=[k])})


def test_a_merge_with_a_shard_missing_is_partial_and_says_which():
    merged = merge_reports([shard(1, 3, repo("github.com/a/b", {"code": P})), shard(3, 3)])
    assert merged.shards == Shards(
        count=3, included=[1, 3], missing=[MissingShard(shard=2, reason="no report")]
    )
    whole = merge_reports([shard(k, 3) for k in (1, 2, 3)])
    assert whole.shards is None  # all of them: the whole input, as an unsharded run reports it


def test_a_shard_that_fails_the_health_gate_is_left_out_and_the_rest_is_merged():
    down = RepoStatus.UNREACHABLE
    reports = [
        shard(1, 2, repo("github.com/a/ok", {"code": P})),
        shard(2, 2, *(repo(f"github.com/a/r{i}", status=down) for i in range(3))),
    ]
    merged = merge_shards(reports)
    assert merged.left_out == {2: "github.com unreachable: 3 of 3 repositories"}
    assert [a.repo.key for a in merged.report.repos] == ["github.com/a/ok"]
    assert merged.report.shards.missing == [
        MissingShard(shard=2, reason="github.com unreachable: 3 of 3 repositories")
    ]


def test_when_every_shard_is_unhealthy_there_is_no_report_and_the_reason_covers_them_all():
    down = RepoStatus.UNREACHABLE
    merged = merge_shards([shard(k, 2, repo(f"github.com/a/r{k}", status=down)) for k in (1, 2)])
    assert merged.report is None and merged.health.reason == "github.com unreachable: 2 of 2 repositories"


@pytest.mark.parametrize(
    ("reports", "says"),
    [
        ([shard(1, 2), shard(1, 2)], "shard 1/2 is given twice"),
        ([shard(1, 2), shard(2, 3)], "reports of runs cut into 2 and 3 shards"),
        ([shard(1, 2), report([])], "some reports are shards and some are not"),
    ],
)
def test_merge_refuses_shards_that_do_not_fit_together(reports, says):
    with pytest.raises(MergeError, match=says):
        merge_reports(reports)


def test_merge_command_reports_missing_shards_and_exits_4_when_every_shard_is_unhealthy(tmp_path, capsys):
    down = RepoStatus.UNREACHABLE
    paths = []
    for k, r in (
        (1, shard(1, 3, repo("github.com/a/ok", {"code": P}))),
        (3, shard(3, 3, repo("github.com/a/x", status=down))),
    ):
        paths.append(tmp_path / f"s{k}.json")
        paths[-1].write_text(r.model_dump_json())
    assert main(["merge", *map(str, paths), "--out", str(tmp_path / "m"), "--quiet"]) == 0
    err = capsys.readouterr().err.splitlines()
    assert err == [
        "shard 3 left out: github.com unreachable: 1 of 1 repository",
        "partial report: 2 of 3 shards missing (shard 2: no report; shard 3: "
        "github.com unreachable: 1 of 1 repository)",
    ]
    written = read_report(tmp_path / "m" / "report.json")
    assert written.shards.included == [1] and [m.shard for m in written.shards.missing] == [2, 3]
    assert "**Partial report**: shards 1 of 3 only" in (tmp_path / "m" / "report.md").read_text()

    assert main(["merge", str(paths[1]), "--out", str(tmp_path / "none"), "--quiet"]) == 4
    assert capsys.readouterr().err.splitlines()[-1] == (
        "unhealthy run: github.com unreachable: 1 of 1 repository; nothing written"
    )
    assert not (tmp_path / "none").exists()
