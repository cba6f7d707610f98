"""README results: the main results shown in the README, as a table of numbers or as an image.

Judged from the README itself (what a reader sees on opening the repository; results only in a
linked document are not shown there). A table of metrics, or numbers listed under a results
heading, pass. An image passes when it is a results figure by its name or alt text (`table2.png`,
"benchmark"), or by the heading it sits under (Results, Performance, Benchmark); a teaser,
architecture or qualitative figure (examples, samples) does not. An image the copy does not
hold, of which nothing else tells, leaves the item `unknown`.
"""

from __future__ import annotations

import re
from functools import cache
from urllib.parse import urlsplit

from auditor.checks.applicable import NO_SOFTWARE, not_expected, readme_unusable
from auditor.checks.base import Finding, check, failed, not_applicable, passed, unknown
from auditor.facts.documents import resolve, root_document
from auditor.facts.kind import RepoKind, repo_kind, software_package
from auditor.facts.markdown import Document, Link, Table
from auditor.facts.repository import Facts
from auditor.facts.text import snippet
from auditor.models import Evidence
from auditor.resources import data

_NUMBER = re.compile(r"^[~≈<>±+\-\u2212]?\s*\d{1,3}(?:[.,]\d+)?\s*(?:%|±\s*\d+(?:[.,]\d+)?%?)?$")
_DECIMAL = re.compile(r"\d[.,]\d|\d\s*%")
_METRIC = re.compile(
    r"\b(dice|dsc|iou|miou|jaccard|auc|auroc|roc|acc(uracy)?|f1|precision|recall|sensitivity|specificity|"
    r"hd95|hd|hausdorff|asd|assd|nsd|mae|mse|rmse|psnr|ssim|lpips|fid|bleu|rouge|meteor|cider|bertscore|"
    r"map|ap\d*|top-?1|top-?5|kappa|c-?index|ece|error|loss|score|r2|pcc|srcc|ncc)\b",
    re.IGNORECASE,
)
# Tables that are not results wherever they stand, and (outside a results section) tables of what
# the data or the setup is.
_SETUP = re.compile(
    r"\b(hyper-?parameters?|parameters?|settings?|config(uration)?|implementation details?|training details?|"
    r"statistics|license|requirements?|versions?)\b",
    re.IGNORECASE,
)
_NOT_RESULTS = re.compile(
    r"\b(dataset|data ?sets?|modalit(y|ies)|classes)\b|" + _SETUP.pattern, re.IGNORECASE
)
MIN_NUMBERS = 3


def _clean(cell: str) -> str:
    return re.sub(r"[*_`↑↓]|\\", "", cell).strip()


def _numeric(cell: str) -> bool:
    cell = _clean(cell)
    return bool(_NUMBER.match(cell)) and bool(_DECIMAL.search(cell))


def _results_table(table: Table, results_section: bool) -> bool:
    numbers = sum(1 for row in table.rows for cell in row if _numeric(cell))
    # a header of two rows (groups, then metrics) puts the metric names in the first body row
    header = " ".join(table.header) + " " + " ".join(table.rows[0] if table.rows else ())
    metric_header = bool(_METRIC.search(header))
    if numbers < MIN_NUMBERS and not (metric_header and numbers >= 2 and results_section):
        return False
    first_column = " ".join(row[0] for row in table.rows if row)
    if _SETUP.search(" ".join(table.header)) and not metric_header:
        return False
    if metric_header or _METRIC.search(first_column):
        return True
    if results_section:
        return not _SETUP.search(table.section)
    if _NOT_RESULTS.search(" ".join(table.header)):
        return False
    return (
        bool(re.search(data("readme")["sections"]["results"], " ".join(table.sections), re.I))
        and numbers >= 6
    )


def _in_results(sections: tuple[str, ...]) -> bool:
    pattern = re.compile(data("readme")["sections"]["results"], re.IGNORECASE)
    return any(pattern.search(s) for s in sections)


