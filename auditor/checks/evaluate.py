"""Run a checklist's checks over a repository's facts and score the result."""

from __future__ import annotations

from auditor.checks.base import registry
from auditor.facts.repository import Facts
from auditor.models import Checklist, CheckResult, Outcome, RepoAudit, RepoKind, RepoStatus

# The MIDL reproducibility study calls a paper repeatable when its code can be run again: the
# dependencies are specified, the training code is there and the data can be obtained.
REPEATABLE_ITEMS = ("dependencies", "training-code", "data-instructions")
# The five items of the Papers with Code ML Code Completeness Checklist.
PWC_ITEMS = ("dependencies", "training-code", "evaluation-code", "pretrained-weights", "readme-results")


class UnknownCheckError(ValueError):
    pass


def evaluate(facts: Facts, checklist: Checklist) -> RepoAudit:
    """Every item of the checklist, judged; a repository that could not be read is all unknown."""
    missing = [item.id for item in checklist.items if item.id not in registry()]
    if missing:
        raise UnknownCheckError(f"checklist {checklist.id} names unimplemented checks: {missing}")
    if facts.repo.status is not RepoStatus.OK:
        reason = f"repository not audited: {facts.repo.status.value}"
        results = [CheckResult(id=i.id, outcome=Outcome.UNKNOWN, message=reason) for i in checklist.items]
        empty = facts.repo.status is RepoStatus.EMPTY
        return RepoAudit(
            repo=facts.repo, results=results, score=None, kind=RepoKind.PLACEHOLDER if empty else None
        )
    results = [_run(item.id, facts) for item in checklist.items]
    return RepoAudit(
        repo=facts.repo,
        kind=repo_kind(facts, results),
        results=results,
        score=score(results, checklist),
        repeatable=repeatable(results),
        pwc_score=pwc_score(results),
    )


def repo_kind(facts: Facts, results: list[CheckResult]) -> RepoKind:
    """The kind the report's statistics group by: the tree's kind, a failed code item a placeholder,
    code that uses a machine-learning framework a method, other code a tool."""
    from auditor.facts import kind as tree  # with the checks, which a cached re-run never loads

    found = tree.repo_kind(facts).kind
    if found is tree.RepoKind.CURATED_LIST:
        return RepoKind.CURATED_LIST
    if found is tree.RepoKind.DATASET:
        return RepoKind.DATASET
    if found is not tree.RepoKind.CODE or any(r.id == "code" and r.outcome is Outcome.FAIL for r in results):
        return RepoKind.PLACEHOLDER
    return RepoKind.METHOD if tree.ml_evidence(facts) is not None else RepoKind.TOOL


def _run(item_id: str, facts: Facts) -> CheckResult:
    try:
        finding = registry()[item_id](facts)
    except Exception as err:  # a bug in one check must not lose the other results
        return CheckResult(
            id=item_id, outcome=Outcome.ERROR, message=f"check failed: {type(err).__name__}: {err}"
        )
    return CheckResult(
        id=item_id, outcome=finding.outcome, message=finding.message, evidence=finding.evidence
    )


def score(results: list[CheckResult], checklist: Checklist) -> float | None:
    """Weighted share of passes among decided items; unknown, n/a and waived items stay out of the
    denominator (a waived item is never counted as passed)."""
    weights = {item.id: item.weight for item in checklist.items}
    decided = [r for r in results if r.outcome in (Outcome.PASS, Outcome.FAIL) and not r.waived]
    total = sum(weights[r.id] for r in decided)
    if not total:
        return None
    return round(sum(weights[r.id] for r in decided if r.outcome is Outcome.PASS) / total, 4)


def repeatable(results: list[CheckResult]) -> Outcome | None:
    """Pass when all of REPEATABLE_ITEMS pass, fail when one fails; n/a, unknown otherwise."""
    by_id = {r.id: r.outcome for r in results}
    if not all(i in by_id for i in REPEATABLE_ITEMS):
        return None
    outcomes = [by_id[i] for i in REPEATABLE_ITEMS]
    if all(o is Outcome.PASS for o in outcomes):
        return Outcome.PASS
    if Outcome.FAIL in outcomes:
        return Outcome.FAIL
    if by_id["training-code"] is Outcome.NOT_APPLICABLE:
        return Outcome.NOT_APPLICABLE
    return Outcome.UNKNOWN


def pwc_score(results: list[CheckResult]) -> int | None:
    """How many PwC items pass (0–5). Unknown items count as not passed, so the score is then a
    lower bound; None when the checklist lacks an item or all five are n/a or undecided."""
    by_id = {r.id: r.outcome for r in results}
    if not all(i in by_id for i in PWC_ITEMS):
        return None
    outcomes = [by_id[i] for i in PWC_ITEMS]
    if not any(o in (Outcome.PASS, Outcome.FAIL) for o in outcomes):
        return None
    return sum(1 for o in outcomes if o is Outcome.PASS)
