"""The chart and the badges are well-formed SVG that say what the report says."""

import xml.etree.ElementTree as ET

from hypothesis import given
from hypothesis import strategies as st

from auditor.models import RepoStatus
from auditor.render import markdown, svg
from auditor.render.text import clean
from auditor.report.files import write_report
from reports import E, F, P, U, repo, report

NS = {"s": "http://www.w3.org/2000/svg"}


def texts(svg_text: str) -> list[str]:
    return ["".join(t.itertext()) for t in ET.fromstring(svg_text).iterfind(".//s:text", NS)]


def test_chart_has_a_bar_per_item_as_long_as_its_pass_rate():
    r = report(
        [
            repo("github.com/a/one", {"code": P, "license": F, "weights": U}),
            repo("github.com/a/two", {"code": P, "license": P, "weights": U}),
        ]
    )
    root = ET.fromstring(svg.pass_rate_chart(r.summary.items))
    bars = [rect for rect in root.iterfind("s:rect", NS) if rect.get("height") == "14"]
    tracks, fills = bars[0::2], bars[1::2]
    full = int(tracks[0].get("width"))
    assert [int(f.get("width")) for f in fills] == [full, full // 2, 0]
    labels = texts(svg.pass_rate_chart(r.summary.items))
    assert "2/2 (100%)" in labels and "1/2 (50%)" in labels and "none decided" in labels


def test_badge_counts_passed_of_decided_items():
    audit = repo("github.com/a/b", {"code": P, "license": F, "weights": U}, score=0.67)
    text = svg.badge(audit)
    assert texts(text) == ["reproducibility", "1/2"]
    assert ET.fromstring(text).find("s:title", NS).text == "reproducibility: 1/2 (1 unknown)"


def test_badge_of_a_repository_that_could_not_be_audited_says_why():
    assert texts(svg.badge(repo("github.com/a/gone", status=RepoStatus.NOT_FOUND))) == [
        "reproducibility",
        "not-found",
    ]
    assert texts(svg.badge(repo("github.com/a/odd", {"code": E, "license": U}))) == [
        "reproducibility",
        "unknown",
    ]


def test_write_report_puts_chart_and_badges_beside_the_markdown_and_drops_stale_badges(tmp_path):
    first = report([repo("github.com/a/one", {"code": P}), repo("github.com/a/two", {"code": F})])
    write_report(first, tmp_path)
    assert sorted(p.name for p in (tmp_path / "badges").iterdir()) == [
        "github.com+a+one.svg",
        "github.com+a+two.svg",
    ]
    paths = write_report(report([repo("github.com/a/one", {"code": P})]), tmp_path)
    assert [p.name for p in (tmp_path / "badges").iterdir()] == ["github.com+a+one.svg"]
    assert tmp_path / markdown.CHART_NAME in paths
    md = (tmp_path / "report.md").read_text()
    assert "](badges/github.com+a+one.svg)" in md and f"]({markdown.CHART_NAME})" in md
    ET.parse(tmp_path / markdown.CHART_NAME)  # well-formed


def test_a_rewritten_report_touches_only_the_badges_that_changed(tmp_path):
    write_report(
        report([repo("github.com/a/one", {"code": P}), repo("github.com/a/two", {"code": F})]), tmp_path
    )
    one, two = (
        tmp_path / "badges" / "github.com+a+one.svg",
        tmp_path / "badges" / "github.com+a+two.svg",
    )
    before = one.stat().st_ino, two.stat().st_ino
    write_report(
        report([repo("github.com/a/one", {"code": P}), repo("github.com/a/two", {"code": P})]), tmp_path
    )
    assert one.stat().st_ino == before[0]  # the same file: not replaced
    assert two.stat().st_ino != before[1] and "1/1" in "".join(texts(two.read_text()))


@given(st.text())
def test_escaping_writes_what_the_standard_library_writes(text):
    """Our escape and quoteattr replace xml.sax.saxutils (whose import loads an HTTP client) and
    must not change a byte of a badge: the same output for any text, quotes and tabs included."""
    from xml.sax.saxutils import escape, quoteattr

    cleaned = clean(text)
    assert svg.escape(text) == escape(cleaned)
    assert svg.quoteattr(text) == quoteattr(cleaned)
    assert ET.fromstring(f"<t a={svg.quoteattr(text)}>{svg.escape(text)}</t>").get("a") is not None
