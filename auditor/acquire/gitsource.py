"""Acquire a repository by git: a shallow clone of its trees in a cache, and only the blobs read.

The commit is fetched by id into an empty bare repository with `--filter=blob:none`: its trees, no
file content (two requests to the host, where `git clone` lists the refs again and makes three).
The caller then says which files it will read, from the tree alone (`Snapshot.prefetch`), and those
blobs are fetched by id in one request (`git fetch --stdin`, as git's own partial-clone fetch asks
for them); documents found only by reading them make a second batch. Nothing is ever fetched one
blob at a time behind the reader's back: reading runs with no git transport allowed.

A tree without blobs tells no sizes, and a blob asked for by id is sent whatever its size, so size
is guarded while fetching and before reading. A batch may grow the clone by at most the read limit
(`blob_limit`) per blob; a batch that grows past that is killed and split in halves, so a blob over
the limit is never downloaded whole on a slow link, and one alone in its batch is left out. A blob
that arrived all the same (a fast link, a highly compressible one) has its size from git before it
is read, and over the limit it is listed as too large, never read. The whole clone is capped too
(`max_bytes`): a server that ignores the filter and sends everything is stopped there (`too-large`).
A blob the server does not have is named by it, left out (unreadable), and the rest fetched again.

Nothing is checked out, so a hostile repository's symlinks, case collisions and `.gitattributes`
filters never touch this machine: the tree is listed with `git ls-tree` and blobs are read from the
object database.

Workers share the cache safely: one clone path is updated by one worker at a time (a lock per
path), a clone is built in a temporary folder and renamed into place, and every command that talks
to a remote holds a slot of its host (`HostLimits`). The temporary folder is locked (`flock`) by its
maker for as long as it exists: one left by a killed process is unlocked, and removed when a later
process first clones into the cache. `probe` (one `git ls-remote`) is separate from the rest, so a
caller can learn the commit first and skip the clone when it already has results.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
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
from auditor.acquire.gitrefs import advertised_head
from auditor.acquire.gitrunner import (
    GitError,
    GitRunner,
    GitTimeout,
    GitTooLarge,
    UnsafeURLError,
    check_url,
    folder_size,
)
from auditor.acquire.snapshot import Fetcher, FetchFailed, Reader, Snapshot, Tree, TreeEntry, read_limit
from auditor.models import EntryKind, NetworkCost, RepoFacts, RepoStatus
from auditor.net.politeness import HostLimits

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


# One clone path is updated by one worker at a time: a path takes one of these locks by its hash
# (two paths may share one), so their number stays the same however many repositories a run has.
_PATH_LOCKS = tuple(threading.RLock() for _ in range(64))


def _path_lock(path: Path) -> threading.RLock:
    return _PATH_LOCKS[hash(path) % len(_PATH_LOCKS)]


# A batch of blobs may grow the clone by the read limit per blob, plus this per blob and per batch
# (pack headers, zlib's overhead on incompressible data, thin-pack bases).
_SLACK_PER_BLOB = 4096
_SLACK = 256 * 1024
# Fetches of one batch of files (halves after a kill, again after a blob the server lacks): past
# this many, the rest of the batch is left unread rather than asked for yet again.
MAX_FETCHES = 24
# What a git server says of a blob it does not have (a mirror missing its large objects).
_LACKING = re.compile(r"(?:not our ref|unable to read|bad object|no such object)\s+([0-9a-f]{40})", re.I)
# Temporary clones of this process's makers, by folder: swept for dead makers' once per process.
_SWEPT: set[Path] = set()
_SWEPT_GUARD = threading.Lock()


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
        """Snapshot of the default branch of `url` (at `remote`, if probed already), its blobs
        pending until `prefetch`; failures become a status, never an exception."""
        if remote is None:
            probed = self.probe(key, url, web_url=web_url, subpath=subpath)
            if isinstance(probed, Snapshot):
                return probed
            remote = probed
        contacted = list(remote.contacted)
        try:
            clone = self._cached_clone(key, remote, contacted)
        except (GitTimeout, GitTooLarge, GitError) as err:
            return _failed(key, web_url, subpath, contacted, err)
        snap = clone.snapshot(key=key, web_url=web_url, subpath=subpath, source="git", branch=remote.branch)
        return replace(snap, repo=snap.repo.model_copy(update={"cost": NetworkCost(git=contacted)}))

    def clone_at(self, key: str, url: str, *, branch: str, sha: str) -> tuple[LocalClone | None, list[str]]:
        """The trees of the repository at `url` as of commit `sha`, from the clone cache (cloned or
        fetched if need be), for a source that knows the commit and wants many of its files: the
        clone (its blobs fetched on demand, in batches), or None when git fails or the commit is no
        longer served; and the git commands that talked to the remote."""
        contacted: list[str] = []
        try:
            url = check_url(url, allow_file=self.runner.allow_file, http_origin=self.runner.http_origin)
        except UnsafeURLError:
            return None, contacted
        try:
            clone = self._cached_clone(key, Remote(url, branch, sha), contacted)
        except (GitTimeout, GitTooLarge, GitError):
            return None, contacted
        return (clone if clone.commit == sha else None), contacted

    def _cached_clone(self, key: str, remote: Remote, contacted: list[str]) -> LocalClone:
        """The cache's clone of `key`, made to hold `remote`'s commit (`_update_cache`: another
        one only when the host no longer serves it), its blobs fetched from `remote` on demand.
        Raises GitTimeout, GitTooLarge or GitError."""
        path = self._cache_path(key)
        with _path_lock(path):
            held = self._update_cache(path, remote, contacted)
        fresh = "clone" in contacted  # made just now: it holds no blob yet
        return LocalClone(path, held, self.runner, self.blob_limit, (self, remote.url), fresh=fresh)

    def fetch_blobs(self, path: Path, url: str, limits: dict[str, int]) -> set[str]:
        """Blobs by id into the clone at `path`, each allowed up to its size limit (`limits`: id ->
        limit), in one request if their sizes allow (see the module's docstring); the ids left out
        (too large, not on the server), which stay missing.
        Raises GitTooLarge when the clone passes its size cap (and removes it), GitTimeout, or
        GitError for any other failure."""
        with _path_lock(path):
            try:
                return self._fetch_blobs(path, url, limits)
            except GitTooLarge:
                shutil.rmtree(path, ignore_errors=True)
                raise

    def _fetch_blobs(self, path: Path, url: str, limits: dict[str, int]) -> set[str]:
        batches, fetches, left_out = [sorted(limits)], 0, set[str]()
        while batches and fetches < MAX_FETCHES:
            batch = batches.pop()
            fetches += 1
            before = folder_size(path)
            allowed = before + sum(limits[sha] + _SLACK_PER_BLOB for sha in batch) + _SLACK
            try:
                with self._remote(url):
                    self.runner.run(
                        [*_promisor(url), "-c", "fetch.negotiationAlgorithm=noop", "fetch", *_BY_ID],
                        cwd=path,
                        input="\n".join(batch) + "\n",
                        watch=path,
                        max_bytes=min(allowed, self.max_bytes),
                    )
            except GitTooLarge:
                _drop_partial_pack(path)
                if allowed >= self.max_bytes:
                    raise GitTooLarge(
                        f"the clone would grow past the size cap of {self.max_bytes} bytes"
                    ) from None
                if len(batch) > 1:  # some blob of it is over the limit: find it by halves
                    batches += [batch[len(batch) // 2 :], batch[: len(batch) // 2]]
                else:
                    left_out.update(batch)
                continue
            except GitError as err:
                _drop_partial_pack(path)
                lacking = _LACKING.search(err.stderr)
                if lacking is None or lacking[1].lower() not in batch:
                    raise
                left_out.add(lacking[1].lower())
                rest = [s for s in batch if s != lacking[1].lower()]
                if rest:
                    batches.append(rest)
                continue
        self._check_size(path)
        return left_out | {sha for batch in batches for sha in batch}  # and those never asked for

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
        """(default branch, commit) of the remote, or None for an empty repository.

        A repository on this machine (a plain `file:///` URL) is asked by `git upload-pack
        --advertise-refs` alone: the program `ls-remote` would start through a shell for the same
        path, and the same answer, without the other two processes. Should it fail, `ls-remote`
        is run after all, so that what is reported of a failure is what it says."""
        with self._remote(url):
            path = _local_path(url)
            if path is not None:
                try:
                    advertised = self.runner.run_bytes(["upload-pack", "--advertise-refs", "--", path])
                    sha, target = advertised_head(advertised)
                except (GitError, ValueError):
                    pass
                else:
                    return ((target or "").removeprefix("refs/heads/") or "HEAD", sha) if sha else None
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
        with _temporary_clone(path.parent) as tmp:
            contacted.append("clone")
            # HEAD names the branch from the start (a branch called HEAD cannot be named so)
            named = [f"--initial-branch={remote.branch}"] if remote.branch != "HEAD" else []
            self.runner.run(["init", "--quiet", "--bare", "--template=", *named, str(tmp / "r")])
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
        return held

    def _fetch(self, target: Path, remote: Remote) -> str:
        """`remote`'s commit into the repository `target`, shallow and without blobs, as its branch;
        the commit fetched. Asked by commit id: two requests to the host, where naming the branch
        makes three (the refs are listed again). A host that will not serve a commit it no longer
        advertises (a force-push replaced it) is asked for the branch."""
        fetch = [*_promisor(remote.url), "fetch", *_QUIET, "--depth=1", "--filter=blob:none", "origin"]
        ref = f"refs/heads/{remote.branch}"
        try:
            self.runner.run(
                [*fetch, f"+{remote.sha}:{ref}"], cwd=target, watch=target, max_bytes=self.max_bytes
            )
            return remote.sha
        except GitError as err:
            if not _UNSERVED.search(err.stderr):
                raise
        self.runner.run([*fetch, f"+{ref}:{ref}"], cwd=target, watch=target, max_bytes=self.max_bytes)
        return self.runner.run(["rev-parse", ref], cwd=target).strip()

    def _check_size(self, path: Path) -> None:
        size = folder_size(path)
        if size > self.max_bytes:
            raise GitTooLarge(f"the clone takes {size} bytes, over the size cap of {self.max_bytes}")


def _promisor(url: str) -> list[str]:
    """Options naming `url` the clone's promisor remote `origin` for one command: blobs can then be
    fetched by id into it, and the URL is never written into the clone's configuration."""
    return ["-c", f"remote.origin.url={url}", "-c", "remote.origin.promisor=true"]


# Every fetch: no tags, and no `git maintenance run --auto` after it. That would be a process per
# fetch, and the `gc` it starts detaches and goes on in the background, in a clone this run may be
# renaming or removing, or measuring against its size cap. A clone of the cache gains a pack per
# fetch; one grown past the size cap is made anew.
_QUIET = ["--no-tags", "--no-auto-maintenance"]
# How git itself fetches the missing blobs of a partial clone: ids on stdin, no negotiation (every
# commit is there already), nothing else updated; kept as a pack, even for a few blobs.
_BY_ID = [
    *_QUIET,
    "--no-write-fetch-head",
    "--recurse-submodules=no",
    "--filter=blob:none",
    "--stdin",
    "origin",
]


def _drop_partial_pack(path: Path) -> None:
    """What a killed fetch left: its half-written pack."""
    for leftover in (path / "objects" / "pack").glob("tmp_*"):
        leftover.unlink(missing_ok=True)
    for incoming in (path / "objects").glob("incoming-*"):
        shutil.rmtree(incoming, ignore_errors=True)


@contextlib.contextmanager
def _temporary_clone(parent: Path) -> Iterator[Path]:
    """A temporary folder in `parent`, locked by this process for as long as it exists, so that a
    later process removes it if this one dies (kill -9) and never while it lives.

    Makers take a shared lock of the folder's `.clones.lock` while they create and lock their
    folder; a sweep takes it exclusively, so it never sees a folder not yet locked by its maker.
    """
    _sweep(parent)
    with _clones_lock(parent, fcntl.LOCK_SH):
        tmp = Path(tempfile.mkdtemp(prefix=".clone-", dir=parent))
        fd = os.open(tmp, os.O_RDONLY | os.O_DIRECTORY)
        fcntl.flock(fd, fcntl.LOCK_EX)
    try:
        yield tmp
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        os.close(fd)


@contextlib.contextmanager
def _clones_lock(parent: Path, kind: int) -> Iterator[None]:
    fd = os.open(parent / ".clones.lock", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, kind)
        yield
    finally:
        os.close(fd)


def _sweep(parent: Path) -> None:
    """Remove the temporary clones in `parent` that no live process holds (once per process)."""
    with _SWEPT_GUARD:
        if parent in _SWEPT:
            return
        _SWEPT.add(parent)
    with _clones_lock(parent, fcntl.LOCK_EX):
        for tmp in parent.glob(".clone-*"):
            try:
                fd = os.open(tmp, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
            except OSError:
                continue
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                os.close(fd)  # its maker is alive
                continue
            shutil.rmtree(tmp, ignore_errors=True)
            os.close(fd)


def _failed(
    key: str, web_url: str, subpath: str | None, contacted: list[str], err: Exception | None
) -> Snapshot:
    """A snapshot of a repository that could not be acquired, with the status `err` means."""
    if err is None:
        status, detail = RepoStatus.EMPTY, "the repository has no commits"
    else:
        status, detail = _status_of(err)
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


def _status_of(err: Exception) -> tuple[RepoStatus, str]:
    if isinstance(err, UnsafeURLError):
        return RepoStatus.REFUSED, str(err)
    if isinstance(err, GitTimeout):
        return RepoStatus.TIMEOUT, str(err)
    if isinstance(err, GitTooLarge):
        return RepoStatus.TOO_LARGE, str(err)
    stderr = err.stderr if isinstance(err, GitError) else str(err)
    return _classify(stderr), _last_line(stderr)


def read_repository(
    path: Path, *, key: str, web_url: str, subpath: str | None, source: str, runner: GitRunner
) -> Snapshot:
    """Snapshot of HEAD of a local repository (bare or not), every blob it holds readable, read
    without checking anything out. Reading allows git no transport at all: a blob the repository
    does not hold (a partial clone) stays missing instead of being fetched lazily."""
    runner = runner.without_network()
    commit, branch = _head(runner, path)
    if not commit:
        facts = RepoFacts(
            key=key,
            url=web_url,
            status=RepoStatus.EMPTY,
            source=source,
            detail="the repository has no commits",
            subpath=subpath,
        )
        return Snapshot(repo=facts, entries={}, reader=lambda _p, _n: None)
    return LocalClone(path, commit, runner).snapshot(
        key=key, web_url=web_url, subpath=subpath, source=source, branch=branch
    )


def _head(runner: GitRunner, path: Path) -> tuple[str, str | None]:
    """HEAD's commit ("" when it has none yet) and branch (None when detached). A branch checked
    out, the usual case, takes one git process; anything else (no commit, a detached HEAD, a
    branch that is called HEAD) is told apart by the two commands that say it exactly."""
    with contextlib.suppress(GitError):
        said = runner.run(["rev-parse", "HEAD^{commit}", "--abbrev-ref", "HEAD"], cwd=path).split("\n")
        if len(said) == 3 and not said[2] and said[1] not in ("", "HEAD"):
            return said[0], said[1]
    try:
        commit = runner.run(["rev-parse", "--verify", "--quiet", "HEAD^{commit}"], cwd=path).strip()
    except GitError as err:
        if err.returncode != 1 or err.stderr.strip():
            raise  # a repository git cannot read (a corrupt `.git/shallow`): an error, not "empty"
        return "", None  # `--quiet` says nothing and exits 1 for a HEAD with no commit yet
    if not commit:
        return "", None
    try:
        return commit, runner.run(["symbolic-ref", "--quiet", "--short", "HEAD"], cwd=path).strip()
    except GitError:
        return commit, None  # a detached HEAD


@dataclass
class LocalClone:
    """A repository on this machine at a known commit: its file tree and its blobs, both read
    without any transport. A clone of the cache (`remote` given) holds a blob once it was fetched,
    in batches (`fetch`); there a blob over `blob_limit` is listed without size and never read, as
    if the clone did not hold it."""

    path: Path
    commit: str
    runner: GitRunner
    blob_limit: int | None = None  # None: a checkout, whose every blob is read, whatever its size
    remote: tuple[GitSource, str] | None = None  # where missing blobs come from, and its URL
    fresh: bool = False  # made just now, it holds no blob: nothing to list
    blobs: BlobReader = field(init=False)

    def __post_init__(self) -> None:
        self.runner = self.runner.without_network()
        self.blobs = BlobReader(self.runner, self.path)

    def snapshot(
        self, *, key: str, web_url: str, subpath: str | None, source: str, branch: str | None
    ) -> Snapshot:
        listing = self.tree()
        facts = RepoFacts(
            key=key,
            url=web_url,
            status=RepoStatus.OK,
            source=source,
            commit=self.commit,
            branch=branch,
            file_count=listing.file_count,
            subpath=subpath,
        )
        return listing.snapshot(facts)

    def tree(self) -> Listing:
        """The entries, the number of regular files, a reader of files by path that never asks for
        a blob the clone does not hold, the files whose blob is not here yet (their size unknown)
        and a fetcher of those, in one batch per call."""
        records, sizes = self._listing()
        self.fresh = False
        entries: dict[str, TreeEntry] = {}
        ids: dict[str, str] = {}  # path -> blob id of the regular files and symbolic links
        held: dict[str, str] = {}  # the same, of the blobs that are here and may be read
        files = 0
        for record in records:
            meta, _, name = record.partition("\t")
            mode, kind, sha = meta.split()[:3]
            if kind == "commit":
                entries[name] = TreeEntry(path=name, kind=EntryKind.SUBMODULE, size=None)
            elif mode == "120000":
                # its blob is the path it leads to, which `Snapshot.text` follows inside the tree
                entries[name] = TreeEntry(path=name, kind=EntryKind.SYMLINK, size=sizes.get(sha))
                ids[name] = sha
                if sha in sizes:
                    held[name] = sha
            else:
                size = self._readable(name, sizes.get(sha))
                entries[name] = TreeEntry(path=name, kind=EntryKind.FILE, size=size)
                files += 1
                ids[name] = sha
                if size is not None:
                    held[name] = sha
        pending = {p for p, sha in ids.items() if sha not in sizes} if self.remote is not None else set()
        # The tree's unsized files are the pending ones: one set, so a fetch settles both.
        tree: dict[str, TreeEntry] = Tree(entries, unsized=pending) if pending else entries

        def read(file: str, cap: int) -> bytes | None:
            sha = held.get(file)  # None for a blob not fetched or too large: never fetched here
            return self.blobs.read(sha, cap) if sha is not None else None

        def fetch(paths: set[str]) -> list[str]:
            wanted = sorted(p for p in paths if p in pending)
            if not wanted or self.remote is None:
                return []
            source, url = self.remote
            done = [f"fetch {len(wanted)} files"]
            limits = _limits(source, {p: ids[p] for p in wanted})
            shas = sorted(limits)
            try:
                left_out = source.fetch_blobs(self.path, url, limits)
            except (GitTimeout, GitTooLarge, GitError) as err:
                raise FetchFailed(*_status_of(err), contacted=done) from err
            got = _sizes_of(self.runner, self.path, [sha for sha in shas if sha not in left_out])
            for path in wanted:
                kind, got_size = tree[path].kind, got.get(ids[path])  # a link's blob comes as a file's
                size = self._readable(path, got_size) if kind is EntryKind.FILE else got_size
                tree[path] = TreeEntry(path=path, kind=kind, size=size)
                if size is not None:
                    held[path] = ids[path]
                pending.discard(path)
            return done

        return Listing(tree, files, read, pending, fetch)

    def _listing(self) -> tuple[list[str], dict[str, int]]:
        """The records of `ls-tree -r` at the commit, and the sizes of the blobs present. A
        repository of this machine holds every blob as a rule, and one `ls-tree --long` lists
        both. Where a blob is missing, a partial clone makes that fail, and, as in a clone of the
        cache, the blobs present are listed apart; a store without a remote to ask (a copy made
        without its large files, a damaged one) gives `BAD` for the size, and that blob is listed
        without one, as one not here."""
        tree = ["ls-tree", "-r", "-z", "--full-tree"]
        if self.remote is None:
            with contextlib.suppress(GitError):
                records = _records(self.runner.run([*tree, "--long", self.commit], cwd=self.path))
                sizes = {}
                for record in records:
                    _mode, kind, sha, size = record.partition("\t")[0].split()
                    if kind == "blob" and size.isdigit():
                        sizes[sha] = int(size)
                return records, sizes
        sizes = {} if self.fresh else _present_blob_sizes(self.runner, self.path)
        return _records(self.runner.run([*tree, self.commit], cwd=self.path)), sizes

    def fetch(self, blobs: dict[str, str]) -> list[str]:
        """Fetch the blobs of `blobs` (path -> blob id) the clone does not hold yet, in one batch;
        the git commands that talked to the remote."""
        if self.remote is None:
            return []
        source, url = self.remote
        present = set() if self.fresh else set(_present_blob_sizes(self.runner, self.path))
        missing = {sha: limit for sha, limit in _limits(source, blobs).items() if sha not in present}
        if not missing:
            return []
        self.fresh = False
        source.fetch_blobs(self.path, url, missing)
        return [f"fetch {len(missing)} files"]

    def _readable(self, path: str, size: int | None) -> int | None:
        """The size of a blob as listed: None when it is not here or over the limit."""
        if size is None or (self.blob_limit is not None and size >= read_limit(path, self.blob_limit)):
            return None
        return size


def _limits(source: GitSource, blobs: dict[str, str]) -> dict[str, int]:
    """The size limit of each blob id of `blobs` (path -> id), by the paths that name it."""
    limits: dict[str, int] = {}
    for path, sha in blobs.items():
        limits[sha] = max(limits.get(sha, 0), read_limit(path, source.blob_limit))
    return limits


class Listing(NamedTuple):
    entries: dict[str, TreeEntry]
    file_count: int
    reader: Reader
    pending: set[str]
    fetcher: Fetcher

    def snapshot(self, facts: RepoFacts) -> Snapshot:
        """The snapshot of this listing, recorded as `facts`."""
        return Snapshot(
            repo=facts, entries=self.entries, reader=self.reader, pending=self.pending, fetcher=self.fetcher
        )


def _records(listing: str) -> list[str]:
    """The records of `git ls-tree -z`: `<mode> <type> <id>[ <size>]\t<path>` each."""
    return [record for record in listing.split("\0") if record]


def _present_blob_sizes(runner: GitRunner, path: Path) -> dict[str, int]:
    """Sizes of the blobs present locally; listing them never triggers a lazy fetch."""
    check = "--batch-check=%(objectname) %(objecttype) %(objectsize)"
    out = runner.run(["cat-file", "--batch-all-objects", check, "--unordered"], cwd=path)
    return _blob_sizes(out)


def _sizes_of(runner: GitRunner, path: Path, shas: list[str]) -> dict[str, int]:
    """Sizes of the blobs `shas`, just fetched. Asked by id, one missing after all would make git try
    (and fail) to fetch it from the promisor remote: then the present blobs are listed instead."""
    if not shas:
        return {}
    check = "--batch-check=%(objectname) %(objecttype) %(objectsize)"
    try:
        return _blob_sizes(runner.run(["cat-file", check], cwd=path, input="".join(f"{s}\n" for s in shas)))
    except GitError:
        wanted = set(shas)
        return {sha: size for sha, size in _present_blob_sizes(runner, path).items() if sha in wanted}


def _blob_sizes(out: str) -> dict[str, int]:
    sizes: dict[str, int] = {}
    for line in out.splitlines():
        parts = line.split(" ")
        if len(parts) == 3 and parts[1] == "blob":  # not "<id> missing"
            sizes[parts[0]] = int(parts[2])
    return sizes


# What git says when a host refuses to send a commit that is not the tip of a ref.
_UNSERVED = re.compile(r"unadvertised object|not our ref", re.IGNORECASE)


def _local_path(url: str) -> str | None:
    """The path git's own transport gives `git upload-pack` for a `file:///` URL, where it is the
    rest of the URL as written; None for a URL git would first decode (`%`) or split (`@[`)."""
    if not url.startswith("file:///") or "%" in url or "@[" in url:
        return None
    return url.removeprefix("file://")


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
