"""Acquisition by git against real repositories served by file:// URL."""

import os
import select
from pathlib import Path

import pytest
from gitrepos import commit, git, make_repo

from auditor.acquire.gitrunner import GitError, GitRunner, GitTimeout, UnsafeURLError, check_url
from auditor.acquire.gitsource import GitSource, Remote
from auditor.models import EntryKind, RepoStatus


def source(tmp_path: Path, timeout: float = 120.0, **kwargs) -> GitSource:
    runner = GitRunner(allow_file=True, timeout=timeout)
    return GitSource(cache_dir=tmp_path / "cache", runner=runner, **kwargs)


def local_objects(repo: Path) -> set[str]:
    """Objects present in a repository, listed without fetching anything."""
    out = git("cat-file", "--batch-all-objects", "--batch-check=%(objectname)", cwd=repo)
    return set(out.split())


def ends(pid: int, within: float) -> bool:
    """Whether a process has ended, or ends within `within` seconds (SIGKILL is delivered
    asynchronously): a pidfd becomes readable when its process exits, so nothing polls."""
    try:
        fd = os.pidfd_open(pid)
    except ProcessLookupError:
        return True
    try:
        return bool(select.select([fd], [], [], within)[0])
    finally:
        os.close(fd)


def test_clone_lists_tree_and_reads_files_without_checkout(tmp_path: Path):
    repo = make_repo(
        tmp_path / "r",
        {"README.md": "# Tool\n", "src/train.py": "print(1)\n"},
        branch="master",
        symlinks={"link": "/etc/passwd"},
    )
    snap = source(tmp_path).acquire("k", repo.as_uri(), web_url="https://example.org/r")
    assert snap.repo.status is RepoStatus.OK
    assert snap.repo.branch == "master"
    assert snap.repo.commit == git("rev-parse", "HEAD", cwd=repo).strip()
    assert snap.files == ["README.md", "src/train.py"]
    assert snap.entries["link"].kind is EntryKind.SYMLINK
    assert snap.entries["src/train.py"].size == 9
    assert snap.text("README.md").text == "# Tool\n"
    assert snap.text("link") is None  # symlinks are never read
    clone = tmp_path / "cache" / "git" / "k.git"
    assert not (clone / "README.md").exists()  # bare: nothing checked out


def test_blobs_over_the_limit_are_not_downloaded_nor_read(tmp_path: Path):
    repo = make_repo(tmp_path / "r", {"README.md": "hi\n", "model.pth": b"\x01" * 5000})
    snap = source(tmp_path, blob_limit=1000).acquire("k", repo.as_uri(), web_url="u")
    assert snap.entries["model.pth"].size is None
    assert snap.text("model.pth") is None
    assert snap.entries["README.md"].size == 3


def test_second_run_reuses_the_cache_and_fetches_new_commits(tmp_path: Path):
    repo = make_repo(tmp_path / "r", {"README.md": "v1\n"})
    src = source(tmp_path)
    first = src.acquire("k", repo.as_uri(), web_url="u")
    again = src.acquire("k", repo.as_uri(), web_url="u")
    assert again.repo.commit == first.repo.commit
    new = commit(repo, {"README.md": "v2\n", "train.py": "x = 1\n"})
    updated = src.acquire("k", repo.as_uri(), web_url="u")
    assert updated.repo.commit == new
    assert updated.text("README.md").text == "v2\n"
    assert "train.py" in updated.files


def test_missing_and_empty_repositories_become_statuses(tmp_path: Path):
    src = source(tmp_path)
    missing = src.acquire("k1", (tmp_path / "nope").as_uri(), web_url="u")
    assert missing.repo.status is RepoStatus.NOT_FOUND
    empty = make_repo(tmp_path / "empty", {})
    assert src.acquire("k2", empty.as_uri(), web_url="u").repo.status is RepoStatus.EMPTY


def test_file_urls_are_refused_unless_a_local_source_was_configured(tmp_path: Path):
    repo = make_repo(tmp_path / "r", {"README.md": "x\n"})
    src = GitSource(cache_dir=tmp_path / "cache", runner=GitRunner(allow_file=False))
    snap = src.acquire("k", repo.as_uri(), web_url="u")
    assert snap.repo.status is RepoStatus.REFUSED
    assert not (tmp_path / "cache").exists()


@pytest.mark.parametrize(
    "url",
    [
        "ext::sh -c touch% /tmp/pwned",
        "--upload-pack=touch /tmp/pwned",
        "-uhttps://github.com/a/b",
        "ssh://-oProxyCommand=touch/a/b",
        "git@github.com:a/b.git",
        "http://github.com/a/b",
        "https://user:secret@github.com/a/b",
        "fd::17",
        "file:///etc",
        "",
    ],
)
def test_unsafe_urls_are_refused_before_git_runs(url):
    with pytest.raises(UnsafeURLError):
        check_url(url, allow_file=False)


def test_https_urls_are_allowed():
    assert check_url("https://github.com/a/b.git", allow_file=False) == "https://github.com/a/b.git"


