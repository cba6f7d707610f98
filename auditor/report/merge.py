"""`auditor merge`: shard reports → one report, as if one runner had audited the whole corpus.

Papers are ordered by where they were read (file, line), repositories by their first mention in
that order, so merging the shards of a one-file corpus gives the report an unsharded run gives.
Reports made with another checklist or tool version are refused, not mixed.

Shards may be missing (a runner failed, or its report failed the health gate and is left out):
the merged report then says which (`shards`), and is partial. When every shard is left out, or
the merged report fails the health gate itself, there is no report.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from auditor.models import InputProblem, MissingShard, PaperAudit, RepoAudit, Report, Shards
from auditor.report import DEFAULT_MAX_FAILED
from auditor.report.health import Health, health
from auditor.report.stats import finalize


class MergeError(ValueError):
    pass


@dataclass(frozen=True)
class Merged:
    report: Report | None  # None when unhealthy
    health: Health
    left_out: dict[int, str] = field(default_factory=dict)  # shard → the health gate's reason


def merge_shards(reports: list[Report], *, max_failed: float = DEFAULT_MAX_FAILED) -> Merged:
    """Merge, leaving out the shard reports that fail the health gate on their own (a runner whose
    network failed), then gate the result."""
    _compatible(reports)
    kept: list[Report] = []
    left_out: dict[int, str] = {}
    for report in reports:
        verdict = health(report.repos, max_failed=max_failed)
        if report.shards is not None and not verdict.healthy:
            left_out |= {k: verdict.reason for k in report.shards.included}
        else:
            kept.append(report)
    if not kept:
        return Merged(None, health([a for r in reports for a in r.repos], max_failed=0), left_out)
    merged = merge_reports(kept, left_out=left_out)
    verdict = health(merged.repos, max_failed=max_failed)
    return Merged(merged if verdict.healthy else None, verdict, left_out)


def merge_reports(reports: list[Report], *, left_out: Mapping[int, str] | None = None) -> Report:
    """`left_out`: shards given no report for a reason (otherwise a missing one had no report)."""
    _compatible(reports)
    first = reports[0]
    papers: dict[str, PaperAudit] = {}
    repos: dict[str, RepoAudit] = {}
    problems: dict[str, InputProblem] = {}
    for report in reports:
        for paper in report.papers:
            papers.setdefault(paper.paper.id, paper)
        for audit in report.repos:
            repos.setdefault(audit.repo.key, audit)
        for problem in report.problems:  # every shard reads the same corpus: keep one of each
            problems.setdefault(problem.model_dump_json(), problem)
    ordered = sorted(papers.values(), key=lambda p: (p.paper.source.file, p.paper.source.line or 0))
    mentioned = list(dict.fromkeys(k for p in ordered for k in p.repos if k in repos))
    rest = sorted(k for k in repos if k not in set(mentioned))
    merged = first.model_copy(
        update={
            "generated_at": max(r.generated_at for r in reports),
            "papers": ordered,
            "repos": [repos[k] for k in [*mentioned, *rest]],
            "problems": list(problems.values()),
            "shards": _shards(reports, left_out or {}),
        }
    )
    return finalize(merged)  # the summary of the whole, and promise ages to its date


def _compatible(reports: list[Report]) -> None:
    if not reports:
        raise MergeError("no reports to merge")
    first = reports[0]
    for report in reports[1:]:
        for name in ("schema_version", "tool_version", "checklist", "checklist_items"):
            if getattr(report, name) != getattr(first, name):
                raise MergeError(f"reports differ in {name}: refusing to mix them")
    sharded = [r.shards for r in reports if r.shards is not None]
    if not sharded:
        return
    if len(sharded) < len(reports):
        raise MergeError("some reports are shards and some are not: refusing to mix them")
    counts = sorted({s.count for s in sharded})
    if len(counts) > 1:
        raise MergeError(
            f"reports of runs cut into {' and '.join(map(str, counts))} shards: refusing to mix them"
        )
    seen: set[int] = set()
    for shards in sharded:
        for k in shards.included:
            if k in seen:
                raise MergeError(f"shard {k}/{counts[0]} is given twice")
            seen.add(k)


def _shards(reports: list[Report], left_out: Mapping[int, str]) -> Shards | None:
    """Which shards the merge holds; None when it holds them all (the whole input)."""
    sharded = [r.shards for r in reports if r.shards is not None]
    if not sharded:
        return None
    count = sharded[0].count
    included = sorted(k for s in sharded for k in s.included)
    if len(included) == count:
        return None
    known = {m.shard: m.reason for s in sharded for m in s.missing} | dict(left_out)
    missing = [
        MissingShard(shard=k, reason=known.get(k, "no report"))
        for k in range(1, count + 1)
        if k not in included
    ]
    return Shards(count=count, included=included, missing=missing)
