"""`auditor merge`: shard reports → one report, as if one runner had audited the whole corpus.

Papers are ordered by where they were read (file, line), repositories by their first mention in
that order, so merging the shards of a one-file corpus gives the report an unsharded run gives.
Reports made with another checklist or tool version are refused, not mixed.
"""

from __future__ import annotations

from auditor.models import InputProblem, PaperAudit, RepoAudit, Report
from auditor.report.stats import finalize


class MergeError(ValueError):
    pass


def merge_reports(reports: list[Report]) -> Report:
    if not reports:
        raise MergeError("no reports to merge")
    first = reports[0]
    for report in reports[1:]:
        for field in ("schema_version", "tool_version", "checklist", "checklist_items"):
            if getattr(report, field) != getattr(first, field):
                raise MergeError(f"reports differ in {field}: refusing to mix them")
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
        }
    )
    return finalize(merged)  # the summary of the whole, and promise ages to its date
