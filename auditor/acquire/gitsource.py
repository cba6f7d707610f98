"""Acquire a repository by git: a shallow, blob-size-filtered, checkout-free clone in a cache.

Nothing is checked out, so a hostile repository's symlinks, case collisions and `.gitattributes`
filters never touch this machine: the tree is listed with `git ls-tree` and blobs are read from the
object database. Blobs over the filter limit are not downloaded; they appear with an unknown size
and are never read; reading runs with no git transport allowed, so nothing can fetch them lazily.
A clone that grows past a size cap is killed and removed. The commit is fetched by id into an
empty repository (two requests to the host, where `git clone` lists the refs again and makes three).

Workers share the cache safely: one clone path is updated by one worker at a time (a lock per
path), a clone is built in a temporary folder and renamed into place, and every command that talks
to a remote holds a slot of its host (`HostLimits`). `probe` (one `git ls-remote`) is separate from
the rest, so a caller can learn the commit first and skip the clone when it already has results.
"""

from __future__ import annotations

import contextlib
import re
import shutil
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import NamedTuple
from urllib.parse import urlsplit

from auditor.acquire.blobreader import BlobReader
from auditor.acquire.gitrunner import (
    GitError,
    GitRunner,
    GitTimeout,
    GitTooLarge,
    UnsafeURLError,
    check_url,
    folder_size,
)
from auditor.models import EntryKind, NetworkCost, RepoFacts, RepoStatus
from auditor.net.politeness import HostLimits
from auditor.snapshot import Reader, Snapshot, TreeEntry, entries_from

DEFAULT_BLOB_LIMIT = 1024 * 1024
# The most a clone may take on disk: blobs are capped one by one, their number is not.
DEFAULT_MAX_BYTES = 512 * 1024 * 1024

_NOT_FOUND = (
    "not found",
    "error: 404",
    "does not appear to be a git repository",
    "could not read username",
    "authentication failed",
    "does not exist",
)
_UNREACHABLE = (
    "could not resolve host",
    "failed to connect",
    "connection refused",
    "connection timed out",
    "network is unreachable",
    "unable to access",
    "couldn't connect",
)


@dataclass(frozen=True)
class Remote:
    """What `git ls-remote` said: HEAD's branch and commit, at a URL that passed the safety check."""

    url: str
    branch: str
    sha: str
    contacted: list[str] = field(default_factory=list)  # git commands that talked to the remote


_PATH_LOCKS: dict[Path, threading.Lock] = {}
_PATH_LOCKS_GUARD = threading.Lock()


def _path_lock(path: Path) -> threading.Lock:
    with _PATH_LOCKS_GUARD:
        return _PATH_LOCKS.setdefault(path, threading.Lock())


