"""Acquisition by git against real repositories served by file:// URL."""

import os
import select
import shutil
import signal
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from gitrepos import commit, git, make_repo

from auditor.acquire import gitsource
from auditor.acquire.gitrunner import (
    GitError,
    GitRunner,
    GitTimeout,
    GitTooLarge,
    UnsafeURLError,
    check_url,
    redact,
)
from auditor.acquire.gitsource import GitSource, Remote
from auditor.acquire.snapshot import Snapshot
from auditor.models import EntryKind, RepoStatus


def source(tmp_path: Path, timeout: float = 120.0, **kwargs) -> GitSource:
    runner = GitRunner(allow_file=True, timeout=timeout)
    return GitSource(cache_dir=tmp_path / "cache", runner=runner, **kwargs)


def fetched(snap: Snapshot, *paths: str) -> Snapshot:
    """The snapshot with the blobs of `paths` (default: every file) fetched, as a caller's plan
    would have them."""
    snap.prefetch(set(paths or snap.files))
    return snap


def local_objects(repo: Path) -> set[str]:
    """Objects present in a repository, listed without fetching anything."""
    out = git("cat-file", "--batch-all-objects", "--batch-check=%(objectname)", cwd=repo)
    return set(out.split())


def never(folder: Path) -> Path:
    """A named pipe nobody writes to: `cat` on it waits until it is killed, as a hung process."""
    path = folder / "never"
    if not path.exists():
        os.mkfifo(path)
    return path


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
    snap = fetched(source(tmp_path).acquire("k", repo.as_uri(), web_url="https://example.org/r"))
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


def test_the_clone_holds_trees_and_only_the_blobs_asked_for_in_one_fetch(tmp_path: Path):
    figures = {f"figures/f{i}.png": os.urandom(2000) for i in range(20)}
    repo = make_repo(tmp_path / "r", {"README.md": "hi\n", "train.py": "import torch\n", **figures})
    snap = source(tmp_path).acquire("k", repo.as_uri(), web_url="u")
    clone = tmp_path / "cache" / "git" / "k.git"
    blobs = {p: git("rev-parse", f"HEAD:{p}", cwd=repo).strip() for p in snap.files}
    assert not set(blobs.values()) & local_objects(clone)  # the tree only: no file yet
    assert snap.pending == set(snap.files) and snap.entries["train.py"].size is None
    snap.prefetch({"README.md", "train.py"})
    assert snap.repo.cost.git == ["ls-remote", "clone", "fetch 2 files"]  # one batch
    assert {blobs["README.md"], blobs["train.py"]} <= local_objects(clone)
    assert not {blobs[p] for p in figures} & local_objects(clone)
    assert snap.entries["train.py"].size == 13 and snap.text("README.md").text == "hi\n"
    assert snap.pending == set(figures)


def test_a_file_not_fetched_reads_as_unreadable_and_is_recorded_never_fetched(tmp_path: Path):
    repo = make_repo(tmp_path / "r", {"README.md": "hi\n", "docs/INSTALL.md": "pip install x\n"})
    snap = source(tmp_path).acquire("k", repo.as_uri(), web_url="u")
    snap.prefetch({"README.md"})
    assert snap.text("docs/INSTALL.md") is None and snap.entries["docs/INSTALL.md"].size is None
    assert snap.take_missed() == {"docs/INSTALL.md"}
    assert "docs/INSTALL.md" in snap.pending  # nothing was fetched behind the caller's back
    assert snap.take_missed() == set()
    snap.prefetch({"docs/INSTALL.md"})  # the next batch
    assert snap.text("docs/INSTALL.md").text == "pip install x\n"
    assert snap.repo.cost.git == ["ls-remote", "clone", "fetch 1 files", "fetch 1 files"]


def test_blobs_over_the_limit_are_listed_without_size_and_never_read(tmp_path: Path):
    repo = make_repo(tmp_path / "r", {"README.md": "hi\n", "model.pth": b"\x01" * 5000})
    snap = fetched(source(tmp_path, blob_limit=1000).acquire("k", repo.as_uri(), web_url="u"))
    assert snap.entries["model.pth"].size is None
    assert snap.text("model.pth") is None
    assert snap.entries["README.md"].size == 3


