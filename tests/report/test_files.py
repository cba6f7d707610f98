"""Report files: the mode any new file gets, a 1.0 report read with its summary filled in, and the
summary as data (`auditor summary --json`)."""

import json
import os
import stat

from auditor.cli import main
from auditor.models import PaperAudit, Report
from auditor.report.files import read_report, report_json, write_report
from auditor.report.journal import Journal, Keyed, Spill
from reports import corpus_report


def test_report_files_get_the_mode_the_umask_allows(tmp_path):
    old = os.umask(0o022)
    try:
        paths = write_report(corpus_report(), tmp_path / "out")
    finally:
        os.umask(old)
    modes = {stat.S_IMODE(p.stat().st_mode) for p in paths}
    assert modes == {0o644}  # not the 0600 of a temporary file: others may read a published report


def test_a_report_written_before_summaries_is_read_with_its_summary(tmp_path):
    data = json.loads(corpus_report().model_dump_json())
    data["schema_version"] = "1.0"
    del data["summary"]
    for paper in data["papers"]:
        for field in ("outcome", "outcome_detail", "age_days"):
            del paper[field]
    path = tmp_path / "old.json"
    path.write_text(json.dumps(data))
    report = read_report(path)
    assert report.summary == corpus_report().summary
    assert Report.model_validate(data).summary is None  # the file itself had none


def test_summary_json_is_the_summary_block(tmp_path, capsys):
    write_report(corpus_report(), tmp_path)
    assert main(["summary", str(tmp_path / "report.json"), "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown == json.loads(corpus_report().summary.model_dump_json())
    assert shown["outcomes"]["reading-list"] == 2 and shown["scope"] == "method"


def test_corpus_files_are_named_relative_to_the_working_directory(tmp_path, monkeypatch, capsys):
    corpus = tmp_path / "data" / "papers.jsonl"
    corpus.parent.mkdir()
    corpus.write_text(json.dumps({"title": "A paper", "abstract": "Code: https://github.com/a/b."}) + "\n")
    monkeypatch.chdir(tmp_path)
    assert main(["links", "--corpus", str(corpus), "--json"]) == 0
    (record,) = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert record["paper"]["source"] == {"file": "data/papers.jsonl", "line": 1}
    assert main(["links", "--json", "--paper", "SegDT"]) == 0
    bundled = json.loads(capsys.readouterr().out)
    assert bundled["paper"]["source"]["file"] == "auditor/data/hf-papers-medical-imaging.txt"


def test_report_json_in_pieces_is_the_models_json():
    whole = corpus_report()
    for r in (whole, whole.model_copy(update={"repos": [], "papers": []})):
        assert "".join(report_json(r)) == r.model_dump_json(indent=2) + "\n"


def test_a_report_whose_records_stay_on_disk_is_written_as_the_same_files(tmp_path):
    held = corpus_report()
    write_report(held, tmp_path / "held")
    papers = Spill(PaperAudit)
    papers.extend(held.papers)
    journal = Journal(tmp_path, tool_version="t", checklist=held.checklist)
    journal.start({a.repo.key: a for a in held.repos})
    repos = Keyed([a.repo.key for a in held.repos], journal.get)
    stored = held.model_copy(update={"papers": papers.records(), "repos": repos})
    write_report(stored, tmp_path / "stored")
    journal.remove()
    for path in (tmp_path / "held").rglob("*"):
        if path.is_file():
            assert (
                tmp_path / "stored" / path.relative_to(tmp_path / "held")
            ).read_bytes() == path.read_bytes()
    assert read_report(tmp_path / "stored" / "report.json") == held
