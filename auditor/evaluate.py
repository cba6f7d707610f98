"""Run a checklist's checks over a snapshot and score the result."""

from __future__ import annotations

from auditor.checks import REGISTRY
from auditor.models import Checklist, CheckResult, Outcome, RepoAudit, RepoStatus
from auditor.snapshot import Snapshot


class UnknownCheckError(ValueError):
    pass


def evaluate(snap: Snapshot, checklist: Checklist) -> RepoAudit:
    """Every item of the checklist, judged; a repository that could not be read is all unknown."""
    missing = [item.id for item in checklist.items if item.id not in REGISTRY]
    if missing:
        raise UnknownCheckError(f"checklist {checklist.id} names unimplemented checks: {missing}")
    if snap.facts.status is not RepoStatus.OK:
        reason = f"repository not audited: {snap.facts.status.value}"
        results = [CheckResult(id=i.id, outcome=Outcome.UNKNOWN, message=reason) for i in checklist.items]
        return RepoAudit(repo=snap.facts, results=results, score=None)
    results = [_run(item.id, snap) for item in checklist.items]
    return RepoAudit(repo=snap.facts, results=results, score=score(results, checklist))


def _run(item_id: str, snap: Snapshot) -> CheckResult:
    try:
        finding = REGISTRY[item_id](snap)
    except Exception as err:  # a bug in one check must not lose the other results
        return CheckResult(
            id=item_id, outcome=Outcome.ERROR, message=f"check failed: {type(err).__name__}: {err}"
        )
    return CheckResult(
        id=item_id, outcome=finding.outcome, message=finding.message, evidence=finding.evidence
    )


def score(results: list[CheckResult], checklist: Checklist) -> float | None:
    """Weighted share of passes among decided items; unknown and n/a stay out of the denominator."""
    weights = {item.id: item.weight for item in checklist.items}
    decided = [r for r in results if r.outcome in (Outcome.PASS, Outcome.FAIL)]
    total = sum(weights[r.id] for r in decided)
    if not total:
        return None
    return round(sum(weights[r.id] for r in decided if r.outcome is Outcome.PASS) / total, 4)
