"""Hugging Face Papers: a search, the daily papers of a day or a range of days, one paper by arXiv id.

Plain requests against the documented endpoints (`/api/papers/search?q=&limit=`,
`/api/daily_papers?date=&p=&limit=`, `/api/papers/{arxiv_id}`), not `huggingface_hub`: its 2.x
client sends over its own httpx session, which would bypass our transport, politeness and cache.
A listed item carries the paper in a nested `paper` object (read first, the top level second),
`/api/papers/{id}` answers with the paper itself. Besides title and abstract the record gives
the GitHub repository (`githubRepo`) and the project page (`projectPage`) that authors add to the
paper page: they become the paper's paper-page passages. The full text is arXiv's PDF.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import quote, urlencode

from auditor.models import SourceRef
from auditor.papers.corpus import new_paper
from auditor.sources.arxiv import pdf_ref
from auditor.sources.base import Listed, Listing, clean, day_of, json_of, page_field
from auditor.sources.client import Service, SourceClient, SourceError

DEFAULT_ENDPOINT = "https://huggingface.co"
# Documented bounds: search answers at most 120 papers, a page of daily papers at most 100.
SEARCH_LIMIT = 120
DAILY_PAGE = 100
PAGE_FIELDS = ("githubRepo", "projectPage")


class HfPapers:
    def __init__(self, client: SourceClient, *, endpoint: str = DEFAULT_ENDPOINT, arxiv_site: str) -> None:
        self.client = client
        self.endpoint = endpoint.rstrip("/")
        self.arxiv_site = arxiv_site.rstrip("/")
        self.service = Service("Hugging Face Papers", self.endpoint, "huggingface.co")

    def search(self, query: str, *, max_papers: int) -> Listing:
        url = f"{self.endpoint}/api/papers/search"
        params = {"q": query, "limit": str(min(max_papers, SEARCH_LIMIT))}
        out = Listing()
        try:
            items = self._list(url, params)
        except SourceError as err:
            out.problem(_where(url, params), str(err))
            return out
        out.add(_where(url, params), items, self._paper, limit=max_papers)
        return out

    def daily(self, days: list[date], *, max_papers: int) -> Listing:
        """The daily papers of each day, page by page, until `max_papers`."""
        out = Listing()
        url = f"{self.endpoint}/api/daily_papers"
        for day in days:
            for number in range(max_papers // DAILY_PAGE + 1):
                params = {"date": day.isoformat(), "p": str(number), "limit": str(DAILY_PAGE)}
                try:
                    items = self._list(url, params)
                except SourceError as err:
                    out.problem(_where(url, params), str(err))
                    break
                out.add(_where(url, params), items, self._paper, limit=max_papers)
                if len(items) < DAILY_PAGE or len(out.papers) >= max_papers:
                    break
            if len(out.papers) >= max_papers:
                break
        return out

    def paper(self, arxiv_id: str) -> Listing:
        out = Listing()
        url = f"{self.endpoint}/api/papers/{quote(arxiv_id.strip(), safe='')}"
        try:
            reply = self.client.get(self.service, url)
            if reply.status == 404:
                raise SourceError(f"arXiv {arxiv_id} is not on Hugging Face Papers (404)")
            record = json_of(reply, self.service.name)
        except SourceError as err:
            out.problem(url, str(err))
            return out
        out.add(url, [record], self._paper)
        return out

    def _list(self, url: str, params: dict[str, str]) -> list[Any]:
        data = json_of(self.client.get(self.service, url, params=params), self.service.name)
        if not isinstance(data, list):
            raise SourceError(f"Hugging Face Papers answered {type(data).__name__}, not a list of papers")
        return data

    def _paper(self, item: Any, where: SourceRef) -> Listed | str:
        """A listed item (`{"paper": {...}, ...}`) or a paper record; a message when unusable."""
        if not isinstance(item, dict):
            return "item is not an object"
        nested = item.get("paper")
        inner: dict[str, Any] = nested if isinstance(nested, dict) else item

        def value(name: str) -> Any:
            found = inner.get(name)
            return found if found not in (None, "") else item.get(name)

        arxiv_id, title = value("id"), clean(value("title"))
        if not isinstance(arxiv_id, str) or not arxiv_id.strip() or not title:
            return "paper without an id or a title; skipped"
        arxiv_id = arxiv_id.strip()
        passages = [p for name in PAGE_FIELDS if (p := page_field(value(name), name)) is not None]
        paper = new_paper(
            title=title,
            abstract=clean(value("summary")),
            source=where,
            page=f"{self.endpoint}/papers/{arxiv_id}",
            day=day_of(value("publishedAt")),
            passages=passages,
        )
        return Listed(key=arxiv_id, paper=paper, pdf=pdf_ref(self.arxiv_site, arxiv_id))


def _where(url: str, params: dict[str, str]) -> str:
    return f"{url}?{urlencode(params)}"
