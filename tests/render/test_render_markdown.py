"""The Markdown report, rendered to HTML as GitHub would: tables hold, hostile text stays text."""

import re

import pytest
from markdownpage import html, table

from auditor.cli import main
from auditor.models import (
    ChecklistItem,
    CodeStatement,
    Evidence,
    PaperOutcome,
    RepoKind,
    RepoStatus,
    StatementKind,
)
from auditor.render import markdown
from auditor.render.symbols import score_text
from auditor.render.text import file_name
from auditor.report.files import read_report, write_report
from auditor.report.stats import finalize
from reports import NA, F, P, U, corpus_report, paper, repo, report

HOSTILE = 'A | B <script>alert(1)</script> <img src=x onerror="alert(2)"> **bold** $x^2$ [c](javascript:alert(3)) &lt;'


def hostile_report():
    evidence = {
        "code": [
            Evidence(path="src/train me.py", line=12, note="<b>bold</b> | pipe"),
            Evidence(url="javascript:alert(4)", note="`tick`"),
            Evidence(url="https://huggingface.co/lab/model (v1)"),
        ]
    }
    return report(
        [
            repo(
                "github.com/lab/repo",
                {"code": P, "license": F, "weights": U},
                score=0.67,
                url="https://github.com/Lab/Repo",
                evidence=evidence,
                commit="0123456789abcdef0123456789abcdef01234567",
            ),
            repo("github.com/lab/gone", status=RepoStatus.NOT_FOUND, detail="<script>x</script>"),
        ],
        [
            paper(HOSTILE, ["github.com/lab/repo"], says=StatementKind.AVAILABLE, url="javascript:alert(5)"),
            paper("Second | paper", ["github.com/lab/gone"]),
            paper("Only a promise", says=StatementKind.PROMISED),
            paper("Says nothing"),
        ],
    )


def test_hostile_titles_and_evidence_render_as_text():
    page = html(markdown.render(hostile_report()))
    assert "script" not in page.tags and "b" not in page.tags
    assert page.images == [
        "pass-rate.svg",
        "badges/github.com+lab+repo.svg",
        "badges/github.com+lab+gone.svg",
    ]
    # The only bold text is the report's own words, never the paper's **bold**.
    text = "".join(page.text)
    assert "**bold**" in text and "<script>alert(1)</script>" in text and "$x^2$" in text
    assert "&lt;" in text  # an entity in a title is shown as written, not decoded
    assert not [h for h in page.hrefs if not h.startswith(("#", "https://"))]


def test_table_cells_survive_pipes_in_titles():
    page = html(markdown.render(hostile_report()))
    papers_table = table(page, "Paper")
    assert papers_table[0] == [
        "Paper",
        "Outcome",
        "Repository",
        "Kind",
        "Score",
        "Repeatable",
        "PwC",
        "code",
        "license",
        "weights",
    ]
    assert all(len(row) == 10 for row in papers_table)
    assert papers_table[1][0] == HOSTILE  # the whole title in one cell, as written
    assert papers_table[1][1:] == [
        "links code",
        "github.com/lab/repo",
        "–",
        "67%",
        "–",
        "–",
        "✅",
        "❌",
        "❔",
    ]
    assert papers_table[2][:4] == ["Second | paper", "links a missing repository", "github.com/lab/gone", "–"]
    assert papers_table[3][:3] == ["Only a promise", "promised, not kept", "–"]  # no internal words
    assert len(papers_table) == 4  # "Says nothing" is only counted
    items_table = table(page, "Item")
    assert [row[0] for row in items_table[1:]] == [
        "code: Code is present",
        "license: License",
        "weights: Pretrained weights",
    ]


def test_evidence_links_to_the_file_and_line_at_the_audited_commit():
    page = html(markdown.render(hostile_report()))
    assert (
        "https://github.com/Lab/Repo/blob/0123456789abcdef0123456789abcdef01234567/src/train%20me.py#L12"
        in page.hrefs
    )
    assert "https://huggingface.co/lab/model%20%28v1%29" in page.hrefs
    assert "#github.com+lab+repo" in page.hrefs


def test_local_audits_show_paths_without_links():
    audit = repo("x/me/tool", {"code": P}, evidence={"code": [Evidence(path="main.py")]}, url="/home/me/tool")
    local = audit.model_copy(update={"repo": audit.repo.model_copy(update={"source": "local"})})
    text = markdown.render(report([local]))
    assert "  - main.py" in text and "blob" not in text


def test_promises_not_kept_say_their_reason_and_age():
    dated = paper("Old promise", says=StatementKind.PROMISED, date="2024-12-31")
    text = markdown.render(report([], [dated]))
    assert "**Outcome: promised, not kept**: code promised, no repository linked" in text
    assert "(promised 2024-12-31, 366 days before this report)" in text
    row = next(line for line in text.splitlines() if line.startswith("| [Old promise]"))
    assert "| promised, not kept (366 days) |" in row


