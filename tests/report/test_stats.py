"""The headline figures and per-paper outcomes: what the MIDL study counted, computed once when a
report is made and stored in it."""

import pytest

from auditor.models import (
    Artifact,
    ArtifactKind,
    ArtifactStatus,
    ChecklistItem,
    Evidence,
    Link,
    LinkKind,
    PaperOutcome,
    RepoKind,
    RepoStatus,
    StatementKind,
)
from auditor.report.stats import file_url, finalize, role_item
from reports import ITEMS, E, F, P, U, corpus_report, paper, repo, report

M, T, D, L = RepoKind.METHOD, RepoKind.TOOL, RepoKind.DATASET, RepoKind.CURATED_LIST


def test_each_paper_gets_one_outcome_with_its_reason():
    outcomes = {p.paper.title: (p.outcome, p.outcome_detail) for p in corpus_report().papers}
    assert outcomes == {
        "Good": (PaperOutcome.CODE, ""),
        "Placeholder": (PaperOutcome.PLACEHOLDER, "the repository holds no code"),
        "Gone": (PaperOutcome.MISSING, "repository not found"),
        "Flaky": (PaperOutcome.NOT_AUDITED, "could not be audited: timeout"),  # no evidence either way
        "Nothing": (PaperOutcome.PLACEHOLDER, "the repository is empty"),
        "Two repos, one good": (PaperOutcome.CODE, ""),
        "Promise without link": (PaperOutcome.PROMISED, "code promised, no repository linked"),
        "Claim without link": (PaperOutcome.CLAIMED, "code said to be available, with no link"),
        "Project page only": (PaperOutcome.PAGE, "code said to be at a link that is no repository"),
        "Survey": (PaperOutcome.READING_LIST, ""),
        "Survey without link": (PaperOutcome.READING_LIST, ""),  # a reading list is no code promise
        "Silent": (PaperOutcome.NONE, ""),
    }


def test_papers_are_counted_like_the_midl_study_and_a_link_is_a_mention():
    s = corpus_report().summary
    assert s.papers == 12
    # every paper that links a repository also mentions code ("Gone" and "Nothing" say nothing)
    assert (s.papers_mentioning_code, s.papers_linking_repository) == (9, 6)
    assert s.outcomes[PaperOutcome.READING_LIST] == 2 and s.outcomes[PaperOutcome.NONE] == 1
    assert sum(s.outcomes.values()) == s.papers and set(s.outcomes) == set(PaperOutcome)
    assert s.promises_not_kept == 5  # placeholder, gone, empty, promised, claimed
    assert (s.repos, s.audited) == (7, 4)
    assert s.not_audited == {RepoStatus.EMPTY: 1, RepoStatus.NOT_FOUND: 1, RepoStatus.TIMEOUT: 1}


def test_a_dated_promise_not_kept_has_an_age():
    dated = {p.paper.title: p.age_days for p in corpus_report().papers}
    assert dated["Promise without link"] == 31  # 2025-12-01 to the report's 2026-01-01
    assert dated["Good"] is None


def test_the_headline_is_over_method_code_and_the_rest_by_kind():
    s = corpus_report().summary
    assert s.scope is RepoKind.METHOD and s.scope_repos == 1
    assert (s.median, s.scored) == (0.75, 1)  # the curated list's 100% does not pull it up
    kinds = {k.kind: (k.repos, k.median) for k in s.kinds}
    assert kinds == {M: (1, 0.75), T: (1, 1.0), L: (1, 1.0), RepoKind.PLACEHOLDER: (2, 0.0)}
    assert s.placeholders == 2  # one audited placeholder, one empty repository


def test_without_method_code_the_headline_is_over_every_audited_repository():
    r = report([repo("github.com/a/tool", {"code": P, "license": F}, score=0.5, kind=T)])
    s = r.summary
    assert s.scope is None and s.scope_repos == 1 and s.median == 0.5


def test_item_counts_cover_the_repositories_of_the_headline_only():
    items = {i.id: i for i in corpus_report().summary.items}
    assert (items["code"].passed, items["code"].failed, items["code"].unknown) == (1, 0, 0)
    assert items["weights"].rate == 0.0 and items["license"].rate == 1.0
    r = report(
        [
            repo("github.com/a/one", {"code": P, "license": E, "weights": U}, score=1.0, kind=M),
            repo("github.com/a/two", {"code": P, "license": F, "weights": P}, score=0.5, kind=M),
        ]
    )
    counts = {i.id: i for i in r.summary.items}
    assert (counts["license"].error, counts["license"].failed, counts["license"].rate) == (1, 1, 0.0)
    assert counts["weights"].unknown == 1 and counts["weights"].rate == 1.0


def test_repeatable_and_papers_with_code_are_summarised():
    r = report(
        [
            repo("github.com/a/one", {"code": P}, score=1.0, kind=M, repeatable=P, pwc_score=5),
            repo("github.com/a/two", {"code": P}, score=0.5, kind=M, repeatable=F, pwc_score=2),
            repo("github.com/a/three", {"code": P}, score=0.5, kind=M, pwc_score=3),
        ]
    )
    s = r.summary
    assert (s.repeatable, s.repeatable_decided, s.pwc_median) == (1, 2, 3)


