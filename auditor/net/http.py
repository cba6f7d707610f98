"""The one HTTP transport: every request of the auditor, to the GitHub API or to a link, goes here.

Decided once, for the GitHub client and the artifact prober alike:

- Every request obeys one address policy (`auditor/net/addresses.py`): its URL is checked before
  it is sent, and every connection it opens goes to an address the policy checked (a host name is
  never resolved a second time), with the Host header, TLS server name and certificate check of
  the name. Redirect hops are requests like any other.
- Every exchange (connect, TLS, headers, body) has a deadline, enforced by a watchdog that cuts
  the connection when it passes: a server that answers one byte a second, each within the read
  timeout, holds a request no longer than its budget. An exchange that ran out of time is not
  tried again: the same server would take as long.
- Every body is read under a byte cap. Over the cap an answer is refused (an API answer cut short
  is useless) or cut (a probe needs the status and the first bytes, never the 5 GB checkpoint
  behind a link). HEAD reads none.
- Retries, with exponential backoff and jitter, on connection errors, read timeouts and the statuses
  the caller names transient (5xx for the API, 502/503/504 for links), and on nothing else: an
  answer such as 404 or 403 does not change by asking again.
- Redirects are followed by hand, at most five, each hop passed to the caller's rule (the API's
  own origin only, so its token goes nowhere else; or the address policy, for links).
- Sessions read nothing from the environment per request (no proxies looked up again, no
  ~/.netrc credentials), keep no cookies, and verify TLS against the configured CA bundle.
- One persistent cache policy (`cached_session`): 200 answers with validators are kept and
  revalidated on every use.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import socket
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from contextvars import ContextVar
from dataclasses import dataclass, field
from http.cookiejar import DefaultCookiePolicy
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import requests
from requests.adapters import HTTPAdapter
from tenacity import (
    RetryCallState,
    Retrying,
    retry_if_exception_type,
    retry_if_not_exception_type,
    stop_after_attempt,
    wait_exponential_jitter,
)
from urllib3 import poolmanager
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import (
    ConnectTimeoutError,
    NewConnectionError,
    ProtocolError,
    ReadTimeoutError,
    SSLError,
)

from auditor.net.addresses import AddressPolicy, Origin, Refused

MAX_REDIRECTS = 5
REDIRECTS = frozenset({301, 302, 303, 307, 308})
# Seconds a read of an API answer may wait (the GitHub API's, the paper sources').
DEFAULT_TIMEOUT = 30.0


class BodyOverCap(requests.RequestException):
    """An answer larger than the transport reads (in the refusing mode)."""


class DeadlineExceeded(requests.Timeout):
    """The whole exchange took longer than its budget; not worth another try."""


class TransientStatus(Exception):
    """A transient status (5xx) that asking again did not cure."""

    def __init__(self, status: int, attempts: int) -> None:
        super().__init__(f"answered {status} {attempts} times")
        self.status, self.attempts = status, attempts


@dataclass(frozen=True)
class Reply:
    """An answer as callers keep it: status, body (capped), and where it came from after redirects."""

    status: int
    url: str
    body: bytes
    headers: Mapping[str, str]
    redirected: bool = False

    def json(self) -> Any:
        return json.loads(self.body)

    @property
    def message(self) -> str:
        """The error message of a JSON body like GitHub's (`{"message": ...}`), if it is one."""
        try:
            data = self.json()
        except ValueError:
            return ""
        return str(data.get("message", "")) if isinstance(data, dict) else ""


class RedirectRefused(Exception):
    """A redirect the caller's rule does not allow, or one too many."""