def test_headline_counts_papers_links_placeholders_and_promises():
    text = markdown.render(hostile_report())
    assert (
        "- **4** papers: **3** (75%) mention code (a statement or a repository link), **2** (50%) link a "
        "repository." in text
    )
    assert "- **2** repositories: **1** (50%) could be audited; not audited: 1 not-found." in text
    assert "- **0** placeholders" in text
    assert "- **2** promises not kept" in text
    assert "`██████████` 100%" in text  # code passed in the one audited repository


def test_small_counts_read_in_the_singular():
    one = report(
        [repo("github.com/a/b", {"code": P}, score=1.0, kind=RepoKind.METHOD)],
        [paper("Only", ["github.com/a/b"], says=StatementKind.AVAILABLE), paper("Quiet")],
    )
    text = markdown.render(one)
    assert "- **2** papers:" in text and "- **1** repository: **1** (100%) could be audited." in text
    assert "- **0** promises not kept" in text and "over 1 scored method-code repository." in text
    assert "### Checklist items over the 1 method-code repository" in text
    assert "1 paper neither links code nor mentions it." in text
    assert not re.search(r"\b1 (papers|repositories|promises|placeholders|days)\b", text)


@pytest.mark.parametrize("status", list(RepoStatus))
def test_any_checklist_and_any_status_render(status):
    items = [
        ChecklistItem(id="x-1", title="First | odd", rationale="r", fix="f"),
        ChecklistItem(id="weird_id", title="Second", rationale="r", fix="f"),
    ]
    audit = repo(
        "gitlab.com/g/p", {"x-1": P, "weird_id": F} if status is RepoStatus.OK else None, status=status
    )
    if status is not RepoStatus.OK:
        audit = audit.model_copy(update={"results": []})
    page = html(markdown.render(report([audit], items=items)))
    repos_table = table(page, "Repository")
    assert repos_table[0] == ["Repository", "Kind", "Score", "Repeatable", "PwC", "x-1", "weird_id"]
    expected = (
        ["gitlab.com/g/p", "–", "–", "–", "–", "✅", "❌"]
        if status is RepoStatus.OK
        else ["gitlab.com/g/p", "–", status.value, "–", "–", "", ""]
    )
    assert repos_table[1] == expected


def test_summary_is_the_headline_without_files_beside_it():
    text = markdown.summary(hostile_report())
    assert "## Summary" in text and "Pass rate" in text
    assert "pass-rate.svg" not in text and "badges/" not in text
    assert "## Papers\n" not in text


def test_summary_of_a_few_repositories_shows_their_verdicts_and_fixes():
    few = markdown.summary(hostile_report())
    assert "### github.com/lab/repo" in few
    assert "- ❌ **License**: license is fail\n  - How to fix: f" in few
    many = report([repo(f"github.com/lab/r{i}", {"code": P}) for i in range(6)])
    assert "### github.com" not in markdown.summary(many)


def test_how_to_fix_keeps_the_checklists_code_spans():
    items = [
        ChecklistItem(id="pin", title="Pinned", rationale="r", fix="Run `pip freeze > requirements.txt`.")
    ]
    page = html(markdown.render(report([repo("github.com/a/b", {"pin": F}, score=0.0)], items=items)))
    assert "pip freeze > requirements.txt" in page.codes
    assert "`" not in "".join(page.text)  # no backtick shown literally


def test_file_names_are_readable_and_distinct_for_distinct_keys():
    keys = ["a-b/c", "a/b-c", "a_/b", "a/_b", "A/b", "a/b", "a+b/c", "a/b+c", "a~2b/c", "../x", "./x"]
    names = [file_name(k) for k in keys]
    assert len(set(names)) == len(keys)
    assert file_name("github.com/Bekhouche/SegDT") == "github.com+Bekhouche+SegDT"
    assert file_name("github.com/lab/seg_tool") == "github.com+lab+seg_tool"
    assert not [n for n in names if n.startswith(".") or "/" in n]


def many_papers_report():
    repos = [
        repo(f"github.com/lab/r{i}", {"code": P, "license": F}, score=0.5, kind=RepoKind.METHOD)
        for i in range(6)
    ]
    papers = [
        paper(f"Paper {i}", [f"github.com/lab/r{i}"], says=StatementKind.AVAILABLE, line=i) for i in range(6)
    ]
    papers.append(paper("Promise", says=StatementKind.PROMISED, line=7))
    papers.append(paper("Silent", line=8))
    return report(repos, papers)


