"""The one HTTP client for the GitHub REST API: every network policy lives here.

Auth, timeouts, retries, rate limits, caching and body caps are decided once, in this object:

- Retries with exponential backoff and jitter on connection errors, timeouts and 5xx; never on an
  answer that will not change (401, 403, 404, 409, 451).
- Rate limits as GitHub documents them: 403/429 with `X-RateLimit-Remaining: 0` (wait until
  `X-RateLimit-Reset`), with `Retry-After` (wait that long), or 429 / a secondary-limit message
  (wait a minute). A wait longer than `max_wait` is not taken: the client stops asking and every
  later call raises RateLimited at once, so the run finishes with what it has.
- A persistent SQLite HTTP cache (requests-cache) that stores answers with validators and
  revalidates them on every use: an unchanged resource costs a 304, which GitHub does not count
  against an authenticated rate limit. It is opened at the first GET whose answer may be kept;
  GraphQL POSTs and the git host's ref advertisements (never cached) go through a plain session
  sharing the same connection pool.
- Every request goes through the transport of `auditor/net/http.py` under the one address policy
  (`auditor/net/addresses.py`), which allows the configured hosts alone (the API, its git host,
  the proxies the environment names): a redirect or a URL elsewhere is never requested. Every
  exchange has a deadline for connect, headers and body together, and every body a byte cap: a
  server that drips its answer, or streams one forever, holds a request no longer than its budget.
- The token lives only in the sessions' headers; it is not part of any message, repr or cache
  entry (requests-cache drops the Authorization header from what it stores). It is sent to the API
  host only: the git host (for the ref advertisement) never sees it.

One client serves every worker of a run: counters and the rate-limit state are guarded by a lock,
requests-cache's SQLite backend serializes its writes, and each request holds a per-host slot
(`HostLimits`) while it is on the wire. A rate limit met by one worker pauses them all. What a
request costs is counted on the `Meter` the caller passes, so concurrent repositories never see
each other's requests.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Mapping
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import requests

from auditor.acquire import DEFAULT_API
from auditor.net import DEFAULT_MAX_WAIT
from auditor.net.addresses import AddressPolicy, Refused
from auditor.net.http import (
    DEFAULT_TIMEOUT,
    BodyOverCap,
    CappedAdapter,
    DeadlineExceeded,
    RedirectRefused,
    Reply,
    Retry,
    TransientStatus,
    cached_session,
    configure,
    follow,
)
from auditor.net.politeness import HostLimits

# Requests in a row (each after its retries) that reach no answer before a host counts as down.
UNREACHABLE_AFTER = 3

# Largest answer read: a truncated recursive tree is at most about 7 MB of JSON on GitHub.
MAX_BODY = 32 * 1024 * 1024
# GitHub's advice when a secondary rate limit gives no time: wait at least a minute.
_SECONDARY_WAIT = 60.0
# Git objects asked for by id: the answer for a given URL can never change.
_IMMUTABLE = re.compile(r"/git/(?:trees|blobs)/[0-9a-f]{40}(?:\?|$)")


class ApiError(RuntimeError):
    """The API gave no usable answer: unreachable, timed out, too large, or failing with 5xx."""


class Unreachable(ApiError):
    pass


class RateLimited(RuntimeError):
    """The rate limit is spent and resets later than the client may wait."""

    def __init__(self, until: float) -> None:
        moment = datetime.fromtimestamp(until, UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
        super().__init__(f"GitHub API rate limit exhausted until {moment}")
        self.until = until


@dataclass(frozen=True)
class Tally:
    """Requests that went over the wire, and how many of them were answered 304 Not Modified."""

    requests: int = 0
    not_modified: int = 0


class Meter:
    """Counts the requests made on behalf of one repository (retries and redirect hops included),
    and the reads among them that got no answer (so that a result missing them is not kept)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._requests = 0
        self._not_modified = 0
        self.failed_reads = 0

    def read_failed(self) -> None:
        with self._lock:
            self.failed_reads += 1

    def add(self, status: int) -> None:
        with self._lock:
            self._requests += 1
            self._not_modified += status == 304

    @property
    def tally(self) -> Tally:
        with self._lock:
            return Tally(self._requests, self._not_modified)


