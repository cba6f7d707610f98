"""Find the paper a user means: `auditor run --paper SegDT`."""

from __future__ import annotations

import difflib
from collections.abc import Sequence

from auditor.models import Paper


class PaperNotFoundError(LookupError):
    """No single paper matches; `candidates` are the closest titles (possibly none)."""

    def __init__(self, query: str, candidates: list[Paper], *, ambiguous: bool) -> None:
        what = "matches several papers" if ambiguous else "matches no paper"
        super().__init__(f"{query!r} {what}")
        self.query = query
        self.candidates = candidates
        self.ambiguous = ambiguous


def acronym(title: str) -> str:
    """The name before the colon ("SegDT" of "SegDT: A Diffusion Transformer…"), or ''."""
    head, sep, _ = title.partition(":")
    return head.strip() if sep else ""


def find_paper(query: str, papers: Sequence[Paper]) -> Paper:
    """The acronym before the colon, then a title substring, then a single close match. `papers`
    is read once (it may be on disk); what is held of each is its title and place."""
    q = query.strip().lower()
    by_acronym: list[int] = []
    by_title: list[int] = []
    acronyms: dict[str, int] = {}
    titles: dict[str, int] = {}
    for index, paper in enumerate(papers):
        head, title = acronym(paper.title).lower(), paper.title.lower()
        if head == q:
            by_acronym.append(index)
        if q in title:
            by_title.append(index)
        if head:
            acronyms[head] = index
        titles[title] = index
    for matches in (by_acronym, by_title):
        if len(matches) == 1:
            return papers[matches[0]]
        if matches:
            raise PaperNotFoundError(query, [papers[i] for i in matches], ambiguous=True)
    names = {**acronyms, **titles}
    close = difflib.get_close_matches(q, list(names), n=5, cutoff=0.75)
    candidates = [papers[i] for i in dict.fromkeys(names[c] for c in close)]
    if len(candidates) == 1:
        return candidates[0]
    if candidates:
        raise PaperNotFoundError(query, candidates, ambiguous=True)
    loose = difflib.get_close_matches(q, list(names), n=5, cutoff=0.4)
    raise PaperNotFoundError(
        query, [papers[i] for i in dict.fromkeys(names[c] for c in loose)], ambiguous=False
    )