@cache
def _image_rules() -> dict[str, re.Pattern[str]]:
    return {k: re.compile(v, re.IGNORECASE) for k, v in data("readme")["result_images"].items()}


def _body_sections(doc: Document, sections: tuple[str, ...]) -> tuple[str, ...]:
    """The sections of an element without the document's title: a README titled "…: A Benchmark
    for …" does not make every figure a benchmark."""
    title = doc.headings[0] if doc.headings and doc.headings[0].level == 1 else None
    if title is not None and sections and sections[0] == title.title:
        return sections[1:]
    return sections


def _result_image(doc: Document, link: Link) -> bool:
    """Whether an image of the README is a results figure, by its name, alt text and heading."""
    rules = _image_rules()
    name = urlsplit(link.url).path.rpartition("/")[2]
    said = f"{name} {link.text}"
    sections = _body_sections(doc, link.sections)
    innermost = sections[-1] if sections else ""
    if rules["qualitative"].search(said) or rules["qualitative"].search(innermost):
        return False
    if rules["names"].search(said):
        return True
    if rules["teaser"].search(said):
        return False
    return bool(rules["headings"].search(innermost))


def _held(facts: Facts, doc: Document, link: Link) -> bool | None:
    """Whether the copy holds a README image: True for a file it holds, False for one it lists
    but could not fetch or does not have; None for an image hosted elsewhere."""
    target = resolve(facts, doc.path, link.url)
    if target is None:
        return None if link.url.startswith(("http://", "https://", "//")) else False
    entry = facts.entries.get(target.path)
    return entry is not None and entry.size is not None


@check("readme-results")
def readme_results(facts: Facts) -> Finding:
    skip = readme_unusable(facts, "results") or not_expected(
        facts, "no experiments to report", kinds=(RepoKind.CURATED_LIST,)
    )
    if skip is not None:
        return skip
    doc = root_document(facts)
    if doc is None:  # readable, as readme_unusable said: for the type checker
        return unknown("the README could not be read as text")
    tables = [t for t in doc.tables if _results_table(t, _in_results(t.sections))]
    if tables:
        evidence = [
            Evidence(path=doc.path, line=t.line, note=snippet(" | ".join(t.header))) for t in tables[:5]
        ]
        return passed(f"{len(tables)} table(s) of results", *evidence)
    listed = [
        text
        for text in doc.texts
        if _in_results(text.sections)
        and _METRIC.search(text.text)
        and len(re.findall(r"\d+[.,]\d+\s*%?|\d+\s*%", text.text)) >= 1
    ]
    if len(listed) >= 2:
        evidence = [Evidence(path=doc.path, line=t.line, note=snippet(t.text)) for t in listed[:5]]
        return passed("numeric results listed in a results section", *evidence)
    images = [link for link in doc.links if link.image and _result_image(doc, link)]
    shown = [link for link in images if _held(facts, doc, link) is not False]
    if shown:
        return passed(
            "results shown as an image (a results figure by its name, alt text or heading)",
            *(Evidence(path=doc.path, line=link.line, note=link.url) for link in shown[:5]),
        )
    if images:
        return unknown(
            "results are shown only as images that the copy does not hold (missing, or too large to "
            "fetch), and nothing else tells",
            *(Evidence(path=doc.path, line=link.line, note=link.url) for link in images[:5]),
        )
    headings = [h for h in doc.headings if _in_results((h.title,)) and not _NOT_RESULTS.search(h.title)]
    experiments = _image_rules()["experiments"]
    if not any(experiments.search(h.title) for h in doc.headings[1:]):
        kind = repo_kind(facts)
        if kind.kind in NO_SOFTWARE:
            return not_applicable(f"{kind.reason}: it reports no experiments", *kind.evidence)
        package = software_package(facts)
        if package is not None:
            return not_applicable(
                f"a software package ({package.note}) that reports no experiments of its own", package
            )
    evidence = [Evidence(path=doc.path, line=h.line, note=f"heading: {h.title}") for h in headings[:3]]
    return failed("no results in the README: no table of results, no results figure", *evidence)
