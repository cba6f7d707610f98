"""Running git: what a command is given on its stdin reaches it whole, however long git takes."""

from gitrepos import make_repo

from auditor.acquire import gitrunner
from auditor.acquire.gitrunner import GitRunner


def test_input_still_being_written_when_the_size_watch_first_looks_is_given_whole(tmp_path, monkeypatch):
    # A watched command (a fetch by id) is waited for in short polls. A poll that ends while its
    # list of ids is still being written (a long list, a busy machine) must not leave git waiting
    # for the rest until the timeout: every id is read, and git ends.
    repo = make_repo(tmp_path / "r", {"a.txt": "a\n"})
    monkeypatch.setattr(gitrunner, "_POLL", 0.005)
    ids = [f"{n:040x}" for n in range(5_000)]  # 205 kB: more than a pipe holds
    out = GitRunner(timeout=30).run(
        ["cat-file", "--batch-check"],
        cwd=repo,
        input="".join(f"{i}\n" for i in ids),
        watch=repo,
        max_bytes=1 << 40,
    )
    assert out.splitlines() == [f"{i} missing" for i in ids]
