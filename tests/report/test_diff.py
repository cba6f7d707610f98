"""`auditor diff`: what changed between two reports, from literal reports and end to end."""

import json
import shutil

from gitrepos import commit

from auditor.cli import main
from auditor.models import Artifact, ArtifactKind, ArtifactStatus, ChecklistItem, RepoStatus
from auditor.render import diffview
from auditor.render.markdown import escape
from auditor.report import FAIL_ON
from auditor.report.diff import diff_reports, failing
from reports import ITEMS, F, P, U, paper, repo, report

OLD = report(
    [
        repo("github.com/a/kept", {"code": P, "license": F, "weights": F}, score=0.5, commit="1" * 40),
        repo("github.com/a/rots", {"code": P, "license": P, "weights": U}, score=1.0),
        repo("github.com/a/dropped", {"code": F}, score=0.0),
        repo("github.com/a/back", status=RepoStatus.TIMEOUT),
    ],
    [paper("Kept", ["github.com/a/kept"]), paper("Rots", ["github.com/a/rots"]), paper("Old paper")],
    generated_at="2026-01-01T00:00:00Z",
)
NEW = report(
    [
        repo("github.com/a/kept", {"code": P, "license": P, "weights": P}, score=1.0, commit="2" * 40),
        repo("github.com/a/rots", status=RepoStatus.NOT_FOUND, detail="repository not found"),
        repo("github.com/a/back", {"code": P, "license": F, "weights": U}, score=0.67),
        repo("github.com/a/fresh", {"code": P}, score=1.0, license_spdx="MIT"),
    ],
    [paper("Kept", ["github.com/a/kept"]), paper("Rots", ["github.com/a/rots"]), paper("New paper")],
    generated_at="2026-01-02T00:00:00Z",
)


def test_diff_names_every_kind_of_change():
    d = diff_reports(OLD, NEW)
    assert d.appeared == ["github.com/a/fresh"] and d.removed == ["github.com/a/dropped"]
    assert [(c.key, c.old, c.new) for c in d.rotted] == [
        ("github.com/a/rots", RepoStatus.OK, RepoStatus.NOT_FOUND)
    ]
    assert [c.key for c in d.recovered] == ["github.com/a/back"]
    assert d.updated == ["github.com/a/kept"]
    assert {(c.key, c.old, c.new) for c in d.scores} == {
        ("github.com/a/kept", 0.5, 1.0),
        ("github.com/a/rots", 1.0, None),
        ("github.com/a/back", None, 0.67),
    }
    # back's license went unknown -> fail; fresh has a license but is new, not a gain
    assert [(g.key, g.how) for g in d.license_gained] == [
        ("github.com/a/kept", "license now passes (was fail)")
    ]
    assert [g.key for g in d.weights_released] == ["github.com/a/kept"]
    assert (d.papers_added, d.papers_removed) == (["new-paper"], ["old-paper"])
    assert (d.median_old, d.median_new) == (0.5, 1.0)
    assert not d.checklist_changed and not d.empty


def test_a_license_the_host_newly_detects_counts_as_gained():
    old = report([repo("github.com/a/b", {"code": P}, score=1.0)])
    new = report([repo("github.com/a/b", {"code": P}, score=1.0, license_spdx="Apache-2.0")])
    assert [g.how for g in diff_reports(old, new).license_gained] == ["host detects Apache-2.0"]


def test_identical_reports_differ_in_nothing():
    d = diff_reports(OLD, OLD)
    assert d.empty
    assert "Nothing changed." in diffview.markdown(d)


def test_items_only_one_checklist_has_are_not_compared():
    extra = [*ITEMS, ChecklistItem(id="citation", title="Citation", rationale="r", fix="f")]
    old = report([repo("github.com/a/b", {"code": P}, score=1.0)])
    new = report([repo("github.com/a/b", {"code": P, "citation": F}, score=1.0)], items=extra)
    d = diff_reports(old, new)
    assert d.checklist_changed is False  # same id and version: items alone differ
    assert d.items == []


def test_markdown_view_groups_changes_and_escapes_keys():
    text = diffview.markdown(diff_reports(OLD, NEW))
    assert "### Link rot: audited before, not now (1)" in text
    assert "- github.com/a/rots: ok → not-found (repository not found)" in text
    assert "### License gained (1)" in text and "### Weights released (1)" in text
    assert "- github.com/a/kept: 50% → 100%" in text
    assert escape("a_b|c") == "a\\_b\\|c"


