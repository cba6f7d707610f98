"""Local fakes of the paper services, on 127.0.0.1: Hugging Face Papers, the arXiv API (and its
PDFs), the OpenReview API v2. Their answers follow the documented shapes:

- Hugging Face (`huggingface_hub`'s `PaperInfo` and the Hub's papers API documentation): search and
  daily papers answer a list of items `{"paper": {id, title, summary, publishedAt, githubRepo,
  projectPage, …}, "title", "summary", "publishedAt", "numComments", "submittedBy", …}`;
  `/api/papers/{id}` answers the paper record itself.
- arXiv (the API user manual): an Atom feed with `opensearch:totalResults`, entries with `id` (the
  abstract page), `title`, `summary`, `published`, `arxiv:comment`, links; errors are a feed whose
  single entry's id is under `/api/errors`.
- OpenReview (API v2 `/notes`): `{"notes": [...], "count": N}`, every content value wrapped as
  `{"value": …}`.

Every request is recorded with the time on the test's clock (`FakeClock`), so pacing is measured
on the server's side without sleeping. Faults are queued per path: the next requests to that path
get them, in order.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any
from xml.sax.saxutils import escape

from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server
from werkzeug.wrappers import Request, Response


class FakeClock:
    """Time that passes only when the code under test sleeps: `sleep` moves it forward."""

    def __init__(self, start: float = 1_000.0) -> None:
        self.now = start
        self.slept: list[float] = []
        self._lock = threading.Lock()

    def __call__(self) -> float:
        with self._lock:
            return self.now

    def sleep(self, seconds: float) -> None:
        with self._lock:
            self.slept.append(seconds)
            self.now += max(0.0, seconds)


@dataclass
class Hit:
    path: str
    query: dict[str, str]
    at: float


@dataclass
class Fault:
    status: int
    body: bytes | Iterator[bytes] = b""
    headers: dict[str, str] = field(default_factory=dict)


class _Quiet(WSGIRequestHandler):
    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        pass


class PaperServices:
    """One local server for the three services (each client is given its own base URL on it)."""

    def __init__(self, clock: FakeClock | None = None) -> None:
        self.clock = clock or FakeClock()
        self.hits: list[Hit] = []
        self.hf_search: dict[str, list[dict[str, Any]]] = {}
        self.hf_daily: dict[str, list[dict[str, Any]]] = {}
        self.hf_papers: dict[str, dict[str, Any]] = {}
        self.arxiv_entries: list[str] = []  # Atom <entry> elements, for any search_query
        self.openreview: dict[str, list[dict[str, Any]]] = {}  # by venueid or invitation
        self.files: dict[str, bytes] = {}  # path -> body (PDFs)
        self.faults: dict[str, list[Fault]] = {}
        self._lock = threading.Lock()
        self._server: BaseWSGIServer | None = None
        self._thread: threading.Thread | None = None

    def __enter__(self) -> PaperServices:
        self._server = make_server("127.0.0.1", 0, self._wsgi, threaded=True, request_handler=_Quiet)
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.02,), daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        assert self._server is not None and self._thread is not None
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()

    @property
    def url(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_port}"

    @property
    def hf(self) -> str:
        return f"{self.url}/hf"

    @property
    def arxiv_api(self) -> str:
        return f"{self.url}/arxiv/api/query"

    @property
    def arxiv_site(self) -> str:
        return f"{self.url}/arxiv"

    @property
    def openreview_api(self) -> str:
        return f"{self.url}/openreview"

    def env(self) -> dict[str, str]:
        return {
            "HF_ENDPOINT": self.hf,
            "ARXIV_API_URL": self.arxiv_api,
            "ARXIV_SITE_URL": self.arxiv_site,
            "OPENREVIEW_API_BASEURL_V2": self.openreview_api,
        }

    def fail(self, path: str, *faults: Fault) -> None:
        with self._lock:
            self.faults.setdefault(path, []).extend(faults)

    def paths(self, prefix: str = "") -> list[str]:
        return [h.path for h in self.hits if h.path.startswith(prefix)]

    # --- the application ---------------------------------------------------------------------------

    def _wsgi(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        request = Request(environ)
        with self._lock:
            self.hits.append(Hit(request.path, dict(request.args), self.clock()))
            queued = self.faults.get(request.path)
            fault = queued.pop(0) if queued else None
        if fault is not None:
            response = Response(fault.body, status=fault.status, headers=fault.headers)
            if "Content-Length" in fault.headers:
                response.headers["Content-Length"] = fault.headers["Content-Length"]
                response.automatically_set_content_length = False
        else:
            response = self._answer(request)
        return response(environ, start_response)

    def _answer(self, request: Request) -> Response:
        path, args = request.path, request.args
        if path == "/hf/api/papers/search":
            items = self.hf_search.get(args.get("q", ""), [])
            return _json(items[: int(args.get("limit", "120"))])
        if path == "/hf/api/daily_papers":
            items = self.hf_daily.get(args.get("date", ""), [])
            limit, page = int(args.get("limit", "50")), int(args.get("p", "0"))
            return _json(items[page * limit : (page + 1) * limit])
        if path.startswith("/hf/api/papers/"):
            record = self.hf_papers.get(path.rsplit("/", 1)[-1])
            return _json(record) if record else _json({"error": "Paper not found"}, 404)
        if path == "/arxiv/api/query":
            return self._arxiv(args)
        if path == "/openreview/notes":
            notes = self.openreview.get(args.get("content.venueid") or args.get("invitation") or "", [])
            offset, limit = int(args.get("offset", "0")), int(args.get("limit", "1000"))
            return _json({"notes": notes[offset : offset + limit], "count": len(notes)})
        key = path if path in self.files else f"{path}?id={args.get('id', '')}"
        if key in self.files:
            return Response(self.files[key], content_type="application/pdf")
        return Response("not found", status=404)

    def _arxiv(self, args: Any) -> Response:
        if "id_list" in args:
            wanted = args["id_list"].split(",")
            entries = [e for e in self.arxiv_entries if any(f"/abs/{i}" in e for i in wanted)]
            return Response(atom_feed(entries, len(entries), 0), content_type="application/atom+xml")
        start, count = int(args.get("start", "0")), int(args.get("max_results", "10"))
        page = self.arxiv_entries[start : start + count]
        return Response(atom_feed(page, len(self.arxiv_entries), start), content_type="application/atom+xml")


def _json(data: Any, status: int = 200) -> Response:
    return Response(json.dumps(data), status=status, content_type="application/json; charset=utf-8")


# --- documented shapes ---------------------------------------------------------------------------


def hf_item(
    arxiv_id: str,
    title: str,
    summary: str,
    *,
    github: str | None = None,
    project: str | None = None,
    published: str = "2025-06-12T17:59:46.000Z",
) -> dict[str, Any]:
    """An item of `/api/papers/search` or `/api/daily_papers`."""
    paper: dict[str, Any] = {
        "id": arxiv_id,
        "authors": [{"_id": "6650c0ffee", "name": "A. Author", "hidden": False}],
        "publishedAt": published,
        "submittedOnDailyAt": published,
        "title": title,
        "summary": summary,
        "upvotes": 3,
        "discussionId": "6650c0ffee0",
        "ai_summary": "A summary written by a model.",
        "ai_keywords": ["segmentation"],
    }
    if github:
        paper["githubRepo"] = github
        paper["githubStars"] = 12
    if project:
        paper["projectPage"] = project
    return {
        "paper": paper,
        "publishedAt": published,
        "title": title,
        "summary": summary,
        "thumbnail": "https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/x.png",
        "numComments": 1,
        "submittedBy": {"_id": "5f1", "name": "akhaliq", "fullname": "AK", "type": "user"},
        "isAuthorParticipating": False,
    }


def hf_record(arxiv_id: str, title: str, summary: str, **fields: Any) -> dict[str, Any]:
    """The answer of `/api/papers/{arxiv_id}`: the paper record itself, flat."""
    item = hf_item(arxiv_id, title, summary, **fields)
    return {**item["paper"], "numComments": 1}


def atom_entry(
    arxiv_id: str,
    title: str,
    summary: str,
    *,
    comment: str | None = None,
    published: str = "2025-06-12T17:59:46Z",
) -> str:
    extra = f"<arxiv:comment>{escape(comment)}</arxiv:comment>" if comment else ""
    return f"""<entry>
    <id>http://arxiv.org/abs/{arxiv_id}</id>
    <updated>{published}</updated>
    <published>{published}</published>
    <title>{escape(title)}</title>
    <summary>  {escape(summary)}
    </summary>
    <author><name>A. Author</name></author>
    {extra}
    <link href="http://arxiv.org/abs/{arxiv_id}" rel="alternate" type="text/html"/>
    <link title="pdf" href="http://arxiv.org/pdf/{arxiv_id}" rel="related" type="application/pdf"/>
    <arxiv:primary_category term="eess.IV" scheme="http://arxiv.org/schemas/atom"/>
    <category term="eess.IV" scheme="http://arxiv.org/schemas/atom"/>
  </entry>"""


def atom_feed(entries: list[str], total: int, start: int) -> str:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/"
      xmlns:arxiv="http://arxiv.org/schemas/atom">
  <link href="http://arxiv.org/api/query" rel="self" type="application/atom+xml"/>
  <title type="html">ArXiv Query</title>
  <id>http://arxiv.org/api/cHxbiOdZaP56ODnBPIenZhzg5f8</id>
  <updated>2025-06-13T00:00:00-04:00</updated>
  <opensearch:totalResults>{total}</opensearch:totalResults>
  <opensearch:startIndex>{start}</opensearch:startIndex>
  <opensearch:itemsPerPage>{len(entries)}</opensearch:itemsPerPage>
  {"".join(entries)}
</feed>"""


