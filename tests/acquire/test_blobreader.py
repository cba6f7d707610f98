"""Reading blobs of a clone by id through one git process."""

import tracemalloc
from concurrent.futures import ThreadPoolExecutor

from gitrepos import git, make_repo

from auditor.acquire.blobreader import BlobReader
from auditor.acquire.gitrunner import GitRunner


def blob(repo, path):
    return git("rev-parse", f"HEAD:{path}", cwd=repo).strip()


def test_a_capped_read_leaves_the_next_answer_intact(tmp_path):
    repo = make_repo(tmp_path / "r", {"big.txt": "x" * 100_000, "small.txt": "hello\n"})
    reader = BlobReader(GitRunner(), repo)
    assert reader.read(blob(repo, "big.txt"), 10) == b"x" * 10
    assert reader.read(blob(repo, "small.txt"), 1000) == b"hello\n"
    assert reader.read(blob(repo, "big.txt"), 200_000) == b"x" * 100_000
    reader.close()


def test_what_the_repository_does_not_hold_as_a_blob_is_none(tmp_path):
    repo = make_repo(tmp_path / "r", {"a/b.txt": "b\n"})
    reader = BlobReader(GitRunner(), repo)
    assert reader.read("0" * 40, 100) is None  # no such object
    assert reader.read(blob(repo, "a"), 100) is None  # a tree
    assert reader.read(blob(repo, "a/b.txt"), 100) == b"b\n"  # and it still answers


def test_threads_share_one_reader(tmp_path):
    files = {f"f{i}.txt": f"file {i}\n" * (i + 1) for i in range(40)}
    repo = make_repo(tmp_path / "r", files)
    reader = BlobReader(GitRunner(), repo)
    ids = {name: blob(repo, name) for name in files}
    with ThreadPoolExecutor(8) as pool:
        got = dict(zip(files, pool.map(lambda name: reader.read(ids[name], 10_000), files), strict=True))
    assert got == {name: text.encode() for name, text in files.items()}


def test_the_git_process_ends_when_the_reader_is_dropped(tmp_path):
    repo = make_repo(tmp_path / "r", {"a.txt": "a\n"})
    reader = BlobReader(GitRunner(), repo)
    assert reader.read(blob(repo, "a.txt"), 10) == b"a\n"
    proc = reader._proc
    del reader
    assert proc is not None and proc.poll() is not None


def test_a_huge_blob_is_never_held_in_memory_and_the_reader_goes_on(tmp_path):
    """Only the cap is kept: a blob far over it ends the git process instead of being read (a
    README of gigabytes of zeros is a few megabytes in a pack), and the next read starts another."""
    repo = make_repo(tmp_path / "r", {"README.md": bytes(64 * 1024 * 1024), "small.txt": "hello\n"})
    reader = BlobReader(GitRunner(), repo)
    tracemalloc.start()
    try:
        assert reader.read(blob(repo, "README.md"), 1000) == bytes(1000)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 4 * 1024 * 1024
    assert reader.read(blob(repo, "small.txt"), 1000) == b"hello\n"
    reader.close()
