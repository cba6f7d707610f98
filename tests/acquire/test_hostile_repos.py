"""Hostile and odd repositories: acquisition and checks survive them and read nothing unsafe."""

import subprocess
import tracemalloc
from pathlib import Path

from gitrepos import git, make_repo

from auditor.acquire.gitrunner import GitRunner
from auditor.acquire.gitsource import GitSource
from auditor.acquire.localsource import read_folder
from auditor.checks.checklist import load
from auditor.facts.needs import planned
from auditor.facts.repository import Facts
from auditor.models import EntryKind, Outcome, RepoStatus
from auditor.pipeline import judge

LFS_POINTER = (
    "version https://git-lfs.github.com/spec/v1\n"
    "oid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\nsize 104857600\n"
)


def acquire(tmp_path: Path, repo: Path, **kwargs):
    """The repository as the pipeline has it: its tree, and the files the checks will read."""
    src = GitSource(cache_dir=tmp_path / "cache", runner=GitRunner(allow_file=True), **kwargs)
    snap = src.acquire("k", repo.as_uri(), web_url="https://example.org/k")
    snap.prefetch(planned(Facts(snap)))
    return snap


def outcomes(snap) -> dict[str, Outcome]:
    return {r.id: r.outcome for r in judge(snap, load()).results}


def test_readme_symlink_to_etc_passwd_is_never_read(tmp_path: Path):
    repo = make_repo(tmp_path / "r", {"main.py": "print()\n"}, symlinks={"README.md": "/etc/passwd"})
    snap = acquire(tmp_path, repo)
    assert snap.entries["README.md"].kind is EntryKind.SYMLINK
    assert snap.text("README.md") is None
    assert outcomes(snap)["readme"] is Outcome.UNKNOWN  # a README is there; what it says is not read


def test_a_readme_symlink_is_read_as_the_file_of_the_tree_it_leads_to(tmp_path: Path):
    guide = "# LesionNet\n\nSegments brain lesions.\n"
    files = {"main.py": "print()\n", "documentation/README.md": guide}
    links = {
        "README.md": "documentation/README.md",
        "docs/loop": "loop2",
        "docs/loop2": "loop",
        "up": "../r2/x",
    }
    snap = acquire(tmp_path, make_repo(tmp_path / "r", files, symlinks=links))  # a clone without blobs
    assert snap.text("README.md").text == guide
    assert snap.text("docs/loop") is None and snap.text("up") is None  # a cycle; a path out of the tree
    # a folder on disk (`auditor check DIR` of a folder that is no git repository): the same
    folder = tmp_path / "folder"
    (folder / "documentation").mkdir(parents=True)
    (folder / "documentation" / "README.md").write_text(guide)
    (tmp_path / "outside.md").write_text("# not this\n")
    (folder / "README.md").symlink_to("documentation/README.md")
    (folder / "NOTES.md").symlink_to(tmp_path / "outside.md")
    (folder / "up.md").symlink_to("../outside.md")
    local = read_folder(folder, key="folder")
    assert local.text("README.md").text == guide
    assert local.text("NOTES.md") is None and local.text("up.md") is None


def test_symlink_pointing_outside_the_repository_is_listed_not_followed(tmp_path: Path):
    repo = make_repo(tmp_path / "r", {"a.py": "x=1\n"}, symlinks={"data/link": "../../../../etc"})
    snap = acquire(tmp_path, repo)
    assert snap.entries["data/link"].kind is EntryKind.SYMLINK
    assert "data/link" not in snap.files


def test_oversized_readme_is_unknown_not_read(tmp_path: Path):
    repo = make_repo(tmp_path / "r", {"README.md": "# big\n" * 400_000, "a.py": ""})
    snap = acquire(tmp_path, repo, blob_limit=1024 * 1024)
    assert snap.entries["README.md"].size is None  # over the read limit: listed as too large, never read
    assert outcomes(snap)["readme"] is Outcome.UNKNOWN


def test_non_utf8_and_binary_readmes(tmp_path: Path):
    text = "# Modèle\n\nUn modèle qui segmente les vaisseaux rétiniens dans les images du fond de l'oeil.\n\n```bash\npython a.py\n```\n"
    latin = make_repo(tmp_path / "l", {"README.md": text.encode("latin-1"), "a.py": ""})
    snap = acquire(tmp_path, latin)
    assert snap.text("README.md").text.startswith("# Mod")
    assert outcomes(snap)["readme"] is Outcome.PASS
    binary = make_repo(tmp_path / "b", {"README.md": b"\x00\xff" * 100, "a.py": ""})
    snap = GitSource(cache_dir=tmp_path / "c2", runner=GitRunner(allow_file=True)).acquire(
        "b", binary.as_uri(), web_url="u"
    )
    assert outcomes(snap)["readme"] is Outcome.UNKNOWN


def test_lfs_pointers_and_huge_files_are_listed_without_downloading(tmp_path: Path):
    repo = make_repo(
        tmp_path / "r",
        {"README.md": "# m\n", "weights/model.pth": LFS_POINTER, "data.bin": b"\x01" * 3_000_000},
    )
    snap = acquire(tmp_path, repo)
    assert snap.entries["data.bin"].size is None
    assert snap.text("weights/model.pth").text.startswith("version https://git-lfs")
    data = git("rev-parse", "HEAD:data.bin", cwd=repo).strip()
    held = git(
        "cat-file",
        "--batch-all-objects",
        "--batch-check=%(objectname)",
        cwd=tmp_path / "cache" / "git" / "k.git",
    )
    assert data not in held.split()  # no check reads it: never downloaded