def test_a_notebook_over_the_blob_limit_is_fetched_and_read_up_to_the_notebook_limit(tmp_path: Path):
    """A notebook's code sits among its embedded plots: it is read up to its own, larger limit,
    where a source file of the same size is not."""
    cell = '{"cell_type": "code", "source": ["loss.backward()\\n"], "outputs": [{"data": "%s"}]}'
    notebook = '{"cells": [%s]}' % (cell % ("A" * 5000))
    repo = make_repo(tmp_path / "r", {"train.ipynb": notebook, "train.py": "# x\n" * 2000})
    snap = fetched(source(tmp_path, blob_limit=1000).acquire("k", repo.as_uri(), web_url="u"))
    assert snap.entries["train.ipynb"].size == len(notebook)
    assert "loss.backward()" in snap.text("train.ipynb", cap=len(notebook)).text
    assert snap.entries["train.py"].size is None and snap.text("train.py") is None


def test_a_batch_killed_for_its_size_is_halved_until_the_large_blob_is_alone_and_left_out(
    tmp_path: Path, monkeypatch
):
    """On a slow link the size watch kills a batch before a blob over the limit is downloaded
    whole; the batch is fetched again by halves. (The link here is fast: the watch is played.)"""
    files = {f"src/m{i}.py": f"x = {i}\n" for i in range(7)} | {"src/big.py": "y = 1\n" * 10}
    repo = make_repo(tmp_path / "r", files)
    big = git("rev-parse", "HEAD:src/big.py", cwd=repo).strip()
    src = source(tmp_path)
    snap = src.acquire("k", repo.as_uri(), web_url="u")
    batches: list[list[str]] = []
    real_run = GitRunner.run

    def watched(self, args, **kwargs):
        if "--stdin" in args:
            batches.append(kwargs["input"].split())
            if big in batches[-1]:
                raise GitTooLarge("git fetch exceeded the size cap")
        return real_run(self, args, **kwargs)

    monkeypatch.setattr(GitRunner, "run", watched)
    fetched(snap)
    assert snap.repo.status is RepoStatus.OK
    assert snap.entries["src/big.py"].size is None and snap.text("src/big.py") is None
    assert [snap.text(f"src/m{i}.py").text for i in range(7)] == [f"x = {i}\n" for i in range(7)]
    assert len(batches[0]) == 8 and [big] in batches  # halved down to the blob alone
    assert len(batches) <= 1 + 2 * 3  # log2(8) levels of two halves


def test_a_blob_the_server_lacks_is_left_unread_and_the_others_are_fetched(tmp_path: Path):
    """A mirror missing its large objects (or any server that lost one) names the blob it cannot
    send; that file is unreadable, the rest of the batch is fetched again without it."""
    work = make_repo(tmp_path / "w", {"README.md": "# r\n", "a.py": "a = 1\n", "b.py": "b = 2\n"})
    mirror = tmp_path / "mirror.git"
    git("clone", "-q", "--bare", "--no-local", str(work), str(mirror), cwd=tmp_path)
    git("config", "uploadpack.allowFilter", "true", cwd=mirror)
    lacking = git("rev-parse", "HEAD:a.py", cwd=work).strip()
    _remove_object(mirror, lacking)
    snap = fetched(source(tmp_path).acquire("k", mirror.as_uri(), web_url="u"))
    assert snap.repo.status is RepoStatus.OK
    assert snap.text("a.py") is None and snap.entries["a.py"].size is None
    assert snap.text("b.py").text == "b = 2\n" and snap.text("README.md").text == "# r\n"


def test_second_run_reuses_the_cache_and_fetches_new_commits(tmp_path: Path):
    repo = make_repo(tmp_path / "r", {"README.md": "v1\n"})
    src = source(tmp_path)
    first = fetched(src.acquire("k", repo.as_uri(), web_url="u"))
    again = src.acquire("k", repo.as_uri(), web_url="u")
    assert again.repo.commit == first.repo.commit
    assert again.pending == set()  # the blobs fetched before are still there
    new = commit(repo, {"README.md": "v2\n", "train.py": "x = 1\n"})
    updated = fetched(src.acquire("k", repo.as_uri(), web_url="u"))
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


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("https://user:p@ss@github.com/a/b", "https://***@github.com/a/b"),
        ("ext::https://user:p@ss@x/a@b", "ext::https://***@x/a@b"),
        ("https://github.com/a/b?at=x@y", "https://github.com/a/b?at=x@y"),
        ("https://github.com/a/b", "https://github.com/a/b"),
    ],
)
def test_redact_hides_the_whole_password_even_one_holding_an_at_sign(url, shown):
    assert redact(url) == shown


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
    assert fetched(snap).text("README.md").text == "v2\n"


