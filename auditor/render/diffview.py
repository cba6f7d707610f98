"""ReportDiff → Markdown (for a CI job summary) and rich text (for the terminal)."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text

from auditor.models import ArtifactChange, Gain, ReportDiff, StatusChange
from auditor.render.markdown import escape
from auditor.render.symbols import SYMBOLS, score_text
from auditor.render.text import clean


def _score_change(old: float | None, new: float | None) -> str:
    return f"{score_text(old)} → {score_text(new)}"


def _sections(d: ReportDiff) -> list[tuple[str, list[str]]]:
    """(heading, lines of plain text) for every non-empty kind of change; shared by both views."""

    def status(c: StatusChange) -> str:
        return f"{c.key}: {c.old.value} → {c.new.value}" + (f" ({c.detail})" if c.detail else "")

    def gain(g: Gain) -> str:
        return f"{g.key}: {g.how}"

    def artifact(c: ArtifactChange) -> str:
        code = f" ({c.http_status})" if c.http_status else ""
        return f"{c.key}: {c.kind.value} {c.url}: {c.old.value} → {c.new.value}{code}"

    scores = sorted(d.scores, key=lambda c: ((c.new or 0) - (c.old or 0), c.key))
    return [
        (title, lines)
        for title, lines in [
            ("Link rot: audited before, not now", [status(c) for c in d.rotted]),
            ("Recovered", [status(c) for c in d.recovered]),
            ("New repositories", d.appeared),
            ("No longer linked", d.removed),
            ("License gained", [gain(g) for g in d.license_gained]),
            ("Weights released", [gain(g) for g in d.weights_released]),
            ("Artifact links that died", [artifact(c) for c in d.artifacts_lost]),
            ("Artifact links back", [artifact(c) for c in d.artifacts_back]),
            ("Score changes", [f"{c.key}: {_score_change(c.old, c.new)}" for c in scores]),
            (
                "Checklist items changed",
                [f"{c.key}: {c.item} {SYMBOLS[c.old]} → {SYMBOLS[c.new]}" for c in d.items],
            ),
            ("New commits audited", d.updated),
            ("Papers added", d.papers_added),
            ("Papers removed", d.papers_removed),
        ]
        if lines
    ]


def _headline(d: ReportDiff) -> str:
    return (
        f"{d.old_generated_at} → {d.new_generated_at}: median score "
        f"{_score_change(d.median_old, d.median_new)}; {len(d.appeared)} new, {len(d.rotted)} rotted, "
        f"{len(d.scores)} score changes"
    )


def markdown(d: ReportDiff) -> str:
    out = ["## Changes since the previous report", "", escape(_headline(d))]
    if d.checklist_changed:
        out += ["", "The checklist changed between the reports: only items in both are compared."]
    if d.empty:
        out += ["", "Nothing changed."]
    for title, lines in _sections(d):
        out += ["", f"### {title} ({len(lines)})", "", *(f"- {escape(line)}" for line in lines)]
    return "\n".join(out) + "\n"


def terminal(d: ReportDiff) -> Group:
    parts: list[Text | Table] = [Text(clean(_headline(d)), style="bold")]
    if d.checklist_changed:
        parts.append(Text("the checklist changed: only items in both are compared", style="yellow"))
    if d.empty:
        parts.append(Text("nothing changed"))
    for title, lines in _sections(d):
        table = Table(title=f"{title} ({len(lines)})", show_header=False, title_justify="left")
        table.add_column(overflow="fold")
        for line in lines:
            table.add_row(Text(clean(line)))
        parts.append(table)
    return Group(*parts)