@dataclass(frozen=True)
class GitSource:
    cache_dir: Path
    runner: GitRunner
    blob_limit: int = DEFAULT_BLOB_LIMIT
    max_bytes: int = DEFAULT_MAX_BYTES
    hosts: HostLimits | None = None

    def probe(self, key: str, url: str, *, web_url: str, subpath: str | None = None) -> Remote | Snapshot:
        """HEAD of `url` by one `git ls-remote`; a failure is a snapshot with its status."""
        contacted: list[str] = []
        try:
            url = check_url(url, allow_file=self.runner.allow_file, http_origin=self.runner.http_origin)
            contacted.append("ls-remote")
            remote = self._remote_head(url)
        except (UnsafeURLError, GitTimeout, GitTooLarge, GitError) as err:
            return _failed(key, web_url, subpath, contacted, err)
        if remote is None:
            return _failed(key, web_url, subpath, contacted, None)
        return Remote(url, *remote, contacted=contacted)

    def acquire(
        self, key: str, url: str, *, web_url: str, subpath: str | None = None, remote: Remote | None = None
    ) -> Snapshot:
        """Snapshot of the default branch of `url` (at `remote`, if probed already); failures
        become a status, never an exception."""
        if remote is None:
            probed = self.probe(key, url, web_url=web_url, subpath=subpath)
            if isinstance(probed, Snapshot):
                return probed
            remote = probed
        contacted = list(remote.contacted)
        path = self._cache_path(key)
        with _path_lock(path):
            try:
                self._update_cache(path, remote, contacted)
            except (GitTimeout, GitTooLarge, GitError) as err:
                return _failed(key, web_url, subpath, contacted, err)
            snap = read_repository(
                path, key=key, web_url=web_url, subpath=subpath, source="git", runner=self.runner
            )
        return replace(snap, repo=snap.repo.model_copy(update={"cost": NetworkCost(git=contacted)}))

    def clone_at(self, key: str, url: str, *, branch: str, sha: str) -> tuple[LocalClone | None, list[str]]:
        """The repository at `url` as of commit `sha`, from the clone cache (cloned or fetched if
        need be), for a source that knows the commit and wants many of its files: the clone, or
        None when git fails or the commit is no longer served; and the git commands that talked
        to the remote."""
        contacted: list[str] = []
        try:
            url = check_url(url, allow_file=self.runner.allow_file, http_origin=self.runner.http_origin)
        except UnsafeURLError:
            return None, contacted
        path = self._cache_path(key)
        with _path_lock(path):
            try:
                held = self._update_cache(path, Remote(url, branch, sha), contacted)
            except (GitTimeout, GitTooLarge, GitError):
                return None, contacted
        return (LocalClone(path, sha, self.runner) if held == sha else None), contacted

    def _cache_path(self, key: str) -> Path:
        return self.cache_dir / "git" / (key.replace("/", "__") + ".git")

    @contextlib.contextmanager
    def _remote(self, url: str) -> Iterator[None]:
        """Hold a slot of the URL's host while git talks to it."""
        if self.hosts is None:
            yield
            return
        with self.hosts.slot(urlsplit(url).netloc):
            yield

    def _remote_head(self, url: str) -> tuple[str, str] | None:
        """(default branch, commit) of the remote, or None for an empty repository."""
        with self._remote(url):
            out = self.runner.run(["ls-remote", "--symref", "--", url, "HEAD"])
        branch, sha = None, None
        for line in out.splitlines():
            left, _, name = line.partition("\t")
            if left.startswith("ref: ") and name == "HEAD":
                branch = left.removeprefix("ref: refs/heads/")
            elif name == "HEAD":
                sha = left
        if sha is None:
            return None
        return branch or "HEAD", sha

    def _update_cache(self, path: Path, remote: Remote, contacted: list[str]) -> str:
        """Make the clone at `path` hold `remote`'s commit: reuse, fetch into, or clone anew. The
        commit it then holds: another one only when the host no longer serves that one."""
        url, sha = remote.url, remote.sha
        if path.exists():
            try:
                if self.runner.run(["rev-parse", "HEAD"], cwd=path).strip() == sha:
                    return sha
                contacted.append("fetch")
                with self._remote(url):
                    held = self._fetch(path, remote)
                self._check_size(path)
                if (path / "HEAD").read_text().strip() != f"ref: refs/heads/{remote.branch}":
                    self.runner.run(["symbolic-ref", "HEAD", f"refs/heads/{remote.branch}"], cwd=path)
                return held
            except GitError:
                shutil.rmtree(path)  # a broken cache entry is rebuilt, not trusted
            except GitTooLarge:
                shutil.rmtree(path)
                raise
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=".clone-", dir=path.parent))
        try:
            contacted.append("clone")
            # HEAD names the branch from the start (a branch called HEAD cannot be named so)
            named = [f"--initial-branch={remote.branch}"] if remote.branch != "HEAD" else []
            self.runner.run(["init", "--quiet", "--bare", *named, str(tmp / "r")])
            with self._remote(url):
                held = self._fetch(tmp / "r", remote)
            if not named:
                self.runner.run(["symbolic-ref", "HEAD", "refs/heads/HEAD"], cwd=tmp / "r")
            self._check_size(tmp / "r")
            try:
                (tmp / "r").rename(path)
            except OSError:
                if not path.exists():  # else another process put the same clone there first
                    raise
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        return held

    def _fetch(self, target: Path, remote: Remote) -> str:
        """`remote`'s commit into the repository `target`, shallow and blob-filtered, as its branch;
        the commit fetched. Asked by commit id: two requests to the host, where naming the branch
        makes three (the refs are listed again). A host that will not serve a commit it no longer
        advertises (a force-push replaced it) is asked for the branch."""
        fetch = ["--depth=1", "--no-tags", f"--filter=blob:limit={self.blob_limit}", "--", remote.url]
        ref = f"refs/heads/{remote.branch}"
        try:
            self.runner.run(
                ["fetch", *fetch, f"+{remote.sha}:{ref}"], cwd=target, watch=target, max_bytes=self.max_bytes
            )
            return remote.sha
        except GitError as err:
            if not _UNSERVED.search(err.stderr):
                raise
        self.runner.run(
            ["fetch", *fetch, f"+{ref}:{ref}"], cwd=target, watch=target, max_bytes=self.max_bytes
        )
        return self.runner.run(["rev-parse", ref], cwd=target).strip()

    def _check_size(self, path: Path) -> None:
        size = folder_size(path)
        if size > self.max_bytes:
            raise GitTooLarge(f"the clone takes {size} bytes, over the size cap of {self.max_bytes}")


def _failed(
    key: str, web_url: str, subpath: str | None, contacted: list[str], err: Exception | None
) -> Snapshot:
    """A snapshot of a repository that could not be acquired, with the status `err` means."""
    if err is None:
        status, detail = RepoStatus.EMPTY, "the repository has no commits"
    elif isinstance(err, UnsafeURLError):
        status, detail = RepoStatus.REFUSED, str(err)
    elif isinstance(err, GitTimeout):
        status, detail = RepoStatus.TIMEOUT, str(err)
    elif isinstance(err, GitTooLarge):
        status, detail = RepoStatus.TOO_LARGE, str(err)
    else:
        stderr = err.stderr if isinstance(err, GitError) else str(err)
        status, detail = _classify(stderr), _last_line(stderr)
    facts = RepoFacts(
        key=key,
        url=web_url,
        status=status,
        detail=detail,
        source="git",
        subpath=subpath,
        cost=NetworkCost(git=contacted),
    )
    return Snapshot(repo=facts, entries={}, reader=lambda _p, _n: None)


