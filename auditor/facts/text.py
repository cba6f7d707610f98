"""Text helpers facts and checks share: a line shortened for a report, lines of an offset."""

from __future__ import annotations


def snippet(line: str, limit: int = 160) -> str:
    """A line of a file shortened for a report."""
    line = " ".join(line.split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


def line_at(text: str, offset: int) -> int:
    """The 1-based line number of `offset` in `text`."""
    return text.count("\n", 0, offset) + 1


def line_text(text: str, offset: int) -> str:
    """The whole line of `text` that holds `offset`."""
    start = text.rfind("\n", 0, offset) + 1
    end = text.find("\n", offset)
    return text[start : end if end >= 0 else len(text)]
