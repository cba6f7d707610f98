"""Read papers from corpus files (the scraped listing format, JSONL and CSV), and write a run's
papers as the JSONL that `--corpus` reads back.

Files are read a record at a time, and corpora merged a paper at a time, so that a run can put
its papers on disk as they come: a corpus may hold a hundred thousand. A record that cannot be
read becomes an `InputProblem` with its line number; the others are kept.
Every paper, read here or listed by a source, is made by `new_paper` and given more passages by
`with_passages` only, so that no credential or secret parameter in its links is ever kept.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
import json
import re
import shutil
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import BinaryIO, TextIO

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


def _looks_like_abstract(line: str) -> bool:
    return len(line) >= _ABSTRACT_MIN_CHARS or len(_SENTENCE_END.findall(line)) >= 2


def _listing(lines: Iterable[str], source: str) -> Iterator[Paper | InputProblem]:
    """The scraped listing: chrome lines, then a title line and an abstract line per paper."""
    title: tuple[int, str] | None = None
    first = True
    for number, raw in enumerate(lines, start=1):
        line = raw.strip()
        if not line or line in _CHROME_LINES:
            continue
        if len(line) > MAX_RECORD_CHARS:
            yield _too_long(source, number, len(line))
            continue
        if title is None and line.startswith(_GLUED_PREFIX) and first:
            line = line.removeprefix(_GLUED_PREFIX).strip()
        if _looks_like_abstract(line):
            if title is None:
                yield _problem(source, number, "abstract without a title line")
                continue
            yield new_paper(title=title[1], abstract=line, source=SourceRef(file=source, line=title[0]))
            title, first = None, False
        else:
            if title is not None:
                yield _problem(source, title[0], "title without an abstract line")
            title = (number, line)
    if title is not None:
        yield _problem(source, title[0], "title without an abstract line at end of file")


def _jsonl(lines: Iterable[str], source: str) -> Iterator[Paper | InputProblem]:
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        if len(line) > MAX_RECORD_CHARS:
            yield _too_long(source, number, len(line))
            continue
        try:
            record = parse_json(line)
        except ParseRefused as err:
            yield _problem(source, number, str(err))
            continue
        yield from _record(record, source, number)


def _csv(text: TextIO, source: str) -> Iterator[Paper | InputProblem]:
    reader = csv.DictReader(text)
    if not reader.fieldnames or "title" not in [f.strip().lower() for f in reader.fieldnames]:
        yield _problem(source, 1, "CSV header must name a `title` column")
        return
    try:
        for record in reader:
            row = {(k or "").strip().lower(): v for k, v in record.items()}
            yield from _record(row, source, reader.line_num)
    except csv.Error as err:  # e.g. a field over the csv module's size limit: the rest is lost
        yield _problem(source, reader.line_num, f"unreadable CSV from here on: {err}")


def _record(record: object, source: str, number: int) -> Iterator[Paper | InputProblem]:
    """The paper of one record, after the problems it has; only problems if it is not a paper."""
    if not isinstance(record, dict):
        yield _problem(source, number, "record is not an object")
        return
    title, abstract, url, when = (record.get(k) for k in ("title", "abstract", "url", "date"))
    if not isinstance(title, str) or not title.strip():
        yield _problem(source, number, "record has no title")
        return
    if abstract is not None and not isinstance(abstract, str):
        yield _problem(source, number, "abstract is not text")
        return
    url = url.strip() if isinstance(url, str) and url.strip() else None
    day = _date(when)
    if when not in (None, "") and day is None:
        yield _problem(source, number, f"date {str(when)[:40]!r} is not YYYY-MM-DD; ignored")
    page, passages = record.get("page"), record.get("passages")
    kept: tuple[Passage, ...] = ()
    if passages is not None:
        try:
            kept = _PASSAGES.validate_python(passages)
        except ValidationError as err:
            yield _problem(source, number, f"passages ignored: {err.errors()[0]['msg']}")
    yield new_paper(
        title=title.strip(),
        abstract=(abstract or "").strip(),
        url=url,
        day=day,
        page=page.strip() if isinstance(page, str) and page.strip() else None,
        passages=kept,
        source=SourceRef(file=source, line=number),
    )


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


def read_records(path: Path, *, name: str | None = None) -> Iterator[Paper | InputProblem]:
    """One corpus file a record at a time, in the file's order: its papers, and its problems where
    they are met; the format is chosen by extension (.jsonl, .csv, else listing). `name`: how
    records name the file (default: the path as given). The file is never held whole: it is read
    once to tell its encoding (one byte that is not UTF-8, anywhere, makes all of it Latin-1),
    then a line at a time; a pipe is first copied to an unnamed temporary file."""
    source = name or str(path)
    with contextlib.ExitStack() as stack:
        try:
            raw: BinaryIO = stack.enter_context(path.open("rb"))
            if not raw.seekable():
                raw = stack.enter_context(_copied(raw))
            head = raw.read(8192)
            encoding, note = _encoding(raw, head)
            raw.seek(0)
        except OSError as err:
            yield _problem(source, 0, f"cannot read: {err.strerror or err}")
            return
        if b"\x00" in head and not head.startswith(_UTF16_BOMS):
            yield _problem(source, 0, "binary file, not a corpus")
            return
        # Lines end at \n only, as io.StringIO splits them for the csv module; the listing and
        # JSONL readers split each further at every line boundary str.splitlines knows.
        text = stack.enter_context(io.TextIOWrapper(raw, encoding=encoding, newline="\n"))
        suffix = path.suffix.lower()
        if suffix == ".csv":
            records = _csv(text, source)
        else:
            parser = _jsonl if suffix in (".jsonl", ".ndjson") else _listing
            records = parser((line for chunk in text for line in chunk.splitlines()), source)
        if note:
            yield _problem(source, 0, note)
        empty = not note
        for record in records:
            empty = False
            yield record
        if empty:
            yield _problem(source, 0, "no papers in this file")


_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def _encoding(raw: BinaryIO, head: bytes) -> tuple[str, str | None]:
    """How a file whose first bytes are `head` decodes, and when it is not clean UTF-8, a note
    saying how it was read; the rest of it is read in chunks to tell."""
    if head.startswith(_UTF16_BOMS):
        return "utf-16", None
    decoder = codecs.getincrementaldecoder("utf-8")()
    fed, chunk = 0, head
    try:
        while True:
            pending = len(decoder.getstate()[0])  # bytes of a character cut by the last chunk
            decoder.decode(chunk, final=not chunk)
            if not chunk:
                return "utf-8-sig", None
            fed += len(chunk)
            chunk = raw.read(1 << 16)
    except UnicodeDecodeError as err:
        at = fed - pending + err.start - (len(codecs.BOM_UTF8) if head.startswith(codecs.BOM_UTF8) else 0)
        return "latin-1", f"not UTF-8 (byte {at}); read as Latin-1"


@contextlib.contextmanager
def _copied(pipe: BinaryIO) -> Iterator[BinaryIO]:
    with tempfile.TemporaryFile() as copy:
        shutil.copyfileobj(pipe, copy)
        copy.seek(0)
        yield copy


def read_corpus(path: Path, *, name: str | None = None) -> Corpus:
    """`read_records` of one file, held: for corpora that are held anyway (shard reports' own)."""
    out = Corpus()
    for record in read_records(path, name=name):
        if isinstance(record, InputProblem):
            out.problems.append(record)
        else:
            out.papers.append(record)
    return out


def merge(corpora: Iterable[Iterable[Paper | InputProblem]], problems: list[InputProblem]) -> Iterator[Paper]:
    """Several corpora as one, a paper at a time; a paper seen before (same id) is skipped. Each
    corpus's problems, then its duplicates, are added to `problems` as it is read. What is held per
    paper is its id and where it was read, for the message of a duplicate."""
    first: dict[str, tuple[str, int | None]] = {}
    files: dict[str, str] = {}  # each file's name held once, whatever number of papers it has
    for corpus in corpora:
        duplicates = []
        for record in corpus:
            if isinstance(record, InputProblem):
                problems.append(record)
                continue
            seen = first.get(record.id)
            if seen is not None:
                where = f"{seen[0]}:{seen[1]}"
                duplicates.append(
                    _problem(
                        record.source.file,
                        record.source.line or 0,
                        f"duplicate of the paper at {where}; skipped",
                    )
                )
                continue
            first[record.id] = (files.setdefault(record.source.file, record.source.file), record.source.line)
            yield record
        problems.extend(duplicates)


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
        text = json.dumps(record, ensure_ascii=False)
        # characters a line reader takes for line ends (U+2028, NEL …) stay inside their string
        lines.append(_LINE_BREAKS.sub(lambda m: f"\\u{ord(m.group()):04x}", text) + "\n")
    return "".join(lines)


# What `str.splitlines` ends a line at and json.dumps leaves as it is (it escapes the controls).
_LINE_BREAKS = re.compile("[\x85\u2028\u2029]")


def carry_over(
    previous: Iterable[Paper | InputProblem], current: Sequence[Paper], problems: list[InputProblem]
) -> Iterator[Paper]:
    """The previous run's corpus (its records, read as they come) brought up to date by this run's
    papers: a paper listed again takes its new record (a GitHub link added to its page since),
    keeping the full text read last time if this run did not read it again; papers not listed
    again are kept, and this run's new ones follow. The previous corpus's problems go to
    `problems`. Held per paper of this run: its id and place in `current`."""
    fresh = {paper.id: index for index, paper in enumerate(current)}
    for record in previous:
        if isinstance(record, InputProblem):
            problems.append(record)
            continue
        index = fresh.pop(record.id, None)
        yield record if index is None else _keep_full_text(record, current[index])
    for index in fresh.values():
        yield current[index]


def _keep_full_text(old: Paper, new: Paper) -> Paper:
    if any(p.origin is LinkOrigin.FULL_TEXT for p in new.passages):
        return new
    kept = tuple(p for p in old.passages if p.origin is LinkOrigin.FULL_TEXT)
    return with_passages(new, kept) if kept else new
