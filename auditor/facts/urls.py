"""Which host a link is on, against the host tables of auditor/data (model hosts, data hosts …)."""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import SplitResult, urlsplit

_NOWHERE = urlsplit("")


def split_url(url: str) -> SplitResult:
    """`urlsplit` for whatever a document writes as a link: one it cannot split (an unclosed IPv6
    bracket, `http://[abc/x.pth`) is split as an empty URL, with no host and no path."""
    try:
        return urlsplit(url)
    except ValueError:
        return _NOWHERE


def host_of(url: str) -> str:
    return (split_url(url).hostname or "").removeprefix("www.")


def host_matches(url: str, hosts: list[str]) -> bool:
    """Whether a URL is on one of `hosts`: `host`, `host/path-prefix`, or a bare label (`dataverse`)."""
    parts = split_url(url)
    host = (parts.hostname or "").removeprefix("www.")
    if not host:
        return False
    path = parts.path.lstrip("/")
    domains, labels = _host_table(tuple(hosts))
    names = host.split(".")
    # the host itself and every domain it is under (`a.b.c`: `a.b.c`, `b.c`, `c`), then its labels
    held = [domains.get(".".join(names[i:])) for i in range(len(names))] + [labels.get(n) for n in names]
    return any(not prefix or path.startswith(prefix) for prefixes in held if prefixes for prefix in prefixes)


@lru_cache(maxsize=256)
def _host_table(hosts: tuple[str, ...]) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """The entries of a host list by domain name and by bare label, each with its path prefixes
    ('' for any path): a lookup per label of a URL's host instead of a pass over the list."""
    domains: dict[str, list[str]] = {}
    labels: dict[str, list[str]] = {}
    for entry in hosts:
        name, _, prefix = entry.partition("/")
        (domains if "." in name else labels).setdefault(name, []).append(prefix)
    return domains, labels
