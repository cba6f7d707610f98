"""Report → GitHub-flavoured Markdown. Everything from papers or repositories is escaped.

The layout follows the MIDL reproducibility study: a headline summary, pass rates per item, a
papers-by-items table with symbols, papers whose promised code never came, then one section per
repository with the evidence for each verdict, linked to the files at the audited commit.
"""

from __future__ import annotations

import re

from auditor.models import (
    Artifact,
    ArtifactStatus,
    ChecklistItem,
    Evidence,
    NetworkCost,
    Outcome,
    PaperAudit,
    RepoAudit,
    Report,
    RepoStatus,
)
from auditor.render.symbols import LEGEND, SYMBOLS, score_text
from auditor.render.urls import blob_url, safe_href
from auditor.report.stats import BrokenPromise, Headline, headline, unverified

# Files written next to report.md (by auditor.report.files) that the Markdown embeds.
CHART_NAME = "pass-rate.svg"
BADGE_DIR = "badges"

# Markdown's special characters get a backslash; & starts no entity.
_ESCAPES = str.maketrans({c: "\\" + c for c in "\\`*_[]<>|~$"} | {"&": "&amp;"})
_BAR_WIDTH = 10
# A job summary of a report this small also shows each repository's verdicts and fixes.
_SUMMARY_DETAIL_LIMIT = 5
_COLUMNS = (Outcome.PASS, Outcome.FAIL, Outcome.UNKNOWN, Outcome.NOT_APPLICABLE, Outcome.ERROR)


def escape(text: str) -> str:
    """Text safe inside Markdown and table cells: no markup, no HTML, no math, no column breaks."""
    return " ".join(text.split()).translate(_ESCAPES)


def anchor(key: str) -> str:
    """A name for a repository usable as HTML id and file name; distinct keys get distinct names.

    Letters, digits, `.` and `-` stay; anything else becomes `_` and its hex code (`/` is `_2f`).
    """
    return re.sub(r"[^A-Za-z0-9.-]", lambda m: "".join(f"_{b:02x}" for b in m.group().encode()), key)


def badge_path(key: str) -> str:
    return f"{BADGE_DIR}/{anchor(key)}.svg"


def render(report: Report) -> str:
    """The whole report, embedding the chart and badges that are written next to it."""
    head = headline(report)
    out = [*_title(report), *_summary(head), *_items(head, chart=True)]
    out += _table(report)
    if head.broken_promises:
        out += ["", "## Promises not kept", ""]
        out += [_broken(b) for b in head.broken_promises]
    out += _abstract_links(report)
    out += _sections(report, badge=True)
    if report.problems:
        out += ["", "## Input problems", ""]
        for problem in report.problems:
            where = f"{problem.source.file}:{problem.source.line}"
            out.append(f"- {escape(where)}: {escape(problem.message)}")
    return "\n".join(out) + "\n"


def summary(report: Report) -> str:
    """The headline and the pass rates, for a CI job summary where no files sit beside it; the
    repositories' sections too when there are only a few (an author gating their own code)."""
    head = headline(report)
    out = [*_title(report), *_summary(head), *_items(head, chart=False)]
    if len(report.repos) <= _SUMMARY_DETAIL_LIMIT:
        out += _sections(report, badge=False)
    return "\n".join(out) + "\n"


def _sections(report: Report, *, badge: bool) -> list[str]:
    if not report.repos:
        return []
    out = ["", "## Repositories"]
    items = {i.id: i for i in report.checklist_items}
    for audit in report.repos:
        out += ["", *_repo_section(audit, items, badge=badge)]
    return out


def _title(report: Report) -> list[str]:
    return [
        "# Reproducibility audit",
        "",
        f"Checklist {escape(report.checklist.id)} v{escape(report.checklist.version)} · "
        f"auditor {escape(report.tool_version)} · {escape(report.generated_at)}",
        *_partial(report),
        "",
        "## Summary",
        "",
    ]


def _partial(report: Report) -> list[str]:
    """A report holding only some shards of its input says so before anything else."""
    if report.shards is None:
        return []
    shards = report.shards
    missing = "; ".join(f"shard {m.shard}: {escape(m.reason)}" for m in shards.missing)
    held = ", ".join(map(str, shards.included))
    return [
        "",
        f"**Partial report**: shards {held} of {shards.count} only"
        + (f" (missing: {missing})" if missing else "")
        + ".",
    ]


def _share(part: int, whole: int) -> str:
    return f"**{part}** ({round(100 * part / whole)}%)" if whole else f"**{part}**"


