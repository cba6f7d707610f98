"""Links and code statements of one paper, with context that host names alone cannot give."""

from __future__ import annotations

import re
from functools import lru_cache

from auditor.models import Link, LinkKind, Paper, PaperLinks, StatementKind
from auditor.papers.links import extract_links
from auditor.papers.statements import find_statements, sentences

_PROJECT_PAGE_WORDS = re.compile(r"\bproject\s+pages?\b|\bwebsite\b|\bhomepage\b", re.IGNORECASE)


@lru_cache(maxsize=4096)  # the progress bar counts a corpus's repositories before it is audited
def analyze_paper(paper: Paper) -> PaperLinks:
    """Every link and code statement of a paper's abstract (and of its `url` field, if any).

    A link on an unknown host is a project page when the abstract says so ("project page") or
    when it is where the abstract says the code is: those are the pages to follow for the repo.
    """
    text = paper.abstract if paper.url is None else f"{paper.abstract} {paper.url}"
    statements = find_statements(paper.abstract)
    pages = {
        url
        for statement in statements
        if statement.kind is not StatementKind.CLAIMED_NO_LINK
        for url in statement.links
    }
    for sentence in sentences(paper.abstract):
        if _PROJECT_PAGE_WORDS.search(sentence):
            pages.update(link.url for link in extract_links(sentence))
    links = [_as_project_page(link) if link.url in pages else link for link in extract_links(text)]
    return PaperLinks(paper=paper, links=links, statements=statements)


def _as_project_page(link: Link) -> Link:
    if link.kind is LinkKind.OTHER:
        return link.model_copy(update={"kind": LinkKind.PROJECT_PAGE})
    return link
