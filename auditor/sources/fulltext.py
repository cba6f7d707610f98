"""Full text, read only when asked: a PDF fetched (or a local file read), its code statements
extracted with their pages, and the result cached in the cache folder.

Only what was extracted is kept (never the PDF: arXiv's terms do not allow serving e-prints
again): `CACHE_DAYS` for a URL, since a PDF at an unversioned address can be replaced; a local
file is read again each time (it costs no request). A PDF that cannot be read is one paper's
problem, said in the report; the run goes on.
"""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass
from pathlib import Path

from pydantic import TypeAdapter, ValidationError

from auditor.data.atomic import write_atomic
from auditor.data.redact import redact_url
from auditor.models import Passage
from auditor.sources.base import FullTextRef
from auditor.sources.client import SourceClient, SourceError
from auditor.sources.pdf import Extracted, PdfError, extract

CACHE_DAYS = 30
_PASSAGES = TypeAdapter(tuple[Passage, ...])


@dataclass(frozen=True)
class FullText:
    passages: tuple[Passage, ...]
    title: str | None = None
    note: str | None = None


class FullTextReader:
    def __init__(self, client: SourceClient, cache_dir: Path | None) -> None:
        self.client = client
        self.folder = cache_dir / "fulltext" if cache_dir is not None else None

    def read(self, ref: FullTextRef) -> FullText:
        """The code statements of a paper's PDF. Raises SourceError with the reason it cannot."""
        if "://" not in ref.locator:
            return _full_text(self._extract(self._local(Path(ref.locator))))
        cached = self._cached(ref.locator)
        if cached is not None:
            return cached
        found = _full_text(self._extract(self.client.pdf(ref.locator, pace=ref.pace, name=ref.name)))
        self._store(ref.locator, found)
        return found

    def _local(self, path: Path) -> bytes:
        try:
            size = path.stat().st_size
            if size > self.client.max_pdf:
                raise SourceError(
                    f"{size:,} bytes is over the {self.client.max_pdf:,}-byte cap for a PDF; not read"
                )
            return path.read_bytes()
        except OSError as err:
            raise SourceError(f"cannot read {path}: {err.strerror or err}") from None

    @staticmethod
    def _extract(data: bytes) -> Extracted:
        try:
            return extract(data)
        except PdfError as err:
            raise SourceError(str(err)) from None

    def _path(self, url: str) -> Path | None:
        return self.folder / f"{hashlib.sha256(url.encode()).hexdigest()}.json" if self.folder else None

    def _cached(self, url: str) -> FullText | None:
        path = self._path(url)
        try:
            if path is None or time.time() - path.stat().st_mtime > CACHE_DAYS * 86400:
                return None
            data = json.loads(path.read_text(encoding="utf-8"))
            return FullText(_PASSAGES.validate_python(data["passages"]), data.get("title"), data.get("note"))
        except (OSError, ValueError, KeyError, TypeError, ValidationError):
            return None

    def _store(self, url: str, found: FullText) -> None:
        path = self._path(url)
        if path is None:
            return
        record = {
            "url": redact_url(url),  # for whoever reads the cache; the file is named by the URL's hash
            "title": found.title,
            "note": found.note,
            "passages": [p.model_dump(mode="json") for p in found.passages],
        }
        write_atomic(path, json.dumps(record), sync=False)


def _full_text(found: Extracted) -> FullText:
    return FullText(found.passages, found.title, found.note)
