"""The code of a source file as a reader of code sees it: a notebook is its code cells.

A notebook on disk is JSON: its code sits in string lists next to outputs (plots as base64,
printed tables) and prose. Searching that text for imports or an optimizer step misses code that
begins a JSON string and finds words in outputs; the code cells joined are read like a script.
"""

from __future__ import annotations

import json
import re

from auditor.facts.repository import Facts

# A line of a notebook cell's source list, as Jupyter writes it: `    "import torch\n",`
_SOURCE_LINE = re.compile(r'^\s*"((?:[^"\\]|\\.)*)",?\s*$', re.MULTILINE)


# Notebooks are read whole, up to what a clone holds of one file: their code often comes after
# hundreds of kilobytes of plots, past the cap other files are read to.
NOTEBOOK_CAP = 1024 * 1024


def code_text(facts: Facts, path: str) -> str | None:
    """The code of `path`: a notebook's code cells, one after the other; any other file's text.
    None when the file cannot be read."""
    if not path.lower().endswith(".ipynb"):
        text = facts.text(path)
        return text.text if text is not None else None
    return facts.memo(f"code_text:{path}", lambda: _notebook(facts, path))


def _notebook(facts: Facts, path: str) -> str | None:
    # through the snapshot, as every read: a notebook not fetched yet is recorded as missed
    text = facts.text(path, NOTEBOOK_CAP)
    return notebook_code(text.text) if text is not None else None


def notebook_code(raw: str) -> str:
    """The code cells of a notebook's JSON. A notebook cut short by the read cap is not valid
    JSON: its source lines are then taken one by one, outputs and prose included (a cut notebook
    is better read roughly than not at all)."""
    try:
        doc = json.loads(raw)
    except ValueError:
        return "\n".join(_unescape(m.group(1)) for m in _SOURCE_LINE.finditer(raw))
    cells = doc.get("cells") if isinstance(doc, dict) else None
    if not isinstance(cells, list):  # nbformat 3 keeps cells in worksheets
        sheets = doc.get("worksheets") if isinstance(doc, dict) else None
        cells = [c for s in sheets or [] if isinstance(s, dict) for c in s.get("cells") or []]
    out = []
    for cell in cells:
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        source = cell.get("source", cell.get("input", ""))
        out.append("".join(source) if isinstance(source, list) else str(source))
    return "\n".join(out)


def _unescape(literal: str) -> str:
    try:
        value = json.loads(f'"{literal}"')
    except ValueError:
        return literal
    return str(value).rstrip("\n")
