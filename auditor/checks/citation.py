"""Citation: the repository's own, in its README, a CITATION.cff, or a page the README points to
for citing.

BibTeX in other Markdown pages (a dataset description of a curated list, a vendored library's
README) cites other people's work; BibTeX in an acknowledgements section cites the work built on,
unless the README says to cite it. The message names the file the citation came from.
"""

from __future__ import annotations

import re

from auditor.checks.base import Finding, check, failed, passed, unknown
from auditor.data import file_families
from auditor.data.parse import ParseRefused, parse_yaml
from auditor.facts.documents import base_dir, linked_documents, readme_unread, resolve, root_document
from auditor.facts.markdown import Document, Link, Text, section_of
from auditor.facts.repository import Facts
from auditor.facts.text import snippet
from auditor.models import Evidence

_BIBTEX = re.compile(
    r"@(article|inproceedings|misc|manual|incollection|inbook|book|phdthesis|mastersthesis|techreport|"
    r"unpublished|conference|online|software|dataset|proceedings)\s*\{\s*[^,\s]+\s*,",
    re.IGNORECASE,
)
_TITLE = re.compile(r"\btitle\s*=", re.IGNORECASE)
_ELSEWHERE = re.compile(r"acknowledg|related|built (up)?on|third[- ]party|baselines?", re.IGNORECASE)
_CITE = re.compile(r"citation|cite|citing|bibtex|references?\b|publications?\b", re.IGNORECASE)
# A sentence that asks readers to cite this work ("If you use this code, please cite:"), or a
# label line that opens a list of references ("REFERENCES:").
_ASKS = re.compile(
    r"\b(please (also )?cite|cit(e|ing) (us|our|this|the following)|"
    r"if you (use|find|leverage|build on|apply)\b.{0,120}\bcit(e|ing)|"
    r"how to cite)\b|"
    r"^\W*(references?|citations?|publications?|bibtex)\W*:?\s*$",
    re.IGNORECASE,
)
# "please also cite their work": others'; "please also cite this paper": this work's own.
_OTHERS = re.compile(
    r"\b(also cite (their|these|those|the original)|their|the original|these works|those works)\b",
    re.IGNORECASE,
)
_REFERENCE = re.compile(r"\b(19|20)\d\d\b")
# A DOI names a citable work however short its line ("DOI 10.5281/zenodo.5072214").
_DOI = re.compile(r"\b10\.\d{4,9}/\S+")
# How many lines after a request to cite its reference may follow, and before one it may precede.
REFERENCE_WINDOW = 8
REQUEST_AFTER = 2


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


def _citing_documents(facts: Facts) -> list[tuple[Document, str]]:
    """The README, then the pages it links for citing (the link's text, line or section says so),
    each with how a reader reaches it."""
    root = root_document(facts)
    if root is None:
        return []
    out = [(root, "in the README")]
    linked = {d.path: d for d in linked_documents(facts)}
    lines = {t.line: t.text for t in root.texts}
    for link in root.links:
        context = f"{link.text} {lines.get(link.line, '')} {section_of(link.sections)}"
        target = resolve(facts, root.path, link.url)
        if target is None or not _CITE.search(context) or target.path not in linked:
            continue
        if all(d.path != target.path for d, _ in out):
            out.append((linked[target.path], f"in {target.path}, which the README links for citing"))
    return out


def _asks_to_cite(text: str) -> bool:
    """Whether a line asks readers to cite this work (not "please also cite theirs")."""
    return bool(_ASKS.search(text)) and not _OTHERS.search(text)


def _asked(doc: Document, line: int, after: int = 0) -> bool:
    """Whether the README asks to cite this work just above `line`, or within `after` lines below
    it (not "please also cite theirs")."""
    near = [t for t in doc.texts_within(line - REFERENCE_WINDOW, line + after) if t.line != line]
    return any(_asks_to_cite(t.text) for t in near)


def _bibtex(doc: Document) -> tuple[int, str] | None:
    for block in doc.code_blocks:
        m = _BIBTEX.search(block.text)
        if not m or not _TITLE.search(block.text):
            continue
        title = section_of(block.sections)
        elsewhere = _ELSEWHERE.search(title) and not _CITE.search(title)
        if elsewhere and not _asked(doc, block.line):
            continue
        return block.line + block.text.count("\n", 0, m.start()), snippet(m.group())
    for text in doc.texts:
        m = _BIBTEX.search(text.text)
        if m and not _ELSEWHERE.search(section_of(text.sections)):
            return text.line, snippet(m.group())
    return None


def _plain_reference(doc: Document) -> Text | None:
    """A reference in words: under a citation or references heading, or right after a request to
    cite this work; one with a year, long enough to be a reference."""
    listed = _bibliographies(doc)
    for i, text in enumerate(doc.texts):
        # a reference set over a few lines (title, authors, venue and year) is read as one
        joined = " ".join(t.text for t in doc.texts[i : i + 3] if t.line - text.line <= 2)
        if not _DOI.search(joined) and (len(joined) <= 40 or not _REFERENCE.search(joined)):
            continue
        title = section_of(text.sections)
        if title in listed:
            continue
        if _CITE.search(title) and not _ELSEWHERE.search(title):
            return text
        # the request may follow the reference ("… (2018). In Proc. ICDM. / Please cite our paper.")
        if _asked(doc, text.line, after=REQUEST_AFTER) or (_asks_to_cite(text.text)):
            return text
    for block in doc.code_blocks:  # a reference set in a code block
        body = block.text.strip()
        cited = _CITE.search(section_of(block.sections)) or _asked(doc, block.line)
        if cited and _REFERENCE.search(body) and len(body) > 40:
            return Text(block.line, block.sections, body)
    return None


