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
  against an authenticated rate limit.
- Every body is read under a byte cap and a wall-clock deadline: a server cannot stream forever.
- The token lives only in the session's headers; it is not part of any message, repr or cache
  entry (requests-cache drops the Authorization header from what it stores).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import requests
import requests_cache
from requests.adapters import HTTPAdapter
from tenacity import Retrying, retry_if_exception_type, stop_after_attempt, wait_exponential_jitter
from urllib3.exceptions import ProtocolError, ReadTimeoutError, SSLError

DEFAULT_API = "https://api.github.com"
DEFAULT_MAX_WAIT = 60.0
DEFAULT_TIMEOUT = 30.0
# Largest answer read: a truncated recursive tree is at most about 7 MB of JSON on GitHub.
MAX_BODY = 32 * 1024 * 1024
# GitHub's advice when a secondary rate limit gives no time: wait at least a minute.
_SECONDARY_WAIT = 60.0
# Redirects are followed by hand: requests-cache would store the request headers of each hop,
# token included, and a redirect to another host must not receive the token at all.
_REDIRECTS = (301, 302, 307, 308)
_MAX_REDIRECTS = 5


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


class _ServerError(Exception):
    def __init__(self, status: int) -> None:
        super().__init__(f"server error {status}")
        self.status = status


@dataclass(frozen=True)
class Reply:
    """An answer of the API: status, body (capped), and where it came from after redirects."""

    status: int
    url: str
    body: bytes
    headers: Mapping[str, str]
    redirected: bool = False

    def json(self) -> Any:
        return json.loads(self.body)

    @property
    def message(self) -> str:
        """GitHub's error message, if the body is one."""
        try:
            data = self.json()
        except ValueError:
            return ""
        return str(data.get("message", "")) if isinstance(data, dict) else ""


@dataclass(frozen=True)
class Tally:
    """Requests that went over the wire, and how many of them were answered 304 Not Modified."""

    requests: int = 0
    not_modified: int = 0

    def __sub__(self, other: Tally) -> Tally:
        return Tally(self.requests - other.requests, self.not_modified - other.not_modified)


class _CappedAdapter(HTTPAdapter):
    """Transport that counts requests and reads each body under a size cap and a deadline."""

    def __init__(self, *, max_body: int, deadline: float, on_status: Callable[[int], None]) -> None:
        super().__init__(max_retries=0)
        self.max_body = max_body
        self.deadline = deadline
        self.on_status = on_status

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        kwargs["stream"] = True
        response = super().send(request, **kwargs)
        self.on_status(response.status_code)
        try:
            declared = int(response.headers.get("Content-Length", "0"))
        except ValueError:
            declared = 0
        if declared > self.max_body:
            response.close()
            raise ApiError(f"answer of {declared} bytes is over the {self.max_body}-byte cap")
        body = bytearray()
        started = time.monotonic()
        try:
            for chunk in response.raw.stream(64 * 1024, decode_content=True):
                body += chunk
                if len(body) > self.max_body:
                    raise ApiError(f"answer is over the {self.max_body}-byte cap")
                if time.monotonic() - started > self.deadline:
                    raise requests.Timeout(f"answer still streaming after {self.deadline:g} s")
        except ReadTimeoutError:
            response.close()
            raise requests.Timeout("the answer stalled") from None
        except (ProtocolError, SSLError):  # cut off mid-body: worth another try
            response.close()
            raise requests.ConnectionError("the connection broke during the answer") from None
        except BaseException:
            response.close()
            raise
        response._content = bytes(body)
        return response


