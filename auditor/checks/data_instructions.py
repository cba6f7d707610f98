"""Data instructions: where to obtain the data, and how to prepare it.

Passes on a link to a dataset host (a "Data" badge or button included), a link the README says to
get the data from, a data section with links or download commands or scripts, or data shipped in
the tree. Preparation steps without a source, a data section that only names datasets, example
files alone, and "available on request" or "private data" fail. A software package whose README
speaks of no data is not applicable: its users bring their own.
"""

from __future__ import annotations

from auditor.checks.applicable import not_expected, readme_unusable
from auditor.checks.base import Finding, check, failed, not_applicable, passed
from auditor.data import data_table
from auditor.facts.data_sources import data_sources, shipped_data
from auditor.facts.documents import data_section, linked_documents
from auditor.facts.kind import RepoKind, reports_experiments, software_package
from auditor.facts.probes import DEAD, dead_message, describe, probe
from auditor.facts.repository import Facts
from auditor.facts.urls import host_matches
from auditor.models import Artifact, ArtifactStatus, Evidence

# Data files in data folders from which a repository ships example data, and its data.
MIN_DATA_FILES = 5
SHIPPED_DATA_FILES = 50


def _dead(facts: Facts, url: str | None) -> Artifact | None:
    """The probe of a data link that cannot be had: gone, or a file share that is not public.
    A dataset portal that asks readers to register is how medical data is shared: not dead."""
    found = probe(facts, url)
    if found is None or found.status not in DEAD:
        return None
    if found.status is ArtifactStatus.RESTRICTED and not host_matches(
        found.url, data_table("data")["file_hosts"]
    ):
        return None
    return found


@check("data-instructions")
def data_instructions(facts: Facts) -> Finding:
    skip = readme_unusable(facts, "data instructions") or not_expected(
        facts, "no data to obtain", kinds=(RepoKind.CURATED_LIST,)
    )
    if skip is not None:
        return skip
    said = data_sources(facts)
    sources, preparation, closed = said.sources, said.preparation, said.closed
    docs = linked_documents(facts)
    headings = [
        (doc, h)
        for doc in docs
        for h in doc.headings
        if doc.body_sections((h.title,)) and data_section().search(h.title)
    ]
    package = software_package(facts)
    readme = docs[0].path if docs else None
    if (
        package is not None
        and not reports_experiments(facts)
        and not (headings or preparation or closed)
        and all(e.path != readme for e in sources)
    ):
        # the data a tutorial or an example of the documentation uses is not the package's
        return not_applicable(
            f"a software package ({package.note}): its users bring their own data, and its README "
            "speaks of none",
            package,
        )
    dead = [(e, a) for e in sources if (a := _dead(facts, e.url)) is not None]
    dead_evidence = [e.model_copy(update={"note": describe(a)}) for e, a in dead[:3]]
    live = [e for e in sources if all(e is not d for d, _ in dead)]
    if closed and all(e.note == "link in a data section" for e in live):
        # "we cannot share the hospital's data; to build your own, try [a tool](…)": the section's
        # other links are no source of the data the paper used
        live = []
    if live:
        message = f"where to obtain the data: {len(live)} source(s)"
        gated = sum(1 for e in live if (a := probe(facts, e.url)) and a.status is ArtifactStatus.RESTRICTED)
        if gated:
            message += f" ({gated} behind a sign-in or an access request, as dataset portals are)"
        if preparation:
            message += ", with preparation steps"
        if dead:
            message += "; " + dead_message("data", [a for _, a in dead])
        return passed(message, *live[:4], *preparation[:2], *dead_evidence)
    shipped = shipped_data(facts)
    if len(shipped) >= SHIPPED_DATA_FILES:
        return passed(
            f"data ships with the repository ({len(shipped)} files)", *(Evidence(path=p) for p in shipped[:3])
        )
    if dead:
        return failed(dead_message("data", [a for _, a in dead]), *dead_evidence, *closed[:2])
    if closed:
        return failed("the data is not obtainable (private or on request only)", *closed[:3])
    if len(shipped) >= MIN_DATA_FILES:
        return failed(
            f"only example data in the repository ({len(shipped)} files), and no source for the data itself",
            *(Evidence(path=p) for p in shipped[:3]),
        )
    if preparation:
        return failed("preparation steps, but no source for the data", *preparation[:3])
    if headings:
        doc, h = headings[0]
        return failed(
            "a data section that names no source for the data",
            Evidence(path=doc.path, line=h.line, note=h.title),
        )
    return failed("the README does not say where to obtain the data")
