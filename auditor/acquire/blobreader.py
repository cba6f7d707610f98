"""Blobs of a local repository by id, through one long-lived `git cat-file --batch` process.

Checks read up to hundreds of files of a clone; a git process per file would cost more than the
checks themselves. The process runs in the hardened, network-less environment of `GitRunner`: a
blob the clone does not hold is reported missing, never fetched.

Memory stays bounded by the cap, whatever the blob: only the first `cap` bytes are kept, a short
rest is drained, and a long one (a 3 GiB README of zeros) ends the process instead of being read
(the next read starts another).
"""

from __future__ import annotations

import subprocess
import threading
import weakref
from pathlib import Path

from auditor.acquire.gitrunner import GitRunner

# The most bytes beyond the cap read (and thrown away) to keep the process for the next answer.
_DRAIN = 1024 * 1024


class BlobReader:
    """`read(sha, cap)`: the first `cap` bytes of a blob, or None if the clone does not hold it.

    Safe to share between threads. The process ends with `close()` or when the reader is dropped.
    """

    def __init__(self, runner: GitRunner, path: Path) -> None:
        runner = runner.without_network()
        self._args = ["git", *runner.config, "cat-file", "--batch"]
        self._env, self._path = runner.env, path
        self._proc: subprocess.Popen[bytes] | None = None
        self._lock = threading.Lock()
        self._finalizer: weakref.finalize[..., BlobReader] | None = None

    def read(self, sha: str, cap: int) -> bytes | None:
        with self._lock:
            proc = self._started()
            assert proc.stdin is not None and proc.stdout is not None
            try:
                proc.stdin.write(sha.encode("ascii") + b"\n")
                proc.stdin.flush()
                header = proc.stdout.readline().split()
                if len(header) != 3:
                    return None  # "<sha> missing"
                size = int(header[2])
                data = proc.stdout.read(min(cap, size))
                rest = size - len(data) + 1  # and the newline: the next answer starts after it
                if rest > _DRAIN:
                    self._stop()
                else:
                    proc.stdout.read(rest)
            except (OSError, ValueError):
                self._stop()
                return None
            return data if header[1] == b"blob" else None

    def close(self) -> None:
        with self._lock:
            self._stop()

    def _started(self) -> subprocess.Popen[bytes]:
        if self._proc is None:
            self._proc = subprocess.Popen(
                self._args,
                cwd=self._path,
                env=self._env,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
            )
            self._finalizer = weakref.finalize(self, _end, self._proc)
        return self._proc

    def _stop(self) -> None:
        if self._finalizer is not None:
            self._finalizer()
        self._proc = self._finalizer = None


def _end(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.kill()  # a reader holds no state, and it may be writing a blob nobody will read
    for pipe in (proc.stdin, proc.stdout):
        if pipe is not None:
            pipe.close()
    proc.wait()
