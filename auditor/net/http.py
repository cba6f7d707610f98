"""The one HTTP transport: every request of the auditor, to the GitHub API or to a link, goes here.

Decided once, for the GitHub client and the artifact prober alike:

- Every body is read under a byte cap and a wall-clock deadline, so a server cannot stream
  forever. Over the cap an answer is refused (an API answer cut short is useless) or cut (a probe
  needs the status and the first bytes, never the 5 GB checkpoint behind a link). HEAD reads none.
- Retries, with exponential backoff and jitter, on connection errors, timeouts and the statuses
  the caller names transient (5xx for the API, 502/503/504 for links), and on nothing else: an
  answer such as 404 or 403 does not change by asking again.
- Redirects are followed by hand, at most five, each hop passed to the caller's rule (the API's
  own origin only, so its token goes nowhere else; or the address policy, for links).
- Sessions read nothing from the environment per request (no proxies looked up again, no
  ~/.netrc credentials), keep no cookies, and verify TLS against the configured CA bundle.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.cookiejar import DefaultCookiePolicy
from typing import Any
from urllib.parse import urljoin

import requests
from requests.adapters import HTTPAdapter
from tenacity import Retrying, retry_if_exception_type, stop_after_attempt, wait_exponential_jitter
from urllib3.exceptions import ProtocolError, ReadTimeoutError, SSLError

MAX_REDIRECTS = 5
REDIRECTS = frozenset({301, 302, 303, 307, 308})


class BodyOverCap(requests.RequestException):
    """An answer larger than the transport reads (in the refusing mode)."""


class TransientStatus(Exception):
    """A transient status (5xx) that asking again did not cure."""

    def __init__(self, status: int, attempts: int) -> None:
        super().__init__(f"answered {status} {attempts} times")
        self.status, self.attempts = status, attempts


class RedirectRefused(Exception):
    """A redirect the caller's rule does not allow, or one too many."""


class CappedAdapter(HTTPAdapter):
    """Reads each answer's body under `max_body` bytes and within `deadline` seconds.

    `cut`: a longer body is cut at the cap (probes); otherwise it is refused with BodyOverCap.
    `on_response` sees each answer as soon as its headers arrive (to count it, or to amend its
    headers before a cache stores it)."""

    def __init__(
        self,
        *,
        max_body: int,
        deadline: float,
        cut: bool,
        pool: int = 10,
        on_response: Callable[[requests.Response], None] | None = None,
    ) -> None:
        super().__init__(max_retries=0, pool_maxsize=pool)
        self.max_body = max_body
        self.deadline = deadline
        self.cut = cut
        self.on_response = on_response

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        kwargs["stream"] = True
        response = super().send(request, **kwargs)
        if self.on_response is not None:
            self.on_response(response)
        try:
            response._content = b"" if request.method == "HEAD" else self._read(response)
        except BaseException:
            response.close()
            raise
        if self.cut:  # a cut body leaves the connection mid-answer; a whole one returns it to the pool
            response.close()
        return response

    def _read(self, response: requests.Response) -> bytes:
        if not self.cut and _declared_length(response) > self.max_body:
            raise BodyOverCap(
                f"answer of {_declared_length(response)} bytes is over the {self.max_body}-byte cap"
            )
        body = bytearray()
        started = time.monotonic()
        try:
            for chunk in response.raw.stream(64 * 1024, decode_content=True):
                body += chunk
                if len(body) > self.max_body or (self.cut and len(body) == self.max_body):
                    if not self.cut:
                        raise BodyOverCap(f"answer is over the {self.max_body}-byte cap")
                    del body[self.max_body :]
                    break
                if time.monotonic() - started > self.deadline:
                    raise requests.Timeout(f"answer still streaming after {self.deadline:g} s")
        except ReadTimeoutError:
            raise requests.Timeout("the answer stalled") from None
        except (ProtocolError, SSLError):  # cut off mid-body: worth another try
            raise requests.ConnectionError("the connection broke during the answer") from None
        return bytes(body)


def _declared_length(response: requests.Response) -> int:
    try:
        return int(response.headers.get("Content-Length", "0"))
    except ValueError:
        return 0


def configure(session: requests.Session, adapter: CappedAdapter, headers: dict[str, str]) -> requests.Session:
    """`session` with the transport's policy: the adapter for http(s), no cookies, no environment
    read per request, TLS verified against REQUESTS_CA_BUNDLE / CURL_CA_BUNDLE if set."""
    session.trust_env = False
    session.verify = os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE") or True
    session.cookies.set_policy(DefaultCookiePolicy(allowed_domains=[]))
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    session.headers.update(headers)
    return session


@dataclass(frozen=True)
class Retry:
    """How often an exchange is tried, and which answers are worth another try."""

    attempts: int
    transient: Callable[[int], bool]
    max_backoff: float
    sleep: Callable[[float], None] = field(default=time.sleep)

    def __call__(self, send: Callable[[], requests.Response]) -> requests.Response:
        """`send()` until it gives an answer that is not transient. Raises TransientStatus when
        every attempt met one, or the last Timeout/ConnectionError."""
        retrying = Retrying(
            stop=stop_after_attempt(self.attempts),
            wait=wait_exponential_jitter(initial=1, max=self.max_backoff),
            retry=retry_if_exception_type((requests.ConnectionError, requests.Timeout, _Again)),
            sleep=self.sleep,
            reraise=True,
        )
        try:
            for attempt in retrying:
                with attempt:
                    response = send()
                    if self.transient(response.status_code):
                        raise _Again(response.status_code)
        except _Again as again:
            raise TransientStatus(again.status, self.attempts) from None
        return response


class _Again(Exception):
    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status


@dataclass(frozen=True)
class Followed:
    """The answer at the end of the redirects, and the way there."""

    response: requests.Response
    url: str  # the URL that gave this answer
    hops: tuple[str, ...] = ()
    location: str | None = None  # a redirect's target that `stop` said not to follow


def follow(
    url: str,
    method: str,
    send: Callable[[str, str, int], requests.Response],
    *,
    allow: Callable[[str], None],
    stop: Callable[[str], bool] | None = None,
    limit: int = MAX_REDIRECTS,
) -> Followed:
    """Ask `url`, following redirects by hand: `send(method, url, hop)` asks one URL, `allow(url)`
    raises for a URL that must not be asked (the first included), `stop(target)` returns a
    redirect as it is instead of following it. 303 turns the method into GET."""
    hops: list[str] = []
    for hop in range(limit + 1):
        allow(url)
        response = send(method, url, hop)
        location = response.headers.get("Location")
        if response.status_code not in REDIRECTS or not location:
            return Followed(response, url, tuple(hops))
        target = urljoin(url, location)
        if stop is not None and stop(target):
            return Followed(response, url, tuple(hops), location=target)
        hops.append(url)
        url = target
        if response.status_code == 303:
            method = "GET"
    raise RedirectRefused(f"more than {limit} redirects")
