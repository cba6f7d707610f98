"""Files the tool writes (reports, the sources' seen state, caches), written atomically: a crash
mid-write leaves the previous file intact, and a failed write leaves no temporary file behind.

Files are created with the mode any new file gets (0666 less the umask), like the output of any
other command, not the 0600 of a temporary file.
"""

from __future__ import annotations

import os
import tempfile
import threading
from collections.abc import Iterable
from functools import cache
from pathlib import Path

_UMASK_LOCK = threading.Lock()


@cache
def _file_mode() -> int:
    """0666 less the process's umask (read once: setting it back at once is the only way to read
    it; under a lock, so that two threads writing their first file do not leave it changed)."""
    with _UMASK_LOCK:
        mask = os.umask(0o077)
        os.umask(mask)
    return 0o666 & ~mask


def write_atomic(path: Path, text: str | Iterable[str], *, sync: bool = True) -> None:
    """`text` (or its pieces, written as they come: a large report is never held whole) in
    `path`, all or nothing; synced to disk first unless `sync` is off (for files derived from
    others: a power cut may lose them, never tear them)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        os.fchmod(fd, _file_mode())
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.writelines([text] if isinstance(text, str) else text)
            if sync:
                handle.flush()
                os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
