"""Which files are the project's source code, and the code of one as a reader of code sees it.

A notebook on disk is JSON: its code sits in string lists next to outputs (plots as base64,
printed tables) and prose. Searching that text for imports or an optimizer step misses code that
begins a JSON string and finds words in outputs; the code cells joined are read like a script.
"""

from __future__ import annotations

import ast
import json
import re

from auditor.acquire.snapshot import NOTEBOOK_LIMIT
from auditor.data import data_table, file_families
from auditor.data.parse import ParseRefused, parse_python
from auditor.facts.repository import Facts, fact
from auditor.facts.vendored import project_files

# A code file smaller than this holds no program (an empty stub, a one-line import).
MIN_CODE_BYTES = 40
# Shell scripts with fewer lines than this in all are download or setup one-liners.
MIN_SHELL_LINES = 20
# A placeholder's `model.py` may be a docstring saying "TODO", which is no code: where the project
# has at most STUB_FILES source files, its Python files under STUB_BYTES are read to see whether
# they hold a statement (a larger project is no placeholder made of stubs, and is not read for it).
STUB_BYTES = 2048
STUB_FILES = 8

# A line of a notebook cell's source list, as Jupyter writes it: `    "import torch\n",`
# (the string unrolled, `[^"\\]*(?:\\.[^"\\]*)*`: one step a run of plain characters, not one a character)
_SOURCE_LINE = re.compile(r'^\s*"([^"\\]*(?:\\.[^"\\]*)*)",?\s*$', re.MULTILINE)


# Notebooks are read whole, up to what acquisition fetches of one: their code often comes after
# megabytes of plots, past the cap other files are read to.
NOTEBOOK_CAP = NOTEBOOK_LIMIT


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


@fact
def source_files(facts: Facts) -> list[str]:
    """The project's own source files: code outside vendored folders, minus empty stubs (in a small
    project, a Python file of docstrings and comments alone too) and packaging scaffolding
    (`__init__.py`, `setup.py`), which exist whatever the project does; an `__init__.py` large
    enough to hold the package's code is code.

    JavaScript counts only in a JavaScript project (one with a package.json): elsewhere it is the
    template of a project page (`static/js/index.js`), which placeholder repositories often hold.
    Shell scripts alone count only when they amount to a program, not a download one-liner.
    Scripts among a web page's assets (`static/` beside an `index.html`: a project page built
    from a template) are the page's, not the method's.
    """
    families = file_families()
    exts = tuple(families["code_extensions"])
    web = tuple(families["web_extensions"])
    scaffolding = {n.lower() for n in families["scaffolding_files"]}
    init_code: int = data_table("files")["init_code_bytes"]
    files = project_files(facts)
    javascript = _javascript_project(files)
    # a project page's folders of assets; the `endswith` pre-test keeps this one fast pass
    pages = tuple(
        f"{p.rpartition('/')[0]}/static/".lstrip("/").lower()
        for p in files
        if p[-10:].lower() == "index.html" and p.rpartition("/")[2].lower() == "index.html"
    )
    out = []
    for path in files:
        lower = path.lower()
        if not lower.endswith(exts):
            continue
        name = lower.rpartition("/")[2]
        size = facts.entries[path].size
        if name in scaffolding and not (name == "__init__.py" and (size or 0) >= init_code):
            continue
        if name.endswith(web) and not javascript:
            continue
        if pages and lower.startswith(pages) and not javascript:
            continue
        if size is not None and size < MIN_CODE_BYTES:
            continue
        out.append(path)
    if len(out) <= STUB_FILES:
        out = [p for p in out if not _stub(facts, p)]
    if out and all(p.lower().endswith(".sh") for p in out):
        lines = 0
        for path in out:
            text = facts.text(path)
            lines += sum(
                1
                for ln in (text.text if text else "").splitlines()
                if ln.strip() and not ln.lstrip().startswith("#")
            )
        if lines < MIN_SHELL_LINES:
            return []
    return out


def _stub(facts: Facts, path: str) -> bool:
    """Whether a small Python file holds only comments, docstrings and `pass`. Parsed, never run;
    a file that does not parse (Python 2, a fragment) is taken for code."""
    size = facts.entries[path].size
    if not path.lower().endswith(".py") or size is None or size >= STUB_BYTES:
        return False
    text = facts.text(path)
    if text is None:
        return False
    try:
        body = parse_python(text.text).body
    except ParseRefused:
        return False
    return all(
        isinstance(node, ast.Pass)
        or (
            isinstance(node, ast.Expr)
            and isinstance(node.value, ast.Constant)
            and isinstance(node.value.value, str)
        )
        for node in body
    )


def _javascript_project(files: list[str]) -> bool:
    return any(p.rpartition("/")[2].lower() == "package.json" for p in files)


@fact
def test_suite(facts: Facts) -> list[str]:
    """The project's test files (`tests/test_*.py`, `*_test.py`): for a library, the code that runs
    it on data and checks what it gives."""
    dirs = set(data_table("code")["unit_test_dirs"])
    out = []
    for path in source_files(facts):
        *folders, name = path.lower().split("/")
        named = name.startswith("test_") or name.rpartition(".")[0].endswith("_test")
        if named and (dirs & set(folders) or not folders):
            out.append(path)
    return out