def test_an_older_commit_of_the_branch_is_fetched_as_asked(tmp_path: Path):
    repo = make_repo(tmp_path / "r", {"README.md": "v1\n"})
    asked = git("rev-parse", "HEAD", cwd=repo).strip()
    commit(repo, {"README.md": "v2\n"})
    snap = source(tmp_path).acquire(
        "k", repo.as_uri(), web_url="u", remote=Remote(repo.as_uri(), "main", asked)
    )
    assert snap.repo.commit == asked and fetched(snap).text("README.md").text == "v1\n"


def test_reading_a_filtered_clone_can_never_fetch_the_missing_blobs(tmp_path: Path):
    repo = make_repo(tmp_path / "r", {"README.md": "hi\n", "model.pth": b"\x01" * 5000})
    src = source(tmp_path, blob_limit=1000)
    snap = fetched(src.acquire("k", repo.as_uri(), web_url="u"), "README.md")
    assert snap.text("model.pth") is None and snap.text("README.md").text == "hi\n"
    clone = tmp_path / "cache" / "git" / "k.git"
    missing = git("rev-parse", "HEAD:model.pth", cwd=repo).strip()
    assert missing not in local_objects(clone)
    # Even asking for the blob outright, the way reads run: git may use no transport to get it.
    with pytest.raises(GitError, match="could not fetch"):
        src.runner.without_network().run(["cat-file", "-p", missing], cwd=clone)
    assert missing not in local_objects(clone)
    # An ordinary git told where the clone came from would have downloaded it on the spot: the
    # guard is what keeps it out. (The clone's configuration does not even name its remote.)
    git(
        "-c",
        "protocol.file.allow=always",
        "-c",
        f"remote.origin.url={repo.as_uri()}",
        "cat-file",
        "-p",
        missing,
        cwd=clone,
    )
    assert missing in local_objects(clone)


def _read_local(path: Path) -> Snapshot:
    runner = GitRunner(allow_file=True, timeout=60, trusted_path=path)
    return gitsource.read_repository(path, key="k", web_url="u", subpath=None, source="local", runner=runner)


def test_a_local_checkout_is_read_with_its_branch_sizes_and_symlinks(tmp_path: Path):
    repo = make_repo(
        tmp_path / "r", {"README.md": "hi\n", "src/a.py": "x = 1\n"}, symlinks={"ln": "README.md"}
    )
    snap = _read_local(repo)
    assert (snap.repo.status, snap.repo.branch, snap.repo.file_count) == (RepoStatus.OK, "main", 2)
    assert snap.repo.commit == git("rev-parse", "HEAD", cwd=repo).strip()
    assert snap.entries["src/a.py"].size == 6 and snap.entries["ln"].kind is EntryKind.SYMLINK
    assert snap.entries["ln"].size == len("README.md") and snap.text("README.md").text == "hi\n"
    git("checkout", "-q", "--detach", cwd=repo)
    assert _read_local(repo).repo.branch is None
    git("checkout", "-q", "-b", "feature/x", cwd=repo)
    assert _read_local(repo).repo.branch == "feature/x"
    git("tag", "feature/x", cwd=repo)  # a tag of the same name: the branch is named unambiguously
    assert _read_local(repo).repo.branch == "heads/feature/x"
    empty = make_repo(tmp_path / "empty", {})
    assert (_read_local(empty).repo.status, _read_local(empty).repo.branch) == (RepoStatus.EMPTY, None)


def test_a_local_partial_clone_lists_the_blobs_it_lacks_without_size_and_never_fetches_them(
    tmp_path: Path,
):
    repo = make_repo(tmp_path / "r", {"README.md": "hi\n", "model.pth": b"\x01" * 5000})
    part = tmp_path / "part"
    git(
        "-c",
        "protocol.file.allow=always",
        "clone",
        "-q",
        "--no-checkout",  # a checkout would fetch the blob it lacks
        "--filter=blob:limit=1000",
        repo.as_uri(),
        str(part),
        cwd=tmp_path,
    )
    missing = git("rev-parse", "HEAD:model.pth", cwd=repo).strip()
    assert missing not in git("cat-file", "--batch-all-objects", "--batch-check", cwd=part)
    snap = _read_local(part)
    assert snap.repo.status is RepoStatus.OK and snap.repo.file_count == 2
    assert snap.entries["README.md"].size == 3 and snap.entries["model.pth"].size is None
    assert snap.text("model.pth") is None and snap.text("README.md").text == "hi\n"
    assert missing not in git("cat-file", "--batch-all-objects", "--batch-check", cwd=part)


