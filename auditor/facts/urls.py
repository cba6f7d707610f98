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
    path, domains_of, labels_of = _cached_keys(url) if len(url) <= _CACHED_URL else _host_keys(url)
    if not domains_of:
        return False
    domains, labels = _host_table(tuple(hosts))
    for table, keys in ((domains, domains_of), (labels, labels_of)):
        for key in keys:
            for prefix in table.get(key, ()):
                if not prefix or path.startswith(prefix):
                    return True
    return False


def _host_keys(url: str) -> tuple[str, tuple[str, ...], tuple[str, ...]]:
    """A URL's path, the host and every domain it is under (`a.b.c`: `a.b.c`, `b.c`, `c`), and its
    labels: what host lists are looked up by."""
    parts = split_url(url)
    host = (parts.hostname or "").removeprefix("www.")
    if not host:
        return "", (), ()
    names = host.split(".")
    return parts.path.lstrip("/"), tuple(".".join(names[i:]) for i in range(len(names))), tuple(names)


# A link is asked about against many host lists, so its keys are kept; only those of a URL of a
# usual length, as links come from the repositories and the 4,096 kept must stay a few MB.
_CACHED_URL = 2048
_cached_keys = lru_cache(maxsize=4096)(_host_keys)


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
