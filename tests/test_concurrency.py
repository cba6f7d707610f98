"""Many workers: the same report at any --jobs, each repository charged its own requests, no host
pressed beyond its limit, one clone per repository however many papers link it."""

import json
import threading
from pathlib import Path

import pytest
from githubserver import FakeGitHub, release
from gitrepos import git, make_repo

from auditor.acquire.github import GitHubClient, Meter
from auditor.acquire.gitrunner import GitRunner
from auditor.acquire.gitsource import GitSource
from auditor.audit import Settings
from auditor.checks.checklist import load
from auditor.cli import main
from auditor.models import Paper, RepoStatus, SourceRef
from auditor.net.politeness import HostLimits, Limit
from auditor.pipeline import audit_papers
from auditor.report.files import read_report

NAMES = [f"lab{i % 3}/tool-{i}" for i in range(10)]


@pytest.fixture
def served(github: FakeGitHub, tmp_path: Path) -> FakeGitHub:
    """Ten repositories of different shapes, one renamed and one with a release."""
    for i, name in enumerate(NAMES):
        files = {"README.md": f"# Tool {i}\n" + "Usage: python run.py\n" * i}
        files |= {f"src/m{j}.py": f"x = {j}\n" for j in range(i * 3)}
        if i % 2:
            files["LICENSE"] = "MIT License\n"
        repo = make_repo(tmp_path / "repos" / name, files)
        if i == 4:
            git("tag", "v1", cwd=repo)
        github.add(name, repo, releases=[release("v1", ("weights.pth", 99))] if i == 4 else None)
    github.rename("old/tool", NAMES[7])
    return github


def corpus(path: Path) -> Path:
    """Papers linking the repositories, some twice, one under its old name, one that is gone."""
    links = [*NAMES, NAMES[0], "old/tool", "nobody/gone", NAMES[3]]
    records = [
        {"title": f"Paper {i}: a method", "abstract": f"Code: https://github.com/{name}."}
        for i, name in enumerate(links)
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def run_cli(server: FakeGitHub, tmp_path: Path, jobs: int) -> Path:
    out = tmp_path / f"out-{jobs}"
    args = ["run", "--corpus", str(corpus(tmp_path / "papers.jsonl")), "--github-api", server.url]
    args += ["--cache-dir", str(tmp_path / f"cache-{jobs}"), "--out", str(out), "--jobs", str(jobs)]
    assert main([*args, "--quiet"]) == 0
    return out


def test_the_report_is_byte_identical_at_one_and_at_eight_jobs(served, tmp_path):
    one = run_cli(served, tmp_path, 1)
    assert served.max_in_flight == 1
    served.max_in_flight, served.overlap = 0, 2  # held until two are in flight, if ever
    eight = run_cli(served, tmp_path, 8)
    assert served.max_in_flight > 1  # the workers did overlap
    for name in ("report.json", "report.md"):
        assert (one / name).read_bytes() == (eight / name).read_bytes()
    report = read_report(eight / "report.json")
    assert [a.repo.key for a in report.repos][:3] == [f"github.com/{n}" for n in NAMES[:3]]
    assert len(report.repos) == len(NAMES) + 2  # each repository once: old/tool and nobody/gone


def papers(names: list[str]) -> list[Paper]:
    return [
        Paper(
            id=f"p{i}",
            title=f"Paper {i}",
            abstract=f"Code: https://github.com/{name}.",
            source=SourceRef(file="t"),
        )
        for i, name in enumerate(names)
    ]


def test_each_repository_is_charged_exactly_its_own_requests(served, tmp_path):
    settings = Settings(cache_dir=tmp_path / "cache", checklist=load("midl"), github_api=served.url, jobs=8)
    report = audit_papers(papers(NAMES), settings)
    charged = {a.repo.key: a.repo.cost.http_requests for a in report.repos}
    cloned = {a.repo.key for a in report.repos if a.repo.cost.git[:1] == ["clone"]}
    for name in NAMES:
        own = [h for h in served.hits if name in h.path.lower()]
        by_git = [h for h in own if h.by_git]  # a clone and a batch of files, counted as git commands
        assert charged[f"github.com/{name}"] == len(own) - len(by_git) >= 1, name
        assert bool(by_git) == (f"github.com/{name}" in cloned), name
    # Without a token each repository is cloned; the API is asked only for the tagged one's releases.
    assert cloned == {f"github.com/{name}" for name in NAMES}
    assert charged[f"github.com/{NAMES[4]}"] == 2  # the ref advertisement and the releases
    assert sum(charged.values()) == len([h for h in served.hits if not h.by_git])


def test_no_host_sees_more_requests_at_once_than_its_limit(served, tmp_path):
    served.overlap = 2  # held until the limit is reached, so that more would show if allowed
    settings = Settings(cache_dir=tmp_path / "cache", checklist=load("midl"), github_api=served.url, jobs=8)
    report = audit_papers(papers(NAMES), settings, hosts=HostLimits(default=Limit(in_flight=2), hosts={}))
    assert {a.repo.status for a in report.repos} == {RepoStatus.OK}
    assert served.max_in_flight == 2


def test_papers_linking_one_repository_clone_it_once(mirror, tmp_path):
    root, add = mirror
    add("lab", "tool", {"README.md": "# Tool\n", "train.py": "import torch\n"})
    source = GitSource(cache_dir=tmp_path / "cache", runner=GitRunner(allow_file=True), hosts=HostLimits())
    url = (root / "lab" / "tool").as_uri()
    results = []

    def acquire() -> None:
        results.append(source.acquire("github.com/lab/tool", url, web_url="u"))

    threads = [threading.Thread(target=acquire) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert {s.repo.status for s in results} == {RepoStatus.OK}
    assert sorted(len(s.repo.cost.git) for s in results) == [1] * 5 + [2]  # one clone; the rest reuse it
    assert {tuple(s.files) for s in results} == {("README.md", "train.py")}
    clones = [p.name for p in (tmp_path / "cache" / "git").iterdir() if not p.name.startswith(".clones")]
    assert clones == ["github.com__lab__tool.git"]


def test_one_client_serves_many_threads_and_counts_each_on_its_meter(served, tmp_path):
    client = GitHubClient(base_url=served.url, cache_path=tmp_path / "http.sqlite")
    meters = {name: Meter() for name in NAMES}
    answers: dict[str, list[str]] = {name: [] for name in NAMES}

    def ask(name: str) -> None:
        for _ in range(5):
            answers[name].append(client.get(f"repos/{name}", meter=meters[name]).json()["full_name"])

    for _ in range(2):  # a cold pass, then one answered from the cache with 304s
        threads = [threading.Thread(target=ask, args=(name,)) for name in NAMES]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    client.close()
    assert answers == {name: [name] * 10 for name in NAMES}
    assert {m.tally.requests for m in meters.values()} == {10}
    assert sum(m.tally.not_modified for m in meters.values()) == served.count(status=304) >= len(NAMES) * 5
    assert client.tally.requests == len(served.hits) == 10 * len(NAMES)
