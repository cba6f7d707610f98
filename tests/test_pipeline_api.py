"""Choosing the source, and whole runs through the local GitHub: costs, renames, rate limits, tokens."""

import time
from pathlib import Path

from githubserver import FakeGitHub, release
from gitrepos import git, make_repo
from repos import MIT_LICENSE

from auditor.acquire.apisource import READS_BEFORE_CLONE, ApiSource
from auditor.acquire.github import GitHubClient
from auditor.audit import Settings
from auditor.checks.checklist import load
from auditor.cli import main
from auditor.models import RepoStatus
from auditor.papers.links import parse_repo_url
from auditor.pipeline import DEFAULT_CLONE_URL, Target, audit_targets, judge, target_for
from auditor.report.files import read_report
from auditor.report.stats import with_file_urls

TOKEN = "ghp_not_a_real_token_0123456789abcdef"


def run(server: FakeGitHub, tmp_path: Path, out: str, *repos: str, extra: tuple[str, ...] = ()):
    args = ["run", "--github-api", server.url, "--cache-dir", str(tmp_path / "cache"), "--quiet"]
    args += ["--out", str(tmp_path / out), *extra]
    for repo in repos:
        args += ["--repo", f"https://github.com/{repo}"]
    assert main(args) == 0
    return read_report(tmp_path / out / "report.json")


def test_github_repositories_go_through_the_api_unless_a_clone_template_is_given():
    repo = parse_repo_url("https://github.com/lab/tool")
    assert target_for(repo, DEFAULT_CLONE_URL).github == ("lab", "tool")
    assert target_for(repo, "file:///srv/mirror/{owner}/{name}").github is None
    assert target_for(parse_repo_url("https://gitlab.com/lab/tool"), DEFAULT_CLONE_URL).github is None


def test_the_report_shows_the_old_and_the_new_name_of_a_renamed_repository(segtool_github, tmp_path):
    segtool_github.rename("lab/OldSeg", "lab/SegTool")
    (audit,) = run(segtool_github, tmp_path, "out", "lab/OldSeg").repos
    assert audit.repo.key == "github.com/lab/oldseg" and audit.repo.status is RepoStatus.OK
    assert (audit.repo.renamed.old, audit.repo.renamed.new) == ("lab/OldSeg", "lab/SegTool")
    assert "- Renamed: lab/OldSeg → lab/SegTool" in (tmp_path / "out" / "report.md").read_text()


def test_when_the_rate_limit_runs_out_the_remaining_repositories_are_rate_limited(segtool_github, tmp_path):
    segtool_github.add("lab/third", make_repo(tmp_path / "repos" / "third", {"README.md": "# 3\n"}))
    targets = [
        target_for(parse_repo_url(f"https://github.com/{name}"), DEFAULT_CLONE_URL)
        for name in ("lab/SegTool", "someone/Placeholder", "lab/third")
    ]
    settings = Settings(
        cache_dir=tmp_path / "cache", checklist=load("midl"), github_api=segtool_github.url, jobs=1
    )

    def spend_the_limit(_key, _audit):  # after the first repository, GitHub says: come back in an hour
        segtool_github.rate_limit(times=100, reset=int(time.time()) + 3600)

    report = audit_targets(targets, settings, on_repo=spend_the_limit)
    statuses = [a.repo.status for a in report.repos]
    assert statuses == [RepoStatus.OK, RepoStatus.RATE_LIMITED, RepoStatus.RATE_LIMITED]
    # The second is refused at its first request (this server is git host and API in one, so that
    # refusal stops both); the third asks nothing.
    assert [a.repo.cost.http_requests for a in report.repos][1:] == [1, 0]
    assert report.repos[0].score is not None


def test_no_api_takes_github_repositories_by_git(segtool_github, tmp_path):
    repo = tmp_path / "repos" / "segtool"
    target = Target(
        key="github.com/lab/segtool", clone_url=repo.as_uri(), web_url="u", github=("lab", "SegTool")
    )
    checklist = load("midl")
    by_git = Settings(cache_dir=tmp_path / "c1", checklist=checklist, allow_local=True, github_api=None)
    (audit,) = audit_targets([target], by_git).repos
    assert audit.repo.source == "git" and audit.repo.cost.git == ["ls-remote", "clone", "fetch 3 files"]
    assert segtool_github.hits == []
    by_api = Settings(cache_dir=tmp_path / "c2", checklist=checklist, github_api=segtool_github.url)
    (audit,) = audit_targets([target], by_api).repos
    # its source files: from a clone
    assert audit.repo.source == "api" and audit.repo.cost.git == ["clone", "fetch 3 files"]


