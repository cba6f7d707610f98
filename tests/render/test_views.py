"""The HTML page, the SARIF log and the CSV table: each a pure view of the same report."""

import csv
import io
import json
from html.parser import HTMLParser
from pathlib import Path

import jsonschema

from auditor.models import ChecklistItem, Evidence, PaperOutcome, RepoKind, RepoStatus, StatementKind, Waiver
from auditor.render import csvtable, html, sarif
from auditor.render.text import tone
from reports import ITEMS, F, P, U, corpus_report, paper, repo, report

SCHEMA = Path(__file__).parent / "data" / "sarif-schema-2.1.0.json"
HOSTILE = 'A <script>alert(1)</script> "q" & <img src=x onerror=alert(2)>'


def sample():
    evidence = {
        "license": [Evidence(path="docs/LICENSE.txt", line=3, note="not at the root")],
        "code": [Evidence(path="train.py", line=1)],
    }
    good = repo(
        "github.com/lab/repo",
        {"code": P, "license": F, "weights": U},
        score=0.67,
        kind=RepoKind.METHOD,
        evidence=evidence,
        url="https://github.com/Lab/Repo",
    )
    gone = repo("github.com/lab/gone", status=RepoStatus.NOT_FOUND)
    return report(
        [good, gone],
        [
            paper(HOSTILE, ["github.com/lab/repo"], says=StatementKind.AVAILABLE, url="javascript:alert(3)"),
            paper("Gone paper", ["github.com/lab/gone"]),
            paper("Promise", says=StatementKind.PROMISED, date="2025-01-01"),
            paper("Silent"),
        ],
    )


class _Refs(HTMLParser):
    """Every attribute that can make a browser load something, and every tag."""

    def __init__(self) -> None:
        super().__init__()
        self.loads: list[tuple[str, str, str]] = []
        self.anchors: list[str] = []
        self.tags: set[str] = set()
        self.style: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        self._in_style = tag == "style"
        for name, value in attrs:
            if tag == "a" and name == "href":
                self.anchors.append(value)
            elif name in (
                "src",
                "href",
                "srcset",
                "data",
                "poster",
                "action",
                "background",
                "xlink:href",
            ) or (name == "style" and "url(" in value):
                self.loads.append((tag, name, value))

    def handle_data(self, data):
        if self._in_style:
            self.style.append(data)


def test_the_html_page_is_self_contained():
    page = html.render(sample())
    refs = _Refs()
    refs.feed(page)
    assert refs.loads == []  # no stylesheet, script, image or frame from anywhere
    assert not {"script", "link", "iframe", "img", "object", "embed"} & refs.tags
    style = "".join(refs.style)
    assert "url(" not in style and "@import" not in style
    assert "default-src 'none'" in page  # and the browser is told to load nothing else
    assert "<svg" in page  # the chart is inline
    # Links are anchors a reader may follow: to parts of the page, or evidence at the commit.
    assert all(a.startswith(("#", "https://")) for a in refs.anchors)
    assert "https://github.com/Lab/Repo/blob/" + "a" * 40 + "/docs/LICENSE.txt#L3" in refs.anchors


def test_the_html_page_shows_hostile_text_as_text():
    page = html.render(sample())
    refs = _Refs()
    refs.feed(page)
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "javascript:" not in "".join(refs.anchors)


def test_the_html_page_has_each_papers_view_and_each_repository():
    page = html.render(sample())
    assert 'id="paper-promise"' in page and "promised, not kept" in page
    assert 'id="repo-github.com+lab+repo"' in page and 'href="#repo-github.com+lab+repo"' in page
    assert "Code promised." in page  # the statement is quoted


def validator() -> jsonschema.Draft4Validator:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft4Validator.check_schema(schema)
    return jsonschema.Draft4Validator(schema)


def test_sarif_validates_against_the_sarif_2_1_0_schema():
    log = sarif.sarif(sample())
    validator().validate(log)
    assert log["version"] == "2.1.0"
    (run,) = log["runs"]  # one run per audited repository; the missing one has no results to show
    assert [rule["id"] for rule in run["tool"]["driver"]["rules"]] == [i.id for i in ITEMS]