def test_questions_a_checklist_cannot_answer_are_left_out():
    items = [ChecklistItem(id="readme", title="README", rationale="r", fix="f")]
    plain = report([repo("github.com/a/b", {"readme": P}, score=1.0)], items=items)
    assert role_item(items, "code") is None and role_item(ITEMS, "weights") == "weights"
    assert plain.summary.placeholders is None  # no code item, and the report does not say the kind


def test_artifacts_are_counted_once_per_link():
    shared = "https://drive.google.com/file/d/1AbCdEfGhIjKlM/view"
    links = [
        Artifact(url=shared, kind=ArtifactKind.WEIGHTS, status=ArtifactStatus.GONE, http_status=404),
        Artifact(
            url="https://zenodo.org/records/1", kind=ArtifactKind.DATA, status=ArtifactStatus.NOT_CHECKED
        ),
    ]
    a = repo("github.com/lab/a", {"weights": P}, artifacts=links)
    b = repo("github.com/lab/b", {"weights": F}, artifacts=links[:1])
    page = Artifact(
        url="https://lab.github.io/a", kind=ArtifactKind.PROJECT_PAGE, status=ArtifactStatus.RESTRICTED
    )
    with_page = paper("A", ["github.com/lab/a"]).model_copy(update={"artifacts": [page]})
    assert report([a, b], [with_page]).summary.artifacts == {
        ArtifactStatus.GONE: 1,
        ArtifactStatus.NOT_CHECKED: 1,
        ArtifactStatus.RESTRICTED: 1,
    }


def test_a_promise_to_a_project_page_says_what_the_page_was():
    promise = paper("Page", says=StatementKind.PROMISED)
    link = Link(raw="https://lab.io/p", url="https://lab.io/p", kind=LinkKind.PROJECT_PAGE)
    unchecked = promise.model_copy(update={"links": [link]})
    (done,) = report([], [unchecked]).papers
    assert done.outcome_detail == "code promised, no repository linked; its project page was not checked"
    page = Artifact(
        url="https://lab.io/p",
        kind=ArtifactKind.PROJECT_PAGE,
        status=ArtifactStatus.AVAILABLE,
        detail="links no code repository",
    )
    (done,) = report([], [unchecked.model_copy(update={"artifacts": [page]})]).papers
    assert done.outcome_detail.endswith("its project page links no code repository")


def test_evidence_gets_the_address_of_its_file_at_the_audited_commit():
    evidence = {
        "code": [
            Evidence(path="src/train me.py", line=12),
            Evidence(path="README.md", line=3, url="https://huggingface.co/lab/model"),
            Evidence(url="https://github.com/Lab/Repo"),
        ]
    }
    audit = repo("github.com/lab/repo", {"code": P}, url="https://github.com/Lab/Repo", evidence=evidence)
    (result,) = report([audit]).repos[0].results
    first, second, third = result.evidence
    blob = "https://github.com/Lab/Repo/blob/" + "a" * 40
    assert first.file_url == first.url == f"{blob}/src/train%20me.py#L12"
    assert second.file_url == f"{blob}/README.md#L3" and second.url == "https://huggingface.co/lab/model"
    assert third.file_url is None


@pytest.mark.parametrize(
    ("url", "source", "expected"),
    [
        (
            "https://gitlab.com/group/sub/proj",
            "git",
            "https://gitlab.com/group/sub/proj/-/blob/c0ffee/a.py#L2",
        ),
        ("https://example.org/lab/proj", "git", None),  # a host without a known layout
        ("/home/me/proj", "local", None),  # a local audit has no web address
    ],
)
def test_file_links_follow_each_hosts_layout(url, source, expected):
    facts = repo("x/y/z", {}, url=url, commit="c0ffee").repo.model_copy(update={"source": source})
    assert file_url(facts, "a.py", 2) == expected


def test_finalize_is_idempotent_and_fills_an_older_report():
    done = corpus_report()
    assert finalize(done) == done
    older = done.model_copy(
        update={"summary": None, "papers": [p.model_copy(update={"outcome": None}) for p in done.papers]}
    )
    assert finalize(older) == done


def test_the_gate_and_the_diff_read_the_headlines_median():
    from auditor.report.diff import diff_reports
    from auditor.report.gate import gate

    method = repo("github.com/a/method", {"code": P, "license": F}, score=0.4, kind=M)
    lists = [repo(f"github.com/a/list{i}", {"code": P}, score=1.0, kind=L) for i in range(3)]
    r = report([method, *lists])
    assert r.summary.median == 0.4  # the lists' 100% would make the median of all 100%
    assert not gate(r, 50, per_repo=False).passed
    assert diff_reports(r, r).median_new == 0.4
    unfinished = r.model_copy(update={"summary": None})  # a report made by hand: the same median
    assert gate(unfinished, 50, per_repo=False).message == "median score 40% is below 50%"
    assert diff_reports(unfinished, unfinished).median_new == 0.4
