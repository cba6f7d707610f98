"""Is there code at all (the placeholder verdict), and is there training and evaluation code?

Judged from the tree: file names, then what the files do (a training loop, an optimizer step, a
trainer framework; metrics, inference mode, prediction), in scripts, shell scripts and notebooks.
README prose that describes code does not make code exist.
"""

from __future__ import annotations

from auditor.checks.applicable import not_expected
from auditor.checks.base import Finding, check, failed, not_applicable, passed, unknown
from auditor.facts.code_search import (
    MAX_HITS,
    MAX_READ,
    READ_FAILED,
    TOO_LARGE,
    Family,
    candidate_files,
    code_to_come,
    entry_points,
    evaluation_hits,
    evaluation_search,
    named_for,
    network_defined,
    readme_runners,
    training_hits,
    training_said,
    training_search,
)
from auditor.facts.documents import root_document
from auditor.facts.kind import RepoKind, coming_soon, software_package
from auditor.facts.repository import Facts
from auditor.facts.sources import source_files, test_suite
from auditor.facts.text import snippet
from auditor.facts.vendored import vendored_roots
from auditor.models import Evidence


@check("code")
def code_present(facts: Facts) -> Finding:
    """Judged from the tree alone: README prose describing code does not make code exist."""
    code = source_files(facts)
    if code:
        # a curated list kept over pages of its own, or a dataset release, beside a helper script
        listed = not_expected(
            facts, "its helper script is no method's code", kinds=(RepoKind.CURATED_LIST, RepoKind.DATASET)
        )
        if listed is not None:
            return listed
        promise = code_to_come(facts)
        if promise is not None:
            return failed(
                f"placeholder: {len(code)} helper file(s) but no training or evaluation code, and the "
                "README says the code is still to come",
                promise,
                *(Evidence(path=p, note="present") for p in code[:4]),
            )
        return passed(f"{len(code)} source file(s)", *(Evidence(path=p) for p in code[:5]))
    # a dataset release that links the data it delivers is no placeholder of code
    skip = not_expected(facts, "no code is expected")
    if skip is not None:
        return skip
    if facts.repo.tree_truncated:
        return unknown("no source code in the partial file tree the host returned")
    evidence = [Evidence(path=p, note="present") for p in facts.files[:5]]
    vendored = vendored_roots(facts)
    doc = root_document(facts)
    if doc is not None:
        for number, line in enumerate(doc.lines, start=1):
            if coming_soon(line):
                evidence.append(Evidence(path=doc.path, line=number, note=snippet(line)))
                break
    what = f"placeholder: no source code among {len(facts.files)} file(s)"
    if vendored:
        what += f" besides third-party folders ({', '.join(sorted(vendored)[:3])})"
    return failed(what, *evidence)


def _code_check(facts: Facts, family: Family, what: str) -> Finding:
    hits = training_hits(facts) if family == "training" else evaluation_hits(facts)
    if hits:
        evidence = [Evidence(path=h.path, line=h.line, note=h.note) for h in hits]
        files = len({h.path for h in hits})
        found = (
            f"{what} found in {files} file(s)" if files < MAX_HITS else f"{what} found (first {files} files)"
        )
        return passed(found, *evidence)
    skip = not_expected(facts, f"no {what} is expected")
    if skip is not None:
        return skip
    if not source_files(facts):
        if facts.repo.tree_truncated:  # the code may be in the part not returned
            return unknown(f"no {what} in the partial file tree the host returned")
        return failed(f"no {what}: the repository has no source code")
    if family == "evaluation":
        runs = _runs_the_method(facts)
        if runs is not None:
            return runs
    candidates = candidate_files(facts)
    search = training_search(facts) if family == "training" else evaluation_search(facts)
    unreadable = list(search.unread)
    if unreadable and len(unreadable) == len(candidates):
        why = "are " + TOO_LARGE if all(r == TOO_LARGE for r in search.unread.values()) else READ_FAILED
        return unknown(f"the source files {why}: {', '.join(unreadable[:3])}")
    if facts.repo.tree_truncated:
        return unknown(f"no {what} in the partial file tree the host returned")
    if len(candidates) > MAX_READ:
        return unknown(
            f"no {what} in the {MAX_READ} likeliest of {len(candidates)} source files; "
            "the others were not read"
        )
    # A file whose read failed may hold the code as well as any other: nothing can be said.
    failed_reads = [p for p, why in search.unread.items() if why == READ_FAILED]
    if failed_reads:
        return unknown(
            f"no {what} in the files read; {len(failed_reads)} source file(s) could not be read: "
            + ", ".join(failed_reads[:3]),
            *(Evidence(path=p, note=READ_FAILED) for p in failed_reads[:3]),
        )
    said = training_said(facts) if family == "training" else None
    if family == "training" and said is None:
        return not_applicable(
            "no training code, and nothing says the project trains a model of its own (no network "
            "or weights of its own, no training section or script): a tool, or a method that trains nothing"
        )
    # A package whose only sign of training is the networks it defines gives them to its users,
    # who train them (a U-Net library, a metric built on a network): it trains none itself.
    if said is not None and said == network_defined(facts) and (package := software_package(facts)):
        return not_applicable(
            f"a software package ({package.note}) that defines networks for its users to train and "
            "trains none itself",
            package,
            said,
        )
    # Notebooks too large to read may hold the method: unless the code read already holds its
    # network (then they are demos of it), or they are named for what is searched.
    notebooks = [p for p in unreadable if p.lower().endswith(".ipynb")]
    if notebooks and (network_defined(facts) is None or any(named_for(p, family) for p in notebooks)):
        return unknown(
            f"no {what} in the files read; {len(notebooks)} notebook(s) too large to read may hold it: "
            + ", ".join(notebooks[:3]),
            *(Evidence(path=p, note=TOO_LARGE) for p in notebooks[:3]),
        )
    message = f"no {what} among {len(candidates)} source file(s)"
    if unreadable:  # all of them too large: a failed read would have left the verdict unknown
        read = len(candidates) - len(unreadable)
        message = f"no {what} among {read} source file(s) read ({len(unreadable)} {TOO_LARGE})"
    return failed(message + (f", though {said.note}" if said else ""), *([said] if said else []))


def _runs_the_method(facts: Facts) -> Finding | None:
    """Evaluation code beyond metrics and inference calls: scripts the README says reproduce the
    paper's results, and for a project that trains no model (a classical method, a tool, a
    library) the code a user runs, which is how the method meets data."""
    runners = readme_runners(facts)
    if runners:
        return passed(
            f"the README names {len(runners)} script(s) that reproduce its results",
            *(Evidence(path=h.path, line=h.line, note=h.note) for h in runners[:MAX_HITS]),
        )
    package = software_package(facts)
    suite = test_suite(facts) if package is not None else []
    if suite:
        return passed(
            f"a software package ({package.note if package else ''}): its test suite runs it "
            f"({len(suite)} test file(s))",
            *(Evidence(path=p, note="a test of the package") for p in suite[:MAX_HITS]),
        )
    if training_hits(facts) or training_said(facts) is not None:
        return None
    points = entry_points(facts)
    if not points:
        return None
    return passed(
        "a project that trains no model: the code a user runs applies the method "
        f"({len(points)} entry point(s))",
        *(Evidence(path=h.path, line=h.line, note=h.note) for h in points),
    )


@check("training-code")
def training_code(facts: Facts) -> Finding:
    return _code_check(facts, "training", "training code")


@check("evaluation-code")
def evaluation_code(facts: Facts) -> Finding:
    return _code_check(facts, "evaluation", "evaluation code")