# The meter of the request being sent by this thread, for the transport to count on.
_METER: ContextVar[Meter | None] = ContextVar("meter", default=None)


class GitHubClient:
    """GitHub REST client; one per run, shared by every repository and every worker.

    `timeout` bounds each read; `deadline` the whole exchange (four times `timeout` unless given)."""

    def __init__(
        self,
        *,
        base_url: str = DEFAULT_API,
        token: str | None = None,
        cache_path: Path | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        deadline: float | None = None,
        max_wait: float = DEFAULT_MAX_WAIT,
        attempts: int = 4,
        max_body: int = MAX_BODY,
        hosts: HostLimits | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.git_url = git_base(self.base_url)
        self.timeout = timeout
        self.max_wait = max_wait
        self.hosts = hosts or HostLimits()
        self._sleep = sleep
        self._clock = clock
        self._lock = threading.Lock()
        self._blocked_until: dict[str, float] = {}  # per host: asking again is pointless until then
        self._paused_until: dict[str, float] = {}  # per host: every worker waits until then
        self._unreachable: dict[str, int] = {}  # per host: requests in a row that got no answer
        self._requests = 0
        self._not_modified = 0
        # requests would read the proxy variables (and ~/.netrc) again on every request, a good
        # share of what a request costs in CPU: the environment is read once, per origin, instead.
        # Credentials come from --token-env only, never from ~/.netrc.
        self._proxies = {
            origin: requests.utils.get_environ_proxies(origin)
            for origin in {_origin(self.base_url), _origin(self.git_url)}
        }
        pool = max(self.hosts.limit(urlsplit(u).netloc).in_flight for u in (self.base_url, self.git_url))
        proxies = [
            p if "://" in p else f"http://{p}"
            for f in self._proxies.values()
            for k, p in f.items()
            if k != "no"
        ]
        http_proxies = [p for p in proxies if p.startswith(("http://", "https://"))]  # not SOCKS
        policy = AddressPolicy(trusted=[self.base_url, self.git_url, *http_proxies], only_trusted=True)
        self._adapter = CappedAdapter(
            policy=policy,
            max_body=max_body,
            deadline=deadline or timeout * 4,
            cut=False,
            pool=pool,
            on_response=self._answered,
        )
        self._retry = Retry(
            attempts=attempts, transient=lambda status: status >= 500, max_backoff=30, sleep=sleep
        )
        self._headers = {
            "Accept": "application/vnd.github+json",
            "X-GitHub-Api-Version": "2022-11-28",
            "User-Agent": "auditor (reproducibility audit of research code)",
        } | ({"Authorization": f"Bearer {token}"} if token else {})
        self._cache_path = cache_path
        self._plain = self._configured(requests.Session())  # POSTs and the git host's answers
        self._cached: requests.Session | None = None  # made when a first answer may be cached

    def _configured(self, session: requests.Session) -> requests.Session:
        return configure(session, self._adapter, self._headers)  # one connection pool for both

    def _session(self, cache: bool) -> requests.Session:
        if not cache or self._cache_path is None:
            return self._plain
        with self._lock:
            if self._cached is None:
                # Opened here, when a first answer may be cached: a re-run whose repositories are
                # all unchanged asks only what is never cached (GraphQL, the git host's ref
                # advertisements) and does not load requests-cache. WAL: readers in other workers
                # do not wait for a writer.
                session = cached_session(self._cache_path, wal=True, never_expire=[_IMMUTABLE])
                self._cached = self._configured(session)
            return self._cached

    def __repr__(self) -> str:
        return f"GitHubClient(base_url={self.base_url!r})"

    def __enter__(self) -> GitHubClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        for session in (self._plain, self._cached):
            if session is not None:
                session.close()

    @property
    def tally(self) -> Tally:
        """Every request this client sent, for all repositories."""
        with self._lock:
            return Tally(self._requests, self._not_modified)

    def _answered(self, response: requests.Response) -> None:
        """Count an answer (on the client and on the meter of the repository it was asked for),
        and drop Authorization from its Vary header before the cache stores it.

        GitHub answers `Vary: Accept, Authorization, …`. The cache stores requests with the token
        redacted, so no answer to a request with a token would ever match its own Vary again: each
        would be fetched anew, blobs and trees named by id included. The cache is this user's own,
        so answers are not told apart by the credentials they were asked with."""
        status = response.status_code
        with self._lock:
            self._requests += 1
            self._not_modified += status == 304
        meter = _METER.get()
        if meter is not None:
            meter.add(status)
        if vary := response.headers.get("Vary"):
            kept = [h.strip() for h in vary.split(",") if h.strip().lower() != "authorization"]
            response.headers["Vary"] = ", ".join(kept)

    def get(
        self,
        path: str,
        *,
        params: Mapping[str, str] | None = None,
        raw: bool = False,
        meter: Meter | None = None,
    ) -> Reply:
        """GET `path` (relative to the base URL). Raises RateLimited or ApiError; any other status
        (404, 409, 451 …) is returned for the caller to interpret."""
        url = f"{self.base_url}/{path.lstrip('/')}"
        headers = {"Accept": "application/vnd.github.raw+json"} if raw else {}
        return self._request(url, params, headers, meter, cache=True)

    def advertised_refs(self, full_name: str, *, meter: Meter | None = None) -> Reply:
        """The git ref advertisement of `owner/name` (what `git ls-remote` reads): the commit of
        HEAD and every branch and tag, in one request to the git host. Not an API call, so it
        costs no API rate limit; never sent with the token, never cached (it has no validators)."""
        url = f"{self.git_url}/{full_name}.git/info/refs"
        params = {"service": "git-upload-pack"}
        headers: dict[str, str | None] = {"Accept": "*/*", "Authorization": None}
        return self._request(url, params, headers, meter, cache=False)

    def graphql(self, query: str, variables: Mapping[str, Any], *, meter: Meter | None = None) -> Reply:
        """POST a query to the GraphQL API (it answers only with a token). Not cached: POST."""
        url = graphql_url(self.base_url)
        return self._request(url, None, {}, meter, cache=False, body={"query": query, "variables": variables})

    def _request(
        self,
        url: str,
        params: Mapping[str, str] | None,
        headers: Mapping[str, str | None],
        meter: Meter | None,
        *,
        cache: bool,
        body: Mapping[str, Any] | None = None,
    ) -> Reply:
        host = urlsplit(url).netloc  # the API and the git host keep separate limits
        slept_until = 0.0  # a pause this thread already waited out
        for _ in range(3):  # a rate limit waited out may meet another one; do not wait forever
            self._await_pause(host, slept_until)
            reply = self._send(url, params, headers, meter, cache=cache, body=body)
            wait = self._rate_limit_wait(reply)
            if wait is None:
                return reply
            slept_until = self._pause(host, wait)
            self._sleep(wait)
        with self._lock:
            until = self._blocked_until[host] = self._clock() + self.max_wait
        raise RateLimited(until)

    def _await_pause(self, host: str, slept_until: float) -> None:
        """Raise if `host`'s rate limit is spent for longer than we may wait; wait out a pause
        that another worker's rate-limited answer from `host` started."""
        with self._lock:
            now = self._clock()
            blocked = self._blocked_until.get(host)
            if blocked is not None:
                if now < blocked:
                    raise RateLimited(blocked)
                del self._blocked_until[host]
            until = self._paused_until.get(host)
        if until is not None and until > slept_until and until > now:
            self._sleep(until - now)

    def _pause(self, host: str, wait: float) -> float:
        """Make every worker wait `wait` seconds before asking `host` again; or, beyond max_wait,
        stop asking it altogether."""
        with self._lock:
            until = self._clock() + wait
            if wait > self.max_wait:
                self._blocked_until[host] = until
                raise RateLimited(until)
            self._paused_until[host] = max(self._paused_until.get(host, 0.0), until)
            return self._paused_until[host]

    def _send(
        self,
        url: str,
        params: Mapping[str, str] | None,
        headers: Mapping[str, str | None],
        meter: Meter | None,
        *,
        cache: bool,
        body: Mapping[str, Any] | None = None,
    ) -> Reply:
        origin = urlsplit(url)[:2]
        host = origin[1]
        self._check_answering(host)
        session = self._session(cache)

        def ask(method: str, target: str, hop: int) -> requests.Response:
            def once() -> requests.Response:
                with self.hosts.slot(urlsplit(target).netloc):
                    return session.request(
                        method,
                        target,
                        params=params if hop == 0 else None,
                        json=body,
                        headers=headers,
                        proxies=self._proxies.get(_origin(target), {}),
                        timeout=self.timeout,
                        allow_redirects=False,
                    )

            return self._retry(once)

        def same_origin(target: str) -> None:
            if urlsplit(target)[:2] != origin:
                raise RedirectRefused(f"redirected away from the API host, to {urlsplit(target).netloc}")

        counting = _METER.set(meter)
        try:
            followed = follow(url, "POST" if body is not None else "GET", ask, allow=same_origin)
        except TransientStatus as err:
            raise ApiError(f"GitHub answered {err.status} {err.attempts} times") from None
        except (RedirectRefused, Refused) as err:
            raise ApiError(str(err)) from None
        except DeadlineExceeded as err:
            self._no_answer(host)
            raise Unreachable(f"GitHub gave {err}") from None
        except requests.Timeout:
            self._no_answer(host)
            raise Unreachable(f"GitHub did not answer within {self.timeout:g} s") from None
        except requests.ConnectionError as err:
            self._no_answer(host)
            raise Unreachable(f"could not connect to the GitHub API: {err}") from None
        except BodyOverCap as err:
            raise ApiError(str(err)) from None
        except requests.RequestException as err:
            raise ApiError(f"unusable answer from the GitHub API: {type(err).__name__}") from None
        finally:
            _METER.reset(counting)
        response = followed.response
        with self._lock:
            self._unreachable.pop(host, None)  # an answer: the host is up again
        return Reply(
            status=response.status_code,
            url=response.url,
            body=response.content,
            headers=dict(response.headers),
            redirected=bool(followed.hops),
        )

    def _check_answering(self, host: str) -> None:
        """Refuse to send when `host` gave no answer to several requests in a row (each after all
        its retries): with no network, a run then ends in seconds instead of retrying every repository."""
        with self._lock:
            failures = self._unreachable.get(host, 0)
        if failures >= UNREACHABLE_AFTER:
            raise Unreachable(
                f"{host} did not answer {failures} requests in a row; not asked again in this run"
            )

    def _no_answer(self, host: str) -> None:
        with self._lock:
            self._unreachable[host] = self._unreachable.get(host, 0) + 1

    def _rate_limit_wait(self, reply: Reply) -> float | None:
        """Seconds to wait before asking again, if `reply` says the rate limit was hit."""
        if reply.status not in (403, 429):
            return None
        headers = {k.lower(): v for k, v in reply.headers.items()}
        retry_after = headers.get("retry-after", "")
        if retry_after.isdigit():
            return float(retry_after)
        if headers.get("x-ratelimit-remaining") == "0":
            reset = headers.get("x-ratelimit-reset", "")
            return max(0.0, float(reset) - self._clock()) + 1 if reset.isdigit() else _SECONDARY_WAIT
        if reply.status == 429 or "rate limit" in reply.message.lower():
            return _SECONDARY_WAIT
        return None


def _origin(url: str) -> str:
    scheme, host, *_rest = urlsplit(url)
    return f"{scheme}://{host}"


def graphql_url(api: str) -> str:
    """The GraphQL endpoint beside a REST base URL: /graphql, or /api/graphql on GitHub Enterprise."""
    base = api.rstrip("/")
    return base.removesuffix("/v3") + "/graphql" if base.endswith("/api/v3") else base + "/graphql"


def git_base(api: str) -> str:
    """Where the git endpoints of an API's host live: github.com for api.github.com, the server
    itself for GitHub Enterprise (`https://HOST/api/v3`) and for mirrors serving both."""
    scheme, host, path, _query, _fragment = urlsplit(api)
    if host.lower() == "api.github.com":
        host = "github.com"
    return urlunsplit((scheme, host, path.rstrip("/").removesuffix("/api/v3"), "", ""))
