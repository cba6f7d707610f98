"""Acquire a github.com repository through the GitHub API and, for its files, a shallow clone.

The git ref advertisement (`refs`, one request to the git host, which costs no API rate limit) names
the commit HEAD points at, its branch and the tags; it is what a re-run asks first, to learn whether
anything changed. Then the metadata (unless the API is spared: see `ApiSource`) and, only if the
repository has tags (a published release always has one), the releases. With a token, one GraphQL
request (`heads`) tells the commit, the tags and the metadata of fifty repositories. The files: the
trees of a repository GitHub sees code in (or any, when the API is spared) are cloned at once (two
git requests, whatever its size in files), and the files checks will read are fetched into the
clone in one batch (two more); another is read through the API, its whole tree in one call and the
files checks will read by blob id, under the same size limit as a clone, when they are at most
READS_BEFORE_CLONE in all; more of them, or any source file in the tree, are fetched in one batch
into a clone. A fetch into the clone that fails sends that batch and the later ones through the
API; the files the clone holds are still read from it (if it was removed for passing its size cap,
they are pending again). When the git host will not advertise the refs, the metadata and the default
branch's commit are asked of the API instead. Every failure becomes a status with its reason,
never an exception: not found, unavailable for legal reasons, forbidden, empty, rate-limited,
unreachable.

Every request is counted on the caller's `Meter`, including the reads checks make later.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import cache, partial
from typing import Any
from urllib.parse import quote

from auditor.acquire.github import ApiError, GitHubClient, Meter, RateLimited, Unreachable
from auditor.acquire.gitrefs import Refs, parse_advertisement
from auditor.acquire.gitrunner import GitError, GitTimeout, GitTooLarge
from auditor.acquire.gitsource import DEFAULT_BLOB_LIMIT, LocalClone
from auditor.acquire.snapshot import Snapshot, TreeEntry, entries_from, read_limit
from auditor.data import load_yaml
from auditor.models import (
    EntryKind,
    HostFacts,
    Release,
    ReleaseAsset,
    Rename,
    RepoFacts,
    RepoStatus,
)
from auditor.net.http import Reply

_NAME = re.compile(r"[A-Za-z0-9_.-]+")
# Where the git host's redirect for a renamed repository led, after the git base URL.
_MOVED = re.compile(r"/([A-Za-z0-9_.-]+)/([A-Za-z0-9_.-]+?)(?:\.git)?/info/refs(?:\?.*)?")


class _Stop(Exception):
    """An answer that ends the acquisition with a status."""

    def __init__(self, status: RepoStatus, detail: str) -> None:
        super().__init__(detail)
        self.status, self.detail = status, detail


@dataclass(frozen=True)
class Batched:
    """What the GraphQL request told of one repository: its refs, and its metadata in the shape of
    the REST answer (`repos/OWNER/NAME`), which `acquire` then need not ask."""

    refs: Refs
    meta: dict[str, Any]


@dataclass(frozen=True)
class ApiSource:
    """`metadata` off (as without a token, whose 60 API requests an hour go fast): a repository
    whose refs the git host told is taken from git alone, and the API is asked only for releases
    (when there are tags); the snapshot then has no host facts (stars, archived, GitHub's license)."""

    client: GitHubClient
    blob_limit: int = DEFAULT_BLOB_LIMIT
    metadata: bool = True

    def refs(self, owner: str, name: str, *, meter: Meter | None = None) -> Refs | None:
        """HEAD's commit and the tags, from the git host; None if it would not say (a missing or
        private repository, a server without git endpoints): `acquire` then asks the API."""
        if not _valid(owner, name):
            return None
        try:
            reply = self.client.advertised_refs(f"{owner}/{name}", meter=meter)
            if reply.status != 200:
                return None
            refs = parse_advertisement(reply.body)
        except (ApiError, RateLimited, ValueError):
            return None
        moved = _MOVED.fullmatch(reply.url.removeprefix(self.client.git_url)) if reply.redirected else None
        return replace(refs, moved_to=f"{moved[1]}/{moved[2]}") if moved else refs

    def heads(self, repos: Sequence[tuple[str, str]], *, meter: Meter | None = None) -> dict[str, Batched]:
        """What `refs` says, and the metadata, for up to HEADS_PER_QUERY repositories in one GraphQL
        request (it needs a token), keyed by lower-case `owner/name`. A repository it cannot answer
        for (missing, empty, over 100 tags) or any failure of the request is left out, for `refs`
        and `acquire` to ask."""
        if len(repos) > HEADS_PER_QUERY:
            raise ValueError(f"at most {HEADS_PER_QUERY} repositories per query")
        repos = [(o, n) for o, n in repos if _valid(o, n)]
        if not repos:
            return {}
        variables: dict[str, str] = {}
        for i, (owner, name) in enumerate(repos):
            variables |= {f"o{i}": owner, f"n{i}": name}
        try:
            reply = self.client.graphql(_heads_query(len(repos)), variables, meter=meter)
            data = reply.json().get("data") if reply.status == 200 else None
        except (ApiError, RateLimited, ValueError):
            return {}
        found: dict[str, Batched] = {}
        for i, (owner, name) in enumerate(repos):
            try:
                node = data[f"r{i}"] if isinstance(data, dict) else None
                if node is not None and (refs := _refs_of(node)) is not None:
                    found[f"{owner}/{name}".lower()] = Batched(refs, _rest_meta(node))
            except (KeyError, TypeError):
                continue
        return found

    def acquire(
        self,
        key: str,
        owner: str,
        name: str,
        *,
        web_url: str,
        subpath: str | None = None,
        refs: Refs | None = None,
        meta: dict[str, Any] | None = None,
        meter: Meter | None = None,
        clone: Clone | None = None,
    ) -> Snapshot:
        """Snapshot of the default branch of github.com/OWNER/NAME, at the commit `refs` names if
        given, with the metadata `meta` if given (as `heads` tells them); failures become a status.
        Requests, later fetches included, count on `meter`. The files wait for `Snapshot.prefetch`;
        they come from `clone`, if given: at once when GitHub sees code in the repository;
        otherwise when the tree holds source files after all, or more than READS_BEFORE_CLONE
        files are wanted in all."""

        def failed(status: RepoStatus, detail: str) -> Snapshot:
            facts = RepoFacts(
                key=key, url=web_url, status=status, detail=detail, source="api", subpath=subpath
            )
            return Snapshot(repo=facts, entries={}, reader=lambda _p, _n: None)

        if not _valid(owner, name):
            return failed(RepoStatus.REFUSED, f"not a valid repository name: {owner}/{name}")
        if refs is not None and refs.head is None:
            return failed(RepoStatus.EMPTY, "the repository has no commits")
        try:
            return self._acquire(
                key,
                owner,
                name,
                web_url=web_url,
                subpath=subpath,
                refs=refs,
                meta=meta,
                meter=meter,
                clone=clone,
            )
        except _Stop as stop:
            return failed(stop.status, stop.detail)
        except RateLimited as err:
            return failed(RepoStatus.RATE_LIMITED, str(err))
        except Unreachable as err:
            return failed(RepoStatus.UNREACHABLE, str(err))
        except ApiError as err:
            return failed(RepoStatus.ERROR, str(err))
        except (ValueError, KeyError, TypeError) as err:
            return failed(RepoStatus.ERROR, f"unexpected answer from the API: {type(err).__name__}")

    def _acquire(
        self,
        key: str,
        owner: str,
        name: str,
        *,
        web_url: str,
        subpath: str | None,
        refs: Refs | None,
        meta: dict[str, Any] | None,
        meter: Meter | None,
        clone: Clone | None,
    ) -> Snapshot:
        get = partial(self.client.get, meter=meter)
        from_git = False  # the API spared: what git told stands in for the metadata
        if meta is None and not self.metadata and refs is not None and refs.branch is not None:
            from_git = True
            full_name = refs.moved_to or f"{owner}/{name}"
            origin = "/".join(web_url.split("/", 3)[:3])
            meta = {
                "full_name": full_name,
                "html_url": f"{origin}/{full_name}",
                "default_branch": refs.branch,
            }
        elif meta is None:
            meta = _ok(get(f"repos/{owner}/{name}")).json()
        full_name = meta["full_name"]
        renamed = None
        if full_name.lower() != f"{owner}/{name}".lower():
            renamed = Rename(old=f"{owner}/{name}", new=full_name)
            web_url = meta.get("html_url") or web_url
        base = "repos/" + "/".join(quote(part, safe="") for part in full_name.split("/", 1))
        branch: str = meta["default_branch"]
        if refs is not None and refs.head is not None:
            commit = refs.head
        else:
            commit = _ok(get(f"{base}/git/ref/heads/{quote(branch, safe='/')}")).json()["object"]["sha"]
        # No tag, no published release: GitHub makes a tag for every release it publishes.
        releases = [] if refs is not None and not refs.tags else self._releases(base, meter)
        common: dict[str, Any] = {
            "key": key,
            "url": web_url,
            "status": RepoStatus.OK,
            "source": "api",
            "commit": commit,
            "branch": branch,
            "subpath": subpath,
            "license_spdx": (meta.get("license") or {}).get("spdx_id"),
            "releases": releases,
            "host": None if from_git else _host_facts(meta),
            "renamed": renamed,
        }
        # GitHub found code in it (or the API is spared): the checks will search its source files,
        # so the tree and the files come from a clone (two git requests, and one per batch of
        # files), not from the API (one request per file).
        clone_now = from_git or bool(meta.get("language"))
        local = clone(full_name, branch, commit) if clone is not None and clone_now else None
        if local is not None:
            listing = local.tree()
            facts = RepoFacts(
                **common, detail=_notes(releases, None), file_count=listing.file_count, tree_truncated=False
            )
            return listing.snapshot(facts)
        if clone_now:
            clone = None  # it failed: the files are read through the API

        tree = _ok(get(f"{base}/git/trees/{commit}", params={"recursive": "1"})).json()
        entries = []
        blobs: dict[str, tuple[str, int | None]] = {}  # files and symbolic links, by path
        files = 0
        for item in tree["tree"]:
            path, kind, size = item["path"], item["type"], item.get("size")
            if not isinstance(path, str) or not isinstance(size, int | None) or isinstance(size, bool):
                raise ValueError(f"tree entry {path!r} is malformed")
            if kind == "commit":
                entries.append(TreeEntry(path=path, kind=EntryKind.SUBMODULE, size=None))
            elif kind == "blob" and item["mode"] == "120000":
                entries.append(TreeEntry(path=path, kind=EntryKind.SYMLINK, size=size))
                blobs[path] = (str(item["sha"]), size)  # its blob is where it leads (`Snapshot.text`)
            elif kind == "blob":
                entries.append(TreeEntry(path=path, kind=EntryKind.FILE, size=size))
                blobs[path] = (str(item["sha"]), size)
                files += 1

        # Checks read the README, the license, the dependency files and then source files, looking
        # for training loops: with any source file, that is more files than a clone costs requests.
        code = _code_extensions()
        has_code = any(e.kind is EntryKind.FILE and e.path.lower().endswith(code) for e in entries)
        pending = set(blobs)  # sizes are known from the tree; contents wait for the caller's plan
        contents: dict[str, bytes] = {}  # what was read through the API
        api_reads = 0
        into: LocalClone | None = None  # the clone batches are fetched into, until one fails
        in_clone: set[str] = set()  # the files fetched into `local`

        def fetch(paths: set[str]) -> list[str]:
            """The files of `paths` in one batch: through the API while they are few (at most
            READS_BEFORE_CLONE in all, and no source file in the tree), else from a clone."""
            nonlocal api_reads, local, into, clone
            wanted = sorted(p for p in paths if p in pending)
            pending.difference_update(wanted)
            readable = [p for p in wanted if _under(blobs[p][1], read_limit(p, self.blob_limit))]
            if not readable:
                return []
            if clone is not None and (has_code or api_reads + len(readable) > READS_BEFORE_CLONE):
                local = into = clone(full_name, branch, commit)
                clone = None  # asked once: if the clone fails, files are read one by one
            if into is not None:
                try:
                    done = into.fetch({p: blobs[p][0] for p in readable})
                except GitTooLarge:  # the clone is removed: what it held is unread again
                    local = into = None
                    pending.update(in_clone)
                except (GitError, GitTimeout):
                    into = None  # no more fetches into it; what it holds is read from it still
                else:
                    in_clone.update(readable)
                    return done
            for path in readable:
                api_reads += 1
                try:
                    reply = get(f"{base}/git/blobs/{blobs[path][0]}", raw=True)
                except (ApiError, RateLimited):
                    reply = None
                if reply is None or reply.status != 200:
                    if meter is not None:
                        meter.read_failed()
                    continue
                contents[path] = reply.body[: read_limit(path, self.blob_limit)]
            return []

        def reader(path: str, cap: int) -> bytes | None:
            if path in contents:
                return contents[path][:cap]
            sha, size = blobs.get(path, ("", None))
            if local is None or not sha or not _under(size, read_limit(path, self.blob_limit)):
                return None
            return local.blobs.read(sha, cap)

        truncated = bool(tree.get("truncated"))
        facts = RepoFacts(
            **common,
            detail=_notes(releases, len(entries) if truncated else None),
            file_count=files,
            tree_truncated=truncated,
        )
        return Snapshot(
            repo=facts, entries=entries_from(entries), reader=reader, pending=pending, fetcher=fetch
        )

    def _releases(self, base: str, meter: Meter | None) -> list[Release] | None:
        """The latest 100 releases with their assets; None if the API would not list them (the
        rest is audited all the same, but the result is not kept: it lacks what the releases say)."""
        try:
            reply = self.client.get(f"{base}/releases", params={"per_page": "100"}, meter=meter)
        except RateLimited:
            reply = None
        if reply is None or reply.status != 200:
            if meter is not None:
                meter.read_failed()
            return None
        return [
            Release(
                tag=r["tag_name"],
                name=r.get("name") or "",
                published_at=r.get("published_at"),
                assets=[
                    ReleaseAsset(name=a["name"], size=a.get("size"), url=a["browser_download_url"])
                    for a in r.get("assets", [])
                ],
            )
            for r in reply.json()
        ]


# A clone of the trees and a batch of files cost four git requests however many files there are, an
# API read one request per file: a repository without source code is read through the API for this
# many files, the rest from a clone.
READS_BEFORE_CLONE = 2


@cache
def _code_extensions() -> tuple[str, ...]:
    return tuple(load_yaml("files.yaml")["code_extensions"])


# (full name, branch, commit) -> a local clone at that commit, or None if it could not be made.
Clone = Callable[[str, str, str], LocalClone | None]

# A hundred tags per repository, fifty repositories per query: 5,000 nodes, far below GitHub's limit
# of 500,000, and a query cost of one point.
HEADS_PER_QUERY = 50
_HEAD_FIELDS = (
    "defaultBranchRef { name target { oid } } "
    'refs(refPrefix: "refs/tags/", first: 100) { pageInfo { hasNextPage } nodes { name target { oid } } } '
    "nameWithOwner url isArchived isDisabled isFork stargazerCount pushedAt diskUsage homepageUrl "
    "licenseInfo { key spdxId } primaryLanguage { name }"
)


def _heads_query(count: int) -> str:
    params = ", ".join(f"$o{i}: String!, $n{i}: String!" for i in range(count))
    fields = " ".join(f"r{i}: repository(owner: $o{i}, name: $n{i}) {{ ...head }}" for i in range(count))
    return f"query({params}) {{ {fields} }} fragment head on Repository {{ {_HEAD_FIELDS} }}"


def _refs_of(node: Any) -> Refs | None:
    """Refs from one repository of the heads query; None when it has no commit or too many tags."""
    if node is None or node["defaultBranchRef"] is None or node["refs"]["pageInfo"]["hasNextPage"]:
        return None
    head = node["defaultBranchRef"]
    tags = {str(t["name"]): str(t["target"]["oid"]) for t in node["refs"]["nodes"]}
    return Refs(head=str(head["target"]["oid"]), branch=str(head["name"]), tags=tags)


def _rest_meta(node: dict[str, Any]) -> dict[str, Any]:
    """The fields of a repository's REST answer that `acquire` reads, from its GraphQL node."""
    license = node["licenseInfo"]
    # GraphQL has no SPDX id for a license GitHub could not identify; REST says NOASSERTION.
    spdx = license and (license["spdxId"] or ("NOASSERTION" if license["key"] == "other" else None))
    return {
        "full_name": str(node["nameWithOwner"]),
        "html_url": node["url"],
        "default_branch": node["defaultBranchRef"]["name"],
        "license": {"spdx_id": spdx} if spdx else None,
        "archived": node["isArchived"],
        "disabled": node["isDisabled"],
        "fork": node["isFork"],
        "stargazers_count": node["stargazerCount"],
        "pushed_at": node["pushedAt"],
        "size": node["diskUsage"],
        "homepage": node["homepageUrl"],
        "language": (node["primaryLanguage"] or {}).get("name"),
    }


def _under(size: int | None, limit: int) -> bool:
    """Whether a blob of this size is one git's `blob:limit` filter lets through (and is read)."""
    return size is not None and size < limit


def _valid(owner: str, name: str) -> bool:
    return bool(_NAME.fullmatch(owner) and _NAME.fullmatch(name)) and name not in (".", "..")


def _notes(releases: list[Release] | None, truncated_at: int | None) -> str:
    notes = []
    if truncated_at is not None:
        notes.append(f"GitHub truncated the file tree: only {truncated_at} entries are listed")
    if releases is None:
        notes.append("the releases could not be listed")
    return "; ".join(notes)


def _host_facts(meta: dict[str, Any]) -> HostFacts:
    return HostFacts(
        archived=bool(meta.get("archived")),
        disabled=bool(meta.get("disabled")),
        fork=bool(meta.get("fork")),
        stars=int(meta.get("stargazers_count") or 0),
        pushed_at=meta.get("pushed_at"),
        size_kb=meta.get("size"),
        homepage=meta.get("homepage") or None,
    )


def _ok(reply: Reply) -> Reply:
    """The reply if it is a 200; otherwise the status it means for the repository."""
    if reply.status == 200:
        return reply
    said = reply.message[:200]
    statuses = {
        404: (RepoStatus.NOT_FOUND, "GitHub answered 404: no such repository, or it is private"),
        409: (RepoStatus.EMPTY, "the repository has no commits"),
        451: (RepoStatus.UNAVAILABLE, f"unavailable for legal reasons (451): {said}"),
        401: (RepoStatus.FORBIDDEN, f"GitHub refused the credentials (401): {said}"),
        403: (RepoStatus.FORBIDDEN, f"access forbidden (403): {said}"),
    }
    status, detail = statuses.get(reply.status, (RepoStatus.ERROR, f"unexpected answer {reply.status}"))
    raise _Stop(status, detail)
