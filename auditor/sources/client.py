"""The one HTTP client of the paper sources, thin over `auditor.net`: every request goes here.

- The transport of `auditor.net.http`: bodies under a byte cap and a deadline (a 500 MB "PDF" is
  refused, not read), redirects followed by hand (a service's answers may move only within its own
  host), no cookies, no credentials, nothing read from the environment per request.
- Politeness from `auditor/data/politeness.yaml`, kept under the service's name (`export.arxiv.org`
  for the arXiv API wherever its base URL points): requests in flight and their spacing, which for
  arXiv is one request every 3 seconds on one connection, retries included.
- Retries with exponential backoff and jitter on connection errors, timeouts, 429 and 5xx; a
  `Retry-After` (or Hugging Face's `RateLimit: …;t=N`) is waited out first when it is at most
  `max_wait` seconds, otherwise the source is given up with a clear message.
- API answers go through the persistent HTTP cache of the GitHub client's policy (requests-cache:
  kept when they have validators, revalidated on every use). PDFs are never stored: arXiv's terms
  do not allow serving e-prints again, and only the passages read from them are cached.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from pathlib import Path
from urllib.parse import urlsplit

import requests

from auditor.net import DEFAULT_MAX_WAIT
from auditor.net.addresses import AddressPolicy
from auditor.net.http import (
    DEFAULT_TIMEOUT,
    BodyOverCap,
    CappedAdapter,
    RedirectRefused,
    Retry,
    TransientStatus,
    cached_session,
    configure,
    follow,
)
from auditor.net.http import Reply as Reply  # what the sources read of an answer
from auditor.net.politeness import HostLimits

# An API answer: a page of 1,000 OpenReview notes is a few MB.
MAX_ANSWER = 32 * 1024 * 1024
# A paper's PDF: larger ones are theses or scans, not worth reading for a code link.
MAX_PDF = 50 * 1024 * 1024
USER_AGENT = "auditor (reproducibility audit of research code; paper sources)"
_RATELIMIT_T = re.compile(r"\bt=(\d+)")


class SourceError(Exception):
    """A service gave no usable answer; the message says why, for the report."""


@dataclass(frozen=True)
class Service:
    """A service the sources ask: its name in messages, its base URL, and the host name its
    politeness limits are kept under (the real service's, whatever the base URL)."""

    name: str
    base: str
    pace: str


class SourceClient:
    """One per run, shared by the sources and the full-text reader (threads included)."""

    def __init__(
        self,
        *,
        cache_path: Path | None = None,
        hosts: HostLimits | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        attempts: int = 4,
        max_answer: int = MAX_ANSWER,
        max_pdf: int = MAX_PDF,
        max_wait: float = DEFAULT_MAX_WAIT,
        sleep: Callable[[float], None] = time.sleep,
        trusted: Iterable[str] = (),
    ) -> None:
        self.hosts = hosts or HostLimits()
        self.timeout = timeout
        self.max_pdf = max_pdf
        self.max_wait = max_wait
        self._cache_path = cache_path
        self._lock = threading.Lock()
        headers = {"User-Agent": USER_AGENT}
        # The services' base URLs and the PDFs a user names are configured, so trusted as they are;
        # any other address (a PDF a listing links) must be public, checked once and pinned.
        policy = AddressPolicy(trusted=trusted)
        self._api_adapter = CappedAdapter(policy=policy, max_body=max_answer, deadline=timeout * 4, cut=False)
        self._plain = configure(requests.Session(), self._api_adapter, headers)
        self._pdfs = configure(
            requests.Session(),
            CappedAdapter(policy=policy, max_body=max_pdf, deadline=timeout * 8, cut=False),
            headers,
        )
        self._cached: requests.Session | None = None
        self._retry = Retry(
            attempts=attempts,
            transient=lambda s: s == 429 or s >= 500,
            max_backoff=30,
            sleep=sleep,
            asked=lambda r: _asked_wait(r.headers) if r.status_code in (429, 503) else None,
        )

    def __enter__(self) -> SourceClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        for session in (self._plain, self._pdfs, self._cached):
            if session is not None:
                session.close()

    def _api_session(self) -> requests.Session:
        if self._cache_path is None:
            return self._plain
        with self._lock:
            if self._cached is None:
                # WAL: the sources' threads read while one writes.
                session = cached_session(self._cache_path, wal=True)
                self._cached = configure(session, self._api_adapter, {"User-Agent": USER_AGENT})
            return self._cached

    def get(
        self,
        service: Service,
        url: str,
        *,
        params: Mapping[str, str] | None = None,
        accept: str = "application/json",
    ) -> Reply:
        """GET an API answer of `service`. Statuses other than 429 and 5xx are returned for the
        caller to read; raises SourceError when there is no answer to read."""
        return self._get(self._api_session(), service.name, service.pace, url, params, accept, same_host=True)

    def pdf(self, url: str, *, pace: str | None = None, name: str = "the PDF's host") -> bytes:
        """A PDF's bytes (not cached), under `max_pdf`. A URL the user gave may redirect to any
        http(s) host; raises SourceError for anything but a 200 answer."""
        host = pace or (urlsplit(url).hostname or "").lower()
        reply = self._get(self._pdfs, name, host, url, None, "application/pdf", same_host=pace is not None)
        if reply.status != 200:
            raise SourceError(f"{name} answered {reply.status} for {url}")
        return reply.body

    def _get(
        self,
        session: requests.Session,
        name: str,
        pace: str,
        url: str,
        params: Mapping[str, str] | None,
        accept: str,
        *,
        same_host: bool,
    ) -> Reply:
        first = urlsplit(url)

        def allow(target: str) -> None:
            parts = urlsplit(target)
            if parts.scheme not in ("http", "https"):
                raise RedirectRefused(f"redirected to a {parts.scheme or '?'}: address")
            if same_host and parts.hostname != first.hostname:
                raise RedirectRefused(f"redirected away from {first.hostname}, to {parts.hostname}")

        def ask(method: str, target: str, hop: int) -> requests.Response:
            def once() -> requests.Response:
                with self.hosts.slot(pace):
                    response = session.request(
                        method,
                        target,
                        params=params if hop == 0 else None,
                        headers={"Accept": accept},
                        timeout=self.timeout,
                        allow_redirects=False,
                    )
                self._refuse_long_wait(response, name)
                return response

            return self._retry(once)

        try:
            followed = follow(url, "GET", ask, allow=allow)
        except TransientStatus as err:
            raise SourceError(f"{name} answered {err.status} {err.attempts} times") from None
        except RedirectRefused as err:
            raise SourceError(f"{name}: {err}") from None
        except requests.Timeout:
            raise SourceError(f"{name} did not answer within {self.timeout:g} s") from None
        except BodyOverCap as err:
            raise SourceError(f"{name}: {err}; not read") from None
        except requests.ConnectionError:
            raise SourceError(f"could not connect to {name} ({first.scheme}://{first.netloc})") from None
        except requests.RequestException as err:
            raise SourceError(f"unusable answer from {name}: {type(err).__name__}") from None
        response = followed.response
        body, headers = response.content or b"", dict(response.headers)
        return Reply(response.status_code, followed.url, body, headers, redirected=bool(followed.hops))

    def _refuse_long_wait(self, response: requests.Response, name: str) -> None:
        """Give up on a 429/503 that asks for a longer wait than `max_wait`; a shorter one is
        waited out by the retry, before the next try (instead of its backoff)."""
        wait = _asked_wait(response.headers) if response.status_code in (429, 503) else None
        if wait is not None and wait > self.max_wait:
            raise SourceError(
                f"{name} is rate-limiting us for {wait:g} s (longer than the {self.max_wait:g} s we wait)"
            )


def _asked_wait(headers: Mapping[str, str]) -> float | None:
    """Seconds a 429/503 answer asks us to wait: Retry-After (seconds or a date), or the `t=` of
    the IETF RateLimit header that Hugging Face sends."""
    retry_after = (headers.get("Retry-After") or "").strip()
    if retry_after.isdigit():
        return float(retry_after)
    if retry_after:
        try:
            return max(0.0, parsedate_to_datetime(retry_after).timestamp() - time.time())
        except (TypeError, ValueError):
            return None
    match = _RATELIMIT_T.search(headers.get("RateLimit") or "")
    return float(match.group(1)) if match else None
