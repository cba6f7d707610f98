"""The health gate: could the run reach the hosts well enough for its report to be trusted?

A report in which most repositories are `unreachable`, `rate-limited` or `timeout` says nothing
about the repositories, only about the network of the runner; published, it would replace a good
report and every repository would look gone. Answers about a repository (`not-found`,
`forbidden`, `empty` …) are findings, not failures of the run; so is an `error` among audited
repositories, but a run in which no repository could be audited at all (git missing, a full disk)
is not to be trusted either. Pure: a report in, a verdict out,
with its reason in one line ("github.com unreachable: 38 of 38 repositories").
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import NamedTuple
from urllib.parse import urlsplit

from auditor.models import RepoAudit, RepoStatus
from auditor.report import DEFAULT_MAX_FAILED

# The run failed to ask, rather than the repository answered (a resumed run asks these again).
RUN_FAILURES = frozenset({RepoStatus.UNREACHABLE, RepoStatus.RATE_LIMITED, RepoStatus.TIMEOUT})


class Health(NamedTuple):
    healthy: bool
    reason: str = ""  # one line, when not healthy


def health(repos: Sequence[RepoAudit], *, max_failed: float = DEFAULT_MAX_FAILED) -> Health:
    """Unhealthy when no repository could be audited (each failed for the run's sake, or in
    `error`), or more than `max_failed` percent failed for the run's sake. No repository at all (a
    paper without code) is healthy: nothing was to be asked."""
    failed = [a for a in repos if a.repo.status in RUN_FAILURES]
    broken = [a for a in repos if a.repo.status is RepoStatus.ERROR]
    if repos and len(failed) + len(broken) == len(repos):
        return Health(False, _reason(repos, failed + broken))
    if 100 * len(failed) <= max_failed * len(repos):
        return Health(True)
    return Health(False, _reason(repos, failed))


def _reason(repos: Sequence[RepoAudit], failed: list[RepoAudit]) -> str:
    """Per host, most failures first: "github.com unreachable: 30, timeout: 2 of 38 repositories"."""
    totals = Counter(_host(a) for a in repos)
    by_host: dict[str, Counter[RepoStatus]] = {}
    for audit in failed:
        by_host.setdefault(_host(audit), Counter())[audit.repo.status] += 1
    parts = []
    for host, statuses in sorted(by_host.items(), key=lambda hs: (-hs[1].total(), hs[0])):
        counts = ", ".join(f"{status.value}: {n}" for status, n in statuses.most_common())
        total = totals[host]
        parts.append(f"{host} {counts} of {total} {'repository' if total == 1 else 'repositories'}")
    return "; ".join(parts)


def _host(audit: RepoAudit) -> str:
    """Keys are host/owner/name; a git URL given as it is keeps its scheme."""
    key = audit.repo.key
    return (urlsplit(key).hostname or key) if "://" in key else key.split("/", 1)[0]