ATOM_ERROR = atom_feed(
    [
        """<entry>
    <id>http://arxiv.org/api/errors#incorrect_id_format_for_1234.12345</id>
    <title>Error</title>
    <summary>incorrect id format for 1234.12345</summary>
    <updated>2007-10-12T00:00:00-04:00</updated>
    <author><name>arXiv api core</name></author>
  </entry>"""
    ],
    1,
    0,
)


def openreview_note(
    note_id: str, title: str, abstract: str, *, pdate: int = 1_749_686_400_000, **content: Any
) -> dict[str, Any]:
    """A submission note of API v2: every content value wrapped as {"value": …}."""
    values = {
        "title": title,
        "abstract": abstract,
        "authors": ["A. Author"],
        "authorids": ["~A_Author1"],
        "venue": "MIDL 2025 Poster",
        "venueid": "MIDL.io/2025/Conference",
        "pdf": f"/pdf/{note_id}.pdf",
        "_bibtex": "@inproceedings{x, url={https://openreview.net/forum?id=" + note_id + "}}",
        **content,
    }
    return {
        "id": note_id,
        "forum": note_id,
        "number": 7,
        "cdate": pdate - 86_400_000,
        "pdate": pdate,
        "mdate": pdate,
        "invitations": ["MIDL.io/2025/Conference/-/Submission"],
        "domain": "MIDL.io/2025/Conference",
        "readers": ["everyone"],
        "content": {key: {"value": value} for key, value in values.items()},
    }
