"""Report → SVG: the pass-rate chart shown next to report.md, and a badge per repository.

Plain SVG text, no dependencies: GitHub shows both as images, and an author can embed a badge.
Text widths are estimated (no font metrics here), with room to spare.
"""

from __future__ import annotations

from auditor.models import ItemSummary, Outcome, RepoAudit, RepoStatus
from auditor.render.symbols import score_text
from auditor.render.text import clean

_FONT = 'font-family="Verdana,Geneva,DejaVu Sans,sans-serif"'
_CHAR_WIDTH = 6.5  # px per character of 11px Verdana, rounded up
_GREEN, _YELLOW, _RED, _GREY = "#2da44e", "#d4a72c", "#cf222e", "#8c959f"


def escape(text: str) -> str:
    """Text for an SVG element: XML-escaped, control characters made visible (XML 1.0 forbids most
    of them outright). What xml.sax.saxutils does, without the HTTP client that importing it loads."""
    return clean(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def quoteattr(text: str) -> str:
    """An attribute value with its quotes, as xml.sax.saxutils.quoteattr writes it."""
    value = escape(text).replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;")
    if '"' not in value:
        return f'"{value}"'
    if "'" not in value:
        return f"'{value}'"
    return '"' + value.replace('"', "&quot;") + '"'


def _width(text: str) -> int:
    return round(len(text) * _CHAR_WIDTH) + 10


def _colour(rate: float | None) -> str:
    if rate is None:
        return _GREY
    return _GREEN if rate >= 0.8 else _YELLOW if rate >= 0.5 else _RED


def pass_rate_chart(items: list[ItemSummary]) -> str:
    """A horizontal bar per checklist item: share of passes among the repositories it decided."""
    label_w, bar_w, row_h, top = 300, 300, 24, 30
    height = top + row_h * len(items) + 10
    width = label_w + bar_w + 90
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="Pass rate per checklist item">',
        "<title>Pass rate per checklist item</title>",
        f'<rect width="{width}" height="{height}" fill="#ffffff"/>',
        f'<text x="10" y="20" {_FONT} font-size="13" font-weight="bold" fill="#24292f">'
        "Pass rate per checklist item (passed / decided)</text>",
    ]
    for row, count in enumerate(items):
        y = top + row * row_h
        label = f"{count.id}: {count.title}"
        if len(label) > 42:
            label = label[:41] + "…"
        filled = round(bar_w * (count.rate or 0))
        decided = count.passed + count.failed
        figure = f"{count.passed}/{decided} ({score_text(count.rate)})" if decided else "none decided"
        out += [
            f'<text x="10" y="{y + 15}" {_FONT} font-size="11" fill="#24292f">{escape(label)}</text>',
            f'<rect x="{label_w}" y="{y + 4}" width="{bar_w}" height="14" fill="#eaeef2"/>',
            f'<rect x="{label_w}" y="{y + 4}" width="{filled}" height="14" fill="{_colour(count.rate)}"/>',
            f'<text x="{label_w + bar_w + 6}" y="{y + 15}" {_FONT} font-size="11" fill="#24292f">'
            f"{escape(figure)}</text>",
        ]
    out.append("</svg>")
    return "\n".join(out) + "\n"


def badge_text(audit: RepoAudit) -> tuple[str, float | None]:
    """ "4/6" (passed / decided items, the score's denominator), or the status when not audited."""
    if audit.repo.status is not RepoStatus.OK:
        return audit.repo.status.value, None
    passed = sum(1 for r in audit.results if r.outcome is Outcome.PASS)
    decided = sum(1 for r in audit.results if r.outcome in (Outcome.PASS, Outcome.FAIL) and not r.waived)
    if not decided:
        return "unknown", None
    return f"{passed}/{decided}", audit.score


def badge(audit: RepoAudit, label: str = "reproducibility") -> str:
    value, score = badge_text(audit)
    unknown = sum(1 for r in audit.results if r.outcome is Outcome.UNKNOWN)
    title = f"{label}: {value}" + (f" ({unknown} unknown)" if unknown and score is not None else "")
    lw, vw = _width(label), _width(value)
    w = lw + vw
    text = f'fill="#fff" text-anchor="middle" {_FONT} font-size="11"'
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="20" role="img" '
        f"aria-label={quoteattr(title)}>"
        f"<title>{escape(title)}</title>"
        f'<clipPath id="r"><rect width="{w}" height="20" rx="3" fill="#fff"/></clipPath>'
        f'<g clip-path="url(#r)"><rect width="{lw}" height="20" fill="#555"/>'
        f'<rect x="{lw}" width="{vw}" height="20" fill="{_colour(score)}"/></g>'
        f'<g {text}><text x="{lw / 2}" y="14">{escape(label)}</text>'
        f'<text x="{lw + vw / 2}" y="14">{escape(value)}</text></g></svg>\n'
    )
