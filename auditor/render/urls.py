"""Links a reviewer can click: files at the audited commit, and URLs that are safe to link."""

from __future__ import annotations

import re
from functools import cache, lru_cache
from urllib.parse import quote, urlsplit

from auditor.models import RepoFacts, RepoRef
from auditor.papers.links import parse_repo_url
from auditor.resources import load_yaml

# Characters that would end a Markdown link destination or an HTML attribute early.
_UNSAFE_IN_HREF = re.compile(r"[\s<>()\"'`\\\[\]]")


@cache
def _blob_urls() -> dict[str, dict[str, str]]:
    table: dict[str, dict[str, str]] = load_yaml("report.yaml")["blob_urls"]
    return table


def blob_url(facts: RepoFacts, path: str, line: int | None = None) -> str | None:
    """The web address of `path` (and `line`) at the audited commit, when the host has one."""
    if not facts.commit or facts.source == "local":
        return None
    repo = _repo_of(facts.url)
    layout = _blob_urls().get(repo.host) if repo else None
    if repo is None or layout is None:
        return None
    url = layout["file"].format(owner=repo.owner, name=repo.name, commit=facts.commit, path=quote(path))
    return url + (layout["line"].format(line=line) if line else "")


@lru_cache(maxsize=1024)  # a report names the same repository for each of its files
def _repo_of(url: str) -> RepoRef | None:
    return parse_repo_url(url)


def safe_href(url: str) -> str | None:
    """`url` if it may be a link target: http(s) only, percent-encoded where Markdown would break."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return _UNSAFE_IN_HREF.sub(lambda m: quote(m.group(0)), url.strip())
