"""The Markdown report, rendered to HTML as GitHub would: tables hold, hostile text stays text."""

from html.parser import HTMLParser

import pytest
from markdown_it import MarkdownIt

from auditor.cli import main
from auditor.models import ChecklistItem, Evidence, RepoStatus, StatementKind
from auditor.render import markdown
from auditor.render.symbols import score_text
from auditor.report.files import read_report
from reports import F, P, U, paper, repo, report

HOSTILE = 'A | B <script>alert(1)</script> <img src=x onerror="alert(2)"> **bold** $x^2$ [c](javascript:alert(3)) &lt;'


class _Page(HTMLParser):
    """Tables (rows of cell texts), tags seen, and link targets of rendered HTML."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[list[list[str]]] = []
        self.tags: set[str] = set()
        self.hrefs: list[str] = []
        self.images: list[str] = []
        self.text: list[str] = []
        self.headings: list[str] = []
        self._cell: list[str] | None = None
        self._heading: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        if tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self.tables[-1].append([])
        elif tag in ("td", "th"):
            self._cell = []
        elif tag in ("h1", "h2", "h3"):
            self._heading = []
        elif tag == "a" and dict(attrs).get("href"):
            self.hrefs.append(dict(attrs)["href"])
        elif tag == "img":
            self.images.append(dict(attrs)["src"])

    def handle_endtag(self, tag):
        if tag in ("h1", "h2", "h3") and self._heading is not None:
            self.headings.append("".join(self._heading))
            self._heading = None
        if tag in ("td", "th") and self._cell is not None:
            self.tables[-1][-1].append("".join(self._cell).strip())
            self._cell = None

    def handle_data(self, data):
        self.text.append(data)
        if self._heading is not None:
            self._heading.append(data)
        if self._cell is not None:
            self._cell.append(data)


def html(text: str) -> _Page:
    """GitHub-flavoured Markdown (tables, raw HTML allowed as GitHub's parser does) → parsed page."""
    page = _Page()
    page.feed(MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"]).render(text))
    return page


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
        "badges/github.com_2flab_2frepo.svg",
        "badges/github.com_2flab_2fgone.svg",
    ]
    # The only bold text is the report's own item titles, never the paper's **bold**.
    text = "".join(page.text)
    assert "**bold**" in text and "<script>alert(1)</script>" in text and "$x^2$" in text
    assert "&lt;" in text  # an entity in a title is shown as written, not decoded
    assert not [h for h in page.hrefs if not h.startswith(("#", "https://", "badges/", "pass-rate"))]


def test_table_cells_survive_pipes_in_titles():
    page = html(markdown.render(hostile_report()))
    items_table, papers_table = page.tables
    assert papers_table[0] == ["Paper", "Repository", "Score", "code", "license", "weights"]
    assert all(len(row) == 6 for row in papers_table)
    assert papers_table[1][0] == HOSTILE  # the whole title in one cell, as written
    assert papers_table[1][1:] == ["github.com/lab/repo", "67%", "✅", "❌", "❔"]
    assert papers_table[2][:3] == ["Second | paper", "github.com/lab/gone", "not-found"]
    assert papers_table[3][:3] == ["Only a promise", "none (promised)", "–"]
    assert len(papers_table) == 4  # "Says nothing" is only counted
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
    assert "#github.com_2flab_2frepo" in page.hrefs


def test_local_audits_show_paths_without_links():
    audit = repo("x/me/tool", {"code": P}, evidence={"code": [Evidence(path="main.py")]}, url="/home/me/tool")
    local = audit.model_copy(update={"repo": audit.repo.model_copy(update={"source": "local"})})
    text = markdown.render(report([local]))
    assert "  - main.py" in text and "blob" not in text


def test_promises_not_kept_are_listed_with_their_reason():
    text = markdown.render(hostile_report())
    section = text.split("## Promises not kept")[1].split("##")[0]
    assert "Second \\| paper: repository not found" in section
    assert "Only a promise: code promised, no repository linked" in section


def test_headline_counts_papers_links_placeholders_and_promises():
    text = markdown.render(hostile_report())
    assert "- **4** papers: **2** (50%) say something about their code, **2** (50%) link a code" in text
    assert "- **2** repositories: **1** (50%) could be audited; not audited: 1 not-found." in text
    assert "- **0** placeholders" in text
    assert "- **2** promises not kept" in text
    assert "`██████████` 100%" in text  # code passed in the one audited repository


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
    repos_table = page.tables[1]
    assert repos_table[0] == ["Repository", "Score", "x-1", "weird_id"]
    expected = (
        ["gitlab.com/g/p", "–", "✅", "❌"]
        if status is RepoStatus.OK
        else ["gitlab.com/g/p", status.value, "", ""]
    )
    assert repos_table[1] == expected


def test_summary_is_the_headline_without_files_beside_it():
    text = markdown.summary(hostile_report())
    assert "## Summary" in text and "Pass rate" in text
    assert "pass-rate.svg" not in text and "badges/" not in text
    assert "## Papers by checklist item" not in text


def test_summary_of_a_few_repositories_shows_their_verdicts_and_fixes():
    few = markdown.summary(hostile_report())
    assert "### github.com/lab/repo" in few
    assert "- ❌ **License**: license is fail\n  - How to fix: f" in few
    many = report([repo(f"github.com/lab/r{i}", {"code": P}) for i in range(6)])
    assert "### github.com" not in markdown.summary(many)


def test_anchors_are_distinct_for_distinct_keys():
    keys = ["a-b/c", "a/b-c", "a_/b", "a/_b", "A/b", "a/b"]
    assert len({markdown.anchor(k) for k in keys}) == len(keys)
    assert markdown.anchor("github.com/lab/seg_tool") == "github.com_2flab_2fseg_5ftool"


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
    _, papers_table = page.tables
    assert {len(row) for row in papers_table} == {3 + len(report.checklist_items)}
    shown = {row[0] for row in papers_table[1:]}
    assert shown == {p.paper.title for p in report.papers if p.repos or p.statements}
    allowed = {"h1", "h2", "h3", "p", "ul", "li", "a", "img", "code", "strong"}
    assert page.tags <= allowed | {"table", "thead", "tbody", "tr", "th", "td"}
    rows = {row[1]: row for row in papers_table[1:]}
    scores = {a.repo.key: score_text(a.score) for a in report.repos}
    assert rows["github.com/bekhouche/segdt"][2:4] == [scores["github.com/bekhouche/segdt"], "❌"]
    assert rows["github.com/gabrielelozupone/ldae"][2] == scores["github.com/gabrielelozupone/ldae"]
