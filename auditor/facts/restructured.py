"""reStructuredText read as the Markdown the document facts understand, line for line.

Python libraries often keep a README.rst: its section titles are underlined, its commands sit in
`.. code-block::` directives or after a `::`, its links are `` `text <url>`_ ``. Read as Markdown
those are plain text, and the README would seem to have no install step, no command and no
sections. This rewrites just those constructs, keeping every line where it was, so evidence
points at the line of the .rst file.
"""

from __future__ import annotations

import re

_ADORNMENT = re.compile(r"^([=\-~^\"'`*+#<>_:.])\1{2,}\s*$")
_CODE_DIRECTIVE = re.compile(r"^\s*\.\.\s+(?:code-block|code|sourcecode)::\s*(?P<lang>\S*)\s*$")
_IMAGE_DIRECTIVE = re.compile(r"^\s*\.\.\s+(?:image|figure)::\s*(?P<url>\S+)\s*$")
_OPTION = re.compile(r"^\s+:[\w-]+:")
_LINK = re.compile(r"`([^`<>]+?)\s*<([^`<>\s]+)>`__?")
_LITERAL = re.compile(r"``([^`]+)``")


def rst_as_markdown(text: str) -> str:
    """The same document with titles as `#` headings, literal blocks fenced, links and inline
    literals in Markdown; the number of lines unchanged (but for a fence closed at the end)."""
    lines = text.splitlines()
    out = list(lines)
    closing: set[int] = set()  # blocks with no blank line after them: a fence inserted there
    levels: list[tuple[str, bool]] = []  # title styles (character, overlined) in order of first use
    i = 0
    while i < len(lines):
        line = lines[i]
        code = _CODE_DIRECTIVE.match(line)
        literal = line.rstrip().endswith("::") and not line.lstrip().startswith("..")
        if code or (literal and i + 1 < len(lines) and not lines[i + 1].strip()):
            if code:
                out[i] = "```" + code.group("lang")
            else:  # a paragraph ending in `::` introduces the literal block after it
                out[i] = _inline(line.rstrip()[:-1].rstrip() + (":" if line.strip() != "::" else ""))
            i = _fence(lines, out, i + 1, closing, opened=code is not None)
            continue
        image = _IMAGE_DIRECTIVE.match(line)
        if image:
            out[i] = f"![]({image.group('url')})"
        elif (
            line.strip()
            and i + 1 < len(lines)
            and _ADORNMENT.match(lines[i + 1])
            and len(lines[i + 1].rstrip()) >= len(line.strip())
            and not _ADORNMENT.match(line)
        ):
            overlined = i > 0 and _ADORNMENT.match(lines[i - 1]) is not None
            style = (lines[i + 1][0], overlined)
            if style not in levels:
                levels.append(style)
            out[i] = "#" * min(levels.index(style) + 1, 6) + " " + _inline(line.strip())
            out[i + 1] = ""
            if overlined:
                out[i - 1] = ""
            i += 2
            continue
        elif not _ADORNMENT.match(line):
            out[i] = _inline(line)
        i += 1
    joined = [x for n, line in enumerate(out) for x in ((line, "```") if n in closing else (line,))]
    return "\n".join(joined) + ("\n" if text.endswith("\n") else "")


def _fence(lines: list[str], out: list[str], start: int, closing: set[int], *, opened: bool) -> int:
    """Fence the indented block from `start` (options and blank lines first); return the line
    after it. The opening fence takes the directive's line, or the blank line before a `::`
    block; the closing one the blank line after the block, or a line of its own where none is
    (the end of the document; a later line then moves down one)."""
    i = start
    while i < len(lines) and (not lines[i].strip() or _OPTION.match(lines[i])):
        out[i] = ""
        i += 1
    if i >= len(lines) or not lines[i][:1].isspace():
        if not opened:  # `::` with nothing indented after it: no block
            return start
        out[start - 1] = ""  # a code directive with no content
        return i
    if not opened:
        out[start] = "```"
    indent = len(lines[i]) - len(lines[i].lstrip())
    last = i
    while i < len(lines) and (not lines[i].strip() or len(lines[i]) - len(lines[i].lstrip()) >= indent):
        out[i] = lines[i][indent:] if lines[i].strip() else ""
        if lines[i].strip():
            last = i
        i += 1
    if last + 1 < len(lines) and not lines[last + 1].strip():
        out[last + 1] = "```"
        return last + 2
    closing.add(last)
    return last + 1


def _inline(line: str) -> str:
    return _LITERAL.sub(r"`\1`", _LINK.sub(r"[\1](\2)", line))