def test_a_large_report_is_a_corpus_page_with_a_page_per_repository_and_paper():
    r = many_papers_report()
    pages = {"report.md": markdown.render(r), **dict(markdown.pages(r))}
    assert sorted(pages) == sorted(
        ["report.md"]
        + [f"repos/github.com+lab+r{i}.md" for i in range(6)]
        + [f"papers/paper-{i}.md" for i in range(6)]
        + ["papers/promise.md"]  # a paper that says nothing about code has no page
    )
    main_page = html(pages["report.md"])
    assert "\n## Repositories\n" not in pages["report.md"]  # the evidence is on the repositories' pages
    links = [h for h in main_page.hrefs if h.endswith(".md")]
    assert set(links) <= set(pages) and "repos/github.com+lab+r3.md" in links
    repo_page = pages["repos/github.com+lab+r3.md"]
    assert repo_page.startswith("[← Reproducibility audit")
    assert "](../report.md)" in repo_page and "](../badges/github.com+lab+r3.svg)" in repo_page
    assert "[Paper 3](../papers/paper-3.md)" in repo_page  # linked by
    paper_page = pages["papers/paper-3.md"]
    assert "# Paper 3" in paper_page and "](../repos/github.com+lab+r3.md)" in paper_page


def test_the_paper_view_quotes_what_the_abstract_says_about_code():
    said = paper("SegDT", ["github.com/bekhouche/segdt"])
    said = said.model_copy(
        update={
            "statements": [
                CodeStatement(
                    kind=StatementKind.PROMISED,
                    text="Code will be available at https://github.com/Bekhouche/SegDT.",
                    links=["https://github.com/Bekhouche/SegDT"],
                )
            ]
        }
    )
    placeholder = repo("github.com/bekhouche/segdt", {"code": F, "license": F, "weights": NA}, score=0.0)
    text = markdown.render(report([placeholder], [said]))
    assert text.index("## SegDT") < text.index("## Summary")  # the paper leads
    assert "> Code will be available at https://github.com/Bekhouche/SegDT.\n>\n> — *promised*" in text
    assert "**Outcome: links a placeholder**: the repository holds no code" in text


def test_written_pages_and_badges_of_a_smaller_report_replace_the_stale_ones(tmp_path):
    write_report(many_papers_report(), tmp_path)
    assert len(list((tmp_path / "repos").iterdir())) == 6
    write_report(report([repo("github.com/lab/r0", {"code": P})]), tmp_path)
    assert list((tmp_path / "repos").iterdir()) == [] and list((tmp_path / "papers").iterdir()) == []
    assert [p.name for p in (tmp_path / "badges").iterdir()] == ["github.com+lab+r0.svg"]


def test_the_bundled_corpus_renders_cleanly(tmp_path, mirror):
    """The real 119 papers (real titles, real links), two repositories mirrored, the rest missing."""
    root, add = mirror
    add("Bekhouche", "SegDT", {"README.md": "# SegDT\nThe code will be released soon.\n"})
    add(
        "GabrieleLozupone",
        "LDAE",
        {"README.md": "# LDAE\n", "ldae/train.py": "import torch\n", "LICENSE": "MIT\n"},
    )
    out = tmp_path / "out"
    args = ["run", "--clone-url", f"file://{root}/{{owner}}/{{name}}", "--cache-dir", str(tmp_path / "c")]
    assert main([*args, "--out", str(out), "--quiet"]) == 0
    report = read_report(out / "report.json")
    page = html((out / "report.md").read_text(encoding="utf-8"))
    papers_table = table(page, "Paper")
    assert {len(row) for row in papers_table} == {7 + len(report.checklist_items)}
    shown = {row[0] for row in papers_table[1:]}
    assert shown == {p.paper.title for p in report.papers if p.repos or p.statements}
    allowed = {"h1", "h2", "h3", "p", "ul", "li", "a", "img", "code", "strong"}
    allowed |= {"table", "thead", "tbody", "tr", "th", "td"}
    assert page.tags <= allowed
    rows = {row[2]: row for row in papers_table[1:]}
    scores = {a.repo.key: score_text(a.score) for a in report.repos}
    segdt = rows["github.com/bekhouche/segdt"]
    assert (segdt[1], segdt[3], segdt[4], segdt[7]) == (
        "links a placeholder",
        "placeholder",
        scores["github.com/bekhouche/segdt"],
        "❌",
    )
    assert rows["github.com/gabrielelozupone/ldae"][4] == scores["github.com/gabrielelozupone/ldae"]
    assert report.papers[0].paper.source.file == "auditor/data/hf-papers-medical-imaging.txt"
    for name in ("report.html", "report.csv", "pass-rate.svg"):
        assert (out / name).stat().st_size > 0
    pages = sorted((out / "repos").iterdir())
    assert len(pages) == len(report.repos)  # a page per repository, each with no tag of its own making
    for page_file in pages:
        assert html(page_file.read_text(encoding="utf-8")).tags <= allowed