def test_sarif_puts_each_failed_item_on_the_file_it_concerns():
    (run,) = sarif.sarif(sample())["runs"]
    (result,) = run["results"]  # the one failed item; passes and unknowns are no results
    assert result["ruleId"] == "license" and result["level"] == "warning"
    location = result["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {"uri": "docs/LICENSE.txt", "uriBaseId": "SRCROOT"}
    assert location["region"] == {"startLine": 3}
    assert "How to fix: f" in result["message"]["text"]
    assert run["versionControlProvenance"][0]["revisionId"] == "a" * 40


def test_sarif_places_a_failure_without_a_file_at_the_readme_and_suppresses_a_waiver():
    readme = {"readme": [Evidence(path="docs/README.rst")]}
    items = [*ITEMS, ChecklistItem(id="readme", title="README", rationale="r", fix="f")]
    audit = repo("github.com/a/b", {"code": F, "license": F, "readme": P}, score=0.0, evidence=readme)
    waived = [
        r.model_copy(update={"waiver": Waiver(reason="in-house", source=".auditor.toml")})
        if r.id == "license"
        else r
        for r in audit.results
    ]
    log = sarif.sarif(report([audit.model_copy(update={"results": waived})], items=items))
    validator().validate(log)
    results = {r["ruleId"]: r for r in log["runs"][0]["results"]}
    uri = results["code"]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri == "docs/README.rst"
    assert results["license"]["suppressions"][0]["justification"] == "in-house (.auditor.toml)"
    assert "suppressions" not in results["code"]


def test_sarif_encodes_odd_file_names_as_uri_references():
    evidence = {"license": [Evidence(path="a dir/LICENSE\x1b[31m.txt")]}
    log = sarif.sarif(report([repo("github.com/a/b", {"license": F}, score=0.0, evidence=evidence)]))
    validator().validate(log)
    location = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert location["uri"] == "a%20dir/LICENSE%1B%5B31m.txt"


def test_csv_has_a_row_per_paper_and_repository_and_a_column_per_item():
    rows = list(csv.DictReader(io.StringIO(csvtable.render(sample()))))
    assert [r["title"] for r in rows] == [HOSTILE, "Gone paper", "Promise", "Silent"]
    first = rows[0]
    assert (first["outcome"], first["repository"], first["kind"], first["score"]) == (
        "links-code",
        "github.com/lab/repo",
        "method",
        "0.67",
    )
    assert (first["code"], first["license"], first["weights"]) == ("pass", "fail", "unknown")
    promise = rows[2]
    assert (promise["outcome"], promise["age_days"], promise["repository"]) == (
        "promised-not-kept",
        "365",
        "",
    )
    assert rows[3]["outcome"] == "no-code-mentioned"


def test_csv_without_papers_is_one_row_per_repository():
    rows = list(csv.DictReader(io.StringIO(csvtable.render(report([repo("github.com/a/b", {"code": P})])))))
    assert rows == [
        {
            "repository": "github.com/a/b",
            "kind": "",
            "status": "ok",
            "score": "",
            "repeatable": "",
            "pwc_score": "",
            "code": "pass",
            "license": "",
            "weights": "",
        }
    ]


def test_a_title_that_is_a_spreadsheet_formula_is_quoted_in_the_csv():
    titles = ['=HYPERLINK("https://evil.example","click")', "+1 trick", "@SUM(A1)", "Plain -title"]
    rows = list(csv.DictReader(io.StringIO(csvtable.render(report([], [paper(t) for t in titles])))))
    assert [r["title"] for r in rows] == [
        '\'=HYPERLINK("https://evil.example","click")',
        "'+1 trick",
        "'@SUM(A1)",
        "Plain -title",
    ]


def test_a_paper_whose_code_could_not_be_judged_is_shown_neither_good_nor_bad():
    """'Repository not audited' (cannot tell), a page only or no code mentioned were shown in
    the colour of code that is there."""
    assert {tone(o) for o in (PaperOutcome.NOT_AUDITED, PaperOutcome.PAGE, PaperOutcome.NONE)} == {"neutral"}
    assert (tone(PaperOutcome.CODE), tone(PaperOutcome.MISSING)) == ("good", "bad")
    page = html.render(corpus_report())
    assert '<span class="neutral">repository not audited</span>' in page
    assert '<span class="bad">links a missing repository</span>' in page
