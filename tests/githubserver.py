"""A local GitHub: the REST endpoints the auditor uses, served on 127.0.0.1 from real git repositories.

Repositories are made with `gitrepos.make_repo`, so the API and git tests audit the same fixtures:
trees, refs and blobs are computed by git from the repository on disk, at request time (a new
commit shows up on the next request). Metadata, licenses and releases, which GitHub keeps outside
git, are given when a repository is added.

Beside the REST API, the server answers the one GraphQL query the auditor sends (the commit and
tags of many repositories), and the git host's ref advertisement
(`/{owner}/{name}.git/info/refs?service=git-upload-pack`, what `git ls-remote` reads), built from the
repository's ref files, without an ETag, as github.com sends it.

Faults are injected on demand: answers held until the test lets go, bursts of 5xx, rate-limit
answers, renamed repositories (301 to `/repositories/{id}`), 404/451/403 repositories, truncated
trees and endless bodies. Every API answer carries an ETag and a matching `If-None-Match` gets 304,
as on GitHub. The most requests it had in flight at once is kept in `max_in_flight`; `overlap`
holds the first requests until that many are in flight together, so that a test sees workers
overlap without adding latency. `before` runs before each answer (the benchmark's latency).

A plain class with start()/stop()/url, so the benchmark can serve N repositories outside pytest:

    server = FakeGitHub().start()
    server.add("lab/tool", make_repo(path, {"README.md": "# Tool\n"}), license="MIT")
    ...  # auditor run --github-api {server.url} --repo https://github.com/lab/tool
    server.stop()
"""

from __future__ import annotations

import base64
import functools
import gzip
import hashlib
import json
import os
import re
import subprocess
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server
from werkzeug.wrappers import Request, Response

# GitHub varies its answers on these request headers (authenticated responses say so).
_VARY = "Accept, Authorization, Cookie, X-GitHub-OTP"


@dataclass(frozen=True)
class Hit:
    """One request as the server saw it."""

    path: str
    status: int
    conditional: bool
    authorization: str | None
    by_git: bool = False  # sent by git itself (a clone), not by the auditor's HTTP client


@dataclass
class _Repo:
    full_name: str
    path: Path
    id: int
    meta: dict[str, Any]
    releases: list[dict[str, Any]]
    truncated: bool = False
    refusal: tuple[int, str] | None = None


@dataclass
class _RateLimit:
    times: int
    status: int
    reset: int | None
    retry_after: int | None
    message: str


@dataclass
class _Faults:
    errors: list[int] = field(default_factory=list)
    limits: list[_RateLimit] = field(default_factory=list)
    endless: set[str] = field(default_factory=set)


def release(tag: str, *assets: tuple[str, int], published_at: str = "2025-01-02T00:00:00Z") -> dict[str, Any]:
    """A release as GitHub lists it, with (name, size) assets."""
    return {
        "tag_name": tag,
        "name": f"Release {tag}",
        "published_at": published_at,
        "assets": [
            {
                "name": name,
                "size": size,
                "browser_download_url": f"https://github.example/download/{tag}/{name}",
            }
            for name, size in assets
        ],
    }


