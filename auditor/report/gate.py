"""`--fail-under N`: turn a report into a pass/fail answer a CI job can gate on.

Per repository (an author's `check`, or `run --repo`): every repository must score at least N.
For a corpus: the median score the headline shows must (over method code when the report has any,
so curated lists and tools do not carry a corpus over the bar). A repository that could not be
scored fails the gate: a gate that cannot tell does not let through.
"""

from __future__ import annotations

from dataclasses import dataclass

from auditor.models import Report
from auditor.report.stats import summary_of


@dataclass(frozen=True)
class GateResult:
    passed: bool
    message: str


def gate(report: Report, threshold: float, *, per_repo: bool) -> GateResult:
    """`threshold` is a percentage (0–100), as scores are shown."""
    limit = threshold / 100
    if per_repo:
        below = [a for a in report.repos if a.score is None or a.score < limit]
        if not report.repos:
            return GateResult(False, "no repository was audited")
        if below:
            shown = ", ".join(f"{a.repo.key} ({_why(a.score, a.repo.status.value)})" for a in below)
            return GateResult(False, f"below {threshold:g}%: {shown}")
        return GateResult(True, f"every repository scores at least {threshold:g}%")
    # The median the headline shows: over method code when the report has any.
    median = summary_of(report).median
    if median is None:
        return GateResult(False, "no repository could be scored, so the median is unknown")
    verdict = "at least" if median >= limit else "below"
    return GateResult(median >= limit, f"median score {_percent(median)} is {verdict} {threshold:g}%")


def _percent(score: float) -> str:
    """Exact enough that "79.5% is below 80%" never reads "80% is below 80%"."""
    return f"{score * 100:.2f}".rstrip("0").rstrip(".") + "%"


def _why(score: float | None, status: str) -> str:
    return _percent(score) if score is not None else f"no score: {status}"
