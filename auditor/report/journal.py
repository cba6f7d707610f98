"""A run's journal: each repository audit is appended as it completes, so an interrupted run
loses nothing and `--resume` continues where it stopped.

The journal sits next to the report (`.journal.jsonl` in the output folder). Its first line names
the tool version and checklist; audits recorded under another version or checklist are not reused.
A torn last line (the process was killed mid-write) is ignored.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TextIO

from pydantic import ValidationError

from auditor.models import ChecklistRef, RepoAudit
from auditor.report.health import RUN_FAILURES

JOURNAL_NAME = ".journal.jsonl"


class Journal:
    def __init__(self, out_dir: Path, *, tool_version: str, checklist: ChecklistRef) -> None:
        self.path = out_dir / JOURNAL_NAME
        self._header = {"tool_version": tool_version, "checklist": checklist.model_dump()}
        self._handle: TextIO | None = None

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
        self._handle = self.path.open("w", encoding="utf-8")
        self._handle.write(json.dumps(self._header) + "\n")
        for audit in kept.values():
            self._handle.write(audit.model_dump_json() + "\n")
        self._handle.flush()

    def append(self, audit: RepoAudit) -> None:
        """Written through to the operating system, which keeps it whatever becomes of this
        process; not synced to disk, which would cost milliseconds per repository on the thread
        that collects the results (after a power cut, --resume audits the last few again)."""
        if self._handle is None:
            raise ValueError("the journal was not started")
        self._handle.write(audit.model_dump_json() + "\n")
        self._handle.flush()

    def close(self) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None

    def remove(self) -> None:
        self.close()
        self.path.unlink(missing_ok=True)


def _json(line: str) -> object:
    try:
        return json.loads(line)
    except json.JSONDecodeError:
        return None