# A section of the works a README draws on ("References", "Bibliography"), not of how to cite it.
_BIBLIOGRAPHY = re.compile(r"^\W*(references|bibliography|literature)\W*$", re.IGNORECASE)
# References in such a section that make it a list of others' works.
MIN_LISTED = 3


def _bibliographies(doc: Document) -> frozenset[str]:
    """Titles of sections that list others' works: a "References" section of several
    references, where nothing asks to cite this work."""
    counts: dict[str, int] = {}
    for text in doc.texts:
        title = section_of(text.sections)
        if _BIBLIOGRAPHY.match(title) and text.text != title:  # its heading's own line aside
            if _asks_to_cite(text.text):
                counts[title] = -len(doc.texts)  # this work's own among them
            elif _REFERENCE.search(text.text) or _DOI.search(text.text):
                counts[title] = counts.get(title, 0) + 1
    return frozenset(title for title, n in counts.items() if n >= MIN_LISTED)


# What a work is cited by: its paper's arXiv abstract or PDF, a DOI, or a Zenodo record of the
# software (`zenodo.org/records/…`, or the `latestdoi` link of its DOI badge).
_PAPER_ID = re.compile(
    r"^https?://(www\.)?(arxiv\.org/(abs|pdf)/\d{4}\.\d{4,5}|(dx\.)?doi\.org/10\.\d{4,9}/|"
    r"zenodo\.org/(records?/\d+|badge/latestdoi/\d+|doi/10\.))",
    re.I,
)


def _paper_to_cite(doc: Document) -> Link | None:
    """A request to cite this work whose line links what to cite by its identifier ("please cite
    us! The citation can be exported from [the paper](https://arxiv.org/abs/2307.15208)", "use
    the [DOI](https://zenodo.org/badge/latestdoi/123) to cite this work")."""
    asking = {t.line for t in doc.texts if _asks_to_cite(t.text)}
    return next((link for link in doc.links if link.line in asking and _PAPER_ID.match(link.url)), None)


@check("citation")
def citation(facts: Facts) -> Finding:
    base = base_dir(facts)
    cff_path = next(
        (p for p in facts.files if p.lower() == (f"{base}/citation.cff" if base else "citation.cff")), None
    )
    cff_problem = None
    cff = facts.text(cff_path) if cff_path is not None else None
    if cff_path is not None and cff is not None:
        cff_problem = validate_cff(cff.text)
        if cff_problem is None:
            return passed("a valid CITATION.cff", Evidence(path=cff_path))
    for path in facts.files:
        # a BibTeX file of its own at the root (`CITATION`, `CITATION.bib`), which GitHub shows too
        folder, _, name = path.rpartition("/")
        if (
            folder == base
            and name.lower() in file_families()["citation_files"]
            and name.lower() != "citation.cff"
        ):
            bib = facts.text(path)
            m = _BIBTEX.search(bib.text) if bib is not None else None
            if bib is not None and m is not None:
                line = bib.text.count("\n", 0, m.start()) + 1
                return passed(f"BibTeX in {path}", Evidence(path=path, line=line, note=snippet(m.group())))
    documents = _citing_documents(facts)
    for doc, where in documents:
        found = _bibtex(doc)
        if found is not None:
            line, note = found
            return passed(f"BibTeX {where} ({doc.path})", Evidence(path=doc.path, line=line, note=note))
    for doc, where in documents[:1]:
        reference = _plain_reference(doc)
        if reference is not None:
            return passed(
                f"a plain-text reference to cite {where} ({doc.path}), no BibTeX",
                Evidence(path=doc.path, line=reference.line, note=snippet(reference.text)),
            )
        paper = _paper_to_cite(doc)
        if paper is not None:
            return passed(
                f"the README asks to cite this work and links what to cite ({doc.path}), no BibTeX",
                Evidence(
                    path=doc.path, line=paper.line, url=paper.url, note=snippet(paper.text or paper.url)
                ),
            )
    # what could not be read may hold the citation: neither a pass nor a fail
    unread = [p for p in (readme_unread(facts), cff_path if cff is None else None) if p is not None]
    if unread:
        also = f"; CITATION.cff is invalid: {cff_problem}" if cff_problem else ""
        return unknown(
            f"{' and '.join(unread)} could not be read{also}",
            *(Evidence(path=p, note="unreadable") for p in unread),
        )
    if cff_path is not None:
        return failed(f"CITATION.cff is invalid: {cff_problem}", Evidence(path=cff_path))
    return failed("no citation of this work: no BibTeX or reference in the README, no CITATION.cff")
