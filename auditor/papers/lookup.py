"""Find the paper a user means: `auditor run --paper SegDT`."""

from __future__ import annotations

import difflib

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


def find_paper(query: str, papers: list[Paper]) -> Paper:
    """The acronym before the colon, then a title substring, then a single close match."""
    q = query.strip().lower()
    for matches in (
        [p for p in papers if acronym(p.title).lower() == q],
        [p for p in papers if q in p.title.lower()],
    ):
        if len(matches) == 1:
            return matches[0]
        if matches:
            raise PaperNotFoundError(query, matches, ambiguous=True)
    names = {acronym(p.title).lower(): p for p in papers if acronym(p.title)}
    names.update({p.title.lower(): p for p in papers})
    close = difflib.get_close_matches(q, list(names), n=5, cutoff=0.75)
    candidates = list({id(names[c]): names[c] for c in close}.values())
    if len(candidates) == 1:
        return candidates[0]
    if candidates:
        raise PaperNotFoundError(query, candidates, ambiguous=True)
    loose = difflib.get_close_matches(q, list(names), n=5, cutoff=0.4)
    raise PaperNotFoundError(query, list({id(names[c]): names[c] for c in loose}.values()), ambiguous=False)
