"""Read papers from corpus files (the scraped listing format, JSONL and CSV), and write a run's
papers as the JSONL that `--corpus` reads back.

A record that cannot be read becomes an `InputProblem` with its line number; the others are kept.
Every paper, read here or listed by a source, is made by `new_paper` and given more passages by
`with_passages` only, so that no credential or secret parameter in its links is ever kept.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from pydantic import TypeAdapter, ValidationError

from auditor.data.parse import ParseRefused, parse_json
from auditor.data.redact import redact_url
from auditor.models import InputProblem, LinkOrigin, Paper, Passage, SourceRef
from auditor.papers.links import redact_urls

# Page chrome of the scraped listing: lines to skip, and the button text glued to the first title.
_CHROME_LINES = frozenset(
    {"Get trending papers in your email inbox once a day!", "Get trending papers in your email inbox!"}
)
_GLUED_PREFIX = "Subscribe"
# An abstract is a paragraph: long, or several sentences. Titles are one short line.
_ABSTRACT_MIN_CHARS = 300
_SENTENCE_END = re.compile(r"[.!?]\s+[A-Z]")
# A `date` field: a day, or a timestamp whose day is taken (2025-06-12, 2025-06-12T08:00:00Z).
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}([T ][0-9:.]+(Z|[+-]\d{2}:?\d{2})?)?$")
# Far longer than any real abstract; a longer line is junk, and is reported rather than analysed.
# A paper written with its full-text passages stays far below it (sources cap them).
MAX_RECORD_CHARS = 100_000
_PASSAGES = TypeAdapter(tuple[Passage, ...])


@dataclass
class Corpus:
    papers: list[Paper] = field(default_factory=list)
    problems: list[InputProblem] = field(default_factory=list)


def slugify(text: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug[:80].rstrip("-") or "paper"


def decode(data: bytes) -> tuple[str, str | None]:
    """Text of a file and, when it was not clean UTF-8, a note saying how it was decoded."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), None
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as err:
        return data.decode("latin-1"), f"not UTF-8 (byte {err.start}); read as Latin-1"


def _looks_like_abstract(line: str) -> bool:
    return len(line) >= _ABSTRACT_MIN_CHARS or len(_SENTENCE_END.findall(line)) >= 2


def parse_listing(text: str, source: str) -> Corpus:
    """The scraped listing: chrome lines, then a title line and an abstract line per paper."""
    out = Corpus()
    title: tuple[int, str] | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line in _CHROME_LINES:
            continue
        if len(line) > MAX_RECORD_CHARS:
            out.problems.append(_too_long(source, number, len(line)))
            continue
        if title is None and line.startswith(_GLUED_PREFIX) and not out.papers:
            line = line.removeprefix(_GLUED_PREFIX).strip()
        if _looks_like_abstract(line):
            if title is None:
                out.problems.append(_problem(source, number, "abstract without a title line"))
                continue
            out.papers.append(
                new_paper(title=title[1], abstract=line, source=SourceRef(file=source, line=title[0]))
            )
            title = None
        else:
            if title is not None:
                out.problems.append(_problem(source, title[0], "title without an abstract line"))
            title = (number, line)
    if title is not None:
        out.problems.append(_problem(source, title[0], "title without an abstract line at end of file"))
    return out


def parse_jsonl(text: str, source: str) -> Corpus:
    out = Corpus()
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        if len(line) > MAX_RECORD_CHARS:
            out.problems.append(_too_long(source, number, len(line)))
            continue
        try:
            record = parse_json(line)
        except ParseRefused as err:
            out.problems.append(_problem(source, number, str(err)))
            continue
        _add_record(out, record, source, number)
    return out


def parse_csv(text: str, source: str) -> Corpus:
    out = Corpus()
    reader = csv.DictReader(io.StringIO(text))
    if not reader.fieldnames or "title" not in [f.strip().lower() for f in reader.fieldnames]:
        out.problems.append(_problem(source, 1, "CSV header must name a `title` column"))
        return out
    try:
        for record in reader:
            row = {(k or "").strip().lower(): v for k, v in record.items()}
            _add_record(out, row, source, reader.line_num)
    except csv.Error as err:  # e.g. a field over the csv module's size limit: the rest is lost
        out.problems.append(_problem(source, reader.line_num, f"unreadable CSV from here on: {err}"))
    return out


def _add_record(out: Corpus, record: object, source: str, number: int) -> None:
    if not isinstance(record, dict):
        out.problems.append(_problem(source, number, "record is not an object"))
        return
    title, abstract, url, when = (record.get(k) for k in ("title", "abstract", "url", "date"))
    if not isinstance(title, str) or not title.strip():
        out.problems.append(_problem(source, number, "record has no title"))
        return
    if abstract is not None and not isinstance(abstract, str):
        out.problems.append(_problem(source, number, "abstract is not text"))
        return
    url = url.strip() if isinstance(url, str) and url.strip() else None
    day = _date(when)
    if when not in (None, "") and day is None:
        out.problems.append(_problem(source, number, f"date {str(when)[:40]!r} is not YYYY-MM-DD; ignored"))
    page, passages = record.get("page"), record.get("passages")
    kept: tuple[Passage, ...] = ()
    if passages is not None:
        try:
            kept = _PASSAGES.validate_python(passages)
        except ValidationError as err:
            out.problems.append(_problem(source, number, f"passages ignored: {err.errors()[0]['msg']}"))
    paper = new_paper(
        title=title.strip(),
        abstract=(abstract or "").strip(),
        url=url,
        day=day,
        page=page.strip() if isinstance(page, str) and page.strip() else None,
        passages=kept,
        source=SourceRef(file=source, line=number),
    )
    out.papers.append(paper)


