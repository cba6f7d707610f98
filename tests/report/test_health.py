"""The health gate: a run that could not ask is told apart from repositories that answered."""

import pytest

from auditor.models import RepoStatus
from auditor.report.health import health
from reports import repo

OK, GONE, BROKEN = RepoStatus.OK, RepoStatus.NOT_FOUND, RepoStatus.ERROR
DOWN, LIMITED, SLOW = RepoStatus.UNREACHABLE, RepoStatus.RATE_LIMITED, RepoStatus.TIMEOUT


def repos(*statuses: RepoStatus, host: str = "github.com"):
    return [repo(f"{host}/lab/r{i}", status=s) for i, s in enumerate(statuses)]


def test_every_repository_unreachable_is_unhealthy_with_the_reason_in_one_line():
    verdict = health(repos(*[DOWN] * 38))
    assert not verdict.healthy and verdict.reason == "github.com unreachable: 38 of 38 repositories"


def test_the_reason_names_each_host_and_status_most_failures_first():
    verdict = health(repos(DOWN, DOWN, SLOW, OK) + repos(LIMITED, host="gitlab.com"))
    assert verdict.reason == (
        "github.com unreachable: 2, timeout: 1 of 4 repositories; gitlab.com rate-limited: 1 of 1 repository"
    )


@pytest.mark.parametrize(
    ("statuses", "limit", "healthy"),
    [
        ([OK, OK, OK, DOWN], 25, True),  # 25% is not more than 25%
        ([OK, OK, DOWN, LIMITED], 25, False),
        ([OK, OK, DOWN, LIMITED], 50, True),
        ([DOWN], 100, False),  # nothing audited fails whatever the share
        ([GONE, GONE, GONE], 25, True),  # answers about repositories are findings, not failures
        ([OK, BROKEN, BROKEN], 25, True),  # so are repositories that could not be audited …
        ([BROKEN, BROKEN, DOWN], 100, False),  # … unless none could: git missing, a full disk
        ([], 25, True),  # nothing to audit
    ],
)
def test_the_share_of_run_failures_decides(statuses, limit, healthy):
    assert health(repos(*statuses), max_failed=limit).healthy is healthy


def test_a_run_in_which_no_repository_could_be_audited_says_why():
    verdict = health(repos(BROKEN, BROKEN, DOWN))
    assert verdict.reason == "github.com error: 2, unreachable: 1 of 3 repositories"
