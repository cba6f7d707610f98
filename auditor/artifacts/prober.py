"""The one HTTP client for artifact links: whatever a README or an abstract points at.

The GitHub client talks to one API; this one follows links written by strangers, so its policy is
defensive, and decided here once:

- Only http(s), and only public addresses, by the one address policy of `auditor/net/addresses.py`:
  a link to 127.0.0.1, 10.0.0.0/8 or a cloud metadata address, or one its HTTP library would read
  with another host than the check, is not requested (unless its origin is a host base URL the
  user configured), and the address checked is the address connected to. Redirects are followed
  by hand, at most five, and every hop is checked the same way.
- Each exchange has a deadline (four times the read timeout) for connect, headers and body
  together; a host that ran out of it, or did not answer, is not asked again in the run.
- `probe` asks HEAD first and falls back to a small ranged GET when HEAD says nothing useful. No
  body is read past a cap: a link to a 5 GB checkpoint costs a few bytes, never the download.
- robots.txt is honoured for pages (RFC 9309: none means allowed; unreachable means not probed).
  Host APIs (Hugging Face, Zenodo) are asked through their documented endpoints instead.
- At most `per_host` requests at a time go to one host, whatever the number of threads asking.
- Retries, with exponential backoff and jitter, only on connection errors, timeouts and 502, 503
  and 504; an answer such as 404, 403 or 429 is a finding, not a reason to ask again.
- The persistent HTTP cache of the GitHub client (requests-cache, answers with validators kept
  and revalidated on use), no cookies and no credentials: a login page is a finding, not a door.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import requests

from auditor.artifacts.robots import Robots, parse
from auditor.data.parse import parse_json
from auditor.net.addresses import AddressPolicy, Refused, Resolver, system_resolve
from auditor.net.http import (
    CappedAdapter,
    DeadlineExceeded,
    Followed,
    RedirectRefused,
    Retry,
    TransientStatus,
    cached_session,
    configure,
    follow,
)

DEFAULT_TIMEOUT = 15.0
# Enough for any project page or host API answer about one repository; a body is cut, not refused.
MAX_BODY = 4 * 1024 * 1024
USER_AGENT = "auditor (reproducibility audit of research code; link check)"
ROBOTS_AGENT = "auditor"
# A ranged GET asks for this many bytes: enough to tell a file from an HTML page about it.
RANGE = "bytes=0-1023"
_TRANSIENT_STATUSES = (502, 503, 504)
# HEAD answers that settle a probe; anything else is asked again with a ranged GET.
_HEAD_DECISIVE = frozenset({200, 204, 206, 404, 410})


class ProbeFailed(Exception):
    """No answer to judge the link by; the message says why (the reason for `unknown`)."""


@dataclass(frozen=True)
class Answer:
    """What a host said about a URL, after the redirects that were followed."""

    status: int
    url: str  # the URL that gave this answer
    headers: Mapping[str, str] = field(default_factory=dict)
    body: bytes = b""
    hops: tuple[str, ...] = ()
    location: str | None = None  # a redirect's target, when `stop` said not to follow it

    def header(self, name: str) -> str:
        return self.headers.get(name.lower(), "")

    @property
    def html(self) -> bool:
        return "html" in self.header("content-type").lower()

    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    def json(self) -> Any:
        """The body as JSON, by the guarded loader; raises ValueError."""
        return parse_json(self.body.decode("utf-8", "replace"))


class Prober:
    """HTTP client for artifact links; one per run, safe to share between threads.

    `timeout` bounds each read; `deadline` the whole exchange (four times `timeout` unless given)."""

    def __init__(
        self,
        *,
        cache_path: Path | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        deadline: float | None = None,
        attempts: int = 3,
        per_host: int = 2,
        max_body: int = MAX_BODY,
        trusted: Iterable[str] = (),
        allow_private: bool = False,
        robots: bool = True,
        sleep: Callable[[float], None] = time.sleep,
        resolve: Resolver = system_resolve,
    ) -> None:
        self.timeout = timeout
        self.per_host = per_host
        self.robots = robots
        self.policy = AddressPolicy(trusted=trusted, allow_private=allow_private, resolve=resolve)
        self._sleep = sleep
        self._lock = threading.Lock()
        self._hosts: dict[str, threading.BoundedSemaphore] = {}
        self._robots: dict[str, Robots | str] = {}
        self._robots_locks: dict[str, threading.Lock] = {}
        self._silent: dict[str, str] = {}  # hosts that gave no answer, and why
        self._session = configure(
            self._make_session(cache_path),
            CappedAdapter(policy=self.policy, max_body=max_body, deadline=deadline or timeout * 4, cut=True),
            {"User-Agent": USER_AGENT, "Accept": "*/*"},
        )
        self._retry = Retry(
            attempts=attempts,
            transient=lambda status: status in _TRANSIENT_STATUSES,
            max_backoff=20,
            sleep=sleep,
        )

    @staticmethod
    def _make_session(cache_path: Path | None) -> requests.Session:
        if cache_path is None:
            return requests.Session()
        return cached_session(cache_path)  # the GitHub client's policy

    def __enter__(self) -> Prober:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._session.close()

    # --- the two questions ------------------------------------------------------------------------

    def probe(self, url: str, *, stop: Callable[[str], bool] | None = None) -> Answer:
        """HEAD, then a ranged GET if HEAD did not settle it (405, 403, a bare 3xx …)."""
        answer = self.get(url, method="HEAD", stop=stop)
        if answer.status in _HEAD_DECISIVE or answer.location is not None:
            return answer
        return self.get(url, headers={"Range": RANGE}, stop=stop)

    def api(self, url: str) -> Answer:
        """GET a host's documented API (JSON): robots.txt, which governs pages, does not apply."""
        return self.get(url, headers={"Accept": "application/json"}, robots=False)

    def get(
        self,
        url: str,
        *,
        method: str = "GET",
        headers: Mapping[str, str] | None = None,
        stop: Callable[[str], bool] | None = None,
        robots: bool = True,
    ) -> Answer:
        """One request, redirects followed by hand. A redirect whose target satisfies `stop` is
        returned as it is (with `location`), not followed. Raises ProbeFailed."""
        try:
            followed = follow(
                url,
                method,
                lambda verb, current, _hop: self._send(verb, current, dict(headers or {})),
                allow=lambda current: self._allowed(current, robots=robots),
                stop=stop,
            )
        except RedirectRefused as err:
            raise ProbeFailed(str(err)) from None
        return _answer(followed)

    # --- policy -------------------------------------------------------------------------------------

    def _allowed(self, url: str, *, robots: bool = True) -> None:
        """Refuse what must not be requested: what the address policy refuses, and what
        robots.txt disallows (a configured host's pages are not subject to it)."""
        try:
            origin = self.policy.check(url)
        except Refused as err:
            raise ProbeFailed(str(err)) from None
        if robots and self.robots and not self.policy.trusts(origin) and not self._robots_allow(url):
            raise ProbeFailed("robots.txt disallows it")

    def _robots_allow(self, url: str) -> bool:
        origin = _origin(url)
        with self._lock:
            lock = self._robots_locks.setdefault(origin, threading.Lock())
        with lock:  # one fetch of robots.txt per origin, however many threads ask
            rules = self._robots.get(origin)
            if rules is None:
                rules = self._fetch_robots(origin)
                self._robots[origin] = rules
        if isinstance(rules, str):
            raise ProbeFailed(rules)
        return rules.allows(url)

    def _fetch_robots(self, origin: str) -> Robots | str:
        """The rules of an origin, or why they could not be read (then nothing there is probed)."""
        try:
            response = self._send("GET", f"{origin}/robots.txt", {})
        except ProbeFailed as err:
            return f"robots.txt could not be read: {err}"
        if response.status_code >= 500:
            return f"robots.txt could not be read ({response.status_code})"
        # RFC 9309: a missing robots.txt (any 4xx) allows everything; a redirect is not followed.
        if response.status_code != 200:
            return Robots()
        return parse(response.content.decode("utf-8", "replace"), ROBOTS_AGENT)

    def _gate(self, url: str) -> threading.BoundedSemaphore:
        host = (urlsplit(url).hostname or "").lower()
        with self._lock:
            return self._hosts.setdefault(host, threading.BoundedSemaphore(self.per_host))

    def _send(self, method: str, url: str, headers: dict[str, str]) -> requests.Response:
        """One request with retries. A host that did not answer (timeouts, refused connections)
        is not asked again in this run: its other links are unknown at once, not after minutes."""
        host = (urlsplit(url).hostname or "").lower()
        with self._lock:
            silent = self._silent.get(host)
        if silent is not None:
            raise ProbeFailed(f"{silent} (earlier in this run)")
        try:
            return self._attempts(method, url, headers)
        except ProbeFailed as err:
            if str(err).startswith(("no answer", "no complete answer", "could not connect")):
                with self._lock:
                    self._silent.setdefault(host, str(err))
            raise

    def _attempts(self, method: str, url: str, headers: dict[str, str]) -> requests.Response:
        def once() -> requests.Response:
            with self._gate(url):
                return self._session.request(
                    method, url, headers=headers, timeout=self.timeout, allow_redirects=False
                )

        try:
            return self._retry(once)
        except Refused as err:
            raise ProbeFailed(str(err)) from None
        except TransientStatus as err:
            raise ProbeFailed(f"answered {err.status} {err.attempts} times") from None
        except DeadlineExceeded as err:
            raise ProbeFailed(str(err)) from None
        except requests.Timeout:
            raise ProbeFailed(f"no answer within {self.timeout:g} s") from None
        except requests.ConnectionError:
            raise ProbeFailed("could not connect") from None
        except requests.RequestException as err:
            raise ProbeFailed(f"unusable answer: {type(err).__name__}") from None


def _answer(followed: Followed) -> Answer:
    response = followed.response
    return Answer(
        status=response.status_code,
        url=followed.url,
        headers={k.lower(): v for k, v in response.headers.items()},
        body=response.content or b"",
        hops=followed.hops,
        location=followed.location,
    )


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme.lower()}://{(parts.netloc or '').lower()}"
