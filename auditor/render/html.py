"""Report → one self-contained HTML page, for readers who do not read Markdown on GitHub.

Nothing is loaded from elsewhere: the style is inline, the chart is inline SVG, and a Content
Security Policy forbids the browser any other source. Everything from papers and repositories is
escaped; links to evidence are plain anchors (http(s) only).
"""

from __future__ import annotations

import html
import itertools
import re
from collections.abc import Iterator, Mapping

from auditor.models import (
    Artifact,
    ArtifactStatus,
    ChecklistItem,
    CheckResult,
    Evidence,
    Outcome,
    PaperAudit,
    PaperOutcome,
    RepoAudit,
    Report,
    RepoStatus,
    Summary,
)
from auditor.render import svg
from auditor.render.markdown import headline_lines
from auditor.render.symbols import LEGEND, SYMBOLS, result_symbol, score_text
from auditor.render.text import (
    ARTIFACT_TEXT,
    KIND_TEXT,
    OUTCOME_TEXT,
    REPEATABLE_TEXT,
    STATEMENT_TEXT,
    clean,
    file_name,
    linkers,
    linking,
    plural,
    pwc_text,
    repos_by_key,
    tone,
)
from auditor.render.urls import safe_href

_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
_STYLE = (
    "body{font:15px/1.5 system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#1f2328}"
    "table{border-collapse:collapse;margin:.5em 0;font-size:14px}"
    "th,td{border:1px solid #d0d7de;padding:2px 6px;text-align:left}"
    "td.n{text-align:right}"
    ".meta{color:#59636e}"
    ".bad{color:#cf222e}"
    ".good{color:#1a7f37}"
    "details{border:1px solid #d0d7de;border-radius:6px;padding:.3em .8em;margin:.4em 0}"
    "summary{cursor:pointer;font-weight:600}"
    "blockquote{margin:.3em 0;padding:0 1em;border-left:3px solid #d0d7de;color:#59636e}"
    ".bar{display:inline-block;width:100px;height:10px;background:#eaeef2;vertical-align:middle}"
    ".bar span{display:block;height:10px;background:#2da44e}"
    "code{font-size:90%}"
)


def e(text: str) -> str:
    """Text as HTML: escaped, control characters shown."""
    return html.escape(clean(text), quote=True)


def _a(url: str, text: str | None = None) -> str:
    href = safe_href(url)
    shown = e(text if text is not None else url)
    return f'<a href="{html.escape(href, quote=True)}">{shown}</a>' if href else shown


def _local(anchor: str, text: str) -> str:
    return f'<a href="#{html.escape(anchor, quote=True)}">{e(text)}</a>'


def _paper_id(paper: PaperAudit) -> str:
    return "paper-" + file_name(paper.paper.id)


def _repo_id(key: str) -> str:
    return "repo-" + file_name(key)


def render(report: Report) -> str:
    return "".join(lines(report))


def lines(report: Report) -> Iterator[str]:
    """The page in pieces, a paper or repository at a time, so that a large report is written as
    it is made."""
    if report.summary is None:
        raise ValueError("a report without its summary: make it with auditor.report.stats.finalize")
    s = report.summary
    repos = repos_by_key(report)
    items = {i.id: i for i in report.checklist_items}
    yield (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        f"<title>Reproducibility audit · {e(report.generated_at)}</title><style>{_STYLE}</style></head>\n"
        "<body>\n"
    )
    head = [
        "<h1>Reproducibility audit</h1>",
        f'<p class="meta">Checklist {e(report.checklist.id)} v{e(report.checklist.version)} · '
        f"auditor {e(report.tool_version)} · {e(report.generated_at)}</p>",
        *_summary(s),
    ]
    body = itertools.chain(head, _table(report, repos))
    shown = (p for p in report.papers if p.outcome is not PaperOutcome.NONE)
    first = next(shown, None)
    if first is not None:
        body = itertools.chain(
            body, ["<h2>Papers, one by one</h2>"], (_paper(p, repos) for p in itertools.chain([first], shown))
        )
    if report.repos:
        found = linkers(report)
        sections = (_repo(a, items, linking(report, found, a.repo.key)) for a in report.repos)
        body = itertools.chain(body, ["<h2>Repositories</h2>"], sections)
    if report.problems:
        body = itertools.chain(
            body,
            ["<h2>Input problems</h2><ul>"],
            [f"<li>{e(str(p.source))}: {e(p.message)}</li>" for p in report.problems],
            ["</ul>"],
        )
    for number, piece in enumerate(body):
        yield ("\n" if number else "") + piece
    yield "\n</body></html>\n"