def test_diff_end_to_end_over_two_runs(tmp_path, mirror, capsys):
    root, add = mirror
    kept = add("lab", "kept", {"README.md": "# kept\n", "train.py": "import torch\n"})
    add("lab", "rots", {"README.md": "# rots\n", "main.py": "print()\n", "LICENSE": "MIT\n"})
    corpus = tmp_path / "papers.jsonl"
    records = [
        {"title": "Kept: a model", "abstract": "Code is available at https://github.com/lab/kept."},
        {"title": "Rots: a model", "abstract": "Code is available at https://github.com/lab/rots."},
    ]
    corpus.write_text("\n".join(map(json.dumps, records)) + "\n")

    def audit(out: str) -> None:
        args = ["run", "--corpus", str(corpus), "--clone-url", f"file://{root}/{{owner}}/{{name}}"]
        assert (
            main([*args, "--cache-dir", str(tmp_path / "cache"), "--out", str(tmp_path / out), "--quiet"])
            == 0
        )

    audit("day1")
    commit(kept, {"LICENSE": "MIT License\n"}, message="add a license")
    shutil.rmtree(root / "lab" / "rots")
    records.append({"title": "Fresh", "abstract": "Code is available at https://github.com/lab/fresh."})
    add("lab", "fresh", {"README.md": "# fresh\n"})
    corpus.write_text("\n".join(map(json.dumps, records)) + "\n")
    audit("day2")
    capsys.readouterr()

    old, new = str(tmp_path / "day1/report.json"), str(tmp_path / "day2/report.json")
    assert main(["diff", old, new, "--json"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert d["appeared"] == ["github.com/lab/fresh"]
    assert [(c["key"], c["new"]) for c in d["rotted"]] == [("github.com/lab/rots", "not-found")]
    assert [g["key"] for g in d["license_gained"]] == ["github.com/lab/kept"]
    assert d["updated"] == ["github.com/lab/kept"]
    assert main(["diff", old, new, "--markdown"]) == 0
    assert "- github.com/lab/kept: license now passes (was fail)" in capsys.readouterr().out
    assert main(["diff", old, new]) == 0
    assert "Link rot" in capsys.readouterr().out


def test_diff_of_a_file_that_is_no_report_exits_2(tmp_path, capsys):
    bad = tmp_path / "bad.json"
    bad.write_text('{"papers": []}')
    assert main(["diff", str(bad), str(bad)]) == 2
    assert "is not an auditor report" in capsys.readouterr().err
    assert main(["diff", str(tmp_path / "missing.json"), str(bad)]) == 2


def test_artifact_links_that_died_or_came_back():
    OK, GONE, UNK = ArtifactStatus.AVAILABLE, ArtifactStatus.GONE, ArtifactStatus.UNKNOWN

    def probed(*links: tuple[str, ArtifactStatus]) -> list[Artifact]:
        return [
            Artifact(url=u, kind=ArtifactKind.WEIGHTS, status=s, http_status=404 if s is GONE else 200)
            for u, s in links
        ]

    w = "https://huggingface.co/lab/model"
    old = report(
        [
            repo(
                "github.com/a/b",
                {"code": P},
                artifacts=probed((w, OK), ("https://x.org/d", GONE), ("https://x.org/u", OK)),
            )
        ]
    )
    new = report(
        [
            repo(
                "github.com/a/b",
                {"code": P},
                artifacts=probed((w, GONE), ("https://x.org/d", OK), ("https://x.org/u", UNK)),
            )
        ]
    )
    d = diff_reports(old, new)
    assert [(c.url, c.old, c.new, c.http_status) for c in d.artifacts_lost] == [(w, OK, GONE, 404)]
    assert [c.url for c in d.artifacts_back] == ["https://x.org/d"]  # an unknown verdict is no change
    assert not d.empty
    assert f"github.com/a/b: weights {w}: available → gone (404)" in diffview.markdown(d)


def test_fail_on_finds_only_the_kinds_asked_for():
    old = report(
        [
            repo(
                "github.com/a/keep",
                {"code": P, "license": P},
                score=1.0,
                artifacts=[_weights(ArtifactStatus.AVAILABLE)],
            ),
            repo("github.com/a/rot", {"code": P}, score=1.0),
            repo("github.com/a/left", {"code": P}, score=1.0),
        ]
    )
    new = report(
        [
            repo(
                "github.com/a/keep",
                {"code": P, "license": F},
                score=0.5,
                artifacts=[_weights(ArtifactStatus.GONE)],
            ),
            repo("github.com/a/rot", status=RepoStatus.NOT_FOUND),
        ]
    )
    changes = diff_reports(old, new)
    assert failing(changes, list(FAIL_ON)) == {
        "new-failures": ["github.com/a/keep: license (pass → fail)"],
        "lower-scores": ["github.com/a/keep: 100% → 50%"],
        "link-rot": ["github.com/a/rot: ok → not-found"],
        "dead-artifacts": ["github.com/a/keep: https://x.org/w.pt (gone)"],
        "removed": ["github.com/a/left"],
    }
    assert failing(changes, ["link-rot"]) == {"link-rot": ["github.com/a/rot: ok → not-found"]}
    assert failing(diff_reports(old, old), list(FAIL_ON)) == {}


def test_diff_fail_on_exits_5_when_such_a_change_is_found_and_0_otherwise(tmp_path, capsys):
    old = report(
        [repo("github.com/a/rot", {"code": P}, score=1.0), repo("github.com/a/b", {"code": P}, score=1.0)]
    )
    new = report(
        [
            repo("github.com/a/rot", status=RepoStatus.NOT_FOUND),
            repo("github.com/a/b", {"code": P}, score=1.0),
        ]
    )
    for name, r in (("old.json", old), ("new.json", new)):
        (tmp_path / name).write_text(r.model_dump_json())
    paths = [str(tmp_path / "old.json"), str(tmp_path / "new.json")]
    assert main(["diff", *paths, "--markdown"]) == 0  # no --fail-on: a diff never fails
    capsys.readouterr()
    assert main(["diff", *paths, "--markdown", "--fail-on", "dead-artifacts,new-failures"]) == 0
    assert main(["diff", *paths, "--markdown", "--fail-on", "new-failures", "--fail-on", "link-rot"]) == 5
    captured = capsys.readouterr()
    assert "Link rot" in captured.out  # the diff is still shown
    assert captured.err.splitlines()[-1] == "FAIL link-rot: github.com/a/rot: ok → not-found"


def _weights(status: ArtifactStatus) -> Artifact:
    return Artifact(url="https://x.org/w.pt", kind=ArtifactKind.WEIGHTS, status=status)
