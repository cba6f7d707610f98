"""Report → GitHub-flavoured Markdown. Everything from papers or repositories is escaped."""

from __future__ import annotations

import re

from auditor.models import Evidence, NetworkCost, RepoAudit, Report, RepoStatus
from auditor.render.symbols import LEGEND, SYMBOLS, score_text

_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")


def escape(text: str) -> str:
    """Text safe inside Markdown and table cells: no markup, no HTML, no column breaks."""
    text = " ".join(text.split())
    return _SPECIAL.sub(r"\\\1", text).replace("&", "&amp;")


def render(report: Report) -> str:
    items = report.checklist_items
    repos = {audit.repo.key: audit for audit in report.repos}
    out = [
        "# Reproducibility audit",
        "",
        f"Checklist `{report.checklist.id}` v{report.checklist.version} · auditor "
        f"{report.tool_version} · {report.generated_at}",
        "",
        *_summary(report),
        "",
        f"Legend: {LEGEND}",
        "",
    ]
    header = ["Repository", "Score", *(escape(i.title) for i in items)]
    out += ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for audit in report.repos:
        cells = [_repo_cell(audit), score_text(audit.score)]
        by_id = {r.id: r for r in audit.results}
        cells += [SYMBOLS[by_id[i.id].outcome] if i.id in by_id else "" for i in items]
        out.append("| " + " | ".join(cells) + " |")
    if report.papers:
        out += ["", "## Papers", ""]
        out += ["| Paper | Code statements | Repositories |", "|---|---|---|"]
        for paper in report.papers:
            said = ", ".join(sorted({s.kind.value for s in paper.statements})) or "–"
            linked = ", ".join(_status_text(repos[k]) for k in paper.repos) or "none"
            out.append(f"| {escape(paper.paper.title)} | {said} | {linked} |")
    for audit in report.repos:
        out += ["", *_repo_section(audit, {i.id: i.title for i in items})]
    if report.problems:
        out += ["", "## Input problems", ""]
        for problem in report.problems:
            where = f"{problem.source.file}:{problem.source.line}"
            out.append(f"- `{escape(where)}`: {escape(problem.message)}")
    return "\n".join(out) + "\n"


def _summary(report: Report) -> list[str]:
    audited = [a for a in report.repos if a.repo.status is RepoStatus.OK]
    lines = []
    if report.papers:
        with_repo = sum(1 for p in report.papers if p.repos)
        lines.append(f"- {len(report.papers)} papers, {with_repo} link a code repository")
    lines.append(f"- {len(report.repos)} repositories, {len(audited)} could be audited")
    return lines


def _repo_cell(audit: RepoAudit) -> str:
    return f"[{escape(audit.repo.key)}](#{_anchor(audit.repo.key)})"


def _status_text(audit: RepoAudit) -> str:
    status = audit.repo.status
    tail = "" if status is RepoStatus.OK else f" ({status.value})"
    return f"{_repo_cell(audit)}{tail}"


def _anchor(key: str) -> str:
    return re.sub(r"[^a-z0-9-]", "", key.lower().replace("/", "-").replace(" ", "-"))


def _repo_section(audit: RepoAudit, titles: dict[str, str]) -> list[str]:
    facts = audit.repo
    out = [f'<a id="{_anchor(facts.key)}"></a>', f"## {escape(facts.key)}", ""]
    out.append(f"- URL: {escape(facts.url)}")
    out.append(f"- Status: {facts.status.value}" + (f" — {escape(facts.detail)}" if facts.detail else ""))
    if facts.renamed:
        out.append(f"- Renamed: {escape(facts.renamed.old)} → {escape(facts.renamed.new)}")
    if facts.commit:
        out.append(f"- Commit: `{facts.commit}`" + (f" on `{escape(facts.branch)}`" if facts.branch else ""))
    out.append(f"- Source: {escape(facts.source)}{_cost(facts.cost)}")
    out.append(f"- Score: {score_text(audit.score)}")
    out.append("")
    for result in audit.results:
        out.append(
            f"- {SYMBOLS[result.outcome]} **{escape(titles.get(result.id, result.id))}**: "
            f"{escape(result.message)}"
        )
        out += [f"  - {_evidence(e)}" for e in result.evidence]
    return out


def _cost(cost: NetworkCost) -> str:
    parts = []
    if cost.http_requests:
        plural = "s" if cost.http_requests != 1 else ""
        parts.append(
            f"{cost.http_requests} HTTP request{plural}, {cost.not_modified} of them 304 Not Modified"
        )
    if cost.git:
        parts.append("git " + ", ".join(cost.git))
    return f" ({'; '.join(parts)})" if parts else ""


def _evidence(evidence: Evidence) -> str:
    parts = []
    if evidence.path:
        where = evidence.path + (f":{evidence.line}" if evidence.line else "")
        parts.append(f"`{where.replace('`', '')}`")
    if evidence.url:
        parts.append(escape(evidence.url))
    if evidence.note:
        parts.append(escape(evidence.note))
    return " — ".join(parts)