class CappedAdapter(HTTPAdapter):
    """Sends each request under `policy`, within `deadline` seconds for the whole exchange, and
    reads its body under `max_body` bytes.

    `cut`: a longer body is cut at the cap (probes); otherwise it is refused with BodyOverCap.
    `on_response` sees each answer as soon as its headers arrive (to count it, or to amend its
    headers before a cache stores it). Raises Refused for what the policy does not allow."""

    def __init__(
        self,
        *,
        policy: AddressPolicy,
        max_body: int,
        deadline: float,
        cut: bool,
        pool: int = 10,
        on_response: Callable[[requests.Response], None] | None = None,
    ) -> None:
        self.policy = policy
        super().__init__(max_retries=0, pool_maxsize=pool)
        self.max_body = max_body
        self.deadline = deadline
        self.cut = cut
        self.on_response = on_response

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = _GUARDED_POOLS

    def proxy_manager_for(self, proxy: str, **kwargs: Any) -> Any:
        manager = super().proxy_manager_for(proxy, **kwargs)
        if manager.pool_classes_by_scheme is poolmanager.pool_classes_by_scheme:  # not SOCKS
            manager.pool_classes_by_scheme = _GUARDED_POOLS
        return manager

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        self.policy.check(request.url or "")
        kwargs["stream"] = True
        with _Exchange(self.policy, self.deadline) as exchange:
            try:
                return self._send(request, exchange, **kwargs)
            except Exception:
                if exchange.expired:
                    raise DeadlineExceeded(f"no complete answer within {self.deadline:g} s") from None
                raise

    def _send(
        self, request: requests.PreparedRequest, exchange: _Exchange, **kwargs: Any
    ) -> requests.Response:
        response = super().send(request, **kwargs)
        try:
            if self.on_response is not None:
                self.on_response(response)
            response._content = b"" if request.method == "HEAD" else self._read(response)
            if exchange.expired:  # cut off: what was read may look complete, and is not
                raise DeadlineExceeded(f"no complete answer within {self.deadline:g} s")
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
        try:
            for chunk in response.raw.stream(64 * 1024, decode_content=True):
                body += chunk
                if len(body) > self.max_body or (self.cut and len(body) == self.max_body):
                    if not self.cut:
                        raise BodyOverCap(f"answer is over the {self.max_body}-byte cap")
                    del body[self.max_body :]
                    break
        except ReadTimeoutError:
            raise requests.Timeout("the answer stalled") from None
        except (ProtocolError, SSLError):  # cut off mid-body: worth another try
            raise requests.ConnectionError("the connection broke during the answer") from None
        return bytes(body)


class _Exchange:
    """One request on the wire: the policy its connections obey, and a watchdog that shuts them
    down when the deadline passes (a blocked read then returns at once)."""

    def __init__(self, policy: AddressPolicy, budget: float) -> None:
        self.policy = policy
        self.ends = time.monotonic() + budget
        self.expired = False
        self._done = False
        self._lock = threading.Lock()
        self._sockets: list[socket.socket] = []
        self._watchdog = threading.Timer(budget, self._expire)
        self._watchdog.daemon = True

    def __enter__(self) -> _Exchange:
        self._token = _EXCHANGE.set(self)
        self._watchdog.start()
        return self

    def __exit__(self, *exc: object) -> None:
        with self._lock:
            self._done = True
        self._watchdog.cancel()
        _EXCHANGE.reset(self._token)

    def remaining(self) -> float:
        return self.ends - time.monotonic()

    def join(self, sock: socket.socket | None) -> None:
        """Put a socket of the exchange under the watchdog. The socket itself is kept: a
        connection hands its socket to the answer (and forgets it) when the server will close."""
        if sock is None:
            return
        with self._lock:
            if all(s is not sock for s in self._sockets):
                self._sockets.append(sock)
            if self.expired:
                _shut(sock)

    def _expire(self) -> None:
        with self._lock:
            if self._done:
                return
            self.expired = True
            for sock in self._sockets:
                _shut(sock)


_EXCHANGE: ContextVar[_Exchange | None] = ContextVar("exchange", default=None)


def _shut(sock: socket.socket) -> None:
    """Shut a socket down under whatever thread is reading it: its read returns at once. The plain
    socket's shutdown, even for TLS: an SSL socket's own would tear its state down under the reader.
    A socket already closed, or handed to TLS, has nothing left to shut."""
    with contextlib.suppress(OSError):
        socket.socket.shutdown(sock, socket.SHUT_RDWR)


def _open(connection: HTTPConnection, scheme: str, connect: Callable[[], socket.socket]) -> socket.socket:
    """A new connection's socket, to an address the exchange's policy checked for its host: the
    name is not resolved again. Each checked address is tried in turn within the time left."""
    exchange = _EXCHANGE.get()
    if exchange is None:
        raise Refused("a connection outside the transport; not opened")
    addresses = exchange.policy.addresses(Origin(scheme, connection.host.lower(), connection.port))
    if addresses is None:  # a trusted origin: resolved as usual
        return _joined(exchange, connect())
    name, timeout = connection._dns_host, connection.timeout
    error: Exception = ConnectTimeoutError(connection, "no time left to connect")
    try:
        for address in addresses:
            left = exchange.remaining()
            if left <= 0:
                break
            connection._dns_host = address  # what urllib3 resolves; Host and TLS keep the name
            if isinstance(timeout, int | float):
                connection.timeout = min(timeout, left)
            try:
                return _joined(exchange, connect())
            except (NewConnectionError, ConnectTimeoutError) as err:
                error = err
    finally:
        connection._dns_host, connection.timeout = name, timeout
    raise error