def _date(value: object) -> str | None:
    """YYYY-MM-DD from a date or an ISO timestamp; None if it is neither."""
    if not isinstance(value, str) or not _DATE.match(value.strip()):
        return None
    try:
        return date.fromisoformat(value.strip()[:10]).isoformat()
    except ValueError:
        return None


def new_paper(
    *,
    title: str,
    source: SourceRef,
    abstract: str = "",
    url: str | None = None,
    day: str | None = None,
    page: str | None = None,
    passages: Iterable[Passage] = (),
) -> Paper:
    """A paper, from a corpus file or a source, with the credentials and secret parameters
    (tokens, keys, signatures) of every URL in it stripped: what is stored or shown never holds
    them. Its id is the slug of the title as kept."""
    title = redact_urls(title)
    return Paper(
        id=slugify(title),
        title=title,
        abstract=redact_urls(abstract),
        url=redact_url(url) if url else None,
        date=day,
        page=redact_url(page) if page else None,
        passages=_redacted(passages),
        source=source.model_copy(update={"file": redact_url(source.file)}),
    )


def with_passages(paper: Paper, passages: Iterable[Passage]) -> Paper:
    """`paper` with more passages (its full text), stripped as `new_paper` strips them."""
    return paper.model_copy(update={"passages": (*paper.passages, *_redacted(passages))})


def _redacted(passages: Iterable[Passage]) -> tuple[Passage, ...]:
    return tuple(p.model_copy(update={"text": redact_urls(p.text)}) for p in passages)


def _too_long(source: str, line: int, chars: int) -> InputProblem:
    return _problem(source, line, f"line of {chars:,} characters is too long for a paper; skipped")


def _problem(source: str, line: int, message: str) -> InputProblem:
    return InputProblem(source=SourceRef(file=source, line=line), message=message)


def read_corpus(path: Path, *, name: str | None = None) -> Corpus:
    """Read one corpus file, choosing the format by extension (.jsonl, .csv, else listing).
    `name`: how records name the file (default: the path as given)."""
    source = name or str(path)
    try:
        data = path.read_bytes()
    except OSError as err:
        return Corpus(problems=[_problem(source, 0, f"cannot read: {err.strerror or err}")])
    if b"\x00" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return Corpus(problems=[_problem(source, 0, "binary file, not a corpus")])
    text, note = decode(data)
    suffix = path.suffix.lower()
    parser = {".jsonl": parse_jsonl, ".ndjson": parse_jsonl, ".csv": parse_csv}.get(suffix, parse_listing)
    corpus = parser(text, source)
    if note:
        corpus.problems.insert(0, _problem(source, 0, note))
    if not corpus.papers and not corpus.problems:
        corpus.problems.append(_problem(source, 0, "no papers in this file"))
    return corpus


def merge(corpora: list[Corpus]) -> Corpus:
    """One corpus from several; a paper seen twice (same id) is kept once and reported."""
    out = Corpus()
    first: dict[str, Paper] = {}
    for corpus in corpora:
        out.problems.extend(corpus.problems)
        for paper in corpus.papers:
            if paper.id in first:
                seen = first[paper.id].source
                out.problems.append(
                    _problem(
                        paper.source.file,
                        paper.source.line or 0,
                        f"duplicate of the paper at {seen.file}:{seen.line}; skipped",
                    )
                )
                continue
            first[paper.id] = paper
            out.papers.append(paper)
    return out


def to_jsonl(papers: list[Paper]) -> str:
    """Papers as JSON lines in the format `read_corpus` reads, so a run can be repeated offline:
    title, abstract, url, date, and the page and passages a source gave."""
    lines = []
    for paper in papers:
        record = paper.model_dump(
            mode="json", include={"title", "abstract", "url", "date", "page", "passages"}
        )
        record = {key: value for key, value in record.items() if value not in (None, [], "")}
        for passage in record.get("passages", []):
            for key in ("field", "page"):
                if passage.get(key) is None:
                    passage.pop(key, None)
        lines.append(json.dumps(record, ensure_ascii=False) + "\n")
    return "".join(lines)


def carry_over(previous: Corpus, current: Corpus) -> Corpus:
    """The previous run's corpus brought up to date by this run's papers: a paper listed again
    takes its new record (a GitHub link added to its page since), keeping the full text read
    last time if this run did not read it again; papers not listed again are kept."""
    fresh = {paper.id: paper for paper in current.papers}
    papers = []
    for old in previous.papers:
        new = fresh.pop(old.id, None)
        papers.append(old if new is None else _keep_full_text(old, new))
    papers.extend(fresh.values())
    return Corpus(papers=papers, problems=[*previous.problems, *current.problems])


def _keep_full_text(old: Paper, new: Paper) -> Paper:
    if any(p.origin is LinkOrigin.FULL_TEXT for p in new.passages):
        return new
    kept = tuple(p for p in old.passages if p.origin is LinkOrigin.FULL_TEXT)
    return with_passages(new, kept) if kept else new
