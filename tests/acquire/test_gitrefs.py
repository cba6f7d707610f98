"""The ref advertisement as git itself writes it (what github.com sends `git ls-remote`)."""

import subprocess
from pathlib import Path

import pytest
from gitrepos import git, make_repo

from auditor.acquire.gitrefs import advertised_head, parse_advertisement


def advertisement(repo: Path) -> bytes:
    """The smart-HTTP answer to GET info/refs?service=git-upload-pack, from git upload-pack."""
    refs = subprocess.run(
        ["git", "upload-pack", "--stateless-rpc", "--advertise-refs", str(repo)],
        capture_output=True,
        check=True,
    ).stdout
    return b"001e# service=git-upload-pack\n0000" + refs


def test_head_branch_and_tags_are_read_and_peeled_lines_skipped(tmp_path):
    repo = make_repo(tmp_path / "r", {"README.md": "# r\n"}, branch="trunk")
    git("tag", "v1", cwd=repo)
    git("tag", "-a", "v2", "-m", "second", cwd=repo)
    refs = parse_advertisement(advertisement(repo))
    head = git("rev-parse", "HEAD", cwd=repo).strip()
    assert (refs.head, refs.branch) == (head, "trunk")
    assert refs.tags == {"v1": head, "v2": git("rev-parse", "v2", cwd=repo).strip()}  # the tag object
    assert (
        refs.tags_digest
        and refs.tags_digest
        != parse_advertisement(advertisement(make_repo(tmp_path / "s", {"a": "b"}))).tags_digest
    )


def test_a_repository_without_tags_has_an_empty_digest(tmp_path):
    refs = parse_advertisement(advertisement(make_repo(tmp_path / "r", {"README.md": "# r\n"})))
    assert refs.head and refs.tags == {} and refs.tags_digest == ""


def test_an_empty_repository_has_no_head(tmp_path):
    refs = parse_advertisement(advertisement(make_repo(tmp_path / "e", {})))
    assert refs.head is None and refs.branch is None


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"<html>Sign in</html>",
        b"001e# service=git-upload-pack\n00",
        b"0004",
        b"001e# service=git-receive-pack\n0000",
    ],
)
def test_anything_else_is_not_an_advertisement(body):
    with pytest.raises(ValueError):
        parse_advertisement(body)


def test_a_local_advertisement_has_no_service_line_and_tells_head_and_its_ref(tmp_path):
    repo = make_repo(tmp_path / "r", {"README.md": "# r\n"}, branch="trunk")
    local = subprocess.run(
        ["git", "upload-pack", "--advertise-refs", str(repo)], capture_output=True, check=True
    ).stdout
    head = git("rev-parse", "HEAD", cwd=repo).strip()
    assert advertised_head(local) == (head, "refs/heads/trunk")
    git("checkout", "-q", "--detach", cwd=repo)
    assert advertised_head(advertisement(repo)[len(b"001e# service=git-upload-pack\n0000") :]) == (head, None)
    assert advertised_head(b"0000") == (None, None)  # an empty repository
    with pytest.raises(ValueError):
        advertised_head(b"<html>")
