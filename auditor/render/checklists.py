"""Checklist → Markdown table: the README's list of checks is generated from the data, not typed."""

from __future__ import annotations

from auditor.models import Checklist
from auditor.render.markdown import escape, inline


def table(checklist: Checklist) -> str:
    lines = [
        f"**{escape(checklist.title)}** (`{checklist.id}` v{checklist.version})",
        "",
        "| id | item | weight | why it matters |",
        "| --- | --- | ---: | --- |",
    ]
    for item in checklist.items:
        lines.append(
            f"| `{item.id}` | {escape(item.title)} | {item.weight:g} | {inline(item.rationale, table=True)} |"
        )
    return "\n".join(lines) + "\n"