def test_the_summary_in_json_equals_the_markdown_headline():
    """Every number the Markdown headline shows is the report's `summary` field, read back."""
    from auditor.render.text import KIND_TEXT, OUTCOME_TEXT

    r = corpus_report()
    r = r.model_copy(
        update={
            "repos": [
                a.model_copy(update={"repeatable": P, "pwc_score": 4}) if a.kind else a for a in r.repos
            ]
        }
    )
    r = finalize(r.model_copy(update={"summary": None}))
    s = r.summary
    text = markdown.render(r)
    numbers = {
        "papers": r"- \*\*(\d+)\*\* papers:",
        "papers_mentioning_code": r"papers: \*\*(\d+)\*\* \(\d+%\) mention code",
        "papers_linking_repository": r", \*\*(\d+)\*\* \(\d+%\) link a repository",
        "promises_not_kept": r"- \*\*(\d+)\*\* promises? not kept",
        "repos": r"- \*\*(\d+)\*\* repositor(?:y|ies):",
        "audited": r"repositor(?:y|ies): \*\*(\d+)\*\* \(\d+%\) could be audited",
        "placeholders": r"- \*\*(\d+)\*\* placeholders?:",
        "scored": r"over (\d+) scored",
        "repeatable": r"- \*\*(\d+)\*\* of \d+ [\w-]+ repositor(?:y|ies) repeatable",
        "repeatable_decided": r"- \*\*\d+\*\* of (\d+) [\w-]+ repositor(?:y|ies) repeatable",
        "scope_repos": r"### Checklist items over the (\d+) ",
    }
    for field, pattern in numbers.items():
        (found,) = re.findall(pattern, text)
        assert int(found) == getattr(s, field), field
    assert re.search(r"Median score \*\*(\d+)%\*\*", text).group(1) == str(round(s.median * 100))
    assert re.search(r"Papers with Code score \*\*([\d.]+)/5\*\*", text).group(1) == f"{s.pwc_median:g}"
    assert f"{s.outcomes[PaperOutcome.READING_LIST]}** point to a survey's reading list" in text
    missing = re.search(r"not audited: ([^.]+)\.", text).group(1)
    assert dict((status, int(n)) for n, status in (part.split(" ") for part in missing.split(", "))) == {
        k.value: v for k, v in s.not_audited.items()
    }
    kinds = re.search(r"- By kind: ([^.]+)\.", text).group(1)
    assert kinds == "1 method code, 1 tool, 1 curated list, 2 placeholders"
    assert [k.repos for k in s.kinds] == [1, 1, 1, 2]
    page = html(text)
    outcome_rows = {row[0]: int(row[1]) for row in table(page, "Outcome")[1:]}
    assert outcome_rows == {OUTCOME_TEXT[o]: n for o, n in s.outcomes.items() if n}
    item_rows = {row[0].split(":")[0]: row[1:6] for row in table(page, "Item")[1:]}
    assert item_rows == {
        i.id: [str(i.passed), str(i.failed), str(i.unknown), str(i.not_applicable), str(i.error)]
        for i in s.items
    }
    kind_rows = {row[0]: int(row[1]) for row in table(page, "Kind")[1:]}
    assert kind_rows == {KIND_TEXT[k.kind]: k.repos for k in s.kinds}


def test_run_paper_leads_with_the_papers_view(tmp_path, mirror, capsys):
    root, add = mirror
    add("Bekhouche", "SegDT", {"README.md": "# SegDT\nThe code will be released soon.\n"})
    out = tmp_path / "out"
    clone = f"file://{root}/{{owner}}/{{name}}"
    args = [
        "run",
        "--paper",
        "SegDT",
        "--clone-url",
        clone,
        "--cache-dir",
        str(tmp_path / "c"),
        "--out",
        str(out),
    ]
    assert main(args) == 0
    text = (out / "report.md").read_text(encoding="utf-8")
    first = text.split("## Summary")[0]
    assert "## SegDT: A Diffusion Transformer-Based Segmentation Model for Medical Imaging" in first
    assert "> The code is made publicly available at https://github.com/Bekhouche/SegDT{GitHub}." in first
    assert "> — *available*" in first and "**Outcome: links a placeholder**" in first
    assert (
        "- repository [github.com/bekhouche/segdt](#github.com+bekhouche+segdt): audited, placeholder"
        in first
    )
    terminal = capsys.readouterr().out
    assert terminal.startswith(
        "SegDT: A Diffusion Transformer-Based Segmentation Model for Medical Imaging\n"
    )
    assert "says (available): “The code is made publicly available at" in terminal
