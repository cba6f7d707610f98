"""What every paper source hands on: papers, each with where it came from, and the problems met.

A source lists papers (metadata, and the fields of their page at the source); their full text is
read later, only when asked and only for the papers a run keeps (`fulltext`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from auditor.data.redact import redact_url
from auditor.models import InputProblem, LinkOrigin, Paper, Passage, SourceRef
from auditor.papers.links import redact_urls
from auditor.sources.client import Reply, SourceError

# Far more than a real abstract; a longer field is cut, not analysed whole.
MAX_FIELD_CHARS = 20_000


@dataclass(frozen=True)
class FullTextRef:
    """Where a paper's PDF is: a URL or a local path, and the politeness key of its host."""

    locator: str
    pace: str | None = None
    name: str = "the PDF's host"


@dataclass(frozen=True)
class Listed:
    """A paper as a source listed it: `key` is the source's own id (an arXiv id, an OpenReview
    note id), what the source remembers as seen."""

    key: str
    paper: Paper
    pdf: FullTextRef | None = None


@dataclass
class Listing:
    papers: list[Listed] = field(default_factory=list)
    problems: list[InputProblem] = field(default_factory=list)

    def problem(self, where: str, message: str, line: int | None = None) -> None:
        self.problems.append(problem(where, message, line))

    def add(
        self,
        where: str,
        items: Iterable[Any],
        read: Callable[[Any, SourceRef], Listed | str],
        *,
        first: int = 1,
        limit: int | None = None,
    ) -> None:
        """The items of one answer (at `where`, numbered from `first`), each read as a paper or, when
        `read` says why it cannot be, a problem at its number; none once `limit` papers are listed."""
        for number, item in enumerate(items, start=first):
            if limit is not None and len(self.papers) >= limit:
                return
            listed = read(item, SourceRef(file=where, line=number))
            if isinstance(listed, str):
                self.problem(where, listed, number)
            else:
                self.papers.append(listed)


def problem(where: str, message: str, line: int | None = None) -> InputProblem:
    """A source's problem, shown without the credentials and tokens of its URLs (a PDF's URL that
    the user gave may carry one)."""
    return InputProblem(source=SourceRef(file=redact_url(where), line=line), message=redact_urls(message))


def json_of(reply: Reply, service: str, said: Callable[[bytes], str] | None = None) -> Any:
    """The JSON of a 200 answer of `service`. Raises SourceError for another status (followed by
    what `said` reads of its body) and for a body that is not JSON, or nested deeper than the
    parser can follow (a RecursionError, which is no ValueError)."""
    if reply.status != 200:
        raise SourceError(f"{service} answered {reply.status}{said(reply.body) if said else ''}")
    try:
        return json.loads(reply.body)
    except (ValueError, RecursionError):
        raise SourceError(f"{service} answered with malformed JSON") from None


def clean(text: object) -> str:
    """A title or abstract as one line: sources wrap them (arXiv at 80 columns)."""
    return " ".join(str(text).split())[:MAX_FIELD_CHARS] if isinstance(text, str) else ""


def day_of(value: object) -> str | None:
    """YYYY-MM-DD of an ISO timestamp ("2025-06-12T08:00:00.000Z"), or None."""
    if not isinstance(value, str) or not re.match(r"\d{4}-\d{2}-\d{2}", value):
        return None
    try:
        return date.fromisoformat(value[:10]).isoformat()
    except ValueError:
        return None


def day_of_millis(value: object) -> str | None:
    """YYYY-MM-DD (in UTC, whatever the machine's time zone) of epoch milliseconds (OpenReview's
    dates), or None."""
    if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
        return None
    try:
        return datetime.fromtimestamp(value / 1000, UTC).date().isoformat()
    except (OverflowError, OSError, ValueError):
        return None


def page_field(value: object, name: str) -> Passage | None:
    """A field of the paper's page at its source (a URL, or text that may hold one)."""
    text = clean(value)
    return Passage(origin=LinkOrigin.PAPER_PAGE, text=text, field=name) if text else None
