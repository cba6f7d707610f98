"""Checklists are data; every item has an implementation and every implementation is used."""

from pathlib import Path

import pytest

from auditor.checks import checklist
from auditor.checks.base import registry


def test_every_shipped_checklist_loads_and_names_implemented_checks():
    assert {"midl", "pwc"} <= set(checklist.available())
    used: set[str] = set()
    for name in checklist.available():
        loaded = checklist.load(name)
        ids = {item.id for item in loaded.items}
        assert ids <= set(registry()), f"{name} names unimplemented checks {ids - set(registry())}"
        used |= ids
    assert set(registry()) <= used, f"implemented but in no checklist: {set(registry()) - used}"


def test_unknown_fields_and_duplicate_ids_are_rejected(tmp_path: Path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "id: x\nversion: '1'\ntitle: X\nitems:\n  - {id: readme, title: R, rationale: r, fix: f, wieght: 2}\n"
    )
    with pytest.raises(checklist.ChecklistError, match="wieght"):
        checklist.load(str(bad))
    dup = tmp_path / "dup.yaml"
    dup.write_text(
        "id: x\nversion: '1'\ntitle: X\nitems:\n"
        "  - {id: readme, title: R, rationale: r, fix: f}\n"
        "  - {id: readme, title: R, rationale: r, fix: f}\n"
    )
    with pytest.raises(checklist.ChecklistError, match="duplicate"):
        checklist.load(str(dup))


def test_unknown_checklist_names_the_shipped_ones():
    with pytest.raises(checklist.ChecklistError, match="midl"):
        checklist.load("nope")


def test_pwc_checklist_is_the_five_papers_with_code_items_all_in_midl():
    pwc = [item.id for item in checklist.load("pwc").items]
    assert pwc == ["dependencies", "training-code", "evaluation-code", "pretrained-weights", "readme-results"]
    assert set(pwc) <= {item.id for item in checklist.load("midl").items}


def test_the_readme_lists_the_checks_as_the_data_defines_them(capsys):
    from auditor.cli import main

    assert main(["checklists", "--markdown"]) == 0
    generated = capsys.readouterr().out.rstrip()
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    shown = readme.split("<!-- checklists:begin -->\n")[1].split("\n<!-- checklists:end -->")[0]
    assert shown == generated, "README is stale: paste the output of `auditor checklists --markdown`"
