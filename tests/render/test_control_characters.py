"""Issue 14, break 7: terminal control bytes from a repository never reach a view raw. A file name
holding ESC and BEL (and a title with C1 and bidirectional overrides) is shown with visible
stand-ins in Markdown, the terminal, SVG and HTML."""

import io
import json
import re
import sys
import xml.etree.ElementTree as ET

from rich.console import Console

from auditor.cli import main
from auditor.models import ChecklistItem
from auditor.render import html, markdown, svg, terminal
from auditor.render.text import clean
from auditor.report.files import read_report
from reports import F, P, repo, report

# ESC, BEL, the C1 CSI, DEL, and the bidirectional overrides and isolates.
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
NAME = "train\x1b]0;pwned\x07\x1b[2J.py"


def test_no_character_clean_replaces_is_printable():
    """`clean` returns printable text as it is: that is right only while every character it
    replaces is one `str.isprintable` rejects."""
    replaced = [c for c in map(chr, range(sys.maxunicode + 1)) if clean(c + "\t") != c + "\t"]
    assert len(replaced) == 75 and not any(c.isprintable() for c in replaced)


def test_clean_shows_each_control_character():
    assert clean("a\x1bb\x07c") == "a␛b␇c"
    assert clean("x\x9by\u202ez\x7f") == "x\ufffdy\ufffdz\u2421"
    assert clean("tab\tand\nnewline") == "tab\tand\nnewline"


def test_a_file_name_with_esc_and_bel_reaches_no_view_raw(tmp_path, mirror):
    _, add = mirror
    local = add("me", "tool", {"README.md": "# t\n", NAME: "import torch\nprint(torch)\n"})
    out = tmp_path / "out"
    assert (
        main(["run", "--repo", str(local), "--cache-dir", str(tmp_path / "c"), "--out", str(out), "--quiet"])
        == 0
    )
    report_ = read_report(out / "report.json")
    assert any(e.path == NAME for r in report_.repos[0].results for e in r.evidence)  # the data keeps it
    for name in ("report.md", "report.html", "report.csv", "pass-rate.svg"):
        text = (out / name).read_text(encoding="utf-8")
        assert not CONTROL.search(text), name
    assert "train␛\\]0;pwned␇␛\\[2J.py" in (out / "report.md").read_text(encoding="utf-8")
    buffer = io.StringIO()
    Console(file=buffer, width=120, force_terminal=True).print(terminal.render(report_, width=120))
    shown = re.sub("\x1b\\[[0-9;]*m", "", buffer.getvalue())  # rich's own colours, and nothing else
    assert "\x07" not in shown and "\x1b]" not in shown and "\x1b[2J" not in shown


def test_titles_of_a_checklist_and_keys_are_cleaned_in_svg_markdown_and_html():
    items = [ChecklistItem(id="odd", title="Odd\x1b[31m\u202eitem\x07", rationale="r", fix="f")]
    r = report([repo("github.com/a/b\x1b[1m", {"odd": F}, score=0.0)], items=items)
    chart = svg.pass_rate_chart(r.summary.items)
    ET.fromstring(chart)  # well-formed: XML 1.0 forbids most control characters
    for text in (chart, svg.badge(r.repos[0], label="repro\x1b"), markdown.render(r), html.render(r)):
        assert not CONTROL.search(text)
    other = report([repo("github.com/a/c", {"odd": P}, score=1.0)], items=items)
    assert "Odd␛\\[31m\ufffditem␇" in markdown.render(other)


def test_auditor_links_shows_control_characters_in_titles(tmp_path, capsys):
    corpus = tmp_path / "papers.jsonl"
    record = {"title": "Title\x1b]0;pwned\x07", "abstract": "Code is at https://github.com/a/b."}
    corpus.write_text(json.dumps(record) + "\n")
    assert main(["links", "--corpus", str(corpus)]) == 0
    out = capsys.readouterr().out
    assert "Title␛]0;pwned␇" in out and not CONTROL.search(out)