def test_network_cost_is_recorded_and_a_current_clone_costs_one_ls_remote(tmp_path: Path):
    repo = make_repo(tmp_path / "r", {"README.md": "v1\n"})
    src = source(tmp_path)
    assert src.acquire("k", repo.as_uri(), web_url="u").repo.cost.git == ["ls-remote", "clone"]
    assert src.acquire("k", repo.as_uri(), web_url="u").repo.cost.git == ["ls-remote"]
    commit(repo, {"README.md": "v2\n"})
    assert src.acquire("k", repo.as_uri(), web_url="u").repo.cost.git == ["ls-remote", "fetch"]


def test_a_commit_the_host_no_longer_serves_gives_way_to_the_tip_of_its_branch(tmp_path: Path):
    repo = make_repo(tmp_path / "r", {"README.md": "v2\n"})
    gone = "1" * 40  # asked before a force-push replaced it
    snap = source(tmp_path).acquire(
        "k", repo.as_uri(), web_url="u", remote=Remote(repo.as_uri(), "main", gone)
    )
    assert (
        snap.repo.status is RepoStatus.OK and snap.repo.commit == git("rev-parse", "HEAD", cwd=repo).strip()
    )
    assert snap.text("README.md").text == "v2\n"


def test_an_older_commit_of_the_branch_is_fetched_as_asked(tmp_path: Path):
    repo = make_repo(tmp_path / "r", {"README.md": "v1\n"})
    asked = git("rev-parse", "HEAD", cwd=repo).strip()
    commit(repo, {"README.md": "v2\n"})
    snap = source(tmp_path).acquire(
        "k", repo.as_uri(), web_url="u", remote=Remote(repo.as_uri(), "main", asked)
    )
    assert snap.repo.commit == asked and snap.text("README.md").text == "v1\n"


def test_reading_a_filtered_clone_can_never_fetch_the_missing_blobs(tmp_path: Path):
    repo = make_repo(tmp_path / "r", {"README.md": "hi\n", "model.pth": b"\x01" * 5000})
    src = source(tmp_path, blob_limit=1000)
    snap = src.acquire("k", repo.as_uri(), web_url="u")
    assert snap.text("model.pth") is None and snap.text("README.md").text == "hi\n"
    clone = tmp_path / "cache" / "git" / "k.git"
    missing = git("rev-parse", "HEAD:model.pth", cwd=repo).strip()
    assert missing not in local_objects(clone)
    # Even asking for the blob outright, the way reads run: git may use no transport to get it.
    with pytest.raises(GitError, match="could not fetch"):
        src.runner.without_network().run(["cat-file", "-p", missing], cwd=clone)
    assert missing not in local_objects(clone)
    # An ordinary git would have downloaded it on the spot: the guard is what keeps it out.
    git("-c", "protocol.file.allow=always", "cat-file", "-p", missing, cwd=clone)
    assert missing in local_objects(clone)


def test_a_clone_over_the_size_cap_is_refused_and_removed(tmp_path: Path):
    repo = make_repo(tmp_path / "r", {"README.md": "x\n", "data.bin": os.urandom(200_000)})
    snap = source(tmp_path, max_bytes=50_000).acquire("k", repo.as_uri(), web_url="u")
    assert snap.repo.status is RepoStatus.TOO_LARGE and "size cap" in snap.repo.detail
    assert list((tmp_path / "cache" / "git").iterdir()) == []


def test_a_hung_git_is_killed_with_all_its_children(tmp_path: Path, monkeypatch):
    """A stand-in git that starts a child and hangs, as git-remote-https can on a stalled server."""
    fake = tmp_path / "bin" / "git"
    fake.parent.mkdir()
    pidfile = tmp_path / "child.pid"
    fake.write_text(f"#!/bin/sh\nsleep 300 &\necho $! > {pidfile}\nwait\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{fake.parent}{os.pathsep}{os.environ['PATH']}")
    repo = tmp_path / "r.git"
    snap = source(tmp_path, timeout=1.0).acquire("k", repo.as_uri(), web_url="u")
    assert snap.repo.status is RepoStatus.TIMEOUT
    with pytest.raises(GitTimeout):
        GitRunner(timeout=1.0).run(["ls-remote", "https://example.org/a/b"])
    assert ends(int(pidfile.read_text()), within=2.0)


def test_plain_http_is_allowed_only_at_the_origin_the_user_configured():
    mirror = "http://127.0.0.1:8080"
    assert check_url("http://127.0.0.1:8080/lab/tool.git", allow_file=False, http_origin=mirror)
    for url in ("http://127.0.0.1:8081/lab/tool.git", "http://evil.example/lab/tool.git"):
        with pytest.raises(UnsafeURLError, match="only https"):
            check_url(url, allow_file=False, http_origin=mirror)
    with pytest.raises(UnsafeURLError, match="only https"):
        check_url("http://127.0.0.1:8080/lab/tool.git", allow_file=False)
    with pytest.raises(UnsafeURLError, match=r"\*\*\*@"):  # refused, and not shown
        check_url("http://user:pw@127.0.0.1:8080/lab/tool.git", allow_file=False, http_origin=mirror)
    assert "http" not in GitRunner().env["GIT_ALLOW_PROTOCOL"].split(":")
    assert GitRunner(http_origin=mirror).env["GIT_ALLOW_PROTOCOL"].split(":") == ["https", "http"]
