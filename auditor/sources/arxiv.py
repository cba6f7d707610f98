"""arXiv: a query of the Atom API (`search_query`, with a submission-date range) or a list of ids.

Plain requests against the documented API, not the `arxiv` package: its client keeps a private
requests session of its own, sleeps on the wall clock between pages and retries at once without
backoff, so neither our transport nor arXiv's terms (one request every 3 seconds, one connection,
retries included) could be kept through it. The pacing is the shared `HostLimits`, under the name
`export.arxiv.org` (see `auditor/data/politeness.yaml`).

The answer is Atom (`<entry>`: `<id>` the abstract page, `<title>`, `<summary>`, `<published>`,
`<arxiv:comment>`, where authors often put "Code: https://…"); an error is a feed whose single
entry's id is under `/api/errors`. The feed is parsed with the standard library after refusing
any DTD, so an entity bomb is never expanded.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import date
from urllib.parse import quote, urlencode

from auditor.models import SourceRef
from auditor.papers.corpus import new_paper
from auditor.sources.base import FullTextRef, Listed, Listing, clean, day_of, page_field
from auditor.sources.client import Service, SourceClient, SourceError

DEFAULT_API = "https://export.arxiv.org/api/query"
DEFAULT_SITE = "https://arxiv.org"
# Results per request: the manual asks for slices well under its 2,000 maximum.
PAGE = 100
_NS = {
    "atom": "http://www.w3.org/2005/Atom",
    "arxiv": "http://arxiv.org/schemas/atom",
    "opensearch": "http://a9.com/-/spec/opensearch/1.1/",
}
_VERSION = re.compile(r"v\d+$")


@dataclass(frozen=True)
class Feed:
    total: int
    entries: list[ET.Element]


class Arxiv:
    def __init__(self, client: SourceClient, *, api: str = DEFAULT_API, site: str = DEFAULT_SITE) -> None:
        self.client = client
        self.api = api
        self.site = site.rstrip("/")
        self.service = Service("the arXiv API", api, "export.arxiv.org")

    def query(self, search: str, *, dates: tuple[date, date] | None, max_papers: int) -> Listing:
        """Papers matching `search`, newest submissions first, within `dates` (inclusive)."""
        if dates is not None:
            first, last = dates
            search = f"({search}) AND submittedDate:[{first:%Y%m%d}0000 TO {last:%Y%m%d}2359]"
        out = Listing()
        start = 0
        while start < max_papers:
            params = {
                "search_query": search,
                "start": str(start),
                "max_results": str(min(PAGE, max_papers - start)),
                "sortBy": "submittedDate",
                "sortOrder": "descending",
            }
            feed = self._page(params, out, first=start + 1)
            if feed is None:
                break
            start += len(feed.entries)
            if not feed.entries or start >= feed.total:
                break
        return out

    def ids(self, ids: list[str]) -> Listing:
        out = Listing()
        for first in range(0, len(ids), PAGE):
            chunk = ids[first : first + PAGE]
            params = {"id_list": ",".join(chunk), "max_results": str(len(chunk))}
            self._page(params, out)
        return out

    def _page(self, params: dict[str, str], out: Listing, *, first: int = 1) -> Feed | None:
        """One page of the API's answer, its entries (numbered from `first`) added to `out`; None
        when it could not be read, a problem of `out`."""
        where = f"{self.api}?{urlencode(params)}"
        try:
            reply = self.client.get(self.service, self.api, params=params, accept="application/atom+xml")
            if reply.status != 200:  # a bad query is a 400 whose feed says why
                raise SourceError(_said(reply.body) or f"the arXiv API answered {reply.status}")
            feed = parse_feed(reply.body)
        except SourceError as err:
            out.problem(where, str(err))
            return None
        out.add(where, feed.entries, self._paper, first=first)
        return feed

    def _paper(self, entry: ET.Element, where: SourceRef) -> Listed | str:
        abs_url = (entry.findtext("atom:id", "", _NS) or "").strip()
        versioned = abs_url.rsplit("/abs/", 1)[-1] if "/abs/" in abs_url else ""
        title = clean(entry.findtext("atom:title", "", _NS))
        if not versioned or not title:
            return "entry without an arXiv id or a title; skipped"
        comment = page_field(entry.findtext("arxiv:comment", "", _NS), "comment")
        paper = new_paper(
            title=title,
            abstract=clean(entry.findtext("atom:summary", "", _NS)),
            source=where,
            page=f"{self.site}/abs/{versioned}",
            day=day_of(entry.findtext("atom:published", "", _NS)),
            passages=[comment] if comment else [],
        )
        return Listed(key=_VERSION.sub("", versioned), paper=paper, pdf=pdf_ref(self.site, versioned))


def pdf_ref(site: str, arxiv_id: str) -> FullTextRef:
    """Where arXiv serves a paper's PDF (the latest version, or the one `arxiv_id` names), paced as
    arxiv.org."""
    return FullTextRef(f"{site}/pdf/{quote(arxiv_id)}", "arxiv.org", "arXiv")


def parse_feed(body: bytes) -> Feed:
    """The entries of an Atom answer; raises SourceError for malformed XML or an error entry."""
    if b"<!DOCTYPE" in body or b"<!ENTITY" in body:
        raise SourceError("the arXiv API answered XML with a DTD; refused")
    try:
        root = ET.fromstring(body)
    except ET.ParseError as err:
        raise SourceError(f"the arXiv API answered malformed XML ({err})") from None
    if root.tag != f"{{{_NS['atom']}}}feed":
        raise SourceError("the arXiv API answered something that is not an Atom feed")
    entries = root.findall("atom:entry", _NS)
    for entry in entries:
        if "/api/errors" in (entry.findtext("atom:id", "", _NS) or ""):
            message = clean(entry.findtext("atom:summary", "", _NS)) or "an error"
            raise SourceError(f"the arXiv API says: {message}")
    total = (root.findtext("opensearch:totalResults", "", _NS) or "").strip()
    return Feed(total=int(total) if total.isdigit() else len(entries), entries=entries)


def _said(body: bytes) -> str | None:
    """The message of an error feed, if the body is one."""
    try:
        parse_feed(body)
    except SourceError as err:
        return str(err) if "says:" in str(err) else None
    return None