class FakeGitHub:
    def __init__(self) -> None:
        self.before: Callable[[], None] | None = None  # runs before each answer, counted in flight
        self.overlap = 0  # the first requests wait until this many are in flight at once
        self.hits: list[Hit] = []
        self._repos: dict[str, _Repo] = {}
        self._renamed: dict[str, str] = {}
        self._faults = _Faults()
        self._lock = threading.Condition()
        self._open = threading.Event()
        self._open.set()
        self._server: BaseWSGIServer | None = None
        self._thread: threading.Thread | None = None
        self._in_flight = 0
        self.max_in_flight = 0

    # --- lifecycle -------------------------------------------------------------------------------

    def start(self) -> FakeGitHub:
        self._server = make_server("127.0.0.1", 0, self._wsgi, threaded=True, request_handler=_Quiet)
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.02,), daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self.release()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join()
        self._server = self._thread = None

    def __enter__(self) -> FakeGitHub:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        assert self._server is not None, "start() the server first"
        return f"http://127.0.0.1:{self._server.server_port}"

    # --- repositories and faults -----------------------------------------------------------------

    def add(
        self,
        full_name: str,
        path: Path,
        *,
        license: str | None = None,
        releases: list[dict[str, Any]] | None = None,
        **meta: Any,
    ) -> None:
        """Serve the git repository at `path` as `owner/name`; `meta` overrides metadata fields."""
        with self._lock:
            if license is not None:
                key = "other" if license == "NOASSERTION" else license.lower()  # as GitHub names them
                meta["license"] = {"key": key, "spdx_id": license, "name": license}
            self._repos[full_name.lower()] = _Repo(
                full_name, path, len(self._repos) + 1000, meta, releases or []
            )

    def rename(self, old: str, new: str) -> None:
        """The repository `new` was called `old`: requests for `old` are redirected, as on GitHub."""
        with self._lock:
            self._renamed[old.lower()] = new.lower()

    def refuse(self, full_name: str, status: int, message: str) -> None:
        """Answer every request about `full_name` with `status` (404, 451, 403 …)."""
        with self._lock:
            repo = self._repos.get(full_name.lower())
            if repo is None:
                repo = self._repos[full_name.lower()] = _Repo(full_name, Path(), 0, {}, [])
            repo.refusal = (status, message)

    def truncate(self, full_name: str) -> None:
        """Trees of `full_name` come back cut in half with `truncated: true`."""
        with self._lock:
            self._repos[full_name.lower()].truncated = True

    def hold(self) -> None:
        """Answer nothing until `release()` (or stop): a host slower than any timeout."""
        self._open.clear()

    def release(self) -> None:
        self._open.set()

    def fail(self, times: int, status: int = 502) -> None:
        """The next `times` requests get `status`."""
        with self._lock:
            self._faults.errors += [status] * times

    def rate_limit(
        self,
        *,
        times: int = 1,
        status: int = 403,
        reset: int | None = None,
        retry_after: int | None = None,
        message: str = "API rate limit exceeded for 127.0.0.1.",
    ) -> None:
        """The next `times` requests are refused for rate limit: primary (`reset`, an epoch time)
        or secondary (`retry_after` seconds, or neither: only the message says so)."""
        with self._lock:
            self._faults.limits.append(_RateLimit(times, status, reset, retry_after, message))

    def endless(self, path: str) -> None:
        """Requests for `path` get a body that never ends."""
        with self._lock:
            self._faults.endless.add(path)

    def count(self, *, conditional: bool | None = None, status: int | None = None) -> int:
        with self._lock:
            return sum(
                1
                for h in self.hits
                if (conditional is None or h.conditional == conditional)
                and (status is None or h.status == status)
            )

    # --- HTTP ------------------------------------------------------------------------------------

    def _wsgi(self, environ: dict[str, Any], start_response: Any) -> Any:
        request = Request(environ)
        with self._lock:
            self._in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self._in_flight)
            self._lock.notify_all()
            self._lock.wait_for(lambda: self.max_in_flight >= self.overlap, 10)
        try:
            self._open.wait()
            if self.before is not None:
                self.before()
            response = self._answer(request)
        finally:
            with self._lock:
                self._in_flight -= 1
        full = request.full_path.rstrip("?")
        with self._lock:
            self.hits.append(
                Hit(
                    path=full,
                    status=response.status_code,
                    conditional="If-None-Match" in request.headers,
                    authorization=request.headers.get("Authorization"),
                    by_git=request.headers.get("User-Agent", "").startswith("git/"),
                )
            )
        return response(environ, start_response)

    def _answer(self, request: Request) -> Response:
        full = request.full_path.rstrip("?")
        with self._lock:
            fault = self._take_fault(full)
        if fault is not None:
            return fault
        try:
            status, body, headers = self._route(request)
        except _Refused as refusal:
            status, body, headers = refusal.status, _message(refusal.message), {}
        if status != 200:
            return Response(body, status=status, headers=headers, content_type="application/json")
        if "Cache-Control" in headers:  # the git host's answers have no validators
            return Response(body, status=200, headers=headers, content_type=headers.pop("Content-Type"))
        etag = 'W/"' + hashlib.sha1(body).hexdigest() + '"'
        headers |= {"ETag": etag, "Vary": _VARY}
        if request.headers.get("If-None-Match") == etag:
            return Response(status=304, headers=headers)
        return Response(body, status=200, headers=headers, content_type=headers.pop("Content-Type", _JSON))

    def _take_fault(self, path: str) -> Response | None:
        faults = self._faults
        if path in faults.endless:
            return Response(_forever(), status=200, content_type=_JSON)
        if faults.errors:
            status = faults.errors.pop(0)
            return Response(_message("Server Error"), status=status, content_type=_JSON)
        if faults.limits:
            limit = faults.limits[0]
            limit.times -= 1
            if limit.times <= 0:
                faults.limits.pop(0)
            headers: dict[str, str] = {}
            if limit.reset is not None:
                headers |= {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": str(limit.reset)}
            if limit.retry_after is not None:
                headers["Retry-After"] = str(limit.retry_after)
            return Response(_message(limit.message), status=limit.status, headers=headers, content_type=_JSON)
        return None

    def _route(self, request: Request) -> tuple[int, bytes, dict[str, str]]:
        path = request.path
        if path == "/graphql" and request.method == "POST":
            return self._graphql(request)
        if match := re.fullmatch(r"/([^/]+)/([^/]+?)(?:\.git)?/info/refs", path):
            return self._advertisement(f"{match[1]}/{match[2]}".lower(), request)
        if request.method == "POST" and (
            match := re.fullmatch(r"/([^/]+)/([^/]+?)(?:\.git)?/git-upload-pack", path)
        ):
            return self._upload_pack(f"{match[1]}/{match[2]}".lower(), request)
        match = re.fullmatch(r"/repos/([^/]+)/([^/]+)(/.*)?", path)
        if match:
            name = f"{match[1]}/{match[2]}".lower()
            rest = match[3] or ""
            with self._lock:
                new = self._renamed.get(name)
                repo = self._repos.get(new) if new else None
            if repo is not None:
                query = ("?" + request.query_string.decode()) if request.query_string else ""
                location = f"{request.host_url.rstrip('/')}/repositories/{repo.id}{rest}{query}"
                return 301, _message("Moved Permanently"), {"Location": location}
            with self._lock:
                repo = self._repos.get(name)
        else:
            match = re.fullmatch(r"/repositories/(\d+)(/.*)?", path)
            if not match:
                return 404, _message("Not Found"), {}
            rest = match[2] or ""
            with self._lock:
                repo = next((r for r in self._repos.values() if r.id == int(match[1])), None)
        if repo is None:
            return 404, _message("Not Found"), {}
        if repo.refusal is not None:
            raise _Refused(*repo.refusal)
        return self._endpoint(repo, rest, request)

    def _advertisement(self, name: str, request: Request) -> tuple[int, bytes, dict[str, str]]:
        """What github.com answers `git ls-remote`: pkt-lines of HEAD (with its symref), branches and tags."""
        with self._lock:
            new = self._renamed.get(name)
            repo = self._repos.get(new or name)
        if repo is None or request.args.get("service") != "git-upload-pack":
            return 404, b"Repository not found.", {}
        if new is not None:
            query = "?" + request.query_string.decode()
            return (
                301,
                b"",
                {"Location": f"{request.host_url.rstrip('/')}/{repo.full_name}.git/info/refs{query}"},
            )
        if repo.refusal is not None:
            raise _Refused(*repo.refusal)
        if "Git-Protocol" in request.headers:  # git itself, cloning: let git answer, in its protocol
            refs_out = _upload_pack(repo.path, b"", request.headers["Git-Protocol"], advertise=True)
            return 200, _pkt("# service=git-upload-pack\n") + b"0000" + refs_out, dict(_GIT_HEADERS)
        branch, head, refs = _refs(repo.path)
        symref = f" symref=HEAD:refs/heads/{branch}" if branch else ""
        capabilities = f"multi_ack thin-pack side-band side-band-64k ofs-delta shallow no-progress{symref} agent=git/fake"
        lines = [f"{head} HEAD\0{capabilities}\n"] if head else []
        lines += [f"{sha} {ref}\n" for ref, sha in sorted(refs.items())]
        if not lines:
            lines = [f"{'0' * 40} capabilities^{{}}\0{capabilities}\n"]
        body = _pkt("# service=git-upload-pack\n") + b"0000" + b"".join(map(_pkt, lines)) + b"0000"
        headers = {
            "Content-Type": "application/x-git-upload-pack-advertisement",
            "Cache-Control": "no-cache, max-age=0, must-revalidate",
        }
        return 200, body, headers

    def _upload_pack(self, name: str, request: Request) -> tuple[int, bytes, dict[str, str]]:
        """The fetch of a clone (smart HTTP, stateless): git upload-pack answers the request body."""
        with self._lock:
            repo = self._repos.get(name)
        if repo is None or repo.refusal is not None:
            return 404, b"Repository not found.", {}
        body = request.get_data()
        if request.headers.get("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        out = _upload_pack(repo.path, body, request.headers.get("Git-Protocol", ""), advertise=False)
        return 200, out, {**_GIT_HEADERS, "Content-Type": "application/x-git-upload-pack-result"}

    def _graphql(self, request: Request) -> tuple[int, bytes, dict[str, str]]:
        """The one GraphQL query the auditor sends: each aliased `repository(owner:, name:)` with its
        default branch's commit, its tags (alphabetical, 100 at most) and its metadata, as GitHub
        answers it:
        a repository it cannot resolve is null, with an error naming it."""
        if not request.headers.get("Authorization"):
            return 401, _message("This endpoint requires you to be authenticated."), {}
        payload = json.loads(request.get_data())
        variables = payload.get("variables") or {}
        data: dict[str, Any] = {}
        errors = []
        for alias, owner, name in re.findall(
            r"(r\d+): repository\(owner: \$(o\d+), name: \$(n\d+)\)", payload["query"]
        ):
            asked = f"{variables[owner]}/{variables[name]}"
            with self._lock:
                repo = self._repos.get(self._renamed.get(asked.lower(), asked.lower()))
            if repo is None or repo.refusal is not None:
                data[alias] = None
                errors.append(
                    {
                        "type": "NOT_FOUND",
                        "path": [alias],
                        "message": f"Could not resolve to a Repository with the name '{asked}'.",
                    }
                )
                continue
            branch, head, refs = _refs(repo.path)
            tags = sorted(
                (ref.removeprefix("refs/tags/"), sha)
                for ref, sha in refs.items()
                if ref.startswith("refs/tags/")
            )
            meta = self._metadata(repo, request.host_url.rstrip("/"))
            license = meta["license"]
            data[alias] = {
                "nameWithOwner": meta["full_name"],
                "url": meta["html_url"],
                "isArchived": meta["archived"],
                "isDisabled": meta["disabled"],
                "isFork": meta["fork"],
                "stargazerCount": meta["stargazers_count"],
                "pushedAt": meta["pushed_at"],
                "diskUsage": meta["size"],
                "homepageUrl": meta["homepage"],
                "primaryLanguage": {"name": meta["language"]} if meta["language"] else None,
                # GraphQL names no SPDX id for a license GitHub could not identify
                "licenseInfo": license
                and {
                    "key": license["key"],
                    "spdxId": None if license["key"] == "other" else license["spdx_id"],
                },
                "defaultBranchRef": {"name": branch, "target": {"oid": head}} if head else None,
                "refs": {
                    "pageInfo": {"hasNextPage": len(tags) > 100},
                    "nodes": [{"name": tag, "target": {"oid": sha}} for tag, sha in tags[:100]],
                },
            }
        answer = {"data": data} | ({"errors": errors} if errors else {})
        return 200, _json(answer), {"Content-Type": _JSON, "Cache-Control": "no-cache"}

    def _endpoint(self, repo: _Repo, rest: str, request: Request) -> tuple[int, bytes, dict[str, str]]:
        if rest == "":
            return 200, _json(self._metadata(repo, request.host_url.rstrip("/"))), {}
        if rest == "/releases":
            return 200, _json(repo.releases), {}
        if match := re.fullmatch(r"/git/ref/heads/(.+)", rest):
            head = _refs(repo.path)[2].get(f"refs/heads/{match[1]}")
            if not head:
                return (409, _message("Git Repository is empty."), {}) if _empty(repo.path) else _not_found()
            return (
                200,
                _json({"ref": f"refs/heads/{match[1]}", "object": {"sha": head, "type": "commit"}}),
                {},
            )
        if match := re.fullmatch(r"/git/trees/([0-9a-f]{40})", rest):
            if _empty(repo.path):
                return 409, _message("Git Repository is empty."), {}
            return self._tree(repo, match[1], recursive=request.args.get("recursive") == "1")
        if match := re.fullmatch(r"/git/blobs/([0-9a-f]{40})", rest):
            if _kind(repo.path, match[1]) != "blob":
                return _not_found()
            data = _object(repo.path, "cat-file", "blob", match[1])
            if "raw" in request.headers.get("Accept", ""):
                return 200, data, {"Content-Type": "application/vnd.github.raw"}
            content = base64.b64encode(data).decode()
            return (
                200,
                _json({"sha": match[1], "size": len(data), "encoding": "base64", "content": content}),
                {},
            )
        return _not_found()

    def _metadata(self, repo: _Repo, base: str) -> dict[str, Any]:
        owner, name = repo.full_name.split("/")
        branch, head, _ = _refs(repo.path)
        branch = branch or "main"
        return {
            "id": repo.id,
            "name": name,
            "full_name": repo.full_name,
            "html_url": f"https://github.com/{repo.full_name}",
            "url": f"{base}/repos/{repo.full_name}",
            "owner": {"login": owner},
            "default_branch": branch,
            "archived": False,
            "disabled": False,
            "fork": False,
            "stargazers_count": 0,
            "pushed_at": "2025-01-01T00:00:00Z",
            "size": 0 if head is None else 1,
            "license": None,
            "homepage": None,
            "language": _language(repo.path, head) if head else None,
        } | repo.meta

    def _tree(self, repo: _Repo, sha: str, *, recursive: bool) -> tuple[int, bytes, dict[str, str]]:
        if _kind(repo.path, sha) not in ("commit", "tree"):
            return _not_found()
        return 200, _tree_body(repo.path, sha, recursive, repo.truncated), {}


@functools.lru_cache(maxsize=2048)
def _tree_body(path: Path, sha: str, recursive: bool, truncated: bool) -> bytes:
    """The JSON of a tree: computed once per object, since 5,000-file trees are slow to build."""
    args = ["ls-tree", "-l", "-z", "--full-tree"] + (["-r", "-t"] if recursive else [])
    listing = _object(path, *args, sha).decode()
    items = []
    for record in filter(None, listing.split("\0")):
        meta, _, name = record.partition("\t")
        mode, kind, object_sha, size = meta.split()
        item: dict[str, Any] = {"path": name, "mode": mode, "type": kind, "sha": object_sha}
        if kind == "blob":
            item["size"] = int(size)
        items.append(item)
    if truncated:
        items = items[: len(items) // 2]
    tree_sha = _object(path, "rev-parse", f"{sha}^{{tree}}").decode().strip()
    return _json({"sha": tree_sha, "tree": items, "truncated": truncated})


class _Refused(Exception):
    def __init__(self, status: int, message: str) -> None:
        self.status, self.message = status, message


class _Quiet(WSGIRequestHandler):
    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        pass


_JSON = "application/json; charset=utf-8"


def _json(data: Any) -> bytes:
    return json.dumps(data).encode()


def _message(text: str) -> bytes:
    return _json({"message": text, "documentation_url": "https://docs.github.com/rest"})


def _not_found() -> tuple[int, bytes, dict[str, str]]:
    return 404, _message("Not Found"), {}


def _forever() -> Iterator[bytes]:
    chunk = b"[" + b"0," * 32768
    while True:
        yield chunk


def _empty(path: Path) -> bool:
    return _refs(path)[1] is None


def _refs(path: Path) -> tuple[str | None, str | None, dict[str, str]]:
    """(HEAD's branch, HEAD's commit, {ref: id}) read from the ref files, as they are now: a new
    commit or tag shows at once, and no git process is started per request."""
    gitdir = path / ".git" if (path / ".git").is_dir() else path
    refs: dict[str, str] = {}
    packed = gitdir / "packed-refs"
    if packed.exists():
        for line in packed.read_text().splitlines():
            sha, _, name = line.partition(" ")
            if name.startswith("refs/"):
                refs[name] = sha
    for kind in ("heads", "tags"):
        for file in (gitdir / "refs" / kind).rglob("*"):
            if file.is_file():
                refs[file.relative_to(gitdir).as_posix()] = file.read_text().strip()
    head = (gitdir / "HEAD").read_text().strip()
    if head.startswith("ref: refs/heads/"):
        branch = head.removeprefix("ref: refs/heads/")
        return branch, refs.get(f"refs/heads/{branch}"), refs
    return None, head or None, refs


_GIT_HEADERS = {
    "Content-Type": "application/x-git-upload-pack-advertisement",
    "Cache-Control": "no-cache, max-age=0, must-revalidate",
}


def _upload_pack(path: Path, body: bytes, protocol: str, *, advertise: bool) -> bytes:
    env = os.environ | ({"GIT_PROTOCOL": protocol} if protocol else {})
    args = ["git", "upload-pack", "--stateless-rpc", *(["--advertise-refs"] if advertise else []), str(path)]
    return subprocess.run(args, input=body, env=env, capture_output=True, check=True).stdout


def _pkt(line: str) -> bytes:
    data = line.encode()
    return f"{len(data) + 4:04x}".encode() + data


@functools.lru_cache(maxsize=65536)
def _object(path: Path, *args: str) -> bytes:
    """A git query about objects named by id: their content never changes, so ask git once.
    A failure raises, and is not remembered (the object may arrive with a later commit)."""
    return subprocess.run(["git", "-C", str(path), *args], capture_output=True, check=True).stdout


# What GitHub's linguist would call the files of a repository, by extension (a few of them).
_LANGUAGES = {
    ".py": "Python",
    ".ipynb": "Jupyter Notebook",
    ".m": "MATLAB",
    ".r": "R",
    ".jl": "Julia",
    ".sh": "Shell",
    ".js": "JavaScript",
    ".html": "HTML",
    ".c": "C",
    ".cpp": "C++",
    ".cu": "Cuda",
}


@functools.lru_cache(maxsize=4096)
def _language(path: Path, head: str) -> str | None:
    """The language most files at `head` are in (GitHub weighs bytes, files will do), or None.
    Once per commit: counting 5,000 names for every GraphQL node would bill the auditor's clock."""
    names = _object(path, "ls-tree", "-r", "-z", "--name-only", head).decode().split("\0")
    counts = Counter(_LANGUAGES[ext] for n in names if (ext := os.path.splitext(n)[1].lower()) in _LANGUAGES)
    return counts.most_common(1)[0][0] if counts else None


def _kind(path: Path, sha: str) -> str:
    try:
        return _object(path, "cat-file", "-t", sha).decode().strip()
    except subprocess.CalledProcessError:
        return ""
