"""Which host a link is on, against the host tables of auditor/data (model hosts, data hosts …)."""

from __future__ import annotations

from urllib.parse import urlsplit


def host_of(url: str) -> str:
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return ""
    return host.removeprefix("www.")


def host_matches(url: str, hosts: list[str]) -> bool:
    """Whether a URL is on one of `hosts`: `host`, `host/path-prefix`, or a bare label (`dataverse`)."""
    host = host_of(url)
    if not host:
        return False
    path = urlsplit(url).path.lstrip("/")
    for entry in hosts:
        name, _, prefix = entry.partition("/")
        on_host = (host == name or host.endswith("." + name)) if "." in name else name in host.split(".")
        if on_host and (not prefix or path.startswith(prefix)):
            return True
    return False
