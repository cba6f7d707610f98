"""Report → GitHub-flavoured Markdown pages. Everything from papers or repositories is escaped.

A report of a few papers and repositories (`auditor run --paper X`, `auditor check`) is one page
that leads with each paper's view: what its abstract says about code, what became of each link,
the verdicts of its repositories. A larger one is a compact corpus page (the headline in the terms
of the MIDL reproducibility study, the chart, one line per paper) with one page per paper and per
repository beside it, so a thousand repositories stay readable on GitHub.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import NamedTuple

from auditor.models import (
    NOT_KEPT,
    Artifact,
    ArtifactStatus,
    ChecklistItem,
    CheckResult,
    Evidence,
    Link,
    LinkKind,
    NetworkCost,
    Outcome,
    PaperAudit,
    PaperOutcome,
    PendingChange,
    RepoAudit,
    Report,
    RepoStatus,
    Summary,
)
from auditor.render.symbols import LEGEND, SYMBOLS, result_symbol, score_text
from auditor.render.text import (
    ARTIFACT_TEXT,
    KIND_TEXT,
    OUTCOME_TEXT,
    REPEATABLE_TEXT,
    STATEMENT_TEXT,
    clean,
    file_name,
    kinds_text,
    linkers,
    linking,
    plural,
    pwc_text,
    repos_by_key,
)
from auditor.render.urls import safe_href

# Files written next to report.md (by auditor.report.files) that the Markdown links to.
REPORT_NAME = "report.md"
CHART_NAME = "pass-rate.svg"
BADGE_DIR = "badges"
REPO_DIR = "repos"
PAPER_DIR = "papers"
# Up to this many papers and repositories, the report is one page (a paper, an author's check).
INLINE_LIMIT = 5

# Markdown's special characters get a backslash; & starts no entity.
_ESCAPES = str.maketrans({c: "\\" + c for c in "\\`*_[]<>|~$"} | {"&": "&amp;"})
_BAR_WIDTH = 10
_COLUMNS = ("passed", "failed", "unknown", "not_applicable", "error")


def escape(text: str) -> str:
    """Text safe inside Markdown and table cells: no markup, no HTML, no math, no column breaks,
    no control characters."""
    return " ".join(clean(text).split()).translate(_ESCAPES)


def inline(text: str, *, table: bool = False) -> str:
    """Trusted text (a checklist's rationale or fix) whose `code spans` stay code spans; the rest
    is escaped. In a table cell a pipe is escaped inside code spans too (GitHub's rule)."""
    parts = " ".join(clean(text).split()).split("`")
    if len(parts) % 2 == 0:  # an unbalanced backtick: all of it is text
        return escape(text)
    out = []
    for number, part in enumerate(parts):
        if number % 2 == 0:
            out.append(part.translate(_ESCAPES))
        elif part.strip():
            out.append("`" + (part.replace("|", "\\|") if table else part) + "`")
    return "".join(out)


def badge_path(key: str) -> str:
    return f"{BADGE_DIR}/{file_name(key)}.svg"


def repo_page(key: str) -> str:
    return f"{REPO_DIR}/{file_name(key)}.md"


def paper_page(paper: PaperAudit) -> str:
    return f"{PAPER_DIR}/{file_name(paper.paper.id)}.md"


class _Where(NamedTuple):
    """Where the text being written will stand, so its links resolve: one page (anchors), or
    report.md (`up` = "") and the pages in its folders (`up` = "../")."""

    split: bool
    up: str = ""
    badges: bool = True  # files beside the page (not in a CI job summary)

    def repo(self, key: str) -> str:
        return f"{self.up}{repo_page(key)}" if self.split else f"#{file_name(key)}"

    def paper(self, paper: PaperAudit) -> str:
        return f"{self.up}{paper_page(paper)}" if self.split else f"#{file_name(paper.paper.id)}"


def pages(report: Report) -> Iterator[tuple[str, str]]:
    """The pages beside report.md with their paths relative to the report folder, one at a time:
    for a report of more than a few papers or repositories, one page per repository and per paper
    that speaks of code."""
    if not _split(report):
        return
    below = _Where(split=True, up="../")
    items = {i.id: i for i in report.checklist_items}
    found = linkers(report)
    for audit in report.repos:
        lines = _repo_section(audit, items, below, linking(report, found, audit.repo.key), level=1)
        yield repo_page(audit.repo.key), _page(lines, report)
    del found
    repos = repos_by_key(report)
    for paper in report.papers:
        if paper.outcome is not PaperOutcome.NONE:
            yield paper_page(paper), _page(_paper_view(paper, repos, report, below, level=1), report)


def _split(report: Report) -> bool:
    return len(report.papers) > INLINE_LIMIT or len(report.repos) > INLINE_LIMIT


def render(report: Report) -> str:
    """The main page (report.md): the whole report, or the corpus page of a split one."""
    return "".join(render_lines(report))


def render_lines(report: Report) -> Iterator[str]:
    """report.md a line at a time (each with its newline), so that the corpus page of a large
    report is written as it is made."""
    if _split(report):
        lines = _corpus(report, _Where(split=True))
    else:
        lines = iter(_single(report, _Where(split=False)))
    return (line + "\n" for line in lines)


def summary(report: Report) -> str:
    """The headline and the pass rates, for a CI job summary where no files sit beside it; each
    paper's view and each repository's verdicts and fixes too when there are only a few."""
    where = _Where(split=False, badges=False)
    small = not _split(report)
    out = _title(report)
    if small:
        out += _paper_views(report, where)
    out += _headline(report, chart=False)
    if small:
        out += _sections(report, where)
    return "\n".join(out) + "\n"


def _page(lines: list[str], report: Report) -> str:
    back = f"[← {escape(_report_title(report))}](../{REPORT_NAME})"
    return "\n".join([back, "", *lines]) + "\n"


def _report_title(report: Report) -> str:
    return f"Reproducibility audit, checklist {report.checklist.id} v{report.checklist.version}"


def _title(report: Report) -> list[str]:
    return [
        "# Reproducibility audit",
        "",
        f"Checklist {escape(report.checklist.id)} v{escape(report.checklist.version)} · "
        f"auditor {escape(report.tool_version)} · {escape(report.generated_at)}",
        *_partial(report),
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


def _single(report: Report, where: _Where) -> list[str]:
    out = _title(report) + _paper_views(report, where) + _headline(report, chart=True)
    return [*out, *_table(report, where), *_sections(report, where), *_problems(report)]


def _corpus(report: Report, where: _Where) -> Iterator[str]:
    yield from _title(report) + _headline(report, chart=True)
    yield from _table(report, where)
    yield from _problems(report)


def _problems(report: Report) -> list[str]:
    if not report.problems:
        return []
    out = ["", "## Input problems", ""]
    for problem in report.problems:
        out.append(f"- {escape(str(problem.source))}: {escape(problem.message)}")
    return out


# --- the headline --------------------------------------------------------------------------------


def _summary_of(report: Report) -> Summary:
    if report.summary is None:
        raise ValueError("a report without its summary: make it with auditor.report.stats.finalize")
    return report.summary


def _pct(part: int, whole: int) -> str:
    return f"**{part}** ({round(100 * part / whole)}%)" if whole else f"**{part}**"


def headline_lines(s: Summary) -> list[str]:
    """The summary's bullets: every number here is a field of `Summary` (a test holds them equal)."""
    lines = []
    if s.papers:
        lines.append(
            f"- **{s.papers}** {_noun(s.papers, 'paper', 'papers')}: "
            f"{_pct(s.papers_mentioning_code, s.papers)} mention code (a statement or a repository link), "
            f"{_pct(s.papers_linking_repository, s.papers)} link a repository"
            + (
                f"; **{s.outcomes[PaperOutcome.READING_LIST]}** point to a survey's reading list"
                if s.outcomes[PaperOutcome.READING_LIST]
                else ""
            )
            + "."
        )
        lines.append(
            f"- **{s.promises_not_kept}** {_noun(s.promises_not_kept, 'promise', 'promises')} not kept: "
            "the paper links a placeholder or a missing repository, or its abstract says there is code "
            "and links none."
        )
    missing = ", ".join(f"{n} {status.value}" for status, n in s.not_audited.items())
    lines.append(
        f"- **{s.repos}** {_noun(s.repos, 'repository', 'repositories')}: {_pct(s.audited, s.repos)} "
        "could be audited" + (f"; not audited: {missing}." if missing else ".")
    )
    if s.kinds:
        lines.append(f"- By kind: {kinds_text([(k.repos, k.kind) for k in s.kinds])}.")
    if s.placeholders is not None:
        lines.append(
            f"- **{s.placeholders}** {_noun(s.placeholders, 'placeholder', 'placeholders')}: empty, "
            "or no code in the repository."
        )
    if s.artifacts:
        lines.append(_artifact_summary(s.artifacts))
    if s.scored:
        lines.append(
            f"- Median score **{score_text(s.median)}** over {s.scored} scored {_scope(s, s.scored)}."
        )
    if s.repeatable_decided:
        lines.append(
            f"- **{s.repeatable}** of {s.repeatable_decided} {_scope(s, s.repeatable_decided)} repeatable "
            f"({round(100 * s.repeatable / s.repeatable_decided)}%: dependencies, training code and data "
            "instructions all pass)."
        )
    if s.pwc_median is not None:
        lines.append(f"- Median Papers with Code score **{pwc_text(s.pwc_median)}** over the {_scope(s, 2)}.")
    if s.waived:
        lines.append(f"- **{s.waived}** {_noun(s.waived, 'item', 'items')} waived by the author.")
    return lines


def _noun(count: int, one: str, many: str) -> str:
    return one if count == 1 else many


def _scope(s: Summary, count: int) -> str:
    """ "method-code repositories" (or "audited"), singular for one."""
    noun = "repository" if count == 1 else "repositories"
    return f"method-code {noun}" if s.scope is not None else f"audited {noun}"


def _artifact_summary(counts: dict[ArtifactStatus, int]) -> str:
    total = sum(counts.values())
    skipped = counts.get(ArtifactStatus.NOT_CHECKED, 0)
    links = _noun(total, "artifact link", "artifact links")
    if skipped == total:
        return (
            f"- **{total}** {links} (weights, data, demos, project pages) not checked: network "
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
    return f"- **{total}** {links} (weights, data, demos, project pages): " + ", ".join(parts) + "."


def _headline(report: Report, *, chart: bool) -> list[str]:
    s = _summary_of(report)
    out = ["", "## Summary", "", *headline_lines(s)]
    if s.papers:
        out += ["", "### What became of each paper's code", "", "| Outcome | Papers |", "|---|---:|"]
        out += [f"| {OUTCOME_TEXT[o]} | {n} |" for o, n in s.outcomes.items() if n]
    if s.kinds:
        out += [
            "",
            "### Repositories by kind",
            "",
            "| Kind | Repositories | Median score | Repeatable | Papers with Code (median) |",
            "|---|---:|---:|---:|---:|",
        ]
        for k in s.kinds:
            repeatable = f"{k.repeatable} of {k.repeatable_decided}" if k.repeatable_decided else "–"
            out.append(
                f"| {KIND_TEXT[k.kind]} | {k.repos} | {score_text(k.median)} | {repeatable} | "
                f"{pwc_text(k.pwc_median)} |"
            )
    out += _items(s, chart=chart)
    return out


def _bar(rate: float | None) -> str:
    if rate is None:
        return "–"
    filled = round(rate * _BAR_WIDTH)
    return f"`{'█' * filled}{'░' * (_BAR_WIDTH - filled)}` {score_text(rate)}"


def _items(s: Summary, *, chart: bool) -> list[str]:
    waived = any(i.waived for i in s.items)
    out = [
        "",
        f"### Checklist items over the {s.scope_repos} {_scope(s, s.scope_repos)}",
        "",
        "| Item | Passed | Failed | Unknown | N/A | Error |"
        + (" Waived |" if waived else "")
        + " Pass rate |",
        "|---|---:|---:|---:|---:|---:|" + ("---:|" if waived else "") + "---|",
    ]
    for item in s.items:
        cells = [f"{escape(item.id)}: {escape(item.title)}", *(str(getattr(item, c)) for c in _COLUMNS)]
        if waived:
            cells.append(str(item.waived))
        cells.append(_bar(item.rate))
        out.append("| " + " | ".join(cells) + " |")
    if chart and s.items:
        out += ["", f"![Pass rate per checklist item]({CHART_NAME})"]
    return out


# --- papers --------------------------------------------------------------------------------------


def _outcome_cell(paper: PaperAudit) -> str:
    if paper.outcome is None:
        return "–"
    text = OUTCOME_TEXT[paper.outcome]
    return text + (f" ({plural(paper.age_days, 'day')})" if paper.age_days is not None else "")


def _table(report: Report, where: _Where) -> Iterator[str]:
    ids = [i.id for i in report.checklist_items]
    title = "## Papers" if report.papers else "## Repositories"
    yield from ["", title, "", f"Legend: {LEGEND}", ""]
    head = ["Paper", "Outcome", "Repository"] if report.papers else ["Repository"]
    head += ["Kind", "Score", "Repeatable", "PwC", *(escape(i) for i in ids)]
    yield from ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    if not report.papers:
        yield from ("| " + " | ".join(_repo_cells(a, ids, where)) + " |" for a in report.repos)
        return
    repos = repos_by_key(report)
    blanks = ["–", "", "", "", "", *([""] * len(ids))]
    silent = 0
    for paper in report.papers:
        if paper.outcome is PaperOutcome.NONE:
            silent += 1
            continue
        first = [f"[{escape(paper.paper.title)}]({where.paper(paper)})", _outcome_cell(paper)]
        linked = [repos[k] for k in paper.repos if k in repos]
        via = {link.repo.key: _via(link.via) for link in paper.links if link.via and link.repo}
        if not linked:
            yield "| " + " | ".join([*first, *blanks]) + " |"
        for audit in linked:
            cells = _repo_cells(audit, ids, where)
            if audit.repo.key in via:
                cells[0] += f" ({via[audit.repo.key]})"
            yield "| " + " | ".join([*first, *cells]) + " |"
    if silent:
        verb = "neither links code nor mentions it" if silent == 1 else "neither link code nor mention it"
        yield from ["", f"{plural(silent, 'paper')} {verb}."]


def _via(url: str) -> str:
    """How a repository was found one hop from the abstract."""
    return "via anonymized copy" if "anonymous.4open.science" in url.lower() else "via project page"


def _repo_cells(audit: RepoAudit, ids: list[str], where: _Where) -> list[str]:
    by_id = {r.id: r for r in audit.results}
    status = audit.repo.status
    score = score_text(audit.score) if status is RepoStatus.OK else status.value
    return [
        f"[{escape(audit.repo.key)}]({where.repo(audit.repo.key)})",
        KIND_TEXT[audit.kind] if audit.kind else "–",
        score,
        REPEATABLE_TEXT[audit.repeatable] if audit.repeatable else "–",
        f"{audit.pwc_score}/5" if audit.pwc_score is not None else "–",
        *(result_symbol(by_id[i]) if i in by_id else "" for i in ids),
    ]


def _paper_views(report: Report, where: _Where) -> list[str]:
    repos = repos_by_key(report)
    out: list[str] = []
    for paper in report.papers:
        out += ["", *_paper_view(paper, repos, report, where, level=2)]
    return out


def _paper_view(
    paper: PaperAudit, repos: Mapping[str, RepoAudit], report: Report, where: _Where, *, level: int
) -> list[str]:
    """What a reviewer of this one paper reads: the abstract's statements about code, quoted with
    their kind; what became of each link; the verdicts of each repository it links."""
    p = paper.paper
    out = [f'<a id="{file_name(p.id)}"></a>', "", f"{'#' * level} {escape(p.title)}", ""]
    facts = []
    if p.url:
        facts.append(_url(p.url))
    if p.date:
        facts.append(f"published {escape(p.date)}")
    if facts:
        out += [" · ".join(facts), ""]
    if paper.outcome is not None:
        verdict = f"**Outcome: {OUTCOME_TEXT[paper.outcome]}**"
        if paper.outcome_detail:
            verdict += f": {escape(paper.outcome_detail)}"
        if paper.age_days is not None and p.date and paper.outcome in NOT_KEPT:
            verdict += f" (promised {escape(p.date)}, {plural(paper.age_days, 'day')} before this report)"
        out += [verdict, ""]
    if paper.statements:
        out += ["What the abstract says about its code:", ""]
        for statement in paper.statements:
            out += [f"> {escape(statement.text)}", ">", f"> — *{STATEMENT_TEXT[statement.kind]}*", ""]
    else:
        out += ["The abstract says nothing about code.", ""]
    fates = [_fate(link, paper, repos, where) for link in paper.links]
    if fates:
        out += ["Links:", "", *(f"- {f}" for f in fates), ""]
    linked = [repos[k] for k in paper.repos if k in repos]
    if linked:
        ids = [i.id for i in report.checklist_items]
        head = ["Repository", "Kind", "Score", "Repeatable", "PwC", *(escape(i) for i in ids)]
        out += ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        out += ["| " + " | ".join(_repo_cells(a, ids, where)) + " |" for a in linked]
    return out


def _fate(link: Link, paper: PaperAudit, repos: Mapping[str, RepoAudit], where: _Where) -> str:
    """One link of the abstract and what became of it."""
    found = f" (found {_via(link.via)} {_url(link.via)})" if link.via else ""
    if link.repo is not None and link.kind in (LinkKind.GITHUB_REPO, LinkKind.CODE_HOST):
        audit = repos.get(link.repo.key)
        target = f"[{escape(link.repo.key)}]({where.repo(link.repo.key)})" if audit else escape(link.url)
        if audit is None:
            return f"repository {target}{found}: not audited"
        state = audit.repo.status.value if audit.repo.status is not RepoStatus.OK else "audited"
        kind = f", {KIND_TEXT[audit.kind]}" if audit.kind else ""
        score = f", score {score_text(audit.score)}" if audit.score is not None else ""
        return f"repository {target}{found}: {state}{kind}{score}"
    probed = next((a for a in paper.artifacts or [] if a.url == link.url), None)
    what = link.kind.value.replace("-", " ")
    if probed is not None:
        return f"{what} {_url(link.url)}: {_artifact_state(probed)}"
    if link.note:
        return f"{what} {_url(link.url)}: {escape(link.note)}"
    return f"{what} {_url(link.url)}: not followed"


def _artifact_state(item: Artifact) -> str:
    state = ARTIFACT_TEXT[item.status]
    if item.status in (ArtifactStatus.GONE, ArtifactStatus.RESTRICTED):
        state = f"**{state}**"
    return state + (f" — {escape(item.detail)}" if item.detail else "")


# --- repositories --------------------------------------------------------------------------------


def _sections(report: Report, where: _Where) -> list[str]:
    if not report.repos:
        return []
    out = ["", "## Repositories"]
    items = {i.id: i for i in report.checklist_items}
    found = linkers(report)
    for audit in report.repos:
        out += ["", *_repo_section(audit, items, where, linking(report, found, audit.repo.key), level=3)]
    return out


def _cost(cost: NetworkCost) -> str:
    parts = []
    if cost.http_requests:
        parts.append(
            f"{plural(cost.http_requests, 'HTTP request')}, {cost.not_modified} of them 304 Not Modified"
        )
    if cost.git:
        parts.append("git " + ", ".join(cost.git))
    return f" ({'; '.join(parts)})" if parts else ""


def _repo_section(
    audit: RepoAudit,
    items: dict[str, ChecklistItem],
    where: _Where,
    papers: list[PaperAudit],
    *,
    level: int,
) -> list[str]:
    facts = audit.repo
    out = [f'<a id="{file_name(facts.key)}"></a>', "", f"{'#' * level} {escape(facts.key)}", ""]
    if where.badges:
        out += [f"![reproducibility badge]({where.up}{badge_path(facts.key)})", ""]
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
    if audit.kind:
        out.append(f"- Kind: {KIND_TEXT[audit.kind]}")
    out.append(f"- Score: {score_text(audit.score)}")
    if audit.repeatable:
        out.append(
            "- Repeatable (dependencies, training code and data instructions all pass): "
            + REPEATABLE_TEXT[audit.repeatable]
        )
    if audit.pwc_score is not None:
        out.append(f"- Papers with Code: {audit.pwc_score}/5 items pass")
    if papers:
        shown = ", ".join(f"[{escape(p.paper.title)}]({where.paper(p)})" for p in papers)
        out.append(f"- Linked by: {shown}")
    out.append("")
    if audit.pending:
        out += [
            "Only committed files count (they are what readers get). Committing your working tree "
            "would change these verdicts:",
            "",
            *(f"- {pending_text(p, items, symbols=True)}" for p in audit.pending),
            "",
        ]
    for result in audit.results:
        out += _result(result, items.get(result.id))
    if facts.artifacts:
        out += ["", f"{'#' * (level + 1)} Artifacts", ""]
        out += [f"- {_artifact(a)}" for a in facts.artifacts]
        for item_id, links in audit.unverified().items():
            title = escape(items[item_id].title if item_id in items else item_id)
            out.append(
                f"- Not verified over the network: **{title}** rests on "
                f"{plural(len(links), 'unchecked link')}"
            )
    return out


def pending_text(pending: PendingChange, items: dict[str, ChecklistItem], *, symbols: bool) -> str:
    """ "**License**: ❌ fail now, ✅ pass once you commit LICENSE" (plain, without symbols)."""
    item = items.get(pending.item)
    title = escape(item.title if item else pending.item)
    files = ", ".join(escape(f) for f in pending.files) or "your changes"

    def shown(outcome: Outcome) -> str:
        return f"{SYMBOLS[outcome]} {outcome.value}" if symbols else outcome.value

    now, then = shown(pending.committed), shown(pending.working_tree)
    return f"**{title}**: {now} now, {then} once you commit {files}"


def _result(result: CheckResult, item: ChecklistItem | None) -> list[str]:
    title = escape(item.title if item else result.id)
    line = f"- {result_symbol(result)} **{title}**"
    if result.waiver is not None:
        moot = " (not needed: the item passes)" if result.outcome is Outcome.PASS else ""
        line += f" — waived{moot}: {escape(result.waiver.reason)} ({escape(result.waiver.source)});"
        line += f" found {SYMBOLS[result.outcome]} {result.outcome.value}"
    out = [f"{line}: {escape(result.message)}"]
    out += [f"  - {_evidence(e)}" for e in result.evidence]
    if item and result.outcome is Outcome.FAIL and not result.waived:
        out.append(f"  - How to fix: {inline(item.fix)}")
    return out


def _url(url: str) -> str:
    href = safe_href(url)
    return f"[{escape(url)}]({href})" if href else escape(url)


def _artifact(item: Artifact) -> str:
    """One artifact link: status, kind, the link, where it is written, and why."""
    state = ARTIFACT_TEXT[item.status]
    if item.status in (ArtifactStatus.GONE, ArtifactStatus.RESTRICTED):
        state = f"**{state}**"
    parts = [f"{state} {escape(item.kind.value)}: {_url(item.url)}"]
    if item.path:
        where = escape(item.path + (f":{item.line}" if item.line else ""))
        href = safe_href(item.file_url) if item.file_url else None
        parts.append(f"[{where}]({href})" if href else where)
    if item.detail:
        parts.append(escape(item.detail))
    return " — ".join(parts)


def _evidence(evidence: Evidence) -> str:
    parts = []
    if evidence.path:
        where = escape(evidence.path + (f":{evidence.line}" if evidence.line else ""))
        href = safe_href(evidence.file_url) if evidence.file_url else None
        parts.append(f"[{where}]({href})" if href else where)
    if evidence.url and evidence.url != evidence.file_url:
        parts.append(_url(evidence.url))
    if evidence.note:
        parts.append(escape(evidence.note))
    return " — ".join(parts) or "(no details)"
