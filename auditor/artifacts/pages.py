"""Reading HTML pages (pure functions): the code repository a project page links, and a page's
visible text.

A page links many things: the paper, the authors, datasets, related work, and often, in its
footer, the repository of the page template it was built from ("This website is adapted from
Nerfies"). A repository counts as the paper's code when its link says so (its text, title, icon
class or the words just before it: "Code", "GitHub"), or when it is the only repository the page
links. Template credits and page sources (`*.github.io` repositories) never count.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin

from auditor.data import load_yaml
from auditor.models import LinkKind
from auditor.papers.links import classify

# Repositories taken from one page at most: a page that says "code" next to ten links is a list.
MAX_REPOS = 3
_CONTEXT_CHARS = 60


@dataclass(frozen=True)
class PageRepos:
    repos: list[str]  # URLs of the repositories chosen as the paper's code
    note: str


@dataclass
class _Anchor:
    href: str
    words: list[str] = field(default_factory=list)
    before: str = ""
    in_footer: bool = False


class _Anchors(HTMLParser):
    """Anchors with what a reader sees of them: text, image alt, title, aria-label, icon classes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.anchors: list[_Anchor] = []
        self._open: _Anchor | None = None
        self._footer = 0
        self._text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag == "footer":
            self._footer += 1
        if tag == "a" and values.get("href"):
            self._open = _Anchor(
                values["href"], before=self._text[-_CONTEXT_CHARS:], in_footer=self._footer > 0
            )
            self.anchors.append(self._open)
        if self._open is not None:
            self._open.words += [values.get(k, "") for k in ("title", "aria-label", "alt", "class")]

    def handle_endtag(self, tag: str) -> None:
        if tag == "footer" and self._footer:
            self._footer -= 1
        if tag == "a":
            self._open = None

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            self._open.words.append(data)
        else:
            self._text = (self._text + " " + " ".join(data.split()))[-_CONTEXT_CHARS * 4 :]


class _Visible(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._hidden += tag in ("script", "style", "template", "noscript")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "template", "noscript") and self._hidden:
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden and data.strip():
            self.parts.append(" ".join(data.split()))


def visible_text(html: str) -> str:
    """What a reader sees of a page: its text without scripts and styles, whose strings (a
    "Request access" label in a script bundle) are no statement about the page."""
    parser = _Visible()
    parser.feed(html)
    parser.close()
    return " ".join(parser.parts)


@cache
def _cfg() -> dict[str, Any]:
    cfg: dict[str, Any] = load_yaml("artifacts.yaml")
    return cfg


def _said(key: str, text: str) -> bool:
    return re.search(_cfg()[key], text, re.IGNORECASE) is not None


def code_repos(html: str, page_url: str) -> PageRepos:
    parser = _Anchors()
    parser.feed(html)
    parser.close()
    templates = {t.lower() for t in _cfg()["template_repos"]}
    said: dict[str, str] = {}
    other: dict[str, str] = {}
    for anchor in parser.anchors:
        url = urljoin(page_url, anchor.href.strip())
        link = classify(url)
        if link.repo is None or link.kind not in (LinkKind.GITHUB_REPO, LinkKind.CODE_HOST):
            continue
        repo = link.repo
        own = " ".join(" ".join(anchor.words).split())
        credit = _said("template_words", f"{anchor.before} {own}")
        if f"{repo.owner}/{repo.name}".lower() in templates or repo.name.lower().endswith(".github.io"):
            continue
        if credit or (anchor.in_footer and not _said("code_words", own)):
            continue
        chosen = said if _said("code_words", f"{own} {anchor.before[-25:]}") else other
        chosen.setdefault(repo.key, url)
    if said:
        repos = list(said.values())[:MAX_REPOS]
        return PageRepos(repos, "links its code: " + ", ".join(repos))
    if len(other) == 1:
        repos = list(other.values())
        return PageRepos(repos, f"links one code repository: {repos[0]}")
    if other:
        return PageRepos([], f"links {len(other)} repositories, none said to be the code")
    return PageRepos([], "links no code repository")
