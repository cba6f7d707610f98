"""Snapshots from the GitHub API, served by the local GitHub from real git repositories."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from githubserver import FakeGitHub, release
from gitrepos import git, make_repo

from auditor.acquire.apisource import READS_BEFORE_CLONE, ApiSource
from auditor.acquire.github import GitHubClient, Meter, Tally
from auditor.acquire.gitrunner import GitRunner
from auditor.acquire.gitsource import GitSource
from auditor.models import EntryKind, RepoStatus

NOW = 1_767_225_600.0


def source(server: FakeGitHub, tmp_path: Path, **kwargs) -> ApiSource:
    client = GitHubClient(
        base_url=server.url,
        cache_path=tmp_path / "cache" / "http.sqlite",
        sleep=lambda _s: None,
        clock=lambda: NOW,
        attempts=2,
    )
    return ApiSource(client=client, **kwargs)


def acquire(server: FakeGitHub, tmp_path: Path, full_name: str, *, probe: bool = True, **kwargs):
    """A snapshot as the pipeline takes it: the ref advertisement first (unless `probe` is off),
    then the API."""
    owner, name = full_name.split("/")
    api = source(server, tmp_path, **kwargs)
    refs = api.refs(owner, name) if probe else None
    snap = api.acquire(
        f"github.com/{full_name}".lower(), owner, name, web_url=f"https://github.com/{full_name}", refs=refs
    )
    return snap, api


def blob_hits(server: FakeGitHub) -> list[str]:
    return [h.path for h in server.hits if "/git/blobs/" in h.path]


def test_snapshot_has_the_tree_sizes_metadata_and_releases_of_the_repository(github, tmp_path):
    repo = make_repo(
        tmp_path / "seg",
        {"README.md": "# Seg\n", "src/train.py": "import torch\n", "LICENSE": "MIT License\n"},
        branch="master",
        symlinks={"data": "/etc/passwd"},
    )
    git("tag", "v1.0", cwd=repo)
    github.add(
        "Lab/Seg",
        repo,
        license="MIT",
        releases=[release("v1.0", ("model.pth", 123456))],
        archived=True,
        stargazers_count=42,
        homepage="https://lab.example/seg",
    )
    snap, _ = acquire(github, tmp_path, "Lab/Seg")
    facts = snap.repo
    assert facts.status is RepoStatus.OK and facts.source == "api"
    assert facts.commit == git("rev-parse", "HEAD", cwd=repo).strip()
    assert facts.branch == "master"
    assert snap.files == ["LICENSE", "README.md", "src/train.py"] and facts.file_count == 3
    assert snap.entries["src/train.py"].size == len("import torch\n")
    assert snap.entries["data"].kind is EntryKind.SYMLINK
    assert facts.license_spdx == "MIT"
    (rel,) = facts.releases
    assert (rel.tag, rel.assets[0].name, rel.assets[0].size) == ("v1.0", "model.pth", 123456)
    assert facts.host.archived and facts.host.stars == 42 and facts.host.homepage == "https://lab.example/seg"
    assert not facts.tree_truncated and facts.renamed is None


def test_contents_are_fetched_only_when_planned_and_only_once(github, tmp_path):
    github.add("lab/tool", make_repo(tmp_path / "t", {"README.md": "# Tool\nRun it.\n", "a.md": "1\n"}))
    snap, _ = acquire(github, tmp_path, "lab/tool")
    assert blob_hits(github) == []  # the tree says enough until the files to read are known
    assert snap.text("README.md") is None and snap.take_missed() == {"README.md"}  # nothing fetched
    snap.prefetch({"README.md"})
    assert snap.text("README.md").text == "# Tool\nRun it.\n"
    assert snap.text("README.md").text == "# Tool\nRun it.\n"
    snap.prefetch({"README.md"})
    assert len(blob_hits(github)) == 1


def test_files_over_the_blob_limit_are_never_downloaded(github, tmp_path):
    github.add("lab/w", make_repo(tmp_path / "w", {"README.md": "hi\n", "model.pth": b"\x01" * 5000}))
    snap, _ = acquire(github, tmp_path, "lab/w", blob_limit=1000)
    assert snap.entries["model.pth"].size == 5000  # the size is known from the tree
    assert snap.text("model.pth") is None
    assert blob_hits(github) == []


def test_a_notebook_over_the_blob_limit_is_read_up_to_the_notebook_limit(github, tmp_path):
    notebook = '{"cells": [{"cell_type": "code", "source": ["fit()"], "outputs": ["%s"]}]}' % ("A" * 5000)
    github.add("lab/nb", make_repo(tmp_path / "nb", {"README.md": "hi\n", "run.ipynb": notebook}))
    snap, _ = acquire(github, tmp_path, "lab/nb", blob_limit=1000)
    snap.prefetch({"run.ipynb"})
    assert snap.text("run.ipynb", cap=10_000).text == notebook


def test_reads_are_capped(github, tmp_path):
    github.add("lab/long", make_repo(tmp_path / "l", {"README.md": "x" * 3000}))
    snap, _ = acquire(github, tmp_path, "lab/long")
    snap.prefetch({"README.md"})
    text = snap.text("README.md", cap=1000)
    assert len(text.text) == 1000 and text.truncated


def test_a_renamed_repository_is_followed_and_both_names_recorded(github, tmp_path):
    github.add("new-owner/NewName", make_repo(tmp_path / "r", {"README.md": "# r\n", "a.py": "1\n"}))
    github.rename("lab/oldname", "new-owner/newname")
    snap, _ = acquire(github, tmp_path, "lab/oldname")
    assert snap.repo.status is RepoStatus.OK
    assert (snap.repo.renamed.old, snap.repo.renamed.new) == ("lab/oldname", "new-owner/NewName")
    assert snap.repo.url == "https://github.com/new-owner/NewName"
    assert snap.repo.key == "github.com/lab/oldname"  # the key stays the one papers link to
    assert snap.files == ["README.md", "a.py"]


def test_a_name_that_differs_only_in_case_is_not_a_rename(github, tmp_path):
    github.add("Lab/SegTool", make_repo(tmp_path / "r", {"README.md": "# r\n"}))
    snap, _ = acquire(github, tmp_path, "lab/segtool")
    assert snap.repo.status is RepoStatus.OK and snap.repo.renamed is None


@pytest.mark.parametrize(
    ("status", "message", "expected", "detail"),
    [
        (404, "Not Found", RepoStatus.NOT_FOUND, "or it is private"),
        (451, "Repository access blocked", RepoStatus.UNAVAILABLE, "legal reasons (451)"),
        (403, "Repository access blocked", RepoStatus.FORBIDDEN, "forbidden (403)"),
        (401, "Bad credentials", RepoStatus.FORBIDDEN, "credentials (401): Bad credentials"),
    ],
)
def test_refusals_become_statuses(github, tmp_path, status, message, expected, detail):
    github.refuse("lab/gone", status, message)
    snap, _ = acquire(github, tmp_path, "lab/gone")
    assert snap.repo.status is expected and detail in snap.repo.detail
    assert snap.files == [] and len(github.hits) == 2  # the git host refused, the API says why


def test_an_unknown_repository_is_not_found(github, tmp_path):
    snap, _ = acquire(github, tmp_path, "nobody/nothing")
    assert snap.repo.status is RepoStatus.NOT_FOUND


def test_an_empty_repository_is_empty(github, tmp_path):
    github.add("lab/empty", make_repo(tmp_path / "e", {}))
    snap, _ = acquire(github, tmp_path, "lab/empty")
    assert snap.repo.status is RepoStatus.EMPTY and len(github.hits) == 1  # the refs said it all
    github.hits.clear()
    snap, _ = acquire(github, tmp_path, "lab/empty", probe=False)
    assert snap.repo.status is RepoStatus.EMPTY
    assert github.hits[-1].status == 409


def test_a_truncated_tree_is_noted(github, tmp_path):
    files = {f"src/m{i}.py": f"x = {i}\n" for i in range(10)}
    github.add("lab/big", make_repo(tmp_path / "b", files))
    github.truncate("lab/big")
    snap, _ = acquire(github, tmp_path, "lab/big")
    assert snap.repo.status is RepoStatus.OK and snap.repo.tree_truncated
    assert 0 < len(snap.files) < 10
    assert "truncated" in snap.repo.detail


def test_a_spent_rate_limit_makes_the_repository_rate_limited(github, tmp_path):
    github.add("lab/tool", make_repo(tmp_path / "t", {"README.md": "# t\n"}))
    github.rate_limit(reset=int(NOW) + 3600)
    snap, _ = acquire(github, tmp_path, "lab/tool")
    assert snap.repo.status is RepoStatus.RATE_LIMITED
    assert "rate limit exhausted until 2026-01-01 01:00:01 UTC" in snap.repo.detail


def test_a_rate_limit_hit_while_reading_leaves_the_file_unread(github, tmp_path):
    github.add("lab/tool", make_repo(tmp_path / "t", {"README.md": "# t\n"}))
    snap, _ = acquire(github, tmp_path, "lab/tool")
    github.rate_limit(reset=int(NOW) + 3600)
    snap.prefetch({"README.md"})
    assert snap.text("README.md") is None


def test_persistent_server_errors_are_an_error_status(github, tmp_path):
    github.add("lab/tool", make_repo(tmp_path / "t", {"README.md": "# t\n"}))
    github.fail(4, status=500)  # two attempts at the git host (the API is asked then), two at the API
    snap, _ = acquire(github, tmp_path, "lab/tool")
    assert snap.repo.status is RepoStatus.ERROR and "500" in snap.repo.detail


@pytest.mark.parametrize("name", ["..", "a b", "x?y"])
def test_names_that_are_not_repository_names_are_refused_without_a_request(github, tmp_path, name):
    snap, _ = acquire(github, tmp_path, f"lab/{name}")
    assert snap.repo.status is RepoStatus.REFUSED and github.hits == []


def test_cost_counts_every_request_of_the_repository_on_its_meter(github, tmp_path):
    repo = make_repo(tmp_path / "t", {"README.md": "# t\n"})
    github.add("lab/tool", repo)
    api = source(github, tmp_path)
    meter = Meter()
    refs = api.refs("lab", "tool", meter=meter)
    snap = api.acquire("k", "lab", "tool", web_url="u", refs=refs, meter=meter)
    snap.prefetch({"README.md"})  # the files fetched after acquisition are the repository's cost too
    assert meter.tally == Tally(requests=4, not_modified=0) == api.client.tally
    readme = git("rev-parse", "HEAD:README.md", cwd=repo).strip()
    assert [h.path.split("?")[0] for h in github.hits] == [
        "/lab/tool.git/info/refs",  # the commit and tags; no tags, so no releases to ask for
        "/repos/lab/tool",
        f"/repos/lab/tool/git/trees/{refs.head}",
        f"/repos/lab/tool/git/blobs/{readme}",
    ]


def test_without_tags_the_releases_are_not_asked_for(github, tmp_path):
    repo = make_repo(tmp_path / "t", {"README.md": "# t\n"})
    github.add("lab/tool", repo, releases=[release("v1", ("model.pth", 10))])
    snap, _ = acquire(github, tmp_path, "lab/tool")
    assert snap.repo.releases == [] and not any(
        h.path.endswith("/releases?per_page=100") for h in github.hits
    )
    git("tag", "v1", cwd=repo)  # GitHub publishes a release with a tag
    snap, _ = acquire(github, tmp_path, "lab/tool")
    assert [r.tag for r in snap.repo.releases] == ["v1"]


def test_without_the_git_host_the_commit_is_asked_of_the_api(github, tmp_path):
    repo = make_repo(tmp_path / "t", {"README.md": "# t\n", "a.py": "1\n"})
    github.add("lab/tool", repo)
    snap, _ = acquire(github, tmp_path, "lab/tool", probe=False)
    assert snap.repo.commit == git("rev-parse", "HEAD", cwd=repo).strip()
    assert [h.path for h in github.hits][:2] == ["/repos/lab/tool", "/repos/lab/tool/git/ref/heads/main"]
    assert snap.files == ["README.md", "a.py"]


def test_a_renamed_repository_is_followed_by_the_git_host_too(github, tmp_path):
    github.add("new-owner/NewName", make_repo(tmp_path / "r", {"README.md": "# r\n"}))
    github.rename("lab/oldname", "new-owner/newname")
    api = source(github, tmp_path)
    refs = api.refs("lab", "oldname")
    assert refs is not None and refs.head and refs.branch == "main" and refs.moved_to == "new-owner/NewName"
    assert github.hits[0].status == 301 and github.hits[1].path.startswith("/new-owner/NewName.git/info/refs")


def test_heads_of_many_repositories_come_from_one_graphql_request_and_agree_with_the_refs(github, tmp_path):
    tool = make_repo(tmp_path / "tool", {"README.md": "# t\n"}, branch="trunk")
    git("tag", "-a", "v1", "-m", "first", cwd=tool)
    github.add("lab/tool", tool)
    github.add("lab/empty", make_repo(tmp_path / "empty", {}))
    api = ApiSource(client=GitHubClient(base_url=github.url, token="t0ken", cache_path=tmp_path / "c.sqlite"))
    meter = Meter()
    found = api.heads([("lab", "tool"), ("lab", "empty"), ("nobody", "missing")], meter=meter)
    assert [(h.path, h.authorization) for h in github.hits] == [("/graphql", "Bearer t0ken")]
    assert meter.tally.requests == 1
    assert list(found) == ["lab/tool"]  # the empty and the missing one are left to `refs`
    refs = api.refs("lab", "tool")
    assert found["lab/tool"].refs == refs and refs.branch == "trunk" and list(refs.tags) == ["v1"]
    assert (
        found["lab/tool"].refs.tags_digest == refs.tags_digest
    )  # results cached by either are found by both


def test_metadata_from_graphql_makes_the_same_snapshot_as_the_rest_call_it_saves(github, tmp_path):
    github.add(
        "lab/tool", make_repo(tmp_path / "tool", {"README.md": "# t\n"}), license="MIT", stargazers_count=7
    )
    github.add("lab/custom", make_repo(tmp_path / "custom", {"LICENSE": "Mine.\n"}), license="NOASSERTION")
    github.rename("lab/old", "lab/tool")
    api = ApiSource(client=GitHubClient(base_url=github.url, token="t0ken"))
    found = api.heads([("lab", "old"), ("lab", "custom")])
    for owner, name in [("lab", "old"), ("lab", "custom")]:
        learned = found[f"{owner}/{name}"]
        before = len(github.hits)
        batched = api.acquire(name, owner, name, web_url="u", refs=learned.refs, meta=learned.meta)
        assert not any(h.path == f"/repos/{owner}/{name}" for h in github.hits[before:])
        by_rest = api.acquire(name, owner, name, web_url="u", refs=learned.refs)
        assert batched.repo == by_rest.repo
    assert batched.repo.license_spdx == "NOASSERTION"  # GraphQL names no id for an unidentified license
    assert by_rest.repo.host.stars == 0
    tool = api.acquire(
        "old", "lab", "old", web_url="u", refs=found["lab/old"].refs, meta=found["lab/old"].meta
    )
    assert (
        tool.repo.renamed.new == "lab/tool" and tool.repo.license_spdx == "MIT" and tool.repo.host.stars == 7
    )


def test_heads_leave_out_a_repository_with_over_a_hundred_tags_and_need_a_token(github, tmp_path):
    repo = make_repo(tmp_path / "tags", {"README.md": "# t\n"})
    head = git("rev-parse", "HEAD", cwd=repo).strip()
    updates = "".join(f"create refs/tags/t{i:03d} {head}\n" for i in range(101))
    subprocess.run(["git", "update-ref", "--stdin"], cwd=repo, input=updates, text=True, check=True)
    github.add("lab/tags", repo)
    with_token = ApiSource(client=GitHubClient(base_url=github.url, token="t0ken"))
    assert with_token.heads([("lab", "tags")]) == {}  # the ref advertisement lists them all instead
    assert len(with_token.refs("lab", "tags").tags) == 101
    without = ApiSource(client=GitHubClient(base_url=github.url))
    assert without.heads([("lab", "tags")]) == {} and github.hits[-1].status == 401
    with pytest.raises(ValueError, match="at most 50"):
        with_token.heads([("lab", f"r{i}") for i in range(51)])


def test_trees_and_blobs_named_by_id_are_never_asked_for_twice(github, tmp_path):
    github.add("lab/tool", make_repo(tmp_path / "t", {"README.md": "# t\n", "a.py": "1\n"}))
    for _ in range(2):
        snap, _ = acquire(github, tmp_path, "lab/tool")
        snap.prefetch({"README.md"})
        assert snap.text("README.md").text == "# t\n"
    asked = [(h.path.split("?")[0].split("/")[-2], h.status) for h in github.hits]
    assert asked == [
        ("info", 200),
        ("lab", 200),
        ("trees", 200),
        ("blobs", 200),
        ("info", 200),  # the refs are asked again: they may have moved
        ("lab", 304),  # the metadata is revalidated
    ]


def cloner(repo: Path, tmp_path: Path, asked: list, **settings):
    """A clone callable as the pipeline gives one: the served repository, cloned by file URL."""
    git_source = GitSource(cache_dir=tmp_path / "clones", runner=GitRunner(allow_file=True), **settings)

    def clone(full_name: str, branch: str, commit: str):
        asked.append((full_name, branch, commit))
        return git_source.clone_at(full_name, repo.as_uri(), branch=branch, sha=commit)[0]

    return clone


def test_without_source_code_a_few_files_are_read_through_the_api_and_the_rest_from_a_clone(github, tmp_path):
    files = {f"doc{i}.md": f"# Part {i}\n" for i in range(12)}
    github.add("lab/docs", make_repo(tmp_path / "d", files))
    asked: list[tuple[str, str, str]] = []
    api = source(github, tmp_path)
    clone = cloner(tmp_path / "d", tmp_path, asked)
    snap = api.acquire("k", "lab", "docs", web_url="u", refs=api.refs("lab", "docs"), clone=clone)
    snap.prefetch({f"doc{i}.md" for i in range(READS_BEFORE_CLONE)})
    assert len(blob_hits(github)) == READS_BEFORE_CLONE and asked == []  # a few: through the API
    snap.prefetch(set(files))  # more: one batch into a clone
    assert [snap.text(f"doc{i}.md").text for i in range(12)] == [f"# Part {i}\n" for i in range(12)]
    assert len(blob_hits(github)) == READS_BEFORE_CLONE  # the rest from the clone
    assert asked == [("lab/docs", "main", snap.repo.commit)]  # one clone, at the audited commit
    assert snap.repo.cost.git == ["fetch 10 files"]


def test_a_batch_of_many_files_is_fetched_into_a_clone_at_once(github, tmp_path):
    files = {f"doc{i}.md": f"# Part {i}\n" for i in range(12)}
    github.add("lab/docs", make_repo(tmp_path / "d", files))
    asked: list[tuple[str, str, str]] = []
    api = source(github, tmp_path)
    clone = cloner(tmp_path / "d", tmp_path, asked)
    snap = api.acquire("k", "lab", "docs", web_url="u", refs=api.refs("lab", "docs"), clone=clone)
    snap.prefetch(set(files))
    assert blob_hits(github) == [] and len(asked) == 1
    assert [snap.text(f"doc{i}.md").text for i in range(12)] == [f"# Part {i}\n" for i in range(12)]


def test_when_the_clone_fails_files_are_read_through_the_api(github, tmp_path):
    github.add("lab/code", make_repo(tmp_path / "c", {f"m{i}.py": f"x = {i}\n" for i in range(20)}))
    calls = []
    api = source(github, tmp_path)
    snap = api.acquire("k", "lab", "code", web_url="u", clone=lambda *a: calls.append(a))
    snap.prefetch(set(snap.files))
    assert [snap.text(f"m{i}.py").text for i in range(20)] == [f"x = {i}\n" for i in range(20)]
    assert len(calls) == 1 and len(blob_hits(github)) == 20  # many source files: asked at once


def test_files_in_the_clone_still_read_after_a_later_fetch_into_it_failed(github, tmp_path):
    first = {f"doc{i}.md": f"# Part {i}\n" for i in range(6)}
    later = {f"notes/n{i}.md": f"Note {i}\n" for i in range(6)}
    github.add("lab/docs", make_repo(tmp_path / "d", first | later))
    shutil.copytree(tmp_path / "d", tmp_path / "mirror")  # where the clone fetches from
    api, meter = source(github, tmp_path), Meter()
    clone = cloner(tmp_path / "mirror", tmp_path, [])
    snap = api.acquire(
        "k", "lab", "docs", web_url="u", refs=api.refs("lab", "docs"), meter=meter, clone=clone
    )
    snap.prefetch(set(first))
    assert blob_hits(github) == []  # into the clone
    shutil.rmtree(tmp_path / "mirror")  # the next fetch into the clone fails
    snap.prefetch(set(later))
    assert len(blob_hits(github)) == len(later)  # that batch came through the API
    assert {p: snap.text(p).text for p in first | later} == first | later
    assert snap.take_missed() == set() and meter.failed_reads == 0


def test_files_of_a_clone_removed_past_its_size_cap_are_pending_again_and_then_read_through_the_api(
    github, tmp_path
):
    first = {f"doc{i}.md": f"# Part {i}\n" for i in range(6)}
    later = {f"data/d{i}.bin": os.urandom(40_000) for i in range(6)}
    github.add("lab/docs", make_repo(tmp_path / "d", first | later))
    api = source(github, tmp_path)
    clone = cloner(tmp_path / "d", tmp_path, [], max_bytes=150_000)
    snap = api.acquire("k", "lab", "docs", web_url="u", refs=api.refs("lab", "docs"), clone=clone)
    snap.prefetch(set(first))
    assert blob_hits(github) == []  # into the clone
    snap.prefetch(set(later))  # takes the clone past its cap: it is removed
    assert not list((tmp_path / "clones" / "git").glob("*.git"))
    assert len(blob_hits(github)) == len(later)
    assert snap.text("doc0.md") is None and snap.take_missed() == {"doc0.md"}  # unknown, not absent
    snap.prefetch(set(first))
    assert {p: snap.text(p).text for p in first} == first
    assert len(blob_hits(github)) == len(later) + len(first)


def test_code_github_sees_is_cloned_before_any_read_and_the_tree_is_the_clones(github, tmp_path):
    files = {"README.md": "# Tool\n", "LICENSE": "MIT License\n", "train.py": "import torch\n"}
    github.add("lab/small", make_repo(tmp_path / "s", files))  # GitHub calls it Python
    asked: list[tuple[str, str, str]] = []
    api = source(github, tmp_path)
    snap = api.acquire("k", "lab", "small", web_url="u", clone=cloner(tmp_path / "s", tmp_path, asked))
    assert [a[0] for a in asked] == ["lab/small"] and snap.repo.file_count == 3
    assert sorted(snap.entries) == ["LICENSE", "README.md", "train.py"]
    snap.prefetch({"train.py"})
    assert snap.text("train.py").text == "import torch\n"
    assert not [h for h in github.hits if "/git/trees/" in h.path or "/git/blobs/" in h.path]


def test_without_metadata_a_rate_limit_on_the_releases_leaves_them_unknown_and_the_rest_audited(
    github, tmp_path
):
    repo = make_repo(tmp_path / "t", {"README.md": "# t\n", "train.py": "import torch\n"})
    git("tag", "v1", cwd=repo)
    github.add("lab/tool", repo, releases=[release("v1", ("model.pth", 10))])
    api = source(github, tmp_path, metadata=False)
    refs = api.refs("lab", "tool")
    github.rate_limit(reset=int(NOW) + 3600)  # the API's hourly 60 are spent
    meter = Meter()
    clone = cloner(repo, tmp_path, [])
    snap = api.acquire("k", "lab", "tool", web_url="u", refs=refs, meter=meter, clone=clone)
    assert snap.repo.status is RepoStatus.OK and snap.repo.releases is None
    assert "the releases could not be listed" in snap.repo.detail
    snap.prefetch({"train.py"})
    assert snap.text("train.py").text == "import torch\n"  # from the clone
    assert meter.failed_reads == 1  # so the result is not kept for the next run