def test_submodules_are_listed_and_not_fetched(tmp_path: Path):
    repo = make_repo(tmp_path / "r", {"README.md": "# m\n"})
    git("update-index", "--add", "--cacheinfo", f"160000,{'a' * 40},vendor/lib", cwd=repo)
    git("commit", "-q", "-m", "submodule", cwd=repo)
    snap = acquire(tmp_path, repo)
    assert snap.entries["vendor/lib"].kind is EntryKind.SUBMODULE
    assert snap.repo.status is RepoStatus.OK


def test_odd_and_case_colliding_file_names(tmp_path: Path):
    repo = make_repo(tmp_path / "r", {"README.md": "# upper\n"})
    blob = _blob(repo, "# lower\n")
    git("update-index", "--add", "--cacheinfo", f"100644,{blob},readme.md", cwd=repo)
    weird = "new\nline ünï 名前.py"
    code = _blob(repo, "import numpy as np\n\n\ndef main():\n    return np.zeros(3)\n")
    git("update-index", "--add", "--cacheinfo", f"100644,{code},{weird}", cwd=repo)
    git("commit", "-q", "-m", "odd names", cwd=repo)
    snap = acquire(tmp_path, repo)
    assert {"README.md", "readme.md", weird} <= set(snap.files)
    assert snap.text("readme.md").text == "# lower\n"
    assert outcomes(snap)["code"] is Outcome.PASS


def test_default_branch_other_than_main(tmp_path: Path):
    repo = make_repo(tmp_path / "r", {"README.md": "# dev\n"}, branch="develop")
    snap = acquire(tmp_path, repo)
    assert snap.repo.branch == "develop"


def test_user_git_config_cannot_redirect_clones(tmp_path: Path, monkeypatch):
    """A global `url.insteadOf` (or any user config) is ignored: git runs with no user config."""
    repo = make_repo(tmp_path / "r", {"README.md": "# m\n"})
    config = tmp_path / "gitconfig"
    config.write_text(f'[url "{repo.as_uri()}"]\n\tinsteadOf = https://127.0.0.1:1/\n')
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(config))
    src = GitSource(cache_dir=tmp_path / "cache", runner=GitRunner(allow_file=True))
    snap = src.acquire("k", "https://127.0.0.1:1/x", web_url="u")
    assert snap.repo.status is RepoStatus.UNREACHABLE


def _blob(repo: Path, text: str) -> str:
    return subprocess.run(
        ["git", "hash-object", "-w", "--stdin"],
        cwd=repo,
        input=text,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()


def test_a_repository_of_100k_files_is_listed_whole(tmp_path: Path):
    repo = make_repo(tmp_path / "r", {})
    body = "import numpy as np\n\n\ndef main():\n    return np.zeros(3)\n"
    lines = ["blob", "mark :1", f"data {len(body)}", body]
    lines += ["commit refs/heads/main", "committer T <t@e.org> 1735689600 +0000", "data 4", "many"]
    lines += [f"M 100644 :1 pkg{i // 1000}/mod{i}.py" for i in range(100_000)]
    subprocess.run(
        ["git", "fast-import", "--quiet"], cwd=repo, input="\n".join(lines) + "\n\n", text=True, check=True
    )
    snap = acquire(tmp_path, repo)
    assert snap.repo.file_count == 100_000
    assert outcomes(snap)["code"] is Outcome.PASS


def test_nothing_from_a_repository_is_executed(tmp_path: Path):
    marker = tmp_path / "executed"
    payload = f"import pathlib\npathlib.Path({str(marker)!r}).write_text('ran')\n"
    notebook = (
        '{"cells": [{"cell_type": "code", "source": ["'
        + payload.replace("\n", "\\n").replace('"', '\\"')
        + '"],'
        ' "metadata": {}, "outputs": [], "execution_count": null}], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}'
    )
    repo = make_repo(
        tmp_path / "r",
        {
            "README.md": "# m\n\n```bash\npip install -e .\npython train.py\n```\n",
            "setup.py": payload
            + "from setuptools import setup\nsetup(name='m', install_requires=['torch'])\n",
            "train.py": payload,
            "conftest.py": payload,
            "demo.ipynb": notebook,
            "Makefile": f"all:\n\ttouch {marker}\n",
        },
    )
    snap = acquire(tmp_path, repo)
    outcomes(snap)
    assert not marker.exists()


def test_a_huge_compressible_readme_from_a_server_ignoring_the_filter_is_too_large_not_read(tmp_path: Path):
    """Issue 14, break 2: a README of zeros is tiny in a pack, so the clone's size cap never fires
    when a server ignores the blob filter and sends it; its size, asked of git before reading, keeps
    it unread, and no more than the read limit of anything is ever held in memory."""
    repo = make_repo(
        tmp_path / "r",
        {"README.md": bytes(96 * 1024 * 1024), "train.py": "import torch\n\nmodel = torch.nn.Linear(2, 2)\n"},
    )
    git("config", "uploadpack.allowFilter", "false", cwd=repo)  # the filter is ignored: all is sent
    tracemalloc.start()
    try:
        snap = acquire(tmp_path, repo)
        results = outcomes(snap)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    readme = git("rev-parse", "HEAD:README.md", cwd=repo).strip()
    assert readme in git(
        "cat-file",
        "--batch-all-objects",
        "--batch-check=%(objectname)",
        cwd=tmp_path / "cache" / "git" / "k.git",
    )
    assert snap.repo.status is RepoStatus.OK and snap.entries["README.md"].size is None
    assert results["readme"] is Outcome.UNKNOWN and results["code"] is Outcome.PASS
    assert peak < 32 * 1024 * 1024
