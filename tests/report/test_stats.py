"""The headline figures: what the MIDL study counted, computed from a report."""

from auditor.models import (
    Artifact,
    ArtifactKind,
    ArtifactStatus,
    ChecklistItem,
    Evidence,
    RepoStatus,
    StatementKind,
)
from auditor.report.stats import headline, role_item, unverified
from reports import ITEMS, E, F, P, U, paper, repo, report


def corpus_report():
    return report(
        [
            repo("github.com/lab/good", {"code": P, "license": P, "weights": F}, score=0.75),
            repo("github.com/lab/empty-promise", {"code": F, "license": F, "weights": U}, score=0.0),
            repo("github.com/lab/gone", status=RepoStatus.NOT_FOUND),
            repo("github.com/lab/flaky", status=RepoStatus.TIMEOUT),
            repo("github.com/lab/nothing", status=RepoStatus.EMPTY),
            repo("github.com/lab/broken-check", {"code": P, "license": E, "weights": P}, score=1.0),
        ],
        [
            paper("Good", ["github.com/lab/good"], says=StatementKind.AVAILABLE),
            paper("Placeholder", ["github.com/lab/empty-promise"], says=StatementKind.AVAILABLE),
            paper("Gone", ["github.com/lab/gone"]),
            paper("Flaky", ["github.com/lab/flaky"], says=StatementKind.AVAILABLE),
            paper("Nothing", ["github.com/lab/nothing"]),
            paper("Two repos, one good", ["github.com/lab/gone", "github.com/lab/good"]),
            paper("Promise without link", says=StatementKind.PROMISED),
            paper("Claim without link", says=StatementKind.CLAIMED_NO_LINK),
            paper("Project page only", says=StatementKind.AVAILABLE),
            paper("Silent"),
        ],
    )


def test_papers_and_links_are_counted_like_the_midl_study():
    head = headline(corpus_report())
    assert (head.papers, head.papers_with_statement, head.papers_linking_code) == (10, 6, 6)
    assert (head.repos, head.audited) == (6, 3)
    assert head.not_audited == {RepoStatus.NOT_FOUND: 1, RepoStatus.TIMEOUT: 1, RepoStatus.EMPTY: 1}


def test_placeholders_are_empty_repositories_and_failed_code_items():
    head = headline(corpus_report())
    assert head.placeholders == ["github.com/lab/empty-promise", "github.com/lab/nothing"]


def test_broken_promises_name_their_reason_and_errors_break_none():
    reasons = {b.paper.paper.title: b.reason for b in headline(corpus_report()).broken_promises}
    assert reasons == {
        "Placeholder": "placeholder: no code",
        "Gone": "repository not found",
        "Nothing": "repository is empty",
        "Promise without link": "code promised, no repository linked",
        "Claim without link": "code promised, no repository linked",
    }  # Flaky timed out: no evidence either way; "Two repos" has one good repository


def test_item_counts_cover_audited_repositories_only():
    counts = {c.item.id: c for c in headline(corpus_report()).items}
    assert counts["code"].counts[P] == 2 and counts["code"].counts[F] == 1
    assert counts["code"].counts[U] == 0  # the three unaudited repositories are not unknowns here
    assert counts["license"].counts[E] == 1 and counts["license"].decided == 2
    assert counts["license"].rate == 0.5
    assert counts["weights"].rate == 0.5


def test_median_is_over_scored_repositories():
    head = headline(corpus_report())
    assert (head.median, head.scored) == (0.75, 3)


def test_questions_a_checklist_cannot_answer_are_left_out():
    items = [ChecklistItem(id="readme", title="README", rationale="r", fix="f")]
    plain = report([repo("github.com/a/b", {"readme": P}, score=1.0)], items=items)
    assert role_item(items, "code") is None and role_item(ITEMS, "weights") == "weights"
    assert headline(plain).placeholders is None


def test_artifacts_are_counted_once_per_link_and_unverified_verdicts_named():
    shared = "https://drive.google.com/file/d/1AbCdEfGhIjKlM/view"
    links = [
        Artifact(url=shared, kind=ArtifactKind.WEIGHTS, status=ArtifactStatus.GONE, http_status=404),
        Artifact(
            url="https://zenodo.org/records/1", kind=ArtifactKind.DATA, status=ArtifactStatus.NOT_CHECKED
        ),
    ]
    evidence = {"weights": [Evidence(url="https://zenodo.org/records/1")]}
    a = repo("github.com/lab/a", {"weights": P}, artifacts=links, evidence=evidence)
    b = repo("github.com/lab/b", {"weights": F}, artifacts=links[:1])
    page = Artifact(
        url="https://lab.github.io/a", kind=ArtifactKind.PROJECT_PAGE, status=ArtifactStatus.RESTRICTED
    )
    with_page = paper("A", ["github.com/lab/a"]).model_copy(update={"artifacts": [page]})
    head = headline(report([a, b], [with_page]))
    assert head.artifacts == {
        ArtifactStatus.GONE: 1,
        ArtifactStatus.NOT_CHECKED: 1,
        ArtifactStatus.RESTRICTED: 1,
    }
    assert list(unverified(a)) == ["weights"] and unverified(b) == {}


def test_a_dated_promise_has_an_age():
    dated = paper("Promise without link", says=StatementKind.PROMISED)
    dated = dated.model_copy(update={"paper": dated.paper.model_copy(update={"date": "2025-12-01"})})
    (broken,) = headline(report([], [dated])).broken_promises
    assert broken.age_days == 31  # to the report's 2026-01-01