def _summary(head: Headline) -> list[str]:
    lines = []
    if head.papers:
        lines.append(
            f"- **{head.papers}** papers: {_share(head.papers_with_statement, head.papers)} say "
            f"something about their code, {_share(head.papers_linking_code, head.papers)} link a "
            "code repository."
        )
    missing = ", ".join(f"{n} {status.value}" for status, n in sorted(head.not_audited.items()))
    lines.append(
        f"- **{head.repos}** repositories: {_share(head.audited, head.repos)} could be audited"
        + (f"; not audited: {missing}." if missing else ".")
    )
    if head.placeholders is not None:
        lines.append(f"- **{len(head.placeholders)}** placeholders: empty, or no code in the repository.")
    if head.papers:
        lines.append(
            f"- **{len(head.broken_promises)}** promises not kept: the abstract promised code and "
            "no repository is linked, or the repository is missing or a placeholder."
        )
    if head.artifacts:
        lines.append(_artifact_summary(head.artifacts))
    if head.scored:
        lines.append(f"- Median score **{score_text(head.median)}** over {head.scored} scored repositories.")
    return lines


def _artifact_summary(counts: dict[ArtifactStatus, int]) -> str:
    total = sum(counts.values())
    skipped = counts.get(ArtifactStatus.NOT_CHECKED, 0)
    if skipped == total:
        return (
            f"- **{total}** artifact links (weights, data, demos, project pages) not checked: network "
            "checks were off, so the verdicts that rest on them take the READMEs at their word."
        )
    parts = [
        f"**{counts.get(ArtifactStatus.GONE, 0)}** dead",
        f"**{counts.get(ArtifactStatus.RESTRICTED, 0)}** restricted (sign-in or access request)",
        f"{counts.get(ArtifactStatus.AVAILABLE, 0)} available",
        f"{counts.get(ArtifactStatus.UNKNOWN, 0)} could not be checked",
    ]
    if skipped:
        parts.append(f"{skipped} not checked")
    return f"- **{total}** artifact links (weights, data, demos, project pages): " + ", ".join(parts) + "."


def via_label(url: str) -> str:
    """How a repository was found one hop from the abstract."""
    return "via anonymized copy" if "anonymous.4open.science" in url.lower() else "via project page"


def _broken(promise: BrokenPromise) -> str:
    line = f"- {_paper_cell(promise.paper)}: {escape(promise.reason)}"
    if promise.age_days is not None and promise.paper.paper.date:
        line += f" (promised {escape(promise.paper.paper.date)}, {promise.age_days} days before this report)"
    return line


def _abstract_links(report: Report) -> list[str]:
    """Links of abstracts that were probed, and repositories found one hop away."""
    out: list[str] = []
    for paper in report.papers:
        for item in paper.artifacts or []:
            if item.status is not ArtifactStatus.NOT_CHECKED:  # the summary counts those
                out.append(f"- {_paper_cell(paper)}: {_artifact(item, None)}")
        for link in paper.links:
            if link.via and link.repo:
                target = f"[{escape(link.repo.key)}](#{anchor(link.repo.key)})"
                found = f"found {via_label(link.via)} {_url(link.via)}"
                out.append(f"- {_paper_cell(paper)}: repository {target} {found}")
    return ["", "## Links in abstracts", "", *out] if out else []


def _bar(rate: float | None) -> str:
    if rate is None:
        return "–"
    filled = round(rate * _BAR_WIDTH)
    return f"`{'█' * filled}{'░' * (_BAR_WIDTH - filled)}` {score_text(rate)}"


