"""A run's journal: each repository audit is appended as it completes, so an interrupted run
loses nothing and `--resume` continues where it stopped.

The journal sits next to the report (`.journal.jsonl` in the output folder). Its first line names
the tool version and checklist; audits recorded under another version or checklist are not reused.
A torn last line (the process was killed mid-write) is ignored.

The journal is also where a run keeps its audits until the report is written: it remembers where
each one's line starts and reads it back when asked (`get`), so memory does not grow with the
number of repositories. The report reads each audit about ten times (for the summary, then for each
file it writes): the first audits read back stay parsed, up to a bound (`HELD_BYTES`), so a run of
a few hundred repositories validates each once. `Spill` keeps the other records a report lists
(its papers) on disk too, and `Stored` is either seen as the report's list, each record read back
when it is reached.
"""

from __future__ import annotations

import array
import json
import os
import tempfile
import weakref
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, BinaryIO, Generic, TypeVar, overload

from pydantic import BaseModel, ValidationError

from auditor.models import ChecklistRef, RepoAudit
from auditor.report.health import RUN_FAILURES

JOURNAL_NAME = ".journal.jsonl"
# Audits read back are kept parsed while their lines come to at most this much (in memory, about
# six times as much: some 400 audits, 25 MB): the same for any number of repositories.
HELD_BYTES = 4 * 1024 * 1024

M = TypeVar("M", bound=BaseModel)


class Journal:
    def __init__(self, out_dir: Path, *, tool_version: str, checklist: ChecklistRef) -> None:
        self.path = out_dir / JOURNAL_NAME
        self._header = {"tool_version": tool_version, "checklist": checklist.model_dump()}
        self._handle: BinaryIO | None = None
        self._reader: BinaryIO | None = None
        # What a run holds per repository: its key, in the order the run first named it, and where
        # its latest audit's line starts (`_NAMED` until it is written). Audits kept from a previous
        # run (`start`) are found in `_kept` until named.
        self._index: dict[str, int] = {}
        self._kept: dict[str, int] = {}
        self._held: dict[int, RepoAudit] = {}  # by where its line starts: lines are never rewritten
        self._held_bytes = 0

    def load(self) -> dict[str, RepoAudit]:
        """Audits recorded by an earlier run of the same tool version and checklist, except
        transient failures (rate limits, timeouts, unreachable hosts), which are worth retrying."""
        try:
            lines = self.path.read_text(encoding="utf-8").splitlines()
        except FileNotFoundError:
            return {}
        if not lines or _json(lines[0]) != self._header:
            return {}
        audits: dict[str, RepoAudit] = {}
        for line in lines[1:]:
            try:
                audit = RepoAudit.model_validate_json(line)
            except ValidationError:
                continue  # a line torn by a kill mid-write
            if audit.repo.status not in RUN_FAILURES:  # asked again
                audits[audit.repo.key] = audit
        return audits

    def start(self, kept: dict[str, RepoAudit]) -> None:
        """Begin a journal holding the header and the audits being kept from a previous run; it
        stays open for `append` until `close` or `remove`."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._handle = self.path.open("wb")
        self._handle.write(json.dumps(self._header).encode() + b"\n")
        self._index, self._kept = {}, {}
        self._let_go()
        for audit in kept.values():
            self._kept[audit.repo.key] = self._write(audit)
        self._handle.flush()

    def name(self, key: str) -> bool:
        """Note that the run names the repository `key` (to audit it, or to report it as kept);
        False if it was named before. `named` lists them in the order first named."""
        if key in self._index:
            return False
        self._index[key] = _NAMED
        return True

    @property
    def named(self) -> Mapping[str, int]:
        """The repositories named, in order: the run's report lists them (see `Keyed`)."""
        return self._index

    def append(self, audit: RepoAudit) -> None:
        """Written through to the operating system, which keeps it whatever becomes of this
        process; not synced to disk, which would cost milliseconds per repository on the thread
        that collects the results (after a power cut, --resume audits the last few again)."""
        if self._handle is None:
            raise ValueError("the journal was not started")
        self._index[audit.repo.key] = self._write(audit)
        self._handle.flush()

    def get(self, key: str) -> RepoAudit:
        """The latest audit of `key` this run recorded, read back from the journal (also once it is
        closed, until it is removed)."""
        offset = self._index.get(key, _NAMED)
        at = self._kept[key] if offset == _NAMED else offset
        held = self._held.get(at)
        if held is not None:
            return held
        if self._reader is None:
            self._reader = self.path.open("rb")
        self._reader.seek(at)
        line = self._reader.readline()
        audit = RepoAudit.model_validate_json(line)
        if self._held_bytes + len(line) <= HELD_BYTES:
            self._held[at] = audit
            self._held_bytes += len(line)
        return audit

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and (self._index.get(key, _NAMED) != _NAMED or key in self._kept)

    def close(self) -> None:
        for handle in (self._handle, self._reader):
            if handle is not None:
                handle.close()
        self._handle = self._reader = None

    def remove(self) -> None:
        self.close()
        self._let_go()
        self.path.unlink(missing_ok=True)

    def _let_go(self) -> None:
        self._held, self._held_bytes = {}, 0

    def _write(self, audit: RepoAudit) -> int:
        """Where the audit's line starts."""
        assert self._handle is not None
        offset = self._handle.tell()
        self._handle.write(audit.model_dump_json().encode() + b"\n")
        return offset


