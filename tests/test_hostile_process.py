"""Faults of the process and its surroundings, kept as regression tests: Ctrl-C typed in a terminal
while requests are in flight, two runs writing one folder, a full disk, a read-only folder, a tree
10,000 folders deep, output closed early. Real processes where the behaviour is the process's."""

from __future__ import annotations

import errno
import json
import os
import pty
import re
import select
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from gitrepos import make_repo
from repos import complete_repo
from stallserver import Answer, StallServer

from auditor.acquire.blobreader import BlobReader
from auditor.cli import Exit, main, reports
from auditor.models import Outcome, RepoStatus
from auditor.report.files import read_report
from auditor.report.journal import Journal

AUDITOR = [sys.executable, "-m", "auditor"]


class Terminal:
    """A command run in a pseudo-terminal, as a user runs it: Ctrl-C typed there reaches its
    foreground process group, as from a keyboard. Everything it shows is kept in `output`."""

    def __init__(self, args: list[str], cwd: Path) -> None:
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # the child: the command, in the terminal
            os.chdir(cwd)
            os.execve(args[0], args, os.environ | {"TERM": "xterm"})
        self.output = b""
        self.closed = False  # no process has the terminal open any more

    def ctrl_c(self) -> None:
        os.write(self.fd, b"\x03")

    def expect(self, pattern: bytes, guard: float = 60.0) -> None:
        """Read until the terminal shows `pattern`; a failure if it has not within `guard` seconds."""
        if not self._read(lambda: re.search(pattern, self.output) is not None, guard):
            raise AssertionError(f"{pattern!r} not shown within {guard:g} s: {self.output[-300:]!r}")

    def wait(self, guard: float = 60.0) -> int:
        """The exit code; a failure if the command still holds the terminal after `guard` seconds."""
        if not self._read(lambda: self.closed, guard):
            os.kill(self.pid, 9)
            os.waitpid(self.pid, 0)
            raise AssertionError(f"still running {guard:g} s after Ctrl-C")
        return os.waitstatus_to_exitcode(os.waitpid(self.pid, 0)[1])

    def _read(self, until: Callable[[], bool], guard: float) -> bool:
        """Read what the terminal shows until `until()`, the terminal closes, or `guard` seconds."""
        end = time.monotonic() + guard
        while not until():
            left = end - time.monotonic()
            if self.closed or left <= 0 or not select.select([self.fd], [], [], left)[0]:
                return False
            try:
                chunk = os.read(self.fd, 65536)
            except OSError:  # EIO: the command and its children have all let go of the terminal
                chunk = b""
            self.output += chunk
            self.closed = not chunk
        return True


def test_ctrl_c_in_a_terminal_ends_a_run_at_once_though_requests_are_in_flight(tmp_path: Path):
    """The run waited for the request in flight (up to its 120 s budget) before it ended; it now
    ends when Ctrl-C is typed, and the connection it left is closed, not waited out."""
    api = StallServer(answers={"/lab/tool.git/info/refs": Answer(body=b"x" * 400, stall="headers")})
    with api:
        args = [*AUDITOR, "run", "--repo", "https://github.com/lab/tool", "--github-api", api.url("")]
        terminal = Terminal([*args, "--out", "out", "--cache-dir", "cache"], tmp_path)
        held = api.first_request()  # a worker now waits on an answer that never ends
        terminal.ctrl_c()
        assert terminal.wait() == Exit.INTERRUPTED
        assert api.outcome(held) == "abandoned"
    assert b"interrupted" in terminal.output and b"Traceback" not in terminal.output
    assert not (tmp_path / "out" / "report.json").exists()  # none before: none now


