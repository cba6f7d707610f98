"""benchmarks/agreement.py: a local copy read as a clone gives it, and the agreement arithmetic."""

import importlib.util
import sys
from pathlib import Path

from gitrepos import git, make_repo
from repos import complete_repo

_SPEC = importlib.util.spec_from_file_location(
    "agreement", Path(__file__).resolve().parents[2] / "benchmarks" / "agreement.py"
)
assert _SPEC is not None and _SPEC.loader is not None
agreement = importlib.util.module_from_spec(_SPEC)
sys.modules["agreement"] = agreement  # its dataclasses look their module up
_SPEC.loader.exec_module(agreement)


def test_a_bare_copy_is_read_with_the_clones_blob_limit(tmp_path):
    files = {k: v for k, v in complete_repo().items() if isinstance(v, str | bytes)}
    files["weights/segtool_acdc.pth"] = b"\x01" * (1024 * 1024 + 1)  # over the clone's limit
    work = make_repo(tmp_path / "work", files)
    bare = tmp_path / "lab" / "segtool.git"
    git("clone", "-q", "--bare", str(work), str(bare), cwd=tmp_path)
    snap = agreement.snapshot(bare, "lab/segtool")
    assert snap.entries["weights/segtool_acdc.pth"].size is None  # listed, unreadable
    assert snap.reader("weights/segtool_acdc.pth", 10) is None
    assert snap.text("README.md") is not None
    commit, readme, results = agreement.audit(bare, "lab/segtool")
    assert len(commit) == 40 and readme
    assert results["code"][0] == "pass" and results["pretrained-weights"][0] == "pass"


def test_agreement_counts_repositories_per_set_and_item():
    row = agreement.Row
    rows = [
        row("validation", "a/x", "code", "pass", "", "pass", ""),
        row("validation", "a/y", "code", "fail", "", "pass", ""),
        row("validation", "a/x", "readme-results", "pass", "", "unknown", ""),
        row("validation", "a/y", "readme-results", "fail", "", "fail", ""),
        row("corpus", "b/z", "code", "not-applicable", "", "not-applicable", ""),
    ]
    table = agreement.agreement(rows)
    assert table["validation"]["code"] == (1, 2)
    assert table["validation"]["readme-results"] == (1, 2)
    assert table["corpus"]["code"] == (1, 1)
    has_readme = {("validation", "a/x"): True, ("validation", "a/y"): False}
    assert agreement.unknown_results(rows, has_readme) == {"validation": (1, 1)}