def test_a_local_repository_missing_a_blob_lists_it_without_size_and_reads_the_rest(tmp_path: Path):
    """A copy that lacks some objects and has no remote to get them from (a mirror made without
    its large files, a damaged store): `git ls-tree --long` names the size of a blob it cannot find
    `BAD` and succeeds. That file is unreadable; the repository is read, not an error."""
    repo = make_repo(tmp_path / "r", {"README.md": "hi\n", "slides.pdf": b"%PDF" + b"\x01" * 5000})
    missing = git("rev-parse", "HEAD:slides.pdf", cwd=repo).strip()
    (repo / ".git" / "objects" / missing[:2] / missing[2:]).unlink()
    assert "BAD" in git("ls-tree", "-r", "--long", "HEAD", cwd=repo)
    snap = _read_local(repo)
    assert snap.repo.status is RepoStatus.OK and snap.repo.file_count == 2
    assert snap.entries["slides.pdf"].size is None and snap.text("slides.pdf") is None
    assert snap.entries["README.md"].size == 3 and snap.text("README.md").text == "hi\n"


def test_a_clone_over_the_size_cap_is_refused_and_removed(tmp_path: Path):
    repo = make_repo(tmp_path / "r", {"README.md": "x\n", "data.bin": os.urandom(200_000)})
    # A server that ignores the blob filter (here: one that does not allow filters) sends it all.
    git("config", "uploadpack.allowFilter", "false", cwd=repo)
    snap = source(tmp_path, max_bytes=50_000).acquire("k", repo.as_uri(), web_url="u")
    assert snap.repo.status is RepoStatus.TOO_LARGE and "size cap" in snap.repo.detail
    assert _clones(tmp_path) == []


def test_files_read_that_take_the_clone_past_its_size_cap_make_it_too_large(tmp_path: Path):
    repo = make_repo(tmp_path / "r", {"README.md": "x\n", "data.py": os.urandom(200_000)})
    snap = source(tmp_path, max_bytes=50_000).acquire("k", repo.as_uri(), web_url="u")
    assert snap.repo.status is RepoStatus.OK  # the trees are small
    fetched(snap)
    assert snap.repo.status is RepoStatus.TOO_LARGE and "size cap" in snap.repo.detail
    assert snap.files == [] and snap.text("README.md") is None
    assert _clones(tmp_path) == []


def _clones(tmp_path: Path) -> list[Path]:
    return [p for p in (tmp_path / "cache" / "git").iterdir() if p.name != ".clones.lock"]


def _remove_object(bare: Path, sha: str) -> None:
    """Take one object out of a bare repository whose objects are all in one pack."""
    packs = list((bare / "objects" / "pack").glob("*.pack"))
    for pack in packs:
        data = pack.read_bytes()
        pack.rename(pack.with_suffix(".old"))
        pack.with_suffix(".idx").unlink()
        subprocess.run(["git", "unpack-objects", "-q"], cwd=bare, input=data, check=True)
    loose = bare / "objects" / sha[:2] / sha[2:]
    loose.unlink()


def test_a_hung_git_is_killed_with_all_its_children(tmp_path: Path, monkeypatch):
    """A stand-in git that starts a child and hangs, as git-remote-https can on a stalled server."""
    fake = tmp_path / "bin" / "git"
    fake.parent.mkdir()
    children = tmp_path / "children"
    children.mkdir()
    # Each call writes its child's pid to a file of its own ($$: the stand-in's pid).
    fake.write_text(f"#!/bin/sh\ncat {never(tmp_path)} &\necho $! > {children}/$$.pid\nwait\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{fake.parent}{os.pathsep}{os.environ['PATH']}")
    repo = tmp_path / "r.git"
    snap = source(tmp_path, timeout=1.0).acquire("k", repo.as_uri(), web_url="u")
    assert snap.repo.status is RepoStatus.TIMEOUT
    with pytest.raises(GitTimeout):
        GitRunner(timeout=1.0).run(["ls-remote", "https://127.0.0.1:9/a/b"])  # loopback, were git real
    pids = [int(p.read_text()) for p in children.glob("*.pid")]
    assert len(pids) == 2 and all(ends(pid, within=2.0) for pid in pids)


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