def test_ctrl_c_in_a_terminal_mid_run_then_resume_gives_the_report_of_an_uninterrupted_run(
    tmp_path: Path, mirror
):
    """A real Ctrl-C, then --resume: the same verdicts as a run never interrupted."""
    root, add = mirror
    papers = tmp_path / "papers.jsonl"
    lines = []
    for i in range(24):
        add("lab", f"tool{i}", complete_repo())
        lines.append(
            json.dumps(
                {"title": f"Tool{i}: method {i}", "abstract": f"Code: https://github.com/lab/tool{i}."}
            )
        )
    papers.write_text("\n".join(lines) + "\n")
    args = ["run", "--corpus", str(papers), "--clone-url", f"file://{root}/{{owner}}/{{name}}"]
    assert (
        main([*args, "--out", str(tmp_path / "clean"), "--cache-dir", str(tmp_path / "c0"), "--quiet"]) == 0
    )
    terminal = Terminal([*AUDITOR, *args, "--out", "out", "--cache-dir", "c1"], tmp_path)
    terminal.expect(rb"(?<!\d)([1-9]|1\d|2[0-3])/24")  # the progress bar: some audits done, not all
    terminal.ctrl_c()
    assert terminal.wait() == Exit.INTERRUPTED
    resume = ["--out", str(tmp_path / "out"), "--cache-dir", str(tmp_path / "c1"), "--resume", "--quiet"]
    assert main([*args, *resume]) == 0

    def verdicts(report_path: Path) -> list[tuple[str, object, object]]:
        return [(a.repo.key, a.results, a.score) for a in read_report(report_path).repos]

    assert verdicts(tmp_path / "out" / "report.json") == verdicts(tmp_path / "clean" / "report.json")


def test_an_audit_whose_files_could_not_be_read_is_not_kept_for_the_next_run(
    tmp_path: Path, mirror, monkeypatch
):
    """Ctrl-C typed in a terminal also reaches git cat-file (it shares the terminal's process
    group): audits still in progress read nothing more and judged the repository without its
    files (license: error, dependencies-pinned: unknown). They were kept in the result cache as
    complete, and --resume reported them. A file of known size that reads as nothing now keeps an
    audit out of the cache."""
    root, add = mirror
    add("lab", "tool", complete_repo())
    args = [
        "run",
        "--repo",
        "https://github.com/lab/tool",
        "--clone-url",
        f"file://{root}/{{owner}}/{{name}}",
    ]
    args += ["--cache-dir", str(tmp_path / "cache"), "--quiet"]
    real = BlobReader.read
    monkeypatch.setattr(BlobReader, "read", lambda self, sha, cap: None)  # the reader was killed
    assert main([*args, "--out", str(tmp_path / "first")]) == Exit.OK
    monkeypatch.setattr(BlobReader, "read", real)
    assert main([*args, "--out", str(tmp_path / "second")]) == Exit.OK
    first, second = (read_report(tmp_path / name / "report.json").repos[0] for name in ("first", "second"))
    assert second.repo.cost.reused is False  # audited again, not taken from the cache
    # judged with its files this time: what the first run could not read it left unknown
    unknowns = [sum(r.outcome is Outcome.UNKNOWN for r in a.results) for a in (first, second)]
    assert second.score is not None and unknowns[0] > unknowns[1]


