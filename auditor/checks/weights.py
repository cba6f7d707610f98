"""Pretrained weights: obtainable from a link, the tree (Git LFS included) or release assets.

"Weights will be released", a bare host homepage, a model-zoo table without links and "available
on request" are not available weights, and the finding says which of them it saw. Links to the
base models a method starts from (SAM, CLIP from their publishers) are not the paper's weights.
"""

from __future__ import annotations

from auditor.checks.applicable import not_expected
from auditor.checks.base import Finding, check, failed, not_applicable, passed, unknown
from auditor.facts.code_search import code_to_come, training_hits, training_said
from auditor.facts.documents import readme_unread
from auditor.facts.kind import reports_experiments, software_package
from auditor.facts.probes import DEAD, dead_message, describe, probe
from auditor.facts.repository import Facts
from auditor.facts.sources import source_files
from auditor.facts.weights import (
    NegativeKind,
    code_weight_links,
    container_images,
    negatives,
    tree_weights,
    weight_extension,
    weight_links,
)
from auditor.models import ArtifactStatus, Evidence

AVAILABLE = ArtifactStatus.AVAILABLE


_REASONS: dict[NegativeKind | str, str] = {
    "promised": "weights are promised, not released",
    "request": "weights are available only on request",
    "withheld": "the README says the trained weights cannot be shared",
    "zoo": "a model-zoo table lists models without download links",
    "homepage": "a link leads to a host's home page, not to a model",
    "third-party": "only base models published by others are linked",
}


@check("pretrained-weights")
def pretrained_weights(facts: Facts) -> Finding:
    skip = not_expected(facts, "no trained model to release")
    if skip is not None:
        return skip
    evidence: list[Evidence] = []
    in_tree = tree_weights(facts)
    real = [w for w in in_tree if w.how != "stub"]
    for w in real[:5]:
        note = {
            "lfs": "stored with Git LFS (the clone holds a pointer)",
            "large": "weight file too large to download here",
            "file": "weight file",
        }[w.how]
        evidence.append(Evidence(path=w.path, note=note))
    for release in facts.repo.releases or []:
        for asset in release.assets:
            if weight_extension(asset.name):
                evidence.append(Evidence(url=asset.url, note=f"release {release.tag} asset {asset.name}"))
    in_code = code_weight_links(facts)
    evidence += in_code[:3]
    # an image of the method holds a trained model only where the project trains one
    trains = bool(training_hits(facts)) or training_said(facts) is not None
    images = container_images(facts) if trains else []
    evidence += images[:3]
    classes = weight_links(facts)
    own = [c for c in classes if c.kind == "own"]
    # links the artifact stage found gone or restricted are not weights anyone can download
    dead = [(c, a) for c in own if (a := probe(facts, c.link.url)) is not None and a.status in DEAD]
    live = [c for c in own if all(c is not d for d, _ in dead)]
    evidence += [Evidence(path=c.doc, line=c.link.line, url=c.link.url, note=c.note) for c in live[:5]]
    dead_evidence = [
        Evidence(path=c.doc, line=c.link.line, url=c.link.url, note=describe(a)) for c, a in dead[:5]
    ]
    if evidence:
        sources = []
        if real:
            sources.append(f"{len(real)} weight file(s) in the tree")
        if live:
            checked = sum(1 for c in live if (a := probe(facts, c.link.url)) and a.status is AVAILABLE)
            sources.append(
                f"{len(live)} link(s) to trained models" + (f" ({checked} checked)" if checked else "")
            )
        if any(e.note.startswith("release") for e in evidence):
            sources.append("release assets")
        if in_code:
            sources.append(f"{len(in_code)} download(s) of trained weights in the code")
        if images:
            sources.append(
                "the method's container image (" + ", ".join(e.note.split()[-1] for e in images[:3]) + ")"
            )
        message = "weights available: " + ", ".join(sources)
        if dead:
            message += "; " + dead_message("weights", [a for _, a in dead])
        return passed(message, *evidence, *dead_evidence)
    if dead:
        return failed(dead_message("weights", [a for _, a in dead]), *dead_evidence)
    trains_none = bool(source_files(facts)) and not training_hits(facts) and training_said(facts) is None
    # a link to a host's home page, or a model table without links, says nothing of weights where
    # the project trains no model; a promise or a refusal to share them says it does
    said = [n for n in negatives(facts) if not (trains_none and n.kind in ("homepage", "zoo"))]
    third = [c for c in classes if c.kind == "third-party"]
    stubs = [w for w in in_tree if w.how == "stub"]
    if said:
        kinds = sorted({n.kind for n in said}, key=list(_REASONS).index)
        return failed("; ".join(_REASONS[k] for k in kinds), *(n.evidence for n in said[:6]))
    unread = readme_unread(facts)
    if unread is not None:  # where weights are linked, and what says the project trains a model
        return unknown(
            "no weights in what could be read, and the README could not be read",
            Evidence(path=unread, note="unreadable"),
        )
    if trains_none:
        others = " (the models it links are others')" if third else ""
        return not_applicable(
            f"the project trains no model of its own{others}: no training code, network or training "
            "instructions, so no trained weights to release",
            *(Evidence(path=c.doc, line=c.link.line, url=c.link.url, note=c.note) for c in third[:3]),
        )
    ambiguous = [c for c in classes if c.kind == "ambiguous"]
    if ambiguous:
        return unknown(
            "file-host links whose content the README does not describe; none is said to be weights",
            *(Evidence(path=c.doc, line=c.link.line, url=c.link.url) for c in ambiguous[:5]),
        )
    if third:
        evidence = [Evidence(path=c.doc, line=c.link.line, url=c.link.url, note=c.note) for c in third[:5]]
        if training_hits(facts):
            return failed(
                _REASONS["third-party"] + "; the weights this code trains are not released", *evidence
            )
        promise = code_to_come(facts)
        if promise is not None:
            return failed(
                _REASONS["third-party"] + "; the method's code, and so its trained models, are still to come",
                promise,
                *evidence,
            )
        return unknown(_REASONS["third-party"] + "; the method may train no model of its own", *evidence)
    if stubs:
        return failed(
            "weight files in the tree are empty stand-ins",
            *(Evidence(path=w.path, note=f"{facts.entries[w.path].size} bytes") for w in stubs[:5]),
        )
    if facts.repo.tree_truncated:
        return unknown("no weights linked, and the host returned only part of the file tree")
    if facts.repo.releases is None and facts.repo.source == "api":  # asked, but not answered
        return unknown("no weights linked or in the tree, and the releases could not be listed")
    package = software_package(facts)
    if package is not None and not reports_experiments(facts):
        # a library its users train their own models with (umap, a toolbox): its deliverable is code
        return not_applicable(
            f"a software package ({package.note}) that reports no experiments of its own and speaks "
            "of no trained model: its users train their own",
            package,
        )
    # a clone lists no releases: the verdict stands on the documents and the tree, and says so
    releases = ", no release asset" if facts.repo.releases is not None else " (releases not listed)"
    return failed(f"no weights: no link to a model host, no weight file in the tree{releases}")