def _items(head: Headline, *, chart: bool) -> list[str]:
    out = [
        "",
        f"### Checklist items over the {head.audited} audited repositories",
        "",
        "| Item | Passed | Failed | Unknown | N/A | Error | Pass rate |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    for count in head.items:
        c = count.counts
        cells = [f"{escape(count.item.id)}: {escape(count.item.title)}"]
        cells += [str(c[o]) for o in _COLUMNS]
        cells.append(_bar(count.rate))
        out.append("| " + " | ".join(cells) + " |")
    if chart and head.items:
        out += ["", f"![Pass rate per checklist item]({CHART_NAME})"]
    return out


def _table(report: Report) -> list[str]:
    ids = [i.id for i in report.checklist_items]
    repos = {a.repo.key: a for a in report.repos}
    out = ["", "## Papers by checklist item" if report.papers else "## Repositories by checklist item", ""]
    out += [f"Legend: {LEGEND}", ""]
    head = ["Paper", "Repository"] if report.papers else ["Repository"]
    head += ["Score", *(escape(i) for i in ids)]
    out += ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    if not report.papers:
        out += ["| " + " | ".join(_repo_cells(a, ids)) + " |" for a in report.repos]
        return out
    for paper in report.papers:
        linked = [repos[k] for k in paper.repos if k in repos]
        via = {link.repo.key: via_label(link.via) for link in paper.links if link.via and link.repo}
        if not linked and not paper.statements:
            continue
        if not linked:
            said = ", ".join(sorted({s.kind.value for s in paper.statements}))
            blanks = [""] * len(ids)
            out.append("| " + " | ".join([_paper_cell(paper), f"none ({said})", "–", *blanks]) + " |")
        for audit in linked:
            cells = _repo_cells(audit, ids)
            if audit.repo.key in via:
                cells[0] += f" ({via[audit.repo.key]})"
            out.append("| " + " | ".join([_paper_cell(paper), *cells]) + " |")
    shown = sum(1 for p in report.papers if p.repos or p.statements)
    if shown < len(report.papers):
        out += ["", f"{len(report.papers) - shown} papers neither link code nor mention it."]
    return out


def _paper_cell(paper: PaperAudit) -> str:
    title = escape(paper.paper.title)
    href = safe_href(paper.paper.url) if paper.paper.url else None
    return f"[{title}]({href})" if href else title


def _repo_cells(audit: RepoAudit, ids: list[str]) -> list[str]:
    by_id = {r.id: r.outcome for r in audit.results}
    status = audit.repo.status
    score = score_text(audit.score) if status is RepoStatus.OK else status.value
    cell = f"[{escape(audit.repo.key)}](#{anchor(audit.repo.key)})"
    return [cell, score, *(SYMBOLS[by_id[i]] if i in by_id else "" for i in ids)]


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


def _repo_section(audit: RepoAudit, items: dict[str, ChecklistItem], *, badge: bool) -> list[str]:
    facts = audit.repo
    out = [f'<a id="{anchor(facts.key)}"></a>', "", f"### {escape(facts.key)}", ""]
    if badge:
        out += [f"![reproducibility badge]({badge_path(facts.key)})", ""]
    href = safe_href(facts.url)
    out.append(f"- URL: [{escape(facts.url)}]({href})" if href else f"- Location: {escape(facts.url)}")
    out.append(f"- Status: {facts.status.value}" + (f": {escape(facts.detail)}" if facts.detail else ""))
    if facts.commit:
        commit = f"`{facts.commit[:12]}`" if re.fullmatch(r"[0-9a-f]{4,64}", facts.commit) else "?"
        branch = f" on branch {escape(facts.branch)}" if facts.branch else ""
        out.append(f"- Commit: {commit}{branch}")
    if facts.renamed:
        out.append(f"- Renamed: {escape(facts.renamed.old)} → {escape(facts.renamed.new)}")
    out.append(f"- Source: {escape(facts.source)}{_cost(facts.cost)}")
    out.append(f"- Score: {score_text(audit.score)}")
    out.append("")
    for result in audit.results:
        item = items.get(result.id)
        title = escape(item.title if item else result.id)
        out.append(f"- {SYMBOLS[result.outcome]} **{title}**: {escape(result.message)}")
        out += [f"  - {_evidence(e, audit)}" for e in result.evidence]
        if item and result.outcome is Outcome.FAIL:
            out.append(f"  - How to fix: {escape(item.fix)}")
    if facts.artifacts:
        out += ["", "#### Artifacts", ""]
        out += [f"- {_artifact(a, audit)}" for a in facts.artifacts]
        for item_id, links in unverified(audit).items():
            title = escape(items[item_id].title if item_id in items else item_id)
            out.append(
                f"- Not verified over the network: **{title}** rests on {len(links)} unchecked link(s)"
            )
    return out


_STATUS_TEXT = {
    ArtifactStatus.AVAILABLE: "available",
    ArtifactStatus.GONE: "**gone**",
    ArtifactStatus.RESTRICTED: "**restricted**",
    ArtifactStatus.UNKNOWN: "unknown",
    ArtifactStatus.NOT_CHECKED: "not checked",
}


def _url(url: str) -> str:
    href = safe_href(url)
    return f"[{escape(url)}]({href})" if href else escape(url)


def _artifact(item: Artifact, audit: RepoAudit | None) -> str:
    """One artifact link: status, kind, the link, where it is written, and why."""
    parts = [f"{_STATUS_TEXT[item.status]} {escape(item.kind.value)}: {_url(item.url)}"]
    if item.path and audit is not None:
        where = escape(item.path + (f":{item.line}" if item.line else ""))
        blob = blob_url(audit.repo, item.path, item.line)
        parts.append(f"[{where}]({blob})" if blob else where)
    if item.detail:
        parts.append(escape(item.detail))
    return " — ".join(parts)


def _evidence(evidence: Evidence, audit: RepoAudit) -> str:
    parts = []
    if evidence.path:
        where = escape(evidence.path + (f":{evidence.line}" if evidence.line else ""))
        url = blob_url(audit.repo, evidence.path, evidence.line)
        parts.append(f"[{where}]({url})" if url else where)
    if evidence.url:
        href = safe_href(evidence.url)
        parts.append(f"[{escape(evidence.url)}]({href})" if href else escape(evidence.url))
    if evidence.note:
        parts.append(escape(evidence.note))
    return " — ".join(parts) or "(no details)"
