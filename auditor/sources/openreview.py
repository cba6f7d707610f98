"""OpenReview (MIDL, ICLR, many workshops): a venue's accepted papers or its submissions, through
the public API v2 (`GET /notes`), which needs no login for public venues.

`--openreview MIDL.io/2025/Conference` asks for the notes whose `content.venueid` is the venue
(accepted papers: a submission's venueid becomes the venue's id when it is accepted);
`--openreview MIDL.io/2025/Conference/-/Submission` asks by the submission invitation (every
submission, whatever its status). Plain requests, not `openreview-py`: its client brings ten
dependencies, its own retrying session and up to 16 concurrent page requests.

API v2 wraps every content value: `{"title": {"value": "…"}}`. Besides title and abstract, every
field that holds a URL (`code`, `website`, a TL;DR with a link; `supplementary_material` as an
`/attachment/…` path of the site) becomes a paper-page passage named by its field. Pages of 1,000
notes are asked one after the other (`limit`, `offset`; the answer's `count` is the total).
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote, urlencode

from auditor.models import LinkOrigin, Passage, SourceRef
from auditor.papers.corpus import new_paper
from auditor.sources.base import FullTextRef, Listed, Listing, clean, day_of_millis, json_of
from auditor.sources.client import Service, SourceClient, SourceError

DEFAULT_API = "https://api2.openreview.net"
SITE = "https://openreview.net"
PAGE = 1000
# Content fields that are not links the paper gives: the paper itself, its people, its venue.
_NOT_LINKS = frozenset(
    {
        "title",
        "abstract",
        "authors",
        "authorids",
        "venue",
        "venueid",
        "pdf",
        "_bibtex",
        "keywords",
        "paperhash",
    }
)
MAX_FIELDS = 20


class OpenReview:
    def __init__(self, client: SourceClient, *, api: str = DEFAULT_API, site: str = SITE) -> None:
        self.client = client
        self.api = api.rstrip("/")
        self.site = site.rstrip("/")
        self.service = Service("the OpenReview API", self.api, "api2.openreview.net")

    def venue(self, venue: str, *, max_papers: int) -> Listing:
        ask = {"invitation": venue} if "/-/" in venue else {"content.venueid": venue}
        out = Listing()
        url = f"{self.api}/notes"
        offset = 0
        while offset < max_papers:
            params = {**ask, "limit": str(min(PAGE, max_papers - offset)), "offset": str(offset)}
            where = f"{url}?{urlencode(params)}"
            try:
                notes, total = self._page(url, params)
            except SourceError as err:
                out.problem(where, str(err))
                break
            out.add(where, notes, self._paper, first=offset + 1)
            offset += len(notes)
            if not notes or offset >= total:
                break
        if not out.papers and not out.problems:
            out.problem(url, f"no public notes for {venue!r} (is the venue id right, and public?)")
        return out

    def _page(self, url: str, params: dict[str, str]) -> tuple[list[Any], int]:
        data = json_of(self.client.get(self.service, url, params=params), self.service.name, _message)
        notes = data.get("notes") if isinstance(data, dict) else None
        if not isinstance(notes, list):
            raise SourceError("the OpenReview API answered without a list of notes")
        count = data.get("count")
        return notes, count if isinstance(count, int) else len(notes)

    def _paper(self, note: Any, where: SourceRef) -> Listed | str:
        if not isinstance(note, dict) or not isinstance(note.get("content"), dict):
            return "note without content; skipped"
        content: dict[str, Any] = note["content"]
        note_id = note.get("id")
        title = clean(_value(content.get("title")))
        if not isinstance(note_id, str) or not note_id or not title:
            return "note without an id or a title; skipped"
        forum = note.get("forum")
        forum = forum if isinstance(forum, str) and forum else note_id
        paper = new_paper(
            title=title,
            abstract=clean(_value(content.get("abstract"))),
            source=where,
            page=f"{self.site}/forum?id={quote(forum)}",
            day=day_of_millis(note.get("pdate")) or day_of_millis(note.get("cdate")),
            passages=self._link_fields(content),
        )
        pdf = None
        if isinstance(_value(content.get("pdf")), str):
            pdf = FullTextRef(f"{self.api}/pdf?id={quote(note_id)}", "api2.openreview.net", "OpenReview")
        return Listed(key=note_id, paper=paper, pdf=pdf)

    def _link_fields(self, content: dict[str, Any]) -> list[Passage]:
        out = []
        for name, wrapped in content.items():
            value = _value(wrapped)
            if name in _NOT_LINKS or not isinstance(value, str):
                continue
            text = clean(value)
            if text.startswith("/attachment/"):
                text = f"{self.site}{text}"
            if "http://" in text or "https://" in text:
                out.append(Passage(origin=LinkOrigin.PAPER_PAGE, text=text, field=name))
        return out[:MAX_FIELDS]


def _value(wrapped: Any) -> Any:
    """API v2 wraps every content value as {"value": …}."""
    return wrapped.get("value") if isinstance(wrapped, dict) else None


def _message(body: bytes) -> str:
    """`: <message>` from an OpenReview error answer ({"name": …, "message": …}), if any."""
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):
        return ""
    message = data.get("message") if isinstance(data, dict) else None
    return f": {clean(message)[:200]}" if isinstance(message, str) and message else ""
