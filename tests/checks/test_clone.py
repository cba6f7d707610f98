"""The checklist over a real clone: blob-filtered weights, Git LFS pointers, a placeholder."""

from pathlib import Path

from gitrepos import make_repo
from repos import LFS_POINTER, MIT_LICENSE, README_INSTALL, README_TRAIN, complete_repo, readme

from auditor.acquire.gitrunner import GitRunner
from auditor.acquire.gitsource import GitSource
from auditor.checks import checklist
from auditor.models import Outcome
from auditor.pipeline import judge


def audit(tmp_path: Path, files: dict, blob_limit: int = 4096) -> dict[str, Outcome]:
    repo = make_repo(tmp_path / "lab" / "segtool", files)
    source = GitSource(cache_dir=tmp_path / "cache", runner=GitRunner(allow_file=True), blob_limit=blob_limit)
    snap = source.acquire("github.com/lab/segtool", repo.as_uri(), web_url="https://github.com/lab/segtool")
    result = judge(snap, checklist.load("midl"))  # the files checks read fetched, as in a run
    return {r.id: r.outcome for r in result.results}


def test_weights_over_the_blob_filter_and_in_git_lfs_are_found_in_a_clone(tmp_path: Path):
    files = complete_repo()
    files["README.md"] = files["README.md"].replace(
        "## Pretrained weights", "## Checkpoints (in this repository)"
    )
    files["README.md"] = files["README.md"].split("| Dataset | Checkpoint |")[0]
    files["checkpoints/segtool_acdc.pth"] = b"\x80\x02" * 10000  # over the filter: never downloaded
    files["checkpoints/segtool_mnms.pth"] = LFS_POINTER
    outcomes = audit(tmp_path, files)
    assert outcomes["pretrained-weights"] is Outcome.PASS
    assert outcomes["code"] is Outcome.PASS and outcomes["readme-commands"] is Outcome.PASS


def test_detailed_readme_only_clone_is_a_placeholder(tmp_path: Path):
    files = {
        "README.md": readme(README_INSTALL, README_TRAIN),
        "LICENSE": MIT_LICENSE,
        "assets/overview.png": b"\x89PNG" + bytes(80),
    }
    outcomes = audit(tmp_path, files)
    assert outcomes["code"] is Outcome.FAIL
    assert outcomes["readme-commands"] is Outcome.FAIL and outcomes["readme-install"] is Outcome.FAIL
    assert outcomes["training-code"] is Outcome.FAIL