# A process that makes a temporary clone in a cache folder and holds it, as a clone in progress.
HOLD = """
import sys
from dataclasses import dataclass, field
from pathlib import Path
from auditor.acquire.gitsource import _temporary_clone
with _temporary_clone(Path(sys.argv[1])) as tmp:
    print(tmp, flush=True)
    sys.stdin.read()
"""


def test_temporary_clones_of_a_dead_process_are_removed_and_a_live_ones_kept(tmp_path: Path, monkeypatch):
    parent = tmp_path / "cache" / "git"
    parent.mkdir(parents=True)
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(parent)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None
        held = Path(holder.stdout.readline().strip())
        stale = parent / ".clone-left-by-kill-9"
        (stale / "r" / "objects").mkdir(parents=True)  # its maker is gone: nobody holds it
        repo = make_repo(tmp_path / "r", {"README.md": "# r\n"})
        # The first clone of this process into the cache sweeps it.
        assert source(tmp_path).acquire("k", repo.as_uri(), web_url="u").repo.status is RepoStatus.OK
        assert not stale.exists()
        assert held.is_dir()  # its maker is alive: a clone in progress is never removed
    finally:
        holder.kill()
        holder.communicate()
    monkeypatch.setattr(gitsource, "_SWEPT", set())  # a later process
    assert source(tmp_path).acquire("k2", repo.as_uri(), web_url="u").repo.status is RepoStatus.OK
    assert not held.exists()
    assert not list(parent.glob(".clone-*"))


def test_a_run_killed_mid_clone_leaves_nothing_once_the_next_run_starts(tmp_path: Path):
    """`kill -9` of a run while git fetches: the next run removes the temporary clone."""
    real = shutil.which("git")
    fake = tmp_path / "bin" / "git"
    fake.parent.mkdir()
    started = tmp_path / "fetching"
    os.mkfifo(started)
    # A git that hangs in its first fetch, as on a stalled server, and says so.
    hang = f"echo $$ > {started}; exec cat {never(tmp_path)}"
    fake.write_text(f'#!/bin/sh\ncase " $* " in *" fetch "*) {hang};; esac\nexec {real} "$@"\n')
    fake.chmod(0o755)
    repo = make_repo(tmp_path / "r", {"README.md": "# r\n"})
    cache = tmp_path / "cache"
    args = [sys.executable, "-m", "auditor", "run", "--repo", str(repo), "--cache-dir", str(cache)]
    args += ["--out", str(tmp_path / "out"), "--quiet", "--no-network-checks"]
    env = os.environ | {"PATH": f"{fake.parent}{os.pathsep}{os.environ['PATH']}"}
    fetching = os.open(started, os.O_RDONLY | os.O_NONBLOCK)  # readable once git has said so
    run = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    ended = os.pidfd_open(run.pid)  # readable once the run has ended
    git_pid = None
    try:
        ready = select.select([fetching, ended], [], [], 60)[0]
        assert ready == [fetching], "the run ended, or did not fetch within 60 s"
        git_pid = int(os.read(fetching, 64))
        assert list((cache / "git").glob(".clone-*"))
    finally:
        run.kill()
        run.wait()
        os.close(ended)
        os.close(fetching)
        if git_pid:
            os.kill(git_pid, signal.SIGKILL)  # git runs in its own process group
    assert list((cache / "git").glob(".clone-*"))  # what kill -9 leaves
    done = subprocess.run(args, capture_output=True, check=False)
    assert done.returncode == 0 and (tmp_path / "out" / "report.json").exists()
    assert not list((cache / "git").glob(".clone-*"))