class GitHubClient:
    """GitHub REST client; one per run, shared by every repository it audits."""

    def __init__(
        self,
        *,
        base_url: str = DEFAULT_API,
        token: str | None = None,
        cache_path: Path | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        max_wait: float = DEFAULT_MAX_WAIT,
        attempts: int = 4,
        max_body: int = MAX_BODY,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.max_wait = max_wait
        self.attempts = attempts
        self._sleep = sleep
        self._clock = clock
        self._blocked_until: float | None = None
        self._requests = 0
        self._not_modified = 0
        self._session = self._make_session(cache_path)
        adapter = _CappedAdapter(max_body=max_body, deadline=timeout * 4, on_status=self._count)
        self._session.mount("http://", adapter)
        self._session.mount("https://", adapter)
        self._session.headers.update(
            {
                "Accept": "application/vnd.github+json",
                "X-GitHub-Api-Version": "2022-11-28",
                "User-Agent": "auditor (reproducibility audit of research code)",
            }
        )
        if token:
            self._session.headers["Authorization"] = f"Bearer {token}"

    @staticmethod
    def _make_session(cache_path: Path | None) -> requests.Session:
        if cache_path is None:
            return requests.Session()
        cache_path.parent.mkdir(parents=True, exist_ok=True)
        # expire_after=0: keep answers that have validators, and revalidate them on every use.
        return requests_cache.CachedSession(
            str(cache_path), backend="sqlite", expire_after=0, allowable_codes=(200,)
        )

    def __repr__(self) -> str:
        return f"GitHubClient(base_url={self.base_url!r})"

    def __enter__(self) -> GitHubClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._session.close()

    @property
    def tally(self) -> Tally:
        return Tally(self._requests, self._not_modified)

    def _count(self, status: int) -> None:
        self._requests += 1
        self._not_modified += status == 304

    def get(self, path: str, *, params: Mapping[str, str] | None = None, raw: bool = False) -> Reply:
        """GET `path` (relative to the base URL). Raises RateLimited or ApiError; any other status
        (404, 409, 451 …) is returned for the caller to interpret."""
        url = f"{self.base_url}/{path.lstrip('/')}"
        headers = {"Accept": "application/vnd.github.raw+json"} if raw else {}
        for _ in range(3):  # a rate limit waited out may meet another one; do not wait forever
            self._check_blocked()
            reply = self._send(url, params, headers)
            wait = self._rate_limit_wait(reply)
            if wait is None:
                return reply
            if wait > self.max_wait:
                self._blocked_until = self._clock() + wait
                self._check_blocked()
            self._sleep(wait)
        self._blocked_until = self._clock() + self.max_wait
        raise RateLimited(self._blocked_until)

    def _check_blocked(self) -> None:
        if self._blocked_until is not None:
            if self._clock() < self._blocked_until:
                raise RateLimited(self._blocked_until)
            self._blocked_until = None

    def _send(self, url: str, params: Mapping[str, str] | None, headers: dict[str, str]) -> Reply:
        retrying = Retrying(
            stop=stop_after_attempt(self.attempts),
            wait=wait_exponential_jitter(initial=1, max=30),
            retry=retry_if_exception_type((requests.ConnectionError, requests.Timeout, _ServerError)),
            sleep=self._sleep,
            reraise=True,
        )
        try:
            for hop in range(_MAX_REDIRECTS + 1):
                for attempt in retrying:
                    with attempt:
                        response = self._session.get(
                            url, params=params, headers=headers, timeout=self.timeout, allow_redirects=False
                        )
                        if response.status_code >= 500:
                            raise _ServerError(response.status_code)
                location = response.headers.get("Location")
                if response.status_code not in _REDIRECTS or not location:
                    break
                url, params = self._redirect_target(url, location, hop), None
        except _ServerError as err:
            raise ApiError(f"GitHub answered {err.status} {self.attempts} times") from None
        except requests.Timeout:
            raise Unreachable(f"GitHub did not answer within {self.timeout:g} s") from None
        except requests.ConnectionError as err:
            raise Unreachable(f"could not connect to the GitHub API: {err}") from None
        except requests.RequestException as err:
            raise ApiError(f"unusable answer from the GitHub API: {type(err).__name__}") from None
        return Reply(
            status=response.status_code,
            url=response.url,
            body=response.content,
            headers=dict(response.headers),
            redirected=hop > 0,
        )

    def _redirect_target(self, url: str, location: str, hop: int) -> str:
        """Where a redirect leads; only within the API's own origin, so the token stays there."""
        target = urljoin(url, location)
        if hop == _MAX_REDIRECTS:
            raise ApiError(f"more than {_MAX_REDIRECTS} redirects")
        if urlsplit(target)[:2] != urlsplit(self.base_url)[:2]:
            raise ApiError(f"redirected away from the API host, to {urlsplit(target).netloc}")
        return target

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
