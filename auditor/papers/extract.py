"""Links and code statements of one paper, with context that host names alone cannot give."""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache

from auditor.models import (
    CodeStatement,
    Link,
    LinkKind,
    Paper,
    PaperLinks,
    Passage,
    StatementKind,
)
from auditor.papers.links import extract_links
from auditor.papers.statements import classify_sentence, find_statements, sentences

_PROJECT_PAGE_WORDS = re.compile(r"\bproject\s+pages?\b|\bwebsite\b|\bhomepage\b", re.IGNORECASE)
# Paper-page fields that name the project's page (Hugging Face's `projectPage`, OpenReview's
# `website`): what they link is a project page, whatever its host.
_PAGE_FIELDS = frozenset({"projectPage", "website", "project_page"})


# The progress bar counts a corpus's repositories before they are audited: a small corpus is
# analysed once. A large one would not fit whatever the size, which bounds what the cache holds.
@lru_cache(maxsize=256)
def analyze_paper(paper: Paper) -> PaperLinks:
    """Every link and code statement of a paper: its abstract (and `url` field, if any), then its
    passages (paper-page fields, full text), each link and statement marked with where it is.

    One link per repository or URL: the first place that gives it wins, the abstract first.
    A link on an unknown host is a project page when the text says so ("project page"), when it
    is where a statement says the code is, or when a paper-page field says so: those are the
    pages to follow for the repository.
    """
    text = paper.abstract if paper.url is None else f"{paper.abstract} {paper.url}"
    statements = find_statements(paper.abstract)
    found: dict[str, Link] = {}
    _add(found, extract_links(text), {})
    pages = _page_urls(paper.abstract, statements)
    for passage in paper.passages:
        said = [] if _is_url(passage.text) else passage_statements(passage)
        statements.extend(said)
        links = extract_links(passage.text)
        if passage.field in _PAGE_FIELDS:
            pages.update(link.url for link in links)
        pages |= _page_urls(passage.text, said)
        where = {"origin": passage.origin, "field": passage.field, "page": passage.page}
        _add(found, links, where)
    links = [_as_project_page(link) if link.url in pages else link for link in found.values()]
    return PaperLinks(paper=paper, links=links, statements=statements)


def passage_statements(passage: Passage) -> list[CodeStatement]:
    """The code statements of a passage's sentences, marked with its origin and page."""
    out = []
    for sentence in sentences(passage.text):
        statement = classify_sentence(sentence)
        if statement is not None:
            out.append(statement.model_copy(update={"origin": passage.origin, "page": passage.page}))
    return out


def _is_url(text: str) -> bool:
    """A passage that is one URL (a paper-page field, a link annotation) makes no statement."""
    return " " not in text.strip()


def _page_urls(text: str, statements: list[CodeStatement]) -> set[str]:
    pages = {
        url
        for statement in statements
        if statement.kind is not StatementKind.CLAIMED_NO_LINK
        for url in statement.links
    }
    for sentence in sentences(text):
        if _PROJECT_PAGE_WORDS.search(sentence):
            pages.update(link.url for link in extract_links(sentence))
    return pages


def _add(found: dict[str, Link], links: list[Link], where: Mapping[str, object]) -> None:
    for link in links:
        key = link.repo.key if link.repo else link.url.lower()
        if key not in found:
            found[key] = link.model_copy(update=dict(where)) if where else link


def _as_project_page(link: Link) -> Link:
    if link.kind is LinkKind.OTHER:
        return link.model_copy(update={"kind": LinkKind.PROJECT_PAGE})
    return link
