"""The network stage in whole runs: repositories through the local GitHub, artifact hosts and project
pages on a local server, the checks reading what was found, and the reports saying it."""

import json
from pathlib import Path

import pytest
from githubserver import FakeGitHub
from gitrepos import make_repo
from pytest_httpserver import HTTPServer
from repos import MODEL_PY, TRAIN_PY, readme
from snapshots import facts

from auditor.artifacts.links import ProbeSettings
from auditor.artifacts.stage import ArtifactStage
from auditor.audit import Settings
from auditor.checks.checklist import load
from auditor.cli import main
from auditor.models import ArtifactKind, ArtifactStatus, Outcome, PaperOutcome, Release, ReleaseAsset
from auditor.papers.corpus import read_corpus
from auditor.pipeline import audit_papers
from auditor.report.files import read_report

WEIGHTS_GONE = "https://huggingface.co/lab/segtool-weights"
DATA_OK = "https://huggingface.co/datasets/lab/acdc-slices"
README = readme(
    f"## Pretrained weights\n\nDownload the trained checkpoints from [Hugging Face]({WEIGHTS_GONE}).\n",
    f"## Data\n\nThe preprocessed slices are on [Hugging Face]({DATA_OK}).\n",
    "## Demo\n\nTry the [online demo](https://huggingface.co/spaces/lab/segtool-demo).\n",
)


@pytest.fixture
def hub():
    """A Hugging Face Hub API on 127.0.0.1: the weights repository is gone, the data is there."""
    server = HTTPServer(host="127.0.0.1")
    server.start()
    not_found = {"status": 401, "headers": {"X-Error-Code": "RepoNotFound"}}
    server.expect_request("/api/models/lab/segtool-weights").respond_with_json({"error": "no"}, **not_found)
    server.expect_request("/api/datasets/lab/acdc-slices").respond_with_json(
        {"id": "lab/acdc-slices", "siblings": [{"rfilename": "train.zip"}]}
    )
    server.expect_request("/api/spaces/lab/segtool-demo").respond_with_json({"id": "lab/segtool-demo"})
    yield server
    server.clear()
    server.stop()


@pytest.fixture
def served(github: FakeGitHub, tmp_path: Path) -> FakeGitHub:
    files = {"README.md": README, "train.py": TRAIN_PY, "models/unet.py": MODEL_PY}
    github.add("lab/SegTool", make_repo(tmp_path / "repos" / "segtool", files), license="MIT")
    return github


def test_without_network_checks_the_links_are_listed_as_not_checked():
    releases = [Release(tag="v1", assets=[ReleaseAsset(name="segtool.pth", url="https://github.com/a")])]
    snap = ArtifactStage(None).attach(facts({"README.md": README, "train.py": TRAIN_PY}, releases=releases))
    found = [(a.kind, a.status, a.url) for a in snap.repo.artifacts]
    assert found == [
        (ArtifactKind.WEIGHTS, ArtifactStatus.AVAILABLE, "https://github.com/a"),  # the API listed it
        (ArtifactKind.WEIGHTS, ArtifactStatus.NOT_CHECKED, WEIGHTS_GONE),
        (ArtifactKind.DATA, ArtifactStatus.NOT_CHECKED, DATA_OK),
        (ArtifactKind.DEMO, ArtifactStatus.NOT_CHECKED, "https://huggingface.co/spaces/lab/segtool-demo"),
    ]


def run(served: FakeGitHub, tmp_path: Path, out: str, *extra: str) -> int:
    args = ["run", "--repo", "https://github.com/lab/SegTool", "--github-api", served.url]
    return main([*args, "--cache-dir", str(tmp_path / "cache"), "--out", str(tmp_path / out), *extra])


def test_a_run_reports_the_dead_weights_link_and_the_checks_use_it(
    served, hub, tmp_path, monkeypatch, capsys
):
    monkeypatch.setenv("HF_ENDPOINT", hub.url_for("/").rstrip("/"))
    assert run(served, tmp_path, "on") == 0
    (audit,) = read_report(tmp_path / "on" / "report.json").repos
    statuses = {a.url: (a.status, a.host) for a in audit.repo.artifacts}
    assert statuses == {
        WEIGHTS_GONE: (ArtifactStatus.GONE, "huggingface"),
        DATA_OK: (ArtifactStatus.AVAILABLE, "huggingface"),
        "https://huggingface.co/spaces/lab/segtool-demo": (ArtifactStatus.AVAILABLE, "huggingface"),
    }
    results = {r.id: r for r in audit.results}
    assert results["pretrained-weights"].outcome is Outcome.FAIL
    assert results["pretrained-weights"].message == (
        f"weights link gone: no Hugging Face model lab/segtool-weights (deleted, renamed or private): {WEIGHTS_GONE}"
    )
    assert results["data-instructions"].outcome is Outcome.PASS
    markdown = (tmp_path / "on" / "report.md").read_text()
    assert "#### Artifacts" in markdown
    assert f"- **gone** weights: [{WEIGHTS_GONE}]({WEIGHTS_GONE}) — " in markdown
    assert (
        "**3** artifact links (weights, data, demos, project pages): **1** dead, **0** restricted" in markdown
    )
    assert "Not verified over the network" not in markdown
    assert "3 artifact links: 1 dead, 0 restricted, 2 available, 0 unknown" in capsys.readouterr().out


