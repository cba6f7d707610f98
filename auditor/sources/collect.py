"""The sources of one run, from the command line's flags: list the papers, remember what was
seen, read the full text of the papers a run keeps.

`--since last`: a dated source (Hugging Face's daily papers, an arXiv query) starts at the day of
its last listing instead of the start it was given (arXiv three days earlier: a paper is listed
by the day it was submitted, and announced up to three days later), and the caller merges the
previous run's corpus, so the report covers both.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Literal

from auditor.data.redact import redact_url
from auditor.models import InputProblem, LinkOrigin, Paper, SourceRef
from auditor.papers.corpus import Corpus, new_paper, slugify, with_passages
from auditor.sources import DEFAULT_MAX_PAPERS, arxiv, hf, openreview
from auditor.sources.base import FullTextRef, Listed, Listing, problem
from auditor.sources.client import SourceClient, SourceError
from auditor.sources.fulltext import FullTextReader
from auditor.sources.seen import Seen

Kind = Literal["hf-papers", "hf-daily", "hf-paper", "arxiv", "arxiv-id", "openreview", "pdf"]

# The longest window of daily papers asked at once (`--since last` after a long pause included).
MAX_DAYS = 31
ARXIV_ANNOUNCE_LAG = timedelta(days=3)
FULL_TEXT_WORKERS = 4


@dataclass(frozen=True)
class Spec:
    """One source flag and its value: `--hf-papers "medical imaging"` is ("hf-papers", …)."""

    kind: Kind
    value: str

    @property
    def key(self) -> str:
        """What the seen state is kept under: a daily listing is one source whatever its days."""
        return "hf-daily" if self.kind == "hf-daily" else f"{self.kind}:{redact_url(self.value)}"

    @property
    def name(self) -> str:
        """The default report folder's name (a PDF's URL without its token, if it carries one)."""
        return slugify(f"{self.kind} {redact_url(self.value)}")


@dataclass(frozen=True)
class Endpoints:
    """Base URLs of the services; from the environment, so tests and mirrors can point elsewhere."""

    hf: str = hf.DEFAULT_ENDPOINT
    arxiv_api: str = arxiv.DEFAULT_API
    arxiv_site: str = arxiv.DEFAULT_SITE
    openreview: str = openreview.DEFAULT_API

    @classmethod
    def from_env(cls, env: Mapping[str, str] = os.environ) -> Endpoints:
        def get(name: str, default: str) -> str:
            return (env.get(name) or "").strip() or default

        return cls(
            hf=get("HF_ENDPOINT", hf.DEFAULT_ENDPOINT),
            arxiv_api=get("ARXIV_API_URL", arxiv.DEFAULT_API),
            arxiv_site=get("ARXIV_SITE_URL", arxiv.DEFAULT_SITE),
            openreview=get("OPENREVIEW_API_BASEURL_V2", openreview.DEFAULT_API),
        )


@dataclass(frozen=True)
class Options:
    today: date
    since_last: bool = False
    max_papers: int = DEFAULT_MAX_PAPERS
    arxiv_dates: tuple[date, date] | None = None
    endpoints: Endpoints = field(default_factory=Endpoints)


@dataclass
class Collected:
    corpus: Corpus
    pdfs: dict[str, FullTextRef] = field(default_factory=dict)  # by paper id
    listed: dict[str, list[str]] = field(default_factory=dict)  # by source key: the ids listed


def parse_days(text: str, today: date) -> tuple[date, date]:
    """`DAY` or `DAY..DAY` (inclusive), where a day is YYYY-MM-DD or `today`. Raises ValueError."""
    first, _, last = text.strip().partition("..")

    def day(value: str) -> date:
        value = value.strip()
        return today if value == "today" else date.fromisoformat(value)

    start, end = day(first), day(last or first)
    if end < start:
        raise ValueError(f"{text!r}: the range ends before it starts")
    return start, end


def collect(
    specs: list[Spec], options: Options, client: SourceClient, seen: Seen, reader: FullTextReader
) -> Collected:
    """Every paper the sources list, in the order of the flags; per-source problems reported."""
    ends = options.endpoints
    papers: list[Paper] = []
    problems: list[InputProblem] = []
    out = Collected(Corpus())
    hub = hf.HfPapers(client, endpoint=ends.hf, arxiv_site=ends.arxiv_site)
    archive = arxiv.Arxiv(client, api=ends.arxiv_api, site=ends.arxiv_site)
    venues = openreview.OpenReview(client, api=ends.openreview)
    for spec in specs:
        last = seen.last(spec.key) if options.since_last else None
        if spec.kind == "hf-papers":
            listing = hub.search(spec.value, max_papers=options.max_papers)
        elif spec.kind == "hf-daily":
            start, end = parse_days(spec.value, options.today)
            if last is not None:
                start = last
            start = max(start, end - timedelta(days=MAX_DAYS - 1))
            days = [start + timedelta(days=n) for n in range((end - start).days + 1)]
            listing = hub.daily(days, max_papers=options.max_papers)
        elif spec.kind == "hf-paper":
            listing = hub.paper(spec.value)
        elif spec.kind == "arxiv":
            dates = options.arxiv_dates
            if last is not None:
                dates = (last - ARXIV_ANNOUNCE_LAG, dates[1] if dates else options.today)
            listing = archive.query(spec.value, dates=dates, max_papers=options.max_papers)
        elif spec.kind == "arxiv-id":
            listing = archive.ids([i.strip() for i in spec.value.split(",") if i.strip()])
        elif spec.kind == "openreview":
            listing = venues.venue(spec.value, max_papers=options.max_papers)
        else:
            listing = _pdf_paper(spec.value, reader)
        out.listed[spec.key] = [item.key for item in listing.papers]
        for item in listing.papers:
            papers.append(item.paper)
            if item.pdf is not None:
                out.pdfs.setdefault(item.paper.id, item.pdf)
        problems.extend(listing.problems)
    out.corpus = Corpus(papers=papers, problems=problems)
    return out


def _pdf_paper(locator: str, reader: FullTextReader) -> Listing:
    """A paper that is a PDF alone (`--pdf`): its title from the PDF, its text its full text."""
    out = Listing()
    try:
        found = reader.read(FullTextRef(locator))
    except SourceError as err:
        out.problem(locator, str(err))
        return out
    title = found.title or Path(locator.rstrip("/").rsplit("/", 1)[-1]).stem or locator
    paper = new_paper(title=title, passages=found.passages, source=SourceRef(file=locator))
    if found.note:
        out.problem(locator, found.note)
    out.papers.append(Listed(key=redact_url(locator), paper=paper))
    return out


def with_full_text(
    papers: list[Paper], pdfs: Mapping[str, FullTextRef], reader: FullTextReader
) -> tuple[list[Paper], list[InputProblem]]:
    """The papers with their full text's statements, for those that have a PDF and whose full
    text was not read already (a previous run's, carried over). A PDF that cannot be read is a
    problem of that paper; the others go on."""
    todo = [
        p for p in papers if p.id in pdfs and not any(x.origin is LinkOrigin.FULL_TEXT for x in p.passages)
    ]

    def read(paper: Paper) -> Paper | InputProblem:
        ref = pdfs[paper.id]
        try:
            found = reader.read(ref)
        except SourceError as err:
            return problem(ref.locator, f"full text of {paper.title[:80]!r} not read: {err}")
        return with_passages(paper, found.passages)

    with ThreadPoolExecutor(max_workers=FULL_TEXT_WORKERS, thread_name_prefix="fulltext") as pool:
        results = dict(zip((p.id for p in todo), pool.map(read, todo), strict=True))
    out: list[Paper] = []
    problems: list[InputProblem] = []
    for paper in papers:
        result = results.get(paper.id, paper)
        if isinstance(result, InputProblem):
            problems.append(result)
            out.append(paper)
        else:
            out.append(result)
    return out, problems


def remember(collected: Collected, seen: Seen, today: date) -> None:
    """Mark what the sources listed as seen, and save (once the run's output is written)."""
    for key, ids in collected.listed.items():
        seen.record(key, ids, today)
    seen.save()
