"""Text helpers facts and checks share: a line shortened for a report, lines of an offset, the
sentence that names a word."""

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


def sentence_of(text: str, word: str) -> str:
    """The sentence of `text` that holds `word` (all of `text` when `word` is not in it): what is
    said of that path, not of its neighbours."""
    at = text.find(word)
    if at < 0:
        return text
    start = max(text.rfind(". ", 0, at), text.rfind("; ", 0, at)) + 1
    ends = [i for i in (text.find(". ", at + len(word)), text.find("; ", at + len(word))) if i >= 0]
    return text[start : min(ends) if ends else len(text)]


def command_program(command: str) -> str:
    """The program a command line runs, past a shell prompt (`$ python get_data.py`: python)."""
    return command.strip().lstrip("$!").strip().split(" ", 1)[0]
