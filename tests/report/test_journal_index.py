"""The journal's index: what a run holds per repository is its key, in the order the run first
named it, and where its audit's line starts."""

from pathlib import Path

from auditor.models import ChecklistRef, RepoAudit, RepoFacts, RepoStatus
from auditor.report.journal import Journal, Keyed

MIDL = ChecklistRef(id="midl", version="1")


def audit(key: str, score: float | None = None) -> RepoAudit:
    facts = RepoFacts(key=key, url=f"https://{key}", status=RepoStatus.OK, source="git")
    return RepoAudit(repo=facts, score=score)


def test_repositories_are_listed_in_the_order_named_whenever_their_audits_were_written(tmp_path: Path):
    journal = Journal(tmp_path, tool_version="1.0", checklist=MIDL)
    journal.start({"github.com/a/kept": audit("github.com/a/kept")})  # from an interrupted run
    assert "github.com/a/kept" in journal
    assert journal.name("github.com/a/one") and journal.name("github.com/a/kept")
    assert journal.name("github.com/a/two")
    assert not journal.name("github.com/a/one")  # named again: not audited again
    assert "github.com/a/two" not in journal  # named, not yet written
    journal.append(audit("github.com/a/two", 0.2))  # finished first
    journal.append(audit("github.com/a/one", 0.1))
    assert list(journal.named) == ["github.com/a/one", "github.com/a/kept", "github.com/a/two"]
    stored = Keyed(journal.named, journal.get)
    assert [(a.repo.key, a.score) for a in stored] == [
        ("github.com/a/one", 0.1),
        ("github.com/a/kept", None),
        ("github.com/a/two", 0.2),
    ]
    journal.append(audit("github.com/a/one", 0.3))  # audited again: the latest counts, in its place
    assert next(iter(journal.named)) == "github.com/a/one" and journal.get("github.com/a/one").score == 0.3
    journal.remove()