# A repository named by the run and not yet written (an offset no line has).
_NAMED = -1


class Stored(Sequence[M], Generic[M]):
    """Records kept on disk, in order, standing for a report's list: each is read back when it is
    reached, so however many there are, only the one in hand is in memory."""

    def __init__(self, keys: Sequence[Any], read: Callable[[Any], M]) -> None:
        self._keys, self._read = keys, read

    def __len__(self) -> int:
        return len(self._keys)

    @overload
    def __getitem__(self, index: int) -> M: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[M]: ...
    def __getitem__(self, index: int | slice) -> M | Sequence[M]:
        if isinstance(index, slice):
            return Stored(self._keys[index], self._read)
        return self._read(self._keys[index])

    def __iter__(self) -> Iterator[M]:
        return (self._read(key) for key in self._keys)

    def __bool__(self) -> bool:
        return bool(self._keys)

    def __repr__(self) -> str:
        return f"Stored({len(self._keys)} records)"


class Keyed(Stored[M]):
    """Stored records read back by their keys (a run's audits, from its journal), given in order
    as the keys of a dict: `by_key` looks one up, as the renderers do
    (auditor.render.text.repos_by_key)."""

    def __init__(self, keys: Mapping[str, object], read: Callable[[str], M]) -> None:
        super().__init__(_InOrder(keys), read)
        self._index = keys

    @property
    def by_key(self) -> Mapping[str, M]:
        return _ByKey(self._index, self._read)


class _InOrder(Sequence[str]):
    """The keys of a mapping as a sequence (indexing walks to the place: iteration is the use)."""

    def __init__(self, keys: Mapping[str, object]) -> None:
        self._keys = keys

    def __len__(self) -> int:
        return len(self._keys)

    @overload
    def __getitem__(self, index: int) -> str: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[str]: ...
    def __getitem__(self, index: int | slice) -> str | Sequence[str]:
        return list(self._keys)[index]

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys)


class _ByKey(Mapping[str, M]):
    def __init__(self, keys: Mapping[str, object], read: Callable[[str], M]) -> None:
        self._keys, self._read = keys, read

    def __getitem__(self, key: str) -> M:
        if key not in self._keys:
            raise KeyError(key)
        return self._read(key)

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)


class Spill(Generic[M]):
    """Records written once to a temporary file (one JSON line each) and read back by position as
    often as asked: what a run keeps of its papers until its report is written. The file has no
    name once opened, so nothing is left behind whatever becomes of the process."""

    def __init__(self, model: type[M], folder: Path | None = None) -> None:
        self._model = model
        fd, name = tempfile.mkstemp(prefix=".spill-", suffix=".jsonl", dir=folder)
        self._file: BinaryIO = os.fdopen(fd, "w+b")
        os.unlink(name)
        self._offsets = array.array("q")  # 8 bytes a record, where a list holds an int object each
        weakref.finalize(self, self._file.close)  # once the report reading it is let go

    def extend(self, records: Iterable[M]) -> None:
        self._file.seek(0, os.SEEK_END)
        for record in records:
            self._offsets.append(self._file.tell())
            self._file.write(record.model_dump_json().encode() + b"\n")
        self._file.flush()

    def __len__(self) -> int:
        return len(self._offsets)

    def records(self) -> Stored[M]:
        return Stored(range(len(self._offsets)), self._get)

    def _get(self, index: int) -> M:
        self._file.seek(self._offsets[index])
        return self._model.model_validate_json(self._file.readline())


def _json(line: str) -> object:
    try:
        return json.loads(line)
    except json.JSONDecodeError:
        return None
