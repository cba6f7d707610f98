"""The journal of a run: what an interrupted run leaves for `--resume`."""

from pathlib import Path

from auditor.models import ChecklistRef, RepoAudit, RepoFacts, RepoStatus
from auditor.report.journal import Journal

MIDL = ChecklistRef(id="midl", version="1")


def audit(key: str) -> RepoAudit:
    return RepoAudit(repo=RepoFacts(key=key, url=f"https://{key}", status=RepoStatus.OK, source="git"))


def test_audits_survive_an_interruption_and_a_torn_last_line(tmp_path: Path):
    journal = Journal(tmp_path, tool_version="1.0", checklist=MIDL)
    journal.start({})
    journal.append(audit("github.com/a/one"))
    journal.append(audit("github.com/a/two"))
    journal.close()
    with journal.path.open("a") as handle:
        handle.write('{"repo": {"key": "github.com/a/thr')  # killed mid-write
    again = Journal(tmp_path, tool_version="1.0", checklist=MIDL).load()
    assert list(again) == ["github.com/a/one", "github.com/a/two"]


def test_audits_of_another_tool_version_or_checklist_are_not_reused(tmp_path: Path):
    journal = Journal(tmp_path, tool_version="1.0", checklist=MIDL)
    journal.start({"github.com/a/one": audit("github.com/a/one")})
    journal.close()
    assert Journal(tmp_path, tool_version="1.1", checklist=MIDL).load() == {}
    other = ChecklistRef(id="pwc", version="1")
    assert Journal(tmp_path, tool_version="1.0", checklist=other).load() == {}
    assert list(Journal(tmp_path, tool_version="1.0", checklist=MIDL).load()) == ["github.com/a/one"]


def test_no_journal_means_nothing_to_resume(tmp_path: Path):
    assert Journal(tmp_path, tool_version="1.0", checklist=MIDL).load() == {}


def test_each_audit_is_on_disk_as_soon_as_it_is_appended(tmp_path: Path):
    journal = Journal(tmp_path, tool_version="1.0", checklist=MIDL)
    journal.start({})
    journal.append(audit("github.com/a/one"))
    # read while the journal is still open, as --resume would after a kill
    assert list(Journal(tmp_path, tool_version="1.0", checklist=MIDL).load()) == ["github.com/a/one"]
    journal.remove()
    assert not journal.path.exists()
