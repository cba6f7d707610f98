"""Where the auditor may connect: one URL and address policy for every outgoing HTTP request.

Links come from strangers, so a URL is judged the way the HTTP library will use it, and the
address judged is the address connected to:

- A URL is read once, by the parser of the HTTP library (urllib3's `parse_url`), and refused when
  another reader could see another host in it: an authority holding a backslash, whitespace, a
  control character or more than one `@`, or a host that the standard library's splitter reads
  differently. Only http and https.
- A host name is resolved once per run, and every address it resolves to must be public (not
  private, loopback, link-local, multicast, reserved, nor such an address wrapped in IPv6): a
  name with one internal address among public ones is refused whole.
- The transport (`auditor/net/http.py`) asks this policy again for the host of every connection
  it opens and connects to the address that was checked, never resolving the name a second time,
  while TLS still verifies the certificate of the name. DNS that answers differently the second
  time (rebinding) has no second time to answer.
- Credentials are sent to no one: a link that carries `user:password@` is not requested.
- Trusted origins, the hosts the user configured (the GitHub API, a mirror such as HF_ENDPOINT, a
  proxy), are neither checked nor pinned: they may be local on purpose. A policy may allow them
  alone (the GitHub client, whose token must go nowhere else).
"""

from __future__ import annotations

import ipaddress
import re
import socket
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from urllib3.exceptions import LocationParseError
from urllib3.util import parse_url

Resolver = Callable[[str, int], Iterable[str]]
DEFAULT_PORTS = {"http": 80, "https": 443}
# Characters no authority may hold: another parser ends it there, or skips them, or keeps them.
_AMBIGUOUS = re.compile(r"[\\\s\x00-\x1f\x7f]")
# IPv6 addresses that carry an IPv4 address a gateway will reach: NAT64 (6to4 and IPv4-mapped
# addresses ipaddress unwraps itself).
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")


class Refused(Exception):
    """A URL or an address the policy does not allow; the message says why."""


@dataclass(frozen=True)
class Origin:
    scheme: str
    host: str  # lowercase, no trailing dot, no IPv6 brackets
    port: int


def system_resolve(host: str, port: int) -> list[str]:
    return [str(info[4][0]) for info in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)]


def origin_of(url: str) -> Origin:
    """The origin a URL names, read as the HTTP library reads it. Raises Refused for a URL that
    is not http(s), has no host, or could be read with another host by another parser."""
    authority = url.split("//", 1)[1] if "//" in url else ""
    authority = re.split(r"[/?#]", authority, maxsplit=1)[0]
    if _AMBIGUOUS.search(authority) or authority.count("@") > 1:
        raise Refused(
            "the address part of the URL is ambiguous (a backslash, a space, a control character "
            "or several @); not requested"
        )
    try:
        parsed = parse_url(url)
        split = urlsplit(url)
        split_port = split.port
    except (LocationParseError, ValueError):
        raise Refused("not a valid URL") from None
    scheme = (parsed.scheme or "").lower()
    if scheme not in DEFAULT_PORTS:
        raise Refused(f"not an http(s) link: {scheme or '?'}:")
    host = _host(parsed.host or "")
    if not host:
        raise Refused("the URL names no host")
    if "%" in host and ":" not in host:  # only an IPv6 literal's zone may hold a `%`
        raise Refused("the URL's host is percent-encoded, which parsers decode differently; not requested")
    port = parsed.port or DEFAULT_PORTS[scheme]
    if _host(split.hostname or "") != host or (split_port or DEFAULT_PORTS[scheme]) != port:
        raise Refused("the URL's host is read differently by different parsers; not requested")
    return Origin(scheme, host, port)


def _host(host: str) -> str:
    return host.strip("[]").lower().rstrip(".")


def public(address: str) -> bool:
    """Whether an IP address is one the open internet routes to a host that is not us."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = ip.ipv4_mapped or ip.sixtofour
        if embedded is None and ip in _NAT64:
            embedded = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        if embedded is not None and not public(str(embedded)):
            return False
    return ip.is_global and not ip.is_multicast


class AddressPolicy:
    """What may be connected to, decided once per run; safe to share between threads.

    `trusted`: base URLs whose origins are allowed as they are (the user configured them).
    `only_trusted`: nothing else is allowed. `allow_private`: internal addresses are allowed
    too (tests on 127.0.0.1); they are still resolved once and pinned."""

    def __init__(
        self,
        *,
        trusted: Iterable[str] = (),
        only_trusted: bool = False,
        allow_private: bool = False,
        resolve: Resolver = system_resolve,
    ) -> None:
        # By host and port: a configured proxy is reached by http for https requests too.
        self._trusted = frozenset((o.host, o.port) for o in map(origin_of, trusted))
        self.only_trusted = only_trusted
        self.allow_private = allow_private
        self._resolve = resolve
        self._lock = threading.Lock()
        self._resolved: dict[tuple[str, int], list[str] | str] = {}  # addresses, or why refused

    def check(self, url: str) -> Origin:
        """The origin of `url` if it may be requested; raises Refused saying why not. Credentials
        are sent to no one but a configured host: a link that carries them is not requested."""
        origin = origin_of(url)
        if not self.trusts(origin):
            if not self.only_trusted and parse_url(url).auth is not None:
                raise Refused("the link carries credentials; not requested")
            self.addresses(origin)
        return origin

    def trusts(self, origin: Origin) -> bool:
        return (origin.host, origin.port) in self._trusted

    def addresses(self, origin: Origin) -> list[str] | None:
        """The checked addresses to connect to for `origin`, in order; None for a trusted origin
        (resolved as usual). Resolved once per run. Raises Refused."""
        if self.trusts(origin):
            return None
        if self.only_trusted:
            raise Refused(f"{origin.host} is not a configured host; not requested")
        key = (origin.host, origin.port)
        with self._lock:
            known = self._resolved.get(key)
        if known is None:
            known = self._lookup(origin.host, origin.port)
            with self._lock:
                known = self._resolved.setdefault(key, known)
        if isinstance(known, str):
            raise Refused(known)
        return known

    def _lookup(self, host: str, port: int) -> list[str] | str:
        """The addresses of `host`, or why it may not be contacted."""
        try:
            addresses = [host] if _is_ip(host) else list(dict.fromkeys(self._resolve(host, port)))
        except OSError:
            return f"the host name {host} does not resolve"
        if not addresses:
            return f"the host name {host} does not resolve"
        for address in addresses:
            try:
                allowed = self.allow_private or public(address)
            except ValueError:
                return f"{host} resolves to something that is not an address ({address!r})"
            if not allowed:
                return f"{host} is a private or reserved address ({address}); not probed"
        return addresses


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        return False
    return True
