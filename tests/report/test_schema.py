"""The committed JSON Schema is the one the models generate, and real reports validate against it."""

import json
from pathlib import Path

import jsonschema
import pytest

from auditor.cli import main
from auditor.models import RepoStatus, StatementKind
from auditor.report.schema import SCHEMA_PATH, schema_text
from reports import F, P, paper, repo, report

ROOT = Path(__file__).resolve().parents[2]
COMMITTED = ROOT / SCHEMA_PATH


def validator() -> jsonschema.Draft202012Validator:
    schema = json.loads(COMMITTED.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_committed_schema_is_in_sync_with_the_models():
    assert COMMITTED.read_text(encoding="utf-8") == schema_text(), (
        "models changed: run `auditor schema > schema/report.schema.json` and commit it"
    )


def test_schema_command_prints_it(capsys):
    assert main(["schema"]) == 0
    assert capsys.readouterr().out == COMMITTED.read_text(encoding="utf-8")


def test_a_report_written_by_the_cli_validates(tmp_path, mirror):
    _, add = mirror
    local = add("me", "tool", {"README.md": "# t\n", "main.py": "print()\n"})
    out = tmp_path / "out"
    assert (
        main(["run", "--repo", str(local), "--cache-dir", str(tmp_path / "c"), "--out", str(out), "--quiet"])
        == 0
    )
    validator().validate(json.loads((out / "report.json").read_text()))


def test_a_hand_made_report_with_papers_and_missing_repos_validates():
    r = report(
        [
            repo("github.com/a/b", {"code": P, "license": F}, score=0.5),
            repo("github.com/a/c", status=RepoStatus.NOT_FOUND),
        ],
        [paper("A paper", ["github.com/a/b", "github.com/a/c"], says=StatementKind.PROMISED)],
    )
    validator().validate(json.loads(r.model_dump_json()))


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("repos", 0, "results", 0, "outcome"), "maybe"),
        (("repos", 0, "repo", "surprise"), 1),
        (("tool_version",), None),
    ],
    ids=["unknown-outcome", "extra-field", "missing-field"],
)
def test_the_schema_rejects_what_the_models_reject(path, value):
    data = json.loads(report([repo("github.com/a/b", {"code": P}, score=1.0)]).model_dump_json())
    *parents, last = path
    target = data
    for key in parents:
        target = target[key]
    if value is None:
        del target[last]
    else:
        target[last] = value
    assert not validator().is_valid(data)
