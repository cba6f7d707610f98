"""Find code links in abstract text, normalize them, and classify them.

Scraped abstracts carry LaTeX leftovers (`…/SegDT{GitHub}.`, `{https://…{link}}`, doubled `\\href`
targets), sentence punctuation glued to URLs, `www.`, `http://`, `.git` and `/tree/main/…` tails.
Normalization makes one repository one key, whatever way the abstract wrote it. Credentials and
secret query parameters (tokens, keys, signatures) are stripped first: a link is stored, shown and
followed only without them.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from typing import Any, NamedTuple
from urllib.parse import unquote, urlsplit

from auditor.data import load_yaml
from auditor.data.redact import redact_url
from auditor.models import Link, LinkKind, RepoRef

# A URL runs until whitespace, a LaTeX brace, a quote or an angle bracket.
_URL_RE = re.compile(r"(?:https?://|(?<![\w/.@])www\.)[^\s{}<>\"'\\`|^]+", re.IGNORECASE)
_TRAILING = ".,;:!?*'\""
# Longer than any real link: a longer "URL" is junk or an attack on whatever consumes it.
MAX_URL_LENGTH = 2048
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))
_PAIRS = {")": "(", "]": "["}


class _HostRule(NamedTuple):
    host: str
    kind: LinkKind
    repo: re.Pattern[str]
    reserved: frozenset[str]
    clone: bool


@cache
def _host_rules() -> tuple[_HostRule, ...]:
    data: dict[str, Any] = load_yaml("hosts.yaml")
    return tuple(
        _HostRule(
            host=r["host"],
            kind=LinkKind(r["kind"]),
            repo=re.compile(r["repo"]),
            reserved=frozenset(o.lower() for o in r.get("reserved_owners", [])),
            clone=bool(r["clone"]),
        )
        for r in data["code_hosts"]
    )


def host_can_clone(host: str) -> bool:
    """Whether a code host serves git at https://HOST/OWNER/NAME.git (unknown hosts: assume so)."""
    return next((r.clone for r in _host_rules() if r.host == host.lower()), True)


def _strip_trailing(url: str) -> str:
    """Drop sentence punctuation and unbalanced closing brackets glued to the end of a URL."""
    while url:
        last = url[-1]
        if last in _TRAILING or (last in _PAIRS and url.count(last) > url.count(_PAIRS[last])):
            url = url[:-1]
        else:
            break
    return url


def find_urls(text: str) -> list[str]:
    """Raw URL strings in text, cleaned of glued punctuation, in order, duplicates removed."""
    seen: dict[str, None] = {}
    for match in _URL_RE.finditer(text):
        url = _strip_trailing(match.group(0))
        if url.lower().rstrip("/") not in ("http:", "https:", "www") and "." in url:
            seen.setdefault(url, None)
    return list(seen)


def redact_urls(text: str) -> str:
    """`text` with every URL in it stripped of credentials and secret parameters."""
    if "@" not in text and "=" not in text:
        return text
    return _URL_RE.sub(lambda m: redact_url(m.group(0)), text)


def _split(url: str) -> tuple[str, str, str, str]:
    """(scheme, host, path, query) of a URL, host lowercased and without `www.`."""
    if url.lower().startswith("www."):
        url = "https://" + url
    parts = urlsplit(url)
    host = (parts.hostname or "").lower().removeprefix("www.")
    return parts.scheme.lower(), host, unquote(parts.path), parts.query


def classify(raw: str) -> Link:
    """Normalize one URL and decide what kind of link it is."""
    raw = redact_url(raw)
    cleaned = unicodedata.normalize("NFKC", raw).translate(_INVISIBLE)
    if len(cleaned) > MAX_URL_LENGTH:
        url = cleaned[:80] + "…"
        return Link(
            raw=raw[:MAX_URL_LENGTH],
            url=url,
            kind=LinkKind.OTHER,
            note=f"URL longer than {MAX_URL_LENGTH} characters; ignored",
        )
    scheme, host, path, query = _split(cleaned)
    if not host.isascii():
        return Link(
            raw=raw,
            url=cleaned,
            kind=LinkKind.OTHER,
            note="host has non-ASCII characters (look-alike of a known host?); not followed",
        )
    data = load_yaml("hosts.yaml")
    for rule in _host_rules():
        if host != rule.host:
            continue
        return _code_host_link(raw, rule, host, path, query)
    known = host in data["doi_hosts"] or host in data["hubs"]
    url = _plain_url("https" if known else scheme, host + _port(cleaned, scheme), path, query)
    if host in data["doi_hosts"]:
        return Link(raw=raw, url=url, kind=LinkKind.DOI)
    if host in data["hubs"] or any(host.endswith("." + h) for h in data["hubs"]):
        return Link(raw=raw, url=url, kind=LinkKind.HUB)
    if any(host.endswith(s) for s in data["project_page_suffixes"]):
        return Link(raw=raw, url=url, kind=LinkKind.PROJECT_PAGE)
    return Link(raw=raw, url=url, kind=LinkKind.OTHER)


def _code_host_link(raw: str, rule: _HostRule, host: str, path: str, query: str) -> Link:
    url = _plain_url("https", host, path, query)
    match = rule.repo.match(path)
    if match is None:
        segments = [s for s in path.split("/") if s]
        note = (
            f"a {host} user or organisation, not a repository"
            if len(segments) == 1 and segments[0].lower() not in rule.reserved
            else f"a {host} page, not a repository"
        )
        return Link(raw=raw, url=url, kind=LinkKind.OTHER, note=note)
    owner = match.groupdict().get("owner") or ""
    name = match.group("name")
    if owner.lower() in rule.reserved or name in (".", ".."):
        return Link(raw=raw, url=url, kind=LinkKind.OTHER, note=f"a {host} page, not a repository")
    subpath = (match.groupdict().get("subpath") or "").strip("/") or None
    repo_url = f"https://{host}{path[: match.start('name')]}{name}"
    repo = RepoRef(host=host, owner=owner, name=name, url=repo_url, subpath=subpath)
    return Link(raw=raw, url=repo_url, kind=rule.kind, repo=repo)


def _port(url: str, scheme: str) -> str:
    """`:PORT` when a URL names a port other than its scheme's default (a lab server's :8080)."""
    try:
        port = urlsplit(url if "://" in url else "https://" + url).port
    except ValueError:
        return ""
    return f":{port}" if port and port != {"http": 80, "https": 443}.get(scheme) else ""


def _plain_url(scheme: str, host: str, path: str, query: str) -> str:
    url = f"{scheme}://{host}{path.rstrip('/')}"
    return f"{url}?{query}" if query else url


def extract_links(text: str) -> list[Link]:
    """Every link in a text, normalized and classified, one per normalized URL."""
    links: dict[str, Link] = {}
    for raw in find_urls(text):
        link = classify(raw)
        key = link.repo.key if link.repo else link.url.lower()
        links.setdefault(key, link)
    return list(links.values())


def parse_repo_url(text: str) -> RepoRef | None:
    """A repository reference from a URL a user typed (`--repo`), or None if it names none."""
    link = classify(text.strip())
    return link.repo
