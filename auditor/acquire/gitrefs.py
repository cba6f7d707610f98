"""Read a git smart-HTTP ref advertisement: what `git ls-remote` learns, in one GET.

`GET https://HOST/OWNER/NAME.git/info/refs?service=git-upload-pack` answers (protocol v0) with
pkt-lines: a service line, a flush, then `<sha> <ref>` lines, the first carrying the capabilities
after a NUL (among them `symref=HEAD:refs/heads/<default branch>`), and a final flush. An empty
repository advertises only `capabilities^{}` with the zero id, or nothing.

A repository on this machine says the same, but the service line, when `git upload-pack
--advertise-refs` is run on it (`advertised_head`).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

_SERVICE = b"# service=git-upload-pack"
_ZERO = "0" * 40


@dataclass(frozen=True)
class Refs:
    """The commit HEAD points at (None: no commits), its branch, and the tags with their ids; and
    `owner/name` where the host answered, when it redirected there (a renamed repository)."""

    head: str | None
    branch: str | None = None
    tags: dict[str, str] = field(default_factory=dict)
    moved_to: str | None = None

    @property
    def tags_digest(self) -> str:
        """One string that changes whenever a tag is added, removed or moved."""
        lines = "".join(f"{sha} {name}\n" for name, sha in sorted(self.tags.items()))
        return hashlib.sha256(lines.encode()).hexdigest() if lines else ""


def parse_advertisement(body: bytes) -> Refs:
    """The refs of a v0 smart-HTTP advertisement; ValueError if `body` is not one."""
    lines = _pkt_lines(body)
    if not lines or lines[0] is None or not lines[0].rstrip(b"\n").startswith(_SERVICE):
        raise ValueError("not a git upload-pack advertisement")
    head, target, tags = _refs(lines[1:])
    branch = target.removeprefix("refs/heads/") if target and target.startswith("refs/heads/") else None
    return Refs(head=head, branch=branch if head else None, tags=tags)


def advertised_head(body: bytes) -> tuple[str | None, str | None]:
    """HEAD's commit (None: no commits) and the ref HEAD points to (None: detached), from the
    advertisement `git upload-pack --advertise-refs` makes of a repository on this machine (v0,
    without the service line HTTP puts first); ValueError if `body` is not one."""
    head, target, _tags = _refs(_pkt_lines(body))
    return head, target


def _refs(lines: list[bytes | None]) -> tuple[str | None, str | None, dict[str, str]]:
    """HEAD's commit, the ref its `symref` capability names, and the tags, of advertised refs."""
    head = target = None
    tags: dict[str, str] = {}
    for raw in lines:
        if raw is None:
            continue
        text = raw.rstrip(b"\n").decode("utf-8", "replace")
        text, _, capabilities = text.partition("\0")
        sha, _, name = text.partition(" ")
        for capability in capabilities.split():
            if capability.startswith("symref=HEAD:"):
                target = capability.removeprefix("symref=HEAD:")
        if len(sha) != 40 or sha == _ZERO:
            continue
        if name == "HEAD":
            head = sha
        elif name.startswith("refs/tags/") and not name.endswith("^{}"):
            tags[name.removeprefix("refs/tags/")] = sha
    return head, target, tags


def _pkt_lines(body: bytes) -> list[bytes | None]:
    """The pkt-lines of `body`; None for a flush packet."""
    out: list[bytes | None] = []
    at = 0
    while at < len(body):
        if at + 4 > len(body):
            raise ValueError("malformed pkt-line length")
        try:
            size = int(body[at : at + 4], 16)
        except ValueError:
            raise ValueError("malformed pkt-line length") from None
        if size == 0:
            out.append(None)
            at += 4
            continue
        if size < 4 or at + size > len(body):
            raise ValueError("malformed pkt-line")
        out.append(body[at + 4 : at + size])
        at += size
    return out
