"""Write reports atomically: a crash mid-write leaves the previous report intact."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from auditor.models import Report
from auditor.render import markdown

JSON_NAME = "report.json"
MARKDOWN_NAME = "report.md"


def write_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_report(report: Report, out_dir: Path) -> list[Path]:
    """report.json (the model, exactly) and report.md in out_dir; returns the paths written."""
    json_path, md_path = out_dir / JSON_NAME, out_dir / MARKDOWN_NAME
    write_atomic(json_path, report.model_dump_json(indent=2) + "\n")
    write_atomic(md_path, markdown.render(report))
    return [json_path, md_path]


def read_report(path: Path) -> Report:
    return Report.model_validate_json(path.read_text(encoding="utf-8"))
