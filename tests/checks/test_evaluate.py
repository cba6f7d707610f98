"""The verdicts computed from items: MIDL "repeatable" and the Papers with Code 0–5 score."""

from repos import MIT_LICENSE, README_INSTALL, README_TRAIN, complete_repo, readme
from snapshots import facts

from auditor.checks import checklist
from auditor.checks.evaluate import evaluate, pwc_score, repeatable
from auditor.models import CheckResult, Outcome


def results(**outcomes: Outcome) -> list[CheckResult]:
    return [CheckResult(id=i.replace("_", "-"), outcome=o, message="") for i, o in outcomes.items()]


def test_complete_repository_is_repeatable_and_scores_five():
    audit = evaluate(facts(complete_repo()), checklist.load("midl"))
    assert audit.score == 1.0
    assert audit.repeatable is Outcome.PASS
    assert audit.pwc_score == 5


def test_placeholder_is_not_repeatable_and_scores_zero():
    files = {"README.md": readme(README_INSTALL, README_TRAIN), "LICENSE": MIT_LICENSE}
    audit = evaluate(facts(files), checklist.load("midl"))
    assert {r.id: r.outcome for r in audit.results}["code"] is Outcome.FAIL
    assert audit.repeatable is Outcome.FAIL
    assert audit.pwc_score == 0


def test_repeatable_needs_all_three_and_says_unknown_or_not_applicable_honestly():
    p, f, u, na = Outcome.PASS, Outcome.FAIL, Outcome.UNKNOWN, Outcome.NOT_APPLICABLE
    assert repeatable(results(dependencies=p, training_code=p, data_instructions=u)) is Outcome.UNKNOWN
    assert repeatable(results(dependencies=p, training_code=f, data_instructions=u)) is Outcome.FAIL
    assert (
        repeatable(results(dependencies=na, training_code=na, data_instructions=na)) is Outcome.NOT_APPLICABLE
    )
    assert repeatable(results(dependencies=p, training_code=p)) is None


def test_pwc_score_counts_passes_of_its_five_items():
    p, f, na = Outcome.PASS, Outcome.FAIL, Outcome.NOT_APPLICABLE
    five = dict(dependencies=p, training_code=p, evaluation_code=f, pretrained_weights=f, readme_results=p)
    assert pwc_score(results(**five)) == 3
    assert pwc_score(results(**{k: na for k in five})) is None
    assert pwc_score(results(dependencies=p)) is None


def test_pwc_checklist_alone_gives_the_same_score():
    snap = facts(complete_repo())
    audit = evaluate(snap, checklist.load("pwc"))
    assert [r.id for r in audit.results] == [
        "dependencies",
        "training-code",
        "evaluation-code",
        "pretrained-weights",
        "readme-results",
    ]
    assert audit.pwc_score == 5 and audit.repeatable is None
