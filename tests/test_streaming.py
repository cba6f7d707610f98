"""A run with a journal keeps no audit and no paper in memory (but the few audits the journal keeps
parsed, up to a fixed bound): each audit goes to the journal as it completes, papers to a temporary
file, and every file of the report is written reading them back one at a time. The files are the
same, byte for byte, as those of a report held in memory."""

import gc
import json
from pathlib import Path

from auditor.audit import Settings
from auditor.checks.checklist import load
from auditor.models import ChecklistRef, Paper, PaperAudit, RepoAudit, SourceRef
from auditor.papers.links import parse_repo_url
from auditor.pipeline import audit_papers, audit_targets, target_for
from auditor.report import journal as journal_module
from auditor.report.files import write_report
from auditor.report.journal import Journal, Stored

N = 8  # more than a one-page report holds: pages per repository and per paper


def alive(kind: type) -> int:
    gc.collect()
    return sum(1 for obj in gc.get_objects() if type(obj) is kind)


def papers(mirror) -> list[Paper]:
    _root, add = mirror
    for i in range(N):
        add("lab", f"tool{i}", {"README.md": f"# Tool {i}\n", "train.py": "import torch\n" * 5})
    said = [(f"p{i}", f"Code: https://github.com/lab/tool{i}.") for i in range(N)]
    said += [
        ("again", "Code: https://github.com/lab/tool0 and https://github.com/lab/gone."),
        ("later", "Our code will be released."),
        ("quiet", "No code here."),
    ]
    where = SourceRef(file="papers.jsonl", line=1)
    return [Paper(id=i, title=f"Paper {i}", abstract=text, source=where) for i, text in said]


def settings(tmp_path: Path, root: Path, cache: str) -> Settings:
    return Settings(
        cache_dir=tmp_path / cache,
        checklist=load("midl"),
        clone_url=f"file://{root}/{{owner}}/{{name}}",
        probe=None,
        jobs=3,
    )


def journal(folder: Path) -> Journal:
    started = Journal(folder, tool_version="t", checklist=ChecklistRef(id="midl", version="1"))
    started.start({})
    return started


def files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_run_with_a_journal_holds_no_audit_and_writes_the_same_files(tmp_path: Path, mirror, monkeypatch):
    monkeypatch.setattr(journal_module, "HELD_BYTES", 0)  # none kept parsed: see the test below
    root, _add = mirror
    corpus = papers(mirror)
    store = journal(tmp_path / "stored")
    before = alive(RepoAudit), alive(PaperAudit)
    report = audit_papers(corpus, settings(tmp_path, root, "cache1"), store=store)
    assert isinstance(report.repos, Stored) and isinstance(report.papers, Stored)
    assert (alive(RepoAudit), alive(PaperAudit)) == before  # all on disk
    assert len(report.repos) == N + 1 and len(report.papers) == N + 3
    write_report(report, tmp_path / "stored")
    assert (alive(RepoAudit), alive(PaperAudit)) == before
    store.remove()
    # Without a journal the report holds its lists, as a library caller wants; it says the same.
    held = audit_papers(corpus, settings(tmp_path, root, "cache2"))
    assert isinstance(held.repos, list) and alive(RepoAudit) - before[0] >= N + 1
    write_report(held, tmp_path / "held")
    assert files(tmp_path / "stored") == files(tmp_path / "held")
    written = json.loads((tmp_path / "held" / "report.json").read_text())
    keys = [a["repo"]["key"] for a in written["repos"]]
    assert keys == [f"github.com/lab/tool{i}" for i in range(N)] + ["github.com/lab/gone"]


def test_repositories_alone_stream_too(tmp_path: Path, mirror, monkeypatch):
    monkeypatch.setattr(journal_module, "HELD_BYTES", 0)
    root, _add = mirror
    papers(mirror)
    targets = [
        target_for(parse_repo_url(f"https://github.com/lab/tool{i}"), f"file://{root}/{{owner}}/{{name}}")
        for i in (*range(N), 0)
    ]
    store = journal(tmp_path / "stored")
    before = alive(RepoAudit)
    report = audit_targets(targets, settings(tmp_path, root, "cache1"), store=store)
    assert alive(RepoAudit) == before and isinstance(report.repos, Stored) and len(report.repos) == N
    write_report(report, tmp_path / "stored")
    store.remove()
    write_report(audit_targets(targets, settings(tmp_path, root, "cache2")), tmp_path / "held")
    assert files(tmp_path / "stored") == files(tmp_path / "held")


def test_the_audits_kept_parsed_are_bounded_and_change_no_file(tmp_path: Path, mirror, monkeypatch):
    root, _add = mirror
    papers(mirror)
    targets = [
        target_for(parse_repo_url(f"https://github.com/lab/tool{i}"), f"file://{root}/{{owner}}/{{name}}")
        for i in range(N)
    ]
    held = audit_targets(targets, settings(tmp_path, root, "cache1"))
    write_report(held, tmp_path / "held")
    line = max(len(a.model_dump_json()) + 1 for a in held.repos)
    monkeypatch.setattr(journal_module, "HELD_BYTES", 3 * line)  # room for three audits at least
    store = journal(tmp_path / "stored")
    before = alive(RepoAudit)
    write_report(audit_targets(targets, settings(tmp_path, root, "cache2"), store=store), tmp_path / "stored")
    assert 3 <= alive(RepoAudit) - before < N
    store.remove()
    assert alive(RepoAudit) == before
    assert files(tmp_path / "stored") == files(tmp_path / "held")
