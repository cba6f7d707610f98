"""README results: a table of numbers for the main experiments.

A "Results" heading over figures alone is not enough to pass, and not enough to fail either: the
numbers may be in the images, which are not read, so the finding is `unknown`.
"""

from __future__ import annotations

import re

from auditor.checks.applicable import not_expected, readme_unusable, without_ml
from auditor.checks.base import Finding, check, failed, not_applicable, passed, unknown
from auditor.facts.documents import linked_documents
from auditor.facts.kind import RepoKind
from auditor.facts.markdown import Document, Table
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
_NOT_RESULTS = re.compile(
    r"\b(hyper-?parameters?|parameters?|settings?|config(uration)?|implementation details?|training details?|"
    r"statistics|dataset|data ?sets?|modalit(y|ies)|classes|license|requirements?|versions?)\b",
    re.IGNORECASE,
)
_RESULT_IMAGE = re.compile(
    r"(result|table|comparison|compare|performance|benchmark|quantitative|metric|score|leaderboard|sota|ablation)",
    re.IGNORECASE,
)
MIN_NUMBERS = 3


def _clean(cell: str) -> str:
    return re.sub(r"[*_`↑↓]|\\", "", cell).strip()


def _numeric(cell: str) -> bool:
    cell = _clean(cell)
    return bool(_NUMBER.match(cell)) and bool(_DECIMAL.search(cell))


def _results_table(table: Table, results_section: bool) -> bool:
    numbers = sum(1 for row in table.rows for cell in row if _numeric(cell))
    if numbers < MIN_NUMBERS:
        return False
    header = " ".join(table.header)
    first_column = " ".join(row[0] for row in table.rows if row)
    titles = " ".join(table.sections)
    if _NOT_RESULTS.search(header) and not _METRIC.search(header):
        return False
    if _METRIC.search(header) or _METRIC.search(first_column):
        return True
    if results_section and not _NOT_RESULTS.search(table.section):
        return True
    return bool(re.search(data("readme")["sections"]["results"], titles, re.IGNORECASE)) and numbers >= 6


def _in_results(doc: Document, sections: tuple[str, ...]) -> bool:
    pattern = re.compile(data("readme")["sections"]["results"], re.IGNORECASE)
    return any(pattern.search(s) for s in sections)


@check("readme-results")
def readme_results(facts: Facts) -> Finding:
    skip = readme_unusable(facts, "results") or not_expected(
        facts, "no experiments to report", kinds=(RepoKind.CURATED_LIST,)
    )
    if skip is not None:
        return skip
    docs = linked_documents(facts)
    tables = [(doc, t) for doc in docs for t in doc.tables if _results_table(t, _in_results(doc, t.sections))]
    if tables:
        evidence = [
            Evidence(path=doc.path, line=t.line, note=snippet(" | ".join(t.header))) for doc, t in tables[:5]
        ]
        return passed(f"{len(tables)} table(s) of results", *evidence)
    listed = [
        (doc, text)
        for doc in docs
        for text in doc.texts
        if _in_results(doc, text.sections)
        and _METRIC.search(text.text)
        and len(re.findall(r"\d+[.,]\d+\s*%?|\d+\s*%", text.text)) >= 1
    ]
    if len(listed) >= 2:
        evidence = [Evidence(path=doc.path, line=t.line, note=snippet(t.text)) for doc, t in listed[:5]]
        return passed("numeric results listed in a results section", *evidence)
    images = [
        (doc, link)
        for doc in docs
        for link in doc.links
        if link.image and (_in_results(doc, link.sections) or _RESULT_IMAGE.search(f"{link.url} {link.text}"))
    ]
    if images:
        return unknown(
            "results are shown only as images, whose numbers cannot be read",
            *(Evidence(path=doc.path, line=link.line, note=link.url) for doc, link in images[:5]),
        )
    if without_ml(facts) and not any(_in_results(doc, (h.title,)) for doc in docs for h in doc.headings):
        return not_applicable("a tool that uses no machine learning and reports no experiments")
    headings = [
        (doc, h)
        for doc in docs
        for h in doc.headings
        if _in_results(doc, (h.title,)) and not _NOT_RESULTS.search(h.title)
    ]
    evidence = [Evidence(path=doc.path, line=h.line, note=f"heading: {h.title}") for doc, h in headings[:3]]
    return failed("no table of results in the README", *evidence)