def read_repository(
    path: Path, *, key: str, web_url: str, subpath: str | None, source: str, runner: GitRunner
) -> Snapshot:
    """Snapshot of HEAD of a local repository (bare or not), read without checking anything out.

    Reading allows git no transport at all: a filtered-out blob stays missing instead of being
    fetched lazily from the promisor remote.
    """
    import git  # here, not at the top: a run that re-reports cached results needs no GitPython

    runner = runner.without_network()
    repo = git.Repo(path)
    repo.git.update_environment(**runner.env)
    try:
        commit = repo.head.commit
    except ValueError:
        facts = RepoFacts(
            key=key,
            url=web_url,
            status=RepoStatus.EMPTY,
            source=source,
            detail="the repository has no commits",
            subpath=subpath,
        )
        return Snapshot(repo=facts, entries={}, reader=lambda _p, _n: None)
    listing = LocalClone(path, commit.hexsha, runner).tree()

    branch = None if repo.head.is_detached else repo.head.ref.name
    facts = RepoFacts(
        key=key,
        url=web_url,
        status=RepoStatus.OK,
        source=source,
        commit=commit.hexsha,
        branch=branch,
        file_count=listing.file_count,
        subpath=subpath,
    )
    return Snapshot(repo=facts, entries=entries_from(listing.entries), reader=listing.reader)


@dataclass
class LocalClone:
    """A repository on this machine at a known commit: its file tree and its blobs, both read
    without any transport (a blob the clone filtered out stays missing)."""

    path: Path
    commit: str
    runner: GitRunner
    blobs: BlobReader = field(init=False)

    def __post_init__(self) -> None:
        self.runner = self.runner.without_network()
        self.blobs = BlobReader(self.runner, self.path)

    def tree(self) -> Listing:
        """The entries (the size of a blob not held is None), the number of regular files, and a
        reader of files by path that never asks for a blob the clone does not hold."""
        sizes = _present_blob_sizes(self.runner, self.path)
        entries: list[TreeEntry] = []
        held: dict[str, str] = {}  # path -> id of the blobs the clone holds
        files = 0
        listing = self.runner.run(["ls-tree", "-r", "-z", "--full-tree", self.commit], cwd=self.path)
        for record in filter(None, listing.split("\0")):
            meta, _, name = record.partition("\t")
            mode, kind, sha = meta.split()
            if kind == "commit":
                entries.append(TreeEntry(path=name, kind=EntryKind.SUBMODULE, size=None))
            elif mode == "120000":
                entries.append(TreeEntry(path=name, kind=EntryKind.SYMLINK, size=sizes.get(sha)))
            else:
                entries.append(TreeEntry(path=name, kind=EntryKind.FILE, size=sizes.get(sha)))
                files += 1
                if sha in sizes:
                    held[name] = sha

        def read(file: str, cap: int) -> bytes | None:
            sha = held.get(file)  # None for a blob filtered out: it is never fetched lazily
            return self.blobs.read(sha, cap) if sha is not None else None

        return Listing(entries, files, read)


class Listing(NamedTuple):
    entries: list[TreeEntry]
    file_count: int
    reader: Reader


def _present_blob_sizes(runner: GitRunner, path: Path) -> dict[str, int]:
    """Sizes of the blobs present locally; listing them never triggers a lazy fetch."""
    check = "--batch-check=%(objectname) %(objecttype) %(objectsize)"
    out = runner.run(["cat-file", "--batch-all-objects", check, "--unordered"], cwd=path)
    sizes: dict[str, int] = {}
    for line in out.splitlines():
        sha, kind, size = line.split(" ")
        if kind == "blob":
            sizes[sha] = int(size)
    return sizes


# What git says when a host refuses to send a commit that is not the tip of a ref.
_UNSERVED = re.compile(r"unadvertised object|not our ref", re.IGNORECASE)


def _classify(stderr: str) -> RepoStatus:
    text = stderr.lower()
    if any(s in text for s in _NOT_FOUND):
        return RepoStatus.NOT_FOUND
    if any(s in text for s in _UNREACHABLE):
        return RepoStatus.UNREACHABLE
    return RepoStatus.ERROR


def _last_line(stderr: str) -> str:
    """The line of git's error output that says what went wrong (its `fatal:` line, if any)."""
    lines = [ln.strip() for ln in stderr.strip().splitlines() if ln.strip()]
    fatal = [ln for ln in lines if ln.startswith("fatal:")]
    return (fatal or lines or ["git failed"])[-1]
