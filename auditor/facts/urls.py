"""Which host a link is on, against the host tables of auditor/data (model hosts, data hosts …)."""

from __future__ import annotations

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
    host = host_of(url)
    if not host:
        return False
    path = split_url(url).path.lstrip("/")
    for entry in hosts:
        name, _, prefix = entry.partition("/")
        on_host = (host == name or host.endswith("." + name)) if "." in name else name in host.split(".")
        if on_host and (not prefix or path.startswith(prefix)):
            return True
    return False