def _summary(s: Summary) -> list[str]:
    # The headline's bullets are the Markdown view's, word for word: only our words and numbers.
    bullets = [re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", e(line[2:])) for line in headline_lines(s)]
    out = ["<h2>Summary</h2>", "<ul>", *(f"<li>{b}</li>" for b in bullets), "</ul>"]
    if s.papers:
        out += [
            "<h3>What became of each paper's code</h3>",
            "<table><tr><th>Outcome</th><th>Papers</th></tr>",
        ]
        out += [
            f'<tr><td>{OUTCOME_TEXT[o]}</td><td class="n">{n}</td></tr>' for o, n in s.outcomes.items() if n
        ]
        out.append("</table>")
    if s.kinds:
        out += [
            "<h3>Repositories by kind</h3>",
            "<table><tr><th>Kind</th><th>Repositories</th><th>Median score</th><th>Repeatable</th>"
            "<th>Papers with Code (median)</th></tr>",
        ]
        for k in s.kinds:
            repeatable = f"{k.repeatable} of {k.repeatable_decided}" if k.repeatable_decided else "–"
            out.append(
                f'<tr><td>{KIND_TEXT[k.kind]}</td><td class="n">{k.repos}</td>'
                f'<td class="n">{score_text(k.median)}</td><td class="n">{repeatable}</td>'
                f'<td class="n">{pwc_text(k.pwc_median)}</td></tr>'
            )
        out.append("</table>")
    noun = "repository" if s.scope_repos == 1 else "repositories"
    scope = f"method-code {noun}" if s.scope is not None else f"audited {noun}"
    out += [
        f"<h3>Checklist items over the {s.scope_repos} {scope}</h3>",
        "<table><tr><th>Item</th><th>Passed</th><th>Failed</th><th>Unknown</th><th>N/A</th><th>Error</th>"
        "<th>Waived</th><th>Pass rate</th></tr>",
    ]
    for i in s.items:
        width = round(100 * (i.rate or 0))
        counts = "".join(
            f'<td class="n">{n}</td>'
            for n in (i.passed, i.failed, i.unknown, i.not_applicable, i.error, i.waived)
        )
        out.append(
            f"<tr><td>{e(i.id)}: {e(i.title)}</td>{counts}"
            f'<td><span class="bar"><span style="width:{width}px"></span></span> '
            f"{score_text(i.rate)}</td></tr>"
        )
    out.append("</table>")
    if s.items:
        out.append(svg.pass_rate_chart(s.items).replace(' xmlns="http://www.w3.org/2000/svg"', ""))
    return out


def _repo_cells(audit: RepoAudit, ids: list[str]) -> list[str]:
    by_id = {r.id: r for r in audit.results}
    ok = audit.repo.status is RepoStatus.OK
    return [
        _local(_repo_id(audit.repo.key), audit.repo.key),
        KIND_TEXT[audit.kind] if audit.kind else "–",
        score_text(audit.score) if ok else e(audit.repo.status.value),
        REPEATABLE_TEXT[audit.repeatable] if audit.repeatable else "–",
        f"{audit.pwc_score}/5" if audit.pwc_score is not None else "–",
        *(result_symbol(by_id[i]) if i in by_id else "" for i in ids),
    ]


def _table(report: Report, repos: Mapping[str, RepoAudit]) -> Iterator[str]:
    ids = [i.id for i in report.checklist_items]
    head = ["Paper", "Outcome", "Repository"] if report.papers else ["Repository"]
    head += ["Kind", "Score", "Repeatable", "PwC", *ids]
    yield from [
        f"<h2>{'Papers' if report.papers else 'Repositories'}</h2>",
        f'<p class="meta">Legend: {e(LEGEND)}</p>',
        "<table><tr>" + "".join(f"<th>{e(h)}</th>" for h in head) + "</tr>",
    ]

    def row(cells: list[str]) -> str:
        return "<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>"

    if not report.papers:
        yield from (row(_repo_cells(a, ids)) for a in report.repos)
    silent = 0
    for paper in report.papers:
        if paper.outcome is PaperOutcome.NONE:
            silent += 1
            continue
        outcome = OUTCOME_TEXT[paper.outcome] if paper.outcome else "–"
        if paper.age_days is not None:
            outcome += f" ({plural(paper.age_days, 'day')})"
        first = [_local(_paper_id(paper), paper.paper.title), e(outcome)]
        linked = [repos[k] for k in paper.repos if k in repos]
        if not linked:
            yield row([*first, "–", *([""] * (4 + len(ids)))])
        yield from (row([*first, *_repo_cells(a, ids)]) for a in linked)
    yield "</table>"
    if silent:
        verb = "neither links code nor mentions it" if silent == 1 else "neither link code nor mention it"
        yield f"<p>{plural(silent, 'paper')} {verb}.</p>"


def _paper(paper: PaperAudit, repos: Mapping[str, RepoAudit]) -> str:
    p = paper.paper
    outcome = OUTCOME_TEXT[paper.outcome] if paper.outcome else "–"
    out = [
        f'<details id="{_paper_id(paper)}"><summary>{e(p.title)} — '
        f'<span class="{tone(paper.outcome)}">{outcome}</span></summary>'
    ]
    facts = [_a(p.url)] if p.url else []
    if p.date:
        facts.append(f"published {e(p.date)}")
    if facts:
        out.append(f'<p class="meta">{" · ".join(facts)}</p>')
    if paper.outcome_detail or paper.age_days is not None:
        age = f" ({plural(paper.age_days, 'day')} since the paper)" if paper.age_days is not None else ""
        out.append(f"<p>{e(paper.outcome_detail)}{age}</p>")
    for statement in paper.statements:
        out.append(
            f"<blockquote>{e(statement.text)} — <em>{STATEMENT_TEXT[statement.kind]}</em></blockquote>"
        )
    if not paper.statements:
        out.append("<p>The abstract says nothing about code.</p>")
    fates = []
    for link in paper.links:
        if link.repo is not None and link.repo.key in repos:
            audit = repos[link.repo.key]
            state = "audited" if audit.repo.status is RepoStatus.OK else audit.repo.status.value
            kind = f", {KIND_TEXT[audit.kind]}" if audit.kind else ""
            fates.append(
                f"repository {_local(_repo_id(link.repo.key), link.repo.key)}: {e(state)}{kind}, "
                f"score {score_text(audit.score)}"
            )
            continue
        probed = next((a for a in paper.artifacts or [] if a.url == link.url), None)
        what = e(link.kind.value.replace("-", " "))
        state = _artifact_state(probed) if probed else e(link.note or "not followed")
        fates.append(f"{what} {_a(link.url)}: {state}")
    if fates:
        out += ["<ul>", *(f"<li>{f}</li>" for f in fates), "</ul>"]
    out.append("</details>")
    return "\n".join(out)


def _artifact_state(item: Artifact) -> str:
    bad = item.status in (ArtifactStatus.GONE, ArtifactStatus.RESTRICTED)
    state = f'<span class="{"bad" if bad else ""}">{ARTIFACT_TEXT[item.status]}</span>'
    return state + (f" — {e(item.detail)}" if item.detail else "")


def _repo(audit: RepoAudit, items: dict[str, ChecklistItem], papers: list[PaperAudit]) -> str:
    facts = audit.repo
    out = [
        f'<details id="{_repo_id(facts.key)}"><summary>{e(facts.key)} — '
        f"{e(facts.status.value)}, score {score_text(audit.score)}</summary>",
        "<ul>",
        f"<li>URL: {_a(facts.url)}</li>",
    ]
    if facts.detail:
        out.append(f"<li>Status: {e(facts.status.value)}: {e(facts.detail)}</li>")
    if facts.commit:
        branch = f" on {e(facts.branch)}" if facts.branch else ""
        out.append(f"<li>Commit: <code>{e(facts.commit[:12])}</code>{branch}</li>")
    if audit.kind:
        out.append(f"<li>Kind: {KIND_TEXT[audit.kind]}</li>")
    if audit.repeatable:
        out.append(f"<li>Repeatable: {REPEATABLE_TEXT[audit.repeatable]}</li>")
    if audit.pwc_score is not None:
        out.append(f"<li>Papers with Code: {audit.pwc_score}/5</li>")
    if papers:
        out.append(
            "<li>Linked by: " + ", ".join(_local(_paper_id(p), p.paper.title) for p in papers) + "</li>"
        )
    out.append("</ul>")
    if audit.pending:
        out.append("<p>Only committed files count. Committing your working tree would change:</p><ul>")
        for p in audit.pending:
            title = items[p.item].title if p.item in items else p.item
            files = ", ".join(p.files) or "your changes"
            out.append(
                f"<li><strong>{e(title)}</strong>: {SYMBOLS[p.committed]} {p.committed.value} now, "
                f"{SYMBOLS[p.working_tree]} {p.working_tree.value} once you commit {e(files)}</li>"
            )
        out.append("</ul>")
    out.append("<ul>")
    out += [_result(r, items.get(r.id)) for r in audit.results]
    out.append("</ul>")
    if facts.artifacts:
        out += ["<p>Artifacts:</p><ul>"]
        for a in facts.artifacts:
            where = ""
            if a.path:
                shown = a.path + (f":{a.line}" if a.line else "")
                where = " — " + (_a(a.file_url, shown) if a.file_url else e(shown))
            out.append(f"<li>{_artifact_state(a)} {e(a.kind.value)}: {_a(a.url)}{where}</li>")
        out.append("</ul>")
    out.append("</details>")
    return "\n".join(out)


def _result(result: CheckResult, item: ChecklistItem | None) -> str:
    title = e(item.title if item else result.id)
    bad = result.outcome in (Outcome.FAIL, Outcome.ERROR) and not result.waived
    text = f"{result_symbol(result)} <strong>{title}</strong>: "
    if result.waiver is not None:
        text += (
            f"waived: {e(result.waiver.reason)} ({e(result.waiver.source)}); found "
            f"{SYMBOLS[result.outcome]} {e(result.outcome.value)}: "
        )
    text += f'<span class="{"bad" if bad else ""}">{e(result.message)}</span>'
    evidence = [_evidence(x) for x in result.evidence]
    if item and result.outcome is Outcome.FAIL and not result.waived:
        evidence.append(f"How to fix: {_code_spans(item.fix)}")
    if evidence:
        text += "<ul>" + "".join(f"<li>{x}</li>" for x in evidence) + "</ul>"
    return f"<li>{text}</li>"


def _code_spans(text: str) -> str:
    """A checklist's trusted text with its `code spans` as <code>; everything escaped."""
    parts = text.split("`")
    if len(parts) % 2 == 0:
        return e(text)
    return "".join(f"<code>{e(p)}</code>" if n % 2 else e(p) for n, p in enumerate(parts))


def _evidence(evidence: Evidence) -> str:
    parts = []
    if evidence.path:
        shown = evidence.path + (f":{evidence.line}" if evidence.line else "")
        parts.append(_a(evidence.file_url, shown) if evidence.file_url else e(shown))
    if evidence.url and evidence.url != evidence.file_url:
        parts.append(_a(evidence.url))
    if evidence.note:
        parts.append(e(evidence.note))
    return " — ".join(parts) or "(no details)"