def test_no_fetch_starts_git_maintenance_in_a_clone(tmp_path: Path):
    repo = make_repo(tmp_path / "r", {"README.md": "v1\n", "train.py": "x = 1\n"})
    src = source(tmp_path)
    first = fetched(src.acquire("k", repo.as_uri(), web_url="u"))
    clone = src._cache_path("k")
    # had a fetch run `git maintenance run --auto`, its gc would repack these packs, here and now
    git("config", "gc.autoPackLimit", "1", cwd=clone)
    git("config", "gc.autoDetach", "false", cwd=clone)

    def packs() -> int:
        return len(list((clone / "objects" / "pack").glob("*.pack")))

    assert packs() == 2  # the commit's trees, then its blobs
    commit(repo, {"README.md": "v2\n", "train.py": "x = 2\n"})
    updated = src.acquire("k", repo.as_uri(), web_url="u")
    assert updated.repo.commit != first.repo.commit
    assert packs() == 3
    assert fetched(updated).text("train.py").text == "x = 2\n"
    assert packs() == 4


@dataclass(frozen=True)
class Recording(GitRunner):
    """A runner that notes the git commands it starts."""

    commands: list[str] = field(default_factory=list)

    def run_bytes(self, args: list[str], **kwargs) -> bytes:
        self.commands.append(args[0])
        return super().run_bytes(args, **kwargs)


def probed(tmp_path: Path, url: str, *, by_ls_remote: bool = False) -> tuple[object, list[str]]:
    """What `probe` tells of `url` (its Remote's branch and commit, or its failed snapshot's status
    and detail), and the git commands it ran; `by_ls_remote`: as `git ls-remote` alone tells it."""
    runner = Recording(allow_file=True, timeout=120.0)
    src = GitSource(cache_dir=tmp_path / "cache", runner=runner)
    with pytest.MonkeyPatch.context() as patch:
        if by_ls_remote:
            patch.setattr(gitsource, "_local_path", lambda _url: None)
        remote = src.probe("k", url, web_url="u")
    if isinstance(remote, Remote):
        return (remote.branch, remote.sha, remote.contacted), runner.commands
    return (remote.repo.status, remote.repo.detail, remote.repo.cost.git), runner.commands


def test_a_local_repository_is_asked_by_upload_pack_alone_and_answers_as_ls_remote(tmp_path: Path):
    repo = make_repo(tmp_path / "r", {"README.md": "v1\n"}, branch="trunk")
    detached = make_repo(tmp_path / "d", {"README.md": "v1\n"})
    git("checkout", "-q", "--detach", cwd=detached)
    empty = make_repo(tmp_path / "e", {})
    unborn = make_repo(tmp_path / "u", {"README.md": "v1\n"})  # HEAD names a branch with no commit
    git("symbolic-ref", "HEAD", "refs/heads/gone", cwd=unborn)
    bare = tmp_path / "b.git"
    git("clone", "-q", "--bare", str(repo), str(bare), cwd=tmp_path)
    missing = (tmp_path / "missing").as_uri()
    urls = [repo.as_uri(), detached.as_uri(), empty.as_uri(), unborn.as_uri(), bare.as_uri(), missing]
    urls.append(f"file://{tmp_path}/b")  # b.git, found as ls-remote finds it
    for url in urls:
        told, commands = probed(tmp_path, url)
        assert (told, ["ls-remote"]) == probed(tmp_path, url, by_ls_remote=True), url
        # a failure is said in ls-remote's words
        assert commands == (["upload-pack", "ls-remote"] if url == missing else ["upload-pack"]), url
    assert probed(tmp_path, repo.as_uri())[0][:2] == ("trunk", git("rev-parse", "HEAD", cwd=repo).strip())
    assert probed(tmp_path, detached.as_uri())[0][0] == "HEAD"
    assert probed(tmp_path, empty.as_uri())[0][:2] == (RepoStatus.EMPTY, "the repository has no commits")
    assert probed(tmp_path, unborn.as_uri())[0][0] is RepoStatus.EMPTY
    assert probed(tmp_path, missing)[0][0] is RepoStatus.NOT_FOUND
    moved = commit(repo, {"README.md": "v2\n"})
    assert probed(tmp_path, repo.as_uri())[0][:2] == ("trunk", moved)


def test_a_file_url_git_would_decode_first_is_asked_by_ls_remote(tmp_path: Path):
    repo = make_repo(tmp_path / "a b", {"README.md": "v1\n"})
    told, commands = probed(tmp_path, repo.as_uri())  # file:///…/a%20b
    assert "%20" in repo.as_uri() and commands == ["ls-remote"]
    assert told[:2] == ("main", git("rev-parse", "HEAD", cwd=repo).strip())
