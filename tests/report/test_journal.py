"""The journal of a run: what an interrupted run leaves for `--resume`."""

from pathlib import Path

from auditor.models import ChecklistRef, RepoAudit, RepoFacts, RepoStatus
from auditor.report import journal as journal_module
from auditor.report.journal import Journal, Keyed, Spill

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


def test_a_run_keeps_its_audits_in_the_journal_and_reads_each_back_when_asked(tmp_path: Path):
    journal = Journal(tmp_path, tool_version="1.0", checklist=MIDL)
    journal.start({"github.com/a/kept": audit("github.com/a/kept")})
    for name in ("one", "two", "one"):  # a repository audited again: its latest audit counts
        journal.append(audit(f"github.com/a/{name}").model_copy(update={"score": len(name) / 10}))
    assert journal.get("github.com/a/two") == audit("github.com/a/two").model_copy(update={"score": 0.3})
    assert journal.get("github.com/a/kept") == audit("github.com/a/kept")
    assert "github.com/a/one" in journal and "github.com/a/three" not in journal
    stored = Keyed(["github.com/a/two", "github.com/a/kept"], journal.get)
    assert [a.repo.key for a in stored] == ["github.com/a/two", "github.com/a/kept"]
    assert len(stored) == 2 and stored[1] == audit("github.com/a/kept") and list(stored[1:]) == [stored[1]]
    assert stored.by_key.get("github.com/a/one") is None  # in the journal, not in these records
    assert stored.by_key["github.com/a/kept"] == audit("github.com/a/kept")
    journal.close()
    assert journal.get("github.com/a/kept") == audit("github.com/a/kept")  # read after the run too
    journal.remove()
    assert not journal.path.exists()


def test_a_spill_gives_back_its_records_in_order_as_often_as_asked(tmp_path: Path):
    spill = Spill(RepoAudit, tmp_path)
    spill.extend(audit(f"github.com/a/r{i}") for i in range(3))
    spill.extend([audit("github.com/a/r3")])
    records = spill.records()
    assert [a.repo.key for a in records] == [f"github.com/a/r{i}" for i in range(4)]
    assert [a.repo.key for a in records] == [f"github.com/a/r{i}" for i in range(4)]  # again
    assert records[2] == audit("github.com/a/r2") and len(spill) == 4
    assert list(tmp_path.iterdir()) == []  # no file left behind, even while it is open


def test_the_first_audits_read_back_stay_parsed_up_to_a_bound(tmp_path: Path, monkeypatch):
    journal = Journal(tmp_path, tool_version="1.0", checklist=MIDL)
    journal.start({})
    for name in ("one", "two", "three"):
        journal.append(audit(f"github.com/a/{name}"))
    line = len(audit("github.com/a/one").model_dump_json()) + 1
    monkeypatch.setattr(journal_module, "HELD_BYTES", 2 * line + 1)  # room for two such lines
    first = [journal.get(f"github.com/a/{name}") for name in ("one", "two", "three")]
    again = [journal.get(f"github.com/a/{name}") for name in ("one", "two", "three")]
    assert again == first == [audit(f"github.com/a/{n}") for n in ("one", "two", "three")]
    assert [a is b for a, b in zip(again, first, strict=True)] == [True, True, False]  # read again
    newer = audit("github.com/a/one").model_copy(update={"score": 0.5})
    journal.append(newer)  # audited again: its new line is the one read
    assert journal.get("github.com/a/one") == newer
    journal.close()
    journal.start({})  # a new journal holds nothing of the old one
    journal.append(audit("github.com/a/two").model_copy(update={"score": 0.2}))
    assert journal.get("github.com/a/two").score == 0.2
    journal.remove()