def test_no_network_checks_keeps_the_readme_verdict_and_says_what_it_rests_on(served, hub, tmp_path):
    assert run(served, tmp_path, "off", "--no-network-checks") == 0
    assert hub.log == []
    (audit,) = read_report(tmp_path / "off" / "report.json").repos
    assert {a.status for a in audit.repo.artifacts} == {ArtifactStatus.NOT_CHECKED}
    assert {r.id: r.outcome for r in audit.results}["pretrained-weights"] is Outcome.PASS
    markdown = (tmp_path / "off" / "report.md").read_text()
    assert "- Not verified over the network: **Pretrained weights** rests on 1 unchecked link" in markdown
    assert "- Not verified over the network: **Data instructions** rests on 1 unchecked link" in markdown
    assert "**3** artifact links (weights, data, demos, project pages) not checked" in markdown


PROJECT_PAGE = """<html><body><h1>SegTool</h1>
<a href="https://arxiv.org/abs/2501.00001">Paper</a>
<a class="button" href="https://github.com/lab/SegTool"><i class="fab fa-github"></i><span>Code</span></a>
<footer>Website adapted from <a href="https://github.com/nerfies/nerfies.github.io">Nerfies</a>.</footer>
</body></html>"""
NO_CODE_PAGE = "<html><body><h1>Holder</h1><p>Code coming soon.</p></body></html>"


@pytest.fixture
def pages():
    server = HTTPServer(host="127.0.0.1")
    server.start()
    for name, page in (("segtool", PROJECT_PAGE), ("holder", NO_CODE_PAGE)):  # as GitHub Pages serves them
        server.expect_request(f"/{name}").respond_with_data("", status=301, headers={"Location": f"/{name}/"})
        server.expect_request(f"/{name}/").respond_with_data(page, content_type="text/html")
    yield server
    server.clear()
    server.stop()


def test_a_project_page_leads_to_the_papers_repository(served, hub, pages, tmp_path):
    corpus = tmp_path / "papers.jsonl"
    records = [
        {
            "title": "SegTool: fast segmentation",
            "abstract": f"Code and models are available at {pages.url_for('/segtool/')}.",
        },
        {
            "title": "Holder: a promise",
            "abstract": f"Code will be released at {pages.url_for('/holder/')}.",
            "date": "2025-06-01",
        },
    ]
    corpus.write_text("\n".join(map(json.dumps, records)) + "\n")
    settings = Settings(
        cache_dir=tmp_path / "cache",
        checklist=load("midl"),
        github_api=served.url,
        probe=ProbeSettings(hosts={"huggingface": hub.url_for("/")}, allow_private=True, robots=False),
    )
    report = audit_papers(read_corpus(corpus).papers, settings)
    segtool, holder = report.papers
    assert segtool.repos == ["github.com/lab/segtool"]
    (found,) = [link for link in segtool.links if link.via]
    assert (found.url, found.via) == ("https://github.com/lab/SegTool", pages.url_for("/segtool"))
    (page,) = segtool.artifacts
    assert (page.kind, page.status) == (ArtifactKind.PROJECT_PAGE, ArtifactStatus.AVAILABLE)
    assert report.repos[0].repo.status.value == "ok"

    assert holder.repos == [] and holder.artifacts[0].detail == "links no code repository"
    assert holder.outcome is PaperOutcome.PROMISED
    assert holder.outcome_detail == (
        "code promised, no repository linked; its project page links no code repository"
    )
    assert holder.age_days == 214  # 2025-06-01 to the report's 2026-01-01

    from auditor.render.markdown import render

    text = render(report)
    assert "| [github.com/lab/segtool](#github.com+lab+segtool) (via project page) |" in text
    assert "(promised 2025-06-01, 214 days before this report)" in text
    assert "(found via project page [" in text


def test_a_corpus_date_that_is_no_date_is_reported_and_ignored(tmp_path):
    corpus = tmp_path / "papers.jsonl"
    records = [
        {"title": "A", "abstract": "x", "date": "2025-06-12T08:00:00Z"},
        {"title": "B", "abstract": "x", "date": "June 2025"},
    ]
    corpus.write_text("\n".join(map(json.dumps, records)) + "\n")
    read = read_corpus(corpus)
    assert [p.date for p in read.papers] == ["2025-06-12", None]
    assert [p.message for p in read.problems] == ["date 'June 2025' is not YYYY-MM-DD; ignored"]
