"""Citation: BibTeX in a README, or a CITATION.cff that follows the Citation File Format."""

from __future__ import annotations

import re

from auditor.checks.base import Finding, check, failed, passed
from auditor.facts.documents import all_documents, base_dir
from auditor.facts.markdown import Text
from auditor.facts.repository import Facts
from auditor.facts.text import snippet
from auditor.models import Evidence
from auditor.resources import ParseRefused, parse_yaml

_BIBTEX = re.compile(
    r"@(article|inproceedings|misc|incollection|inbook|book|phdthesis|mastersthesis|techreport|"
    r"unpublished|conference|online|software|dataset|proceedings)\s*\{\s*[^,\s]+\s*,",
    re.IGNORECASE,
)
_TITLE = re.compile(r"\btitle\s*=", re.IGNORECASE)
_ELSEWHERE = re.compile(r"acknowledg|related|built (up)?on|third[- ]party|baselines?", re.IGNORECASE)
_CITE = re.compile(r"citation|cite|citing|bibtex", re.IGNORECASE)
_YEAR = re.compile(r"\b(19|20)\d\d\b")


def validate_cff(text: str) -> str | None:
    """The first problem of a CITATION.cff against the format's required keys; None if valid."""
    try:
        doc = parse_yaml(text)
    except ParseRefused as err:
        return str(err)
    if not isinstance(doc, dict):
        return "not a YAML mapping"
    for key in ("cff-version", "message", "title", "authors"):
        if not doc.get(key):
            return f"missing required key {key!r}"
    authors = doc["authors"]
    if not isinstance(authors, list) or not all(
        isinstance(a, dict) and (a.get("family-names") or a.get("name")) for a in authors
    ):
        return "authors must be a list of persons (family-names) or entities (name)"
    if not re.match(r"^1\.\d+\.\d+$", str(doc["cff-version"])):
        return f"unknown cff-version {doc['cff-version']!r}"
    return None


@check("citation")
def citation(facts: Facts) -> Finding:
    base = base_dir(facts)
    cff_path = next(
        (p for p in facts.files if p.lower() == (f"{base}/citation.cff" if base else "citation.cff")), None
    )
    cff_problem = None
    if cff_path is not None:
        cff = facts.text(cff_path)
        cff_problem = "unreadable" if cff is None else validate_cff(cff.text)
        if cff_problem is None:
            return passed("a valid CITATION.cff", Evidence(path=cff_path))
    for doc in all_documents(facts):
        for block in doc.code_blocks:
            if _ELSEWHERE.search(block.section) and not _CITE.search(block.section):
                continue
            m = _BIBTEX.search(block.text)
            if m and _TITLE.search(block.text):
                line = block.line + block.text.count("\n", 0, m.start())
                return passed(
                    "BibTeX in the README", Evidence(path=doc.path, line=line, note=snippet(m.group()))
                )
        for text in doc.texts:
            m = _BIBTEX.search(text.text)
            if m and not _ELSEWHERE.search(text.section):
                return passed(
                    "BibTeX in the README", Evidence(path=doc.path, line=text.line, note=snippet(m.group()))
                )
    for doc in all_documents(facts)[:1]:
        cites = [
            t for t in doc.texts if _CITE.search(t.section) and _YEAR.search(t.text) and len(t.text) > 40
        ]
        cites += [  # a reference set in a code block
            Text(b.line, b.sections, b.text.strip())
            for b in doc.code_blocks
            if _CITE.search(b.section) and _YEAR.search(b.text) and len(b.text.strip()) > 40
        ]
        if cites:
            return passed(
                "a plain-text reference to cite (no BibTeX)",
                Evidence(path=doc.path, line=cites[0].line, note=snippet(cites[0].text)),
            )
    if cff_path is not None:
        return failed(f"CITATION.cff is invalid: {cff_problem}", Evidence(path=cff_path))
    return failed("no BibTeX in the README and no CITATION.cff")
