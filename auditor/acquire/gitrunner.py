"""The one place git runs: a hardened environment, safe URLs, and a timeout that really kills.

Repositories are untrusted data. Git is run with no user or system configuration, no prompts, no
hooks, only the https and file protocols (file only when the user configured a local source),
and a wall-clock timeout that kills git's whole process group: a plain subprocess timeout would
leave `git-remote-https` and `git index-pack` children running. A clone can also be watched
against a size cap, and killed the same way when it grows past it.

Reading a clone needs no network, so it is done with no protocol allowed at all: after a
`--filter=blob:limit` clone, any command that touches a filtered blob would otherwise download it
from the promisor remote. `GIT_NO_LAZY_FETCH` says the same, but gits older than 2.39.4 ignore it.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import IO
from urllib.parse import urlsplit

from auditor.acquire import DEFAULT_GIT_TIMEOUT

# How often a watched clone's size is measured.
_POLL = 0.25

# Config given on every command line: it outranks anything a repository could carry.
_HARDENING = (
    "-c",
    "core.hooksPath=/dev/null",
    "-c",
    "core.fsmonitor=false",
    "-c",
    "core.symlinks=false",
    "-c",
    "protocol.allow=never",
    "-c",
    "credential.helper=",
    "-c",
    "submodule.recurse=false",
    "-c",
    "http.followRedirects=initial",
)


# The process groups of the git commands running now, for an interrupted run to end them all.
_RUNNING: set[int] = set()
_RUNNING_LOCK = threading.Lock()


def kill_running() -> None:
    """Kill every git command still running, with its children: a run that was interrupted exits
    without waiting for its workers, whose git commands would otherwise go on unwatched."""
    with _RUNNING_LOCK:
        groups = list(_RUNNING)
    for group in groups:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(group, signal.SIGKILL)


class UnsafeURLError(ValueError):
    """A clone URL the auditor refuses to hand to git."""


class GitError(RuntimeError):
    def __init__(self, args: list[str], returncode: int, stderr: str) -> None:
        super().__init__(f"git {args[0] if args else ''} failed ({returncode}): {stderr.strip()}")
        self.returncode = returncode
        self.stderr = stderr


class GitTimeout(RuntimeError):
    pass


class GitTooLarge(RuntimeError):
    pass


def git_env(*, allow_file: bool, offline: bool = False, allow_http: bool = False) -> dict[str, str]:
    """Environment for git: nothing from the user's config, no prompts, no lazy blob fetches.

    Offline, GIT_ALLOW_PROTOCOL is empty: git then allows no transport whatsoever.
    """
    allowed = ["https", *(["file"] if allow_file else []), *(["http"] if allow_http else [])]
    protocols = "" if offline else ":".join(allowed)
    keep = {k: v for k, v in os.environ.items() if k in ("PATH", "LANG", "LC_ALL", "TMPDIR")}
    return keep | {
        "HOME": "/nonexistent",
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CONFIG_GLOBAL": "/dev/null",
        "GIT_TERMINAL_PROMPT": "0",
        "GIT_ASKPASS": "/bin/false",
        "SSH_ASKPASS": "/bin/false",
        "GIT_NO_LAZY_FETCH": "1",
        "GIT_ALLOW_PROTOCOL": protocols,
        "LC_ALL": "C",
    }


_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_USERINFO = re.compile(r"(?<=://)[^/?#]*@")  # to the authority's last @: a password may hold one


def redact(url: str) -> str:
    """A URL fit for messages: any user:password@ part replaced, also after a helper like `ext::`."""
    return _USERINFO.sub("***@", url)


def check_url(url: str, *, allow_file: bool, http_origin: str | None = None) -> str:
    """Return a URL safe to give git, or raise UnsafeURLError saying why it is refused.

    Allowed: https URLs without credentials; file:// URLs when `allow_file` (the user configured
    a local mirror or passed a local path); http:// URLs at `http_origin` only (the user gave an
    http GitHub: a local mirror or test server). Refused: everything else, notably `ext::`, `fd::`,
    `ssh://`, scp-like `host:path`, and anything starting with `-` (an option to git).
    """
    shown = redact(url)
    if not url or url.startswith("-") or any(c in url for c in "\x00\n\r\t "):
        raise UnsafeURLError(f"refused URL {shown!r}: empty, option-like or containing whitespace")
    if "::" in url.split("/", 1)[0]:
        raise UnsafeURLError(f"refused URL {shown!r}: git remote helpers are not allowed")
    if not _SCHEME.match(url):
        raise UnsafeURLError(f"refused URL {shown!r}: not an absolute URL")
    parts = urlsplit(url)
    if parts.scheme == "file":
        if not allow_file:
            raise UnsafeURLError(f"refused URL {shown!r}: file URLs need an explicit local source")
        return url
    configured_http = parts.scheme == "http" and f"http://{parts.netloc}" == http_origin
    if parts.scheme != "https" and not configured_http:
        raise UnsafeURLError(f"refused URL {shown!r}: only https is allowed")
    if parts.username is not None or parts.password is not None:
        raise UnsafeURLError("refused URL: credentials embedded in the URL")
    if not parts.hostname or parts.hostname.startswith("-"):
        raise UnsafeURLError(f"refused URL {shown!r}: no valid host")
    return url


@dataclass(frozen=True)
class GitRunner:
    """Runs git commands with the hardened environment and a process-group timeout."""

    allow_file: bool = False
    timeout: float = DEFAULT_GIT_TIMEOUT
    offline: bool = False
    # A checkout the user named (`auditor check PATH`) is read even when another user owns it (a
    # CI workspace, a mounted volume): git's ownership check would otherwise refuse it. Only that
    # one path is trusted; the hardening above still neutralises its configuration.
    trusted_path: Path | None = None
    # An http:// origin the user configured as their GitHub (--github-api http://…): git may use
    # plain http there, and for no other URL (check_url refuses them).
    http_origin: str | None = None

    def without_network(self) -> GitRunner:
        """The same runner, allowed no transport: for reading clones that must not fetch."""
        return replace(self, offline=True)

    @property
    def env(self) -> dict[str, str]:
        env = git_env(
            allow_file=self.allow_file, offline=self.offline, allow_http=self.http_origin is not None
        )
        if self.trusted_path is not None:  # in the environment: child processes of git see it too
            env |= {"GIT_CONFIG_COUNT": "1", "GIT_CONFIG_KEY_0": "safe.directory"}
            env["GIT_CONFIG_VALUE_0"] = str(self.trusted_path)
        return env

    @property
    def config(self) -> tuple[str, ...]:
        if self.offline:
            return _HARDENING
        local = ("-c", "protocol.file.allow=always") if self.allow_file else ()
        http = ("-c", "protocol.http.allow=always") if self.http_origin else ()
        return (*_HARDENING, "-c", "protocol.https.allow=always", *local, *http)

    def run(
        self,
        args: list[str],
        *,
        cwd: Path | None = None,
        input: str | None = None,
        watch: Path | None = None,
        max_bytes: int = 0,
    ) -> str:
        """Run `git ARGS` (with `input` on its stdin), return stdout; raise GitError, GitTimeout, or
        GitTooLarge when the folder `watch` grows past `max_bytes` while git runs."""
        out = self.run_bytes(args, cwd=cwd, input=input, watch=watch, max_bytes=max_bytes)
        return out.decode("utf-8", "replace")

    def run_bytes(
        self,
        args: list[str],
        *,
        cwd: Path | None = None,
        input: str | None = None,
        watch: Path | None = None,
        max_bytes: int = 0,
    ) -> bytes:
        """`run`, its output as git wrote it (pkt-lines count bytes).

        The input is given from a file, not written into a pipe by `communicate()`: a call of it
        that times out (each poll of a watched command) while still writing would not write the
        rest when called again, and git would wait for it until the timeout."""
        with contextlib.ExitStack() as stack:
            stdin: int | IO[bytes] = subprocess.DEVNULL
            if input is not None:
                stdin = stack.enter_context(tempfile.TemporaryFile())
                stdin.write(input.encode())
                stdin.seek(0)
            proc = subprocess.Popen(
                ["git", *self.config, *args],
                cwd=cwd,
                env=self.env,
                stdin=stdin,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                start_new_session=True,
            )
        with _RUNNING_LOCK:
            _RUNNING.add(proc.pid)
        command = next((a for a in args if not a.startswith("-") and "=" not in a), "")
        deadline = time.monotonic() + self.timeout
        try:
            while True:
                left = deadline - time.monotonic()
                try:
                    out, err = proc.communicate(timeout=max(0.0, min(left, _POLL) if watch else left))
                    break
                except subprocess.TimeoutExpired:
                    if time.monotonic() >= deadline:
                        raise GitTimeout(f"git {command} timed out after {self.timeout:g} s") from None
                    if watch is not None and folder_size(watch) > max_bytes:
                        raise GitTooLarge(
                            f"git {command} exceeded the size cap of {max_bytes} bytes"
                        ) from None
        except BaseException:
            _kill_group(proc)
            raise
        finally:
            with _RUNNING_LOCK:
                _RUNNING.discard(proc.pid)
        if proc.returncode != 0:
            raise GitError([command, *args], proc.returncode, err.decode("utf-8", "replace"))
        return out


def folder_size(path: Path) -> int:
    """Bytes of the regular files under `path` (0 if it does not exist yet)."""
    total = 0
    for dirpath, _dirs, files in os.walk(path):
        for name in files:
            with contextlib.suppress(OSError):
                total += os.lstat(os.path.join(dirpath, name)).st_size
    return total


def _kill_group(proc: subprocess.Popen[bytes]) -> None:
    """Kill git and every process it started; do not wait on pipes a stray child may hold open."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    for pipe in (proc.stdout, proc.stderr):
        if pipe is not None:
            pipe.close()
