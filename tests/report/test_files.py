"""Report files: the mode any new file gets, a 1.0 report read with its summary filled in, and the
summary as data (`auditor summary --json`)."""

import json
import os
import stat

from auditor.cli import main
from auditor.models import Report
from auditor.report.files import read_report, write_report
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