class _GuardedHTTPConnection(HTTPConnection):
    def _new_conn(self) -> socket.socket:
        return _open(self, "http", super()._new_conn)

    def request(self, *args: Any, **kwargs: Any) -> None:
        _join(self)
        super().request(*args, **kwargs)


class _GuardedHTTPSConnection(HTTPSConnection):
    def _new_conn(self) -> socket.socket:
        return _open(self, "https", super()._new_conn)

    def request(self, *args: Any, **kwargs: Any) -> None:
        _join(self)
        super().request(*args, **kwargs)


def _joined(exchange: _Exchange, sock: socket.socket) -> socket.socket:
    exchange.join(sock)  # the TCP socket: under the watchdog while TLS is negotiated too
    return sock


def _join(connection: HTTPConnection) -> None:
    """Before a request is sent: its connection's socket (TLS on, or kept alive from an earlier
    exchange) comes under the exchange's watchdog."""
    exchange = _EXCHANGE.get()
    if exchange is not None:
        exchange.join(connection.sock)


class _GuardedHTTPPool(HTTPConnectionPool):
    ConnectionCls = _GuardedHTTPConnection


class _GuardedHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _GuardedHTTPSConnection


_GUARDED_POOLS: dict[str, type[HTTPConnectionPool]] = {"http": _GuardedHTTPPool, "https": _GuardedHTTPSPool}


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


def cached_session(
    path: Path, *, wal: bool = False, never_expire: Iterable[re.Pattern[str]] = ()
) -> requests.Session:
    """A persistent HTTP cache in SQLite at `path`: keep 200 answers that have validators, and
    revalidate them on every use (expire_after=0); an answer of a URL matching `never_expire`
    (one that can never change) is never asked for again. `wal`: readers in other threads do not
    wait for a writer. requests-cache is imported here, at the first call: a run that caches
    nothing does not load it (a sixth of the start-up time)."""
    import requests_cache

    path.parent.mkdir(parents=True, exist_ok=True)
    return requests_cache.CachedSession(
        str(path),
        backend="sqlite",
        expire_after=0,
        urls_expire_after=dict.fromkeys(never_expire, requests_cache.NEVER_EXPIRE),
        allowable_codes=(200,),
        wal=wal,
    )


@dataclass(frozen=True)
class Retry:
    """How often an exchange is tried, and which answers are worth another try."""

    attempts: int
    transient: Callable[[int], bool]
    max_backoff: float
    sleep: Callable[[float], None] = field(default=time.sleep)
    # The seconds a transient answer asks to be given before the next try (Retry-After), if any:
    # waited instead of the backoff, never after the last try.
    asked: Callable[[requests.Response], float | None] | None = None

    def __call__(self, send: Callable[[], requests.Response]) -> requests.Response:
        """`send()` until it gives an answer that is not transient. Raises TransientStatus when
        every attempt met one, or the last Timeout/ConnectionError; DeadlineExceeded at once."""
        backoff = wait_exponential_jitter(initial=1, max=self.max_backoff)

        def wait(state: RetryCallState) -> float:
            again = state.outcome.exception() if state.outcome is not None else None
            if isinstance(again, _Again) and self.asked is not None:
                asked = self.asked(again.response)
                if asked is not None:
                    return asked
            return backoff(state)

        retrying = Retrying(
            stop=stop_after_attempt(self.attempts),
            wait=wait,
            retry=retry_if_exception_type((requests.ConnectionError, requests.Timeout, _Again))
            & retry_if_not_exception_type(DeadlineExceeded),
            sleep=self.sleep,
            reraise=True,
        )
        try:
            for attempt in retrying:
                with attempt:
                    response = send()
                    if self.transient(response.status_code):
                        raise _Again(response)
        except _Again as again:
            raise TransientStatus(again.status, self.attempts) from None
        return response


class _Again(Exception):
    def __init__(self, response: requests.Response) -> None:
        super().__init__(response.status_code)
        self.response, self.status = response, response.status_code


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
