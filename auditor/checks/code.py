"""Is there code at all (the placeholder verdict), and is there training and evaluation code?

Judged from the tree: file names, then what the files do (a training loop, an optimizer step, a
trainer framework; metrics, inference mode, prediction), in scripts, shell scripts and notebooks.
README prose that describes code does not make code exist.
"""

from __future__ import annotations

from auditor.checks.base import (
    Finding,
    check,
    failed,
    not_applicable,
    passed,
    snippet,
    unknown,
)
from auditor.checks.codefind import MAX_HITS, MAX_READ, candidate_files, evaluation_hits, training_hits
from auditor.checks.kind import (
    CURATED_LIST,
    DATASET,
    EMPTY,
    code_promise,
    coming_soon,
    ml_evidence,
    repo_kind,
    source_files,
)
from auditor.checks.readmes import root_document
from auditor.checks.vendored import vendored_roots
from auditor.models import Evidence
from auditor.snapshot import Snapshot


@check("code")
def code_present(snap: Snapshot) -> Finding:
    """Judged from the tree alone: README prose describing code does not make code exist."""
    kind = repo_kind(snap)
    code = source_files(snap)
    if code:
        promise = code_promise(snap)
        if promise is not None and not training_hits(snap) and not evaluation_hits(snap):
            return failed(
                f"placeholder: {len(code)} helper file(s) but no training or evaluation code, and the "
                "README says the code is still to come",
                promise,
                *(Evidence(path=p, note="present") for p in code[:4]),
            )
        return passed(f"{len(code)} source file(s)", *(Evidence(path=p) for p in code[:5]))
    if kind.kind == CURATED_LIST:
        return not_applicable(f"{kind.reason}: no code is expected", *kind.evidence)
    if snap.facts.tree_truncated:
        return unknown("no source code in the partial file tree the host returned")
    evidence = [Evidence(path=p, note="present") for p in snap.files[:5]]
    vendored = vendored_roots(snap)
    doc = root_document(snap)
    if doc is not None:
        for number, line in enumerate(doc.lines, start=1):
            if coming_soon(line):
                evidence.append(Evidence(path=doc.path, line=number, note=snippet(line)))
                break
    what = f"placeholder: no source code among {len(snap.files)} file(s)"
    if vendored:
        what += f" besides third-party folders ({', '.join(sorted(vendored)[:3])})"
    if kind.kind == DATASET:
        what += "; the repository publishes a dataset, not the paper's code"
        evidence.extend(kind.evidence)
    return failed(what, *evidence)


def _not_expected(snap: Snapshot, what: str) -> Finding | None:
    """Not applicable when the repository is a list, a dataset release or trains no model."""
    kind = repo_kind(snap)
    if kind.kind in (CURATED_LIST, DATASET):
        return not_applicable(f"{kind.reason}: no {what} is expected", *kind.evidence)
    if kind.kind == EMPTY:
        return None
    if ml_evidence(snap) is None:
        return not_applicable(
            "the project uses no machine-learning framework: no model to "
            + ("train" if what.startswith("training") else "evaluate")
        )
    return None


def _code_check(snap: Snapshot, family: str, what: str) -> Finding:
    hits = training_hits(snap) if family == "training" else evaluation_hits(snap)
    if hits:
        evidence = [Evidence(path=h.path, line=h.line, note=h.note) for h in hits]
        files = len({h.path for h in hits})
        found = (
            f"{what} found in {files} file(s)" if files < MAX_HITS else f"{what} found (first {files} files)"
        )
        return passed(found, *evidence)
    skip = _not_expected(snap, what)
    if skip is not None:
        return skip
    if not source_files(snap):
        return failed(f"no {what}: the repository has no source code")
    unreadable = [p for p in candidate_files(snap) if snap.entries[p].size is None]
    if unreadable and len(unreadable) == len(candidate_files(snap)):
        return unknown(f"the source files are too large to read: {', '.join(unreadable[:3])}")
    if snap.facts.tree_truncated:
        return unknown(f"no {what} in the partial file tree the host returned")
    if len(candidate_files(snap)) > MAX_READ:
        return unknown(
            f"no {what} in the {MAX_READ} likeliest of {len(candidate_files(snap))} source files; "
            "the others were not read"
        )
    return failed(f"no {what} among {len(candidate_files(snap))} source file(s)")


@check("training-code")
def training_code(snap: Snapshot) -> Finding:
    return _code_check(snap, "training", "training code")


@check("evaluation-code")
def evaluation_code(snap: Snapshot) -> Finding:
    return _code_check(snap, "evaluation", "evaluation code")