def test_the_token_is_sent_and_never_written(segtool_github, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("AUDIT_TOKEN", TOKEN)
    # GraphQL cannot resolve lab/deleted, so its refs are asked of the git host.
    run(segtool_github, tmp_path, "out", "lab/SegTool", "lab/deleted", extra=("--token-env", "AUDIT_TOKEN"))
    git_host = [
        h for h in segtool_github.hits if "/info/refs" in h.path or h.path.endswith("/git-upload-pack")
    ]
    api = [h for h in segtool_github.hits if h not in git_host]
    assert git_host and {h.authorization for h in git_host} == {None}  # the git host never gets it
    assert api and {h.authorization for h in api} == {f"Bearer {TOKEN}"}
    written = [p.read_bytes() for p in (tmp_path / "out").rglob("*") if p.is_file()]
    written += [p.read_bytes() for p in (tmp_path / "cache").rglob("*") if p.is_file()]
    assert written and not any(TOKEN.encode() in data for data in written)
    out, err = capsys.readouterr()
    assert TOKEN not in out + err


def test_a_token_variable_that_is_not_set_is_a_usage_error(segtool_github, tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("NO_SUCH_TOKEN", raising=False)
    args = ["run", "--repo", "https://github.com/lab/SegTool", "--github-api", segtool_github.url]
    assert main([*args, "--token-env", "NO_SUCH_TOKEN", "--cache-dir", str(tmp_path / "c")]) == 2
    assert "NO_SUCH_TOKEN is not set" in capsys.readouterr().err
    assert segtool_github.hits == []


MANY = {"README.md": "# Tool\n\nRun `python main.py`.\n", "LICENSE": "MIT License\n"} | {
    f"tool/part{i}.py": f"def helper_{i}(x):\n    return x + {i}\n" * 3 for i in range(40)
}


def git_paths(github):
    return [h.path.split("?")[0] for h in github.hits if h.by_git]


def test_code_github_sees_is_read_from_one_clone_with_the_verdicts_of_reading_it_through_the_api(
    github, tmp_path
):
    github.add("lab/many", make_repo(tmp_path / "many", MANY))
    target = target_for(parse_repo_url("https://github.com/lab/many"), DEFAULT_CLONE_URL)
    settings = Settings(cache_dir=tmp_path / "c1", checklist=load("midl"), github_api=github.url, token=TOKEN)
    (cloned,) = audit_targets([target], settings).repos
    # GitHub says the repository is Python: its tree and its files come from a clone
    cost = cloned.repo.cost
    assert cost.http_requests == 0 and cost.git == ["clone", "fetch 42 files"]  # GraphQL told all
    assert not [h for h in github.hits if "/git/trees/" in h.path or "/git/blobs/" in h.path]
    # The clone, over http, asks for the commit the refs named: two git requests, no ref listing;
    # the files the checks read come in one batch: two more
    assert git_paths(github) == ["/lab/many.git/info/refs", "/lab/many.git/git-upload-pack"] * 2

    api = ApiSource(client=GitHubClient(base_url=github.url, cache_path=tmp_path / "c2" / "http.sqlite"))
    snap = api.acquire(target.key, "lab", "many", web_url=target.web_url, refs=api.refs("lab", "many"))
    one_by_one = judge(snap, load("midl"))  # the API tree, every file read through the API
    assert len([h for h in github.hits if "/git/blobs/" in h.path]) > READS_BEFORE_CLONE
    assert cloned.results == with_file_urls(one_by_one).results  # the report links evidence files


def test_code_github_did_not_see_is_read_from_a_clone_made_for_the_first_batch(github, tmp_path):
    github.add("lab/many", make_repo(tmp_path / "many", MANY), language=None)
    target = target_for(parse_repo_url("https://github.com/lab/many"), DEFAULT_CLONE_URL)
    settings = Settings(cache_dir=tmp_path / "c1", checklist=load("midl"), github_api=github.url, token=TOKEN)
    (cloned,) = audit_targets([target], settings).repos
    cost = cloned.repo.cost
    assert cost.http_requests == 1 and cost.git == ["clone", "fetch 42 files"]  # the API tree
    assert not [h for h in github.hits if "/git/blobs/" in h.path]  # source files in the tree: no file read
    assert git_paths(github) == ["/lab/many.git/info/refs", "/lab/many.git/git-upload-pack"] * 2


def test_without_a_token_the_api_is_asked_only_for_releases_and_the_verdicts_are_the_same(github, tmp_path):
    repo = make_repo(tmp_path / "many", MANY | {"LICENSE": MIT_LICENSE})  # a text we identify as GitHub does
    git("tag", "v1", cwd=repo)
    github.add("lab/many", repo, license="MIT", releases=[release("v1", ("model.pth", 10))])
    github.add("lab/docs", make_repo(tmp_path / "docs", {"README.md": "# Docs\n"}), language=None)
    targets = [
        target_for(parse_repo_url(f"https://github.com/{n}"), DEFAULT_CLONE_URL)
        for n in ("lab/many", "lab/docs")
    ]
    plain = Settings(cache_dir=tmp_path / "c1", checklist=load("midl"), github_api=github.url)
    many, docs = audit_targets(targets, plain).repos
    # 60 API requests an hour: each repository comes from git (refs, then a clone); the API is
    # asked only for the releases of the tagged one.
    api = [h.path.split("?")[0] for h in github.hits if not h.by_git and "/info/refs" not in h.path]
    assert api == ["/repos/lab/many/releases"]
    assert (many.repo.cost.http_requests, docs.repo.cost.http_requests) == (2, 1)
    assert (many.repo.cost.git, docs.repo.cost.git) == (
        ["clone", "fetch 42 files"],
        ["clone", "fetch 1 files"],
    )
    assert many.repo.host is None and many.repo.license_spdx is None  # what only the API tells
    assert [r.tag for r in many.repo.releases] == ["v1"]

    with_token = Settings(
        cache_dir=tmp_path / "c2", checklist=load("midl"), github_api=github.url, token=TOKEN
    )
    many_t, docs_t = audit_targets(targets, with_token).repos
    assert many_t.repo.host is not None and many_t.repo.license_spdx == "MIT"
    assert (many.results, docs.results) == (many_t.results, docs_t.results)