def test_a_second_run_into_a_folder_in_use_is_refused_and_a_killed_run_frees_it(tmp_path: Path):
    """Two runs into one folder truncated each other's journal, and the report of whichever ended
    last replaced the other's, both exiting 0."""
    repo = make_repo(tmp_path / "tool", {"README.md": "# Tool\n", "train.py": "import torch\n"})
    out = tmp_path / "out"
    api = StallServer(answers={"/lab/slow.git/info/refs": Answer(body=b"x" * 400, stall="headers")})
    with api:
        first = subprocess.Popen(
            [
                *AUDITOR,
                "run",
                "--repo",
                "https://github.com/lab/slow",
                "--github-api",
                api.url(""),
                "--out",
                str(out),
                "--cache-dir",
                str(tmp_path / "c1"),
                "--quiet",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            api.first_request()
            held = (out / ".journal.jsonl").read_bytes()
            second = ["run", "--repo", str(repo), "--out", str(out), "--cache-dir", str(tmp_path / "c2")]
            assert main([*second, "--quiet"]) == Exit.WRITE
            assert (out / ".journal.jsonl").read_bytes() == held  # the first run's, untouched
        finally:
            first.kill()  # kill -9: the kernel releases the lock with the process
            first.wait()
    assert main([*second, "--quiet"]) == Exit.OK
    assert [a.repo.status for a in read_report(out / "report.json").repos] == [RepoStatus.OK]


def test_a_full_disk_mid_run_is_one_line_and_exit_3(tmp_path: Path, mirror, monkeypatch, capsys):
    """The journal could not be written; closing it failed again (the same unwritable buffer),
    and that second error escaped as a traceback with exit 1."""
    _, add = mirror
    repo = add("lab", "tool", {"README.md": "# Tool\n"})

    def full() -> OSError:
        return OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    def append(self: Journal, audit: object) -> None:
        raise full()

    def close(self: Journal, real=Journal.close) -> None:  # the unwritten buffer fails again
        real(self)
        raise full()

    monkeypatch.setattr(Journal, "append", append)
    monkeypatch.setattr(Journal, "close", close)
    code = main(
        ["run", "--repo", str(repo), "--out", str(tmp_path / "out"), "--cache-dir", str(tmp_path / "c")]
    )
    assert code == Exit.WRITE
    err = capsys.readouterr().err
    assert "No space left on device" in err and len(err.strip().splitlines()) == 1


def test_merging_into_a_read_only_folder_is_one_line_and_exit_3(tmp_path: Path, mirror, monkeypatch, capsys):
    _, add = mirror
    repo = add("lab", "tool", {"README.md": "# Tool\n"})
    assert (
        main(
            [
                "run",
                "--repo",
                str(repo),
                "--out",
                str(tmp_path / "a"),
                "--cache-dir",
                str(tmp_path / "c"),
                "--quiet",
            ]
        )
        == 0
    )
    target = tmp_path / "merged"

    def read_only(report: object, out_dir: Path) -> list[Path]:
        raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(out_dir))

    monkeypatch.setattr(reports, "write_report", read_only)
    assert main(["merge", str(tmp_path / "a" / "report.json"), "--out", str(target), "--quiet"]) == Exit.WRITE
    assert f"cannot write to {target}: Read-only file system" in capsys.readouterr().err


def deep_repository(path: Path, depth: int) -> Path:
    """A bare repository whose one script lies `depth` folders down (built by git fast-import)."""
    subprocess.run(["git", "init", "-q", "--bare", str(path)], check=True)
    code = b"import torch\n\n\ndef train(model):\n    return model.fit()\n" * 4
    deep = "/".join(f"d{i}" for i in range(depth)).encode()
    stream = b"blob\nmark :1\ndata %d\n%s\n" % (len(code), code)
    stream += b"commit refs/heads/main\ncommitter T <t@e.org> 1700000000 +0000\ndata 2\nx\n"
    stream += b"M 100644 :1 " + deep + b"/train.py\nM 100644 :1 node_modules/x/index.py\n\n"
    subprocess.run(["git", "fast-import", "--quiet"], cwd=path, input=stream, check=True)
    subprocess.run(["git", "symbolic-ref", "HEAD", "refs/heads/main"], cwd=path, check=True)
    return path


def test_a_tree_10000_folders_deep_is_audited(tmp_path: Path):
    """Finding vendored folders cost the cube of the depth (47 s at 3,000 folders, hours at
    10,000) and its square in memory; it is now linear. A process of its own, with a guard."""
    repo = deep_repository(tmp_path / "deep.git", 10_000)
    done = subprocess.run(
        [*AUDITOR, "check", str(repo), "--out", str(tmp_path / "out"), "--quiet", "--no-network-checks"],
        capture_output=True,
        timeout=120,
    )
    assert done.returncode == Exit.OK, done.stderr[-2000:]
    [audit] = read_report(tmp_path / "out" / "report.json").repos
    assert audit.repo.file_count == 2
    assert {r.id: r.outcome.value for r in audit.results}["training-code"] == "pass"


def test_output_closed_early_ends_quietly_with_exit_141(tmp_path: Path):
    papers = tmp_path / "papers.jsonl"
    record = {"title": "A: paper", "abstract": "Code: https://github.com/lab/tool."}
    papers.write_text("\n".join(json.dumps(record | {"title": f"P{i}: paper"}) for i in range(5000)) + "\n")
    links = subprocess.Popen(
        [*AUDITOR, "links", "--corpus", str(papers), "--json"], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert links.stdout is not None and links.stderr is not None
    links.stdout.readline()
    links.stdout.close()  # as `| head -1` does
    with links.stderr:
        assert b"Traceback" not in links.stderr.read()
    assert links.wait(timeout=60) == Exit.CLOSED_OUTPUT


@pytest.fixture(autouse=True)
def _no_token(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GITHUB_TOKEN", raising=False)
