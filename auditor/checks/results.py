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

from auditor.checks.applicable import not_expected, readme_unusable
from auditor.checks.base import Finding, check, failed, not_applicable, passed, unknown
from auditor.data import data_table
from auditor.facts.documents import resolve, root_document
from auditor.facts.kind import RepoKind, reports_experiments, software_package
from auditor.facts.markdown import Document, Link
from auditor.facts.repository import Facts
from auditor.facts.results import NOT_RESULTS, in_results, results_lines, results_tables
from auditor.facts.text import snippet
from auditor.facts.urls import split_url
from auditor.models import Evidence


@cache
def _image_rules() -> dict[str, re.Pattern[str]]:
    return {k: re.compile(v, re.IGNORECASE) for k, v in data_table("readme")["result_images"].items()}


def _result_image(doc: Document, link: Link) -> bool:
    """Whether an image of the README is a results figure, by its name, alt text and heading."""
    rules = _image_rules()
    folder, _, name = split_url(link.url).path.rpartition("/")
    said = f"{name} {link.text}"
    sections = doc.body_sections(link.sections)
    innermost = sections[-1] if sections else ""
    # an image kept among demo inputs and outputs (`demo/result.jpg`) is a demonstration
    if any(rules["qualitative"].search(s) for s in (said, innermost, folder.rpartition("/")[2])):
        return False
    if rules["teaser"].search(name):
        return False  # `Architecture.png`, whatever its alt text (often copied from image to image)
    if rules["names"].search(said):
        return True
    if rules["teaser"].search(link.text):
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
    tables = results_tables(facts)
    if tables:
        evidence = [
            Evidence(path=doc.path, line=t.line, note=snippet(" | ".join(t.header))) for t in tables[:5]
        ]
        return passed(f"{len(tables)} table(s) of results", *evidence)
    listed = results_lines(facts)
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
    headings = [h for h in doc.headings if in_results((h.title,)) and not NOT_RESULTS.search(h.title)]
    if not reports_experiments(facts):
        skip = not_expected(facts, "it reports no experiments")
        if skip is not None:
            return skip
        package = software_package(facts)
        if package is not None:
            return not_applicable(
                f"a software package ({package.note}) that reports no experiments of its own", package
            )
    evidence = [Evidence(path=doc.path, line=h.line, note=f"heading: {h.title}") for h in headings[:3]]
    return failed("no results in the README: no table of results, no results figure", *evidence)
