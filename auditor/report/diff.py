"""`auditor diff OLD NEW`: what changed between two reports of the same corpus.

Repositories that appeared, that left the report, whose links rotted (audited before, missing now)
or recovered, whose score changed, that gained a license or released weights; artifact links
(weights, data) that died or came back. Pure: two reports
in, a `ReportDiff` out; the views are in `auditor.render.diffview`.
"""

from __future__ import annotations

from auditor.models import (
    ArtifactChange,
    ArtifactStatus,
    Gain,
    ItemChange,
    Outcome,
    RepoAudit,
    Report,
    ReportDiff,
    RepoStatus,
    ScoreChange,
    StatusChange,
)
from auditor.report.stats import outcome, role_item, summary_of


def diff_reports(old: Report, new: Report) -> ReportDiff:
    before = {a.repo.key: a for a in old.repos}
    after = {a.repo.key: a for a in new.repos}
    both = [k for k in after if k in before]
    old_papers = {p.paper.id for p in old.papers}
    new_papers = {p.paper.id for p in new.papers}
    shared_items = [i.id for i in new.checklist_items if i.id in {j.id for j in old.checklist_items}]
    items = [
        ItemChange(key=k, item=i, old=o, new=n)
        for k in both
        for i in shared_items
        if (o := outcome(before[k], i)) is not None and (n := outcome(after[k], i)) is not None and o is not n
    ]
    return ReportDiff(
        old_generated_at=old.generated_at,
        new_generated_at=new.generated_at,
        checklist_changed=old.checklist != new.checklist,
        papers_added=[p.paper.id for p in new.papers if p.paper.id not in old_papers],
        papers_removed=[p.paper.id for p in old.papers if p.paper.id not in new_papers],
        appeared=[k for k in after if k not in before],
        removed=[k for k in before if k not in after],
        rotted=[_status(k, before[k], after[k]) for k in both if _ok(before[k]) and not _ok(after[k])],
        recovered=[_status(k, before[k], after[k]) for k in both if not _ok(before[k]) and _ok(after[k])],
        updated=[
            k
            for k in both
            if _ok(before[k]) and _ok(after[k]) and before[k].repo.commit != after[k].repo.commit
        ],
        scores=[
            ScoreChange(key=k, old=before[k].score, new=after[k].score)
            for k in both
            if before[k].score != after[k].score
        ],
        items=items,
        license_gained=_license_gains(before, after, both, _gains(new, "license", items)),
        weights_released=_gains(new, "weights", items),
        artifacts_lost=[c for k in both for c in _artifact_changes(k, before[k], after[k]) if c.new in _DEAD],
        artifacts_back=[c for k in both for c in _artifact_changes(k, before[k], after[k]) if c.old in _DEAD],
        median_old=_median(old),
        median_new=_median(new),
    )


_DEAD = (ArtifactStatus.GONE, ArtifactStatus.RESTRICTED)


def _artifact_changes(key: str, old: RepoAudit, new: RepoAudit) -> list[ArtifactChange]:
    """Links probed in both reports whose verdict moved between available and gone/restricted;
    unknown and unchecked verdicts say nothing about a change."""
    before = {a.url: a for a in old.repo.artifacts or []}
    changes = []
    for now in new.repo.artifacts or []:
        was = before.get(now.url)
        decided = (ArtifactStatus.AVAILABLE, *_DEAD)
        if was is None or was.status not in decided or now.status not in decided:
            continue
        if (was.status is ArtifactStatus.AVAILABLE) != (now.status is ArtifactStatus.AVAILABLE):
            changes.append(
                ArtifactChange(
                    key=key,
                    url=now.url,
                    kind=now.kind,
                    old=was.status,
                    new=now.status,
                    http_status=now.http_status,
                )
            )
    return changes


def _median(report: Report) -> float | None:
    """The median the report's headline shows (over method code when it has any)."""
    return summary_of(report).median


def _ok(audit: RepoAudit) -> bool:
    return audit.repo.status is RepoStatus.OK


def _status(key: str, old: RepoAudit, new: RepoAudit) -> StatusChange:
    return StatusChange(key=key, old=old.repo.status, new=new.repo.status, detail=new.repo.detail)


def _gains(new: Report, role: str, items: list[ItemChange]) -> list[Gain]:
    """Repositories whose `role` item now passes and did not before (appearing ones excluded)."""
    item = role_item(new.checklist_items, role)
    return [
        Gain(key=c.key, how=f"{item} now passes (was {c.old.value})")
        for c in items
        if c.item == item and c.new is Outcome.PASS
    ]


def _license_gains(
    before: dict[str, RepoAudit], after: dict[str, RepoAudit], both: list[str], by_item: list[Gain]
) -> list[Gain]:
    """The license item's gains, and repositories the host newly detects a license for."""
    seen = {g.key for g in by_item}
    by_host = [
        Gain(key=k, how=f"host detects {after[k].repo.license_spdx}")
        for k in both
        if k not in seen and after[k].repo.license_spdx and not before[k].repo.license_spdx
    ]
    return by_item + by_host


def failing(changes: ReportDiff, kinds: list[str]) -> dict[str, list[str]]:
    """Of `kinds` (names in FAIL_ON), those found in `changes`, each with what shows it."""
    found = {
        "new-failures": [
            f"{c.key}: {c.item} ({c.old.value} → fail)" for c in changes.items if c.new is Outcome.FAIL
        ],
        "lower-scores": [
            f"{c.key}: {c.old:.0%} → {c.new:.0%}"
            for c in changes.scores
            if c.old is not None and c.new is not None and c.new < c.old
        ],
        "link-rot": [f"{c.key}: {c.old.value} → {c.new.value}" for c in changes.rotted],
        "dead-artifacts": [f"{c.key}: {c.url} ({c.new.value})" for c in changes.artifacts_lost],
        "removed": list(changes.removed),
    }
    return {kind: found[kind] for kind in kinds if found[kind]}
