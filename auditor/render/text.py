"""Text helpers every view shares: control characters made harmless, counted nouns, names of things.

Titles, file names and messages come from strangers. A terminal obeys ESC sequences (it can be
made to hide lines, retitle the window or write to the clipboard) and BEL; bidirectional overrides
make text read in another order than it is stored. `clean` shows each such character as a visible
stand-in, so what is displayed is what is there.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from auditor.models import (
    NOT_KEPT,
    ArtifactStatus,
    Outcome,
    PaperAudit,
    PaperOutcome,
    RepoAudit,
    RepoKind,
    Report,
    StatementKind,
)

# Bidirectional overrides, isolates and marks (a regular-expression class's inside).
BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
# C0 controls and DEL become their Unicode control pictures (ESC → ␛, BEL → ␇); C1 controls and
# the bidirectional characters become the replacement character.
_CONTROL = re.compile(f"[\x00-\x08\x0b-\x1f\x7f\x80-\x9f{BIDI}]")


def _picture(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)
    return "\u2421" if code == 0x7F else "\ufffd"


def clean(text: str) -> str:
    """`text` with every control character (but tab and newline) replaced by a visible stand-in.
    Text that is all printable holds none (they are all of Unicode's Other categories), which
    `isprintable` tells faster than the substitution: a report cleans tens of thousands of texts."""
    return text if text.isprintable() else _CONTROL.sub(_picture, text)


def plural(count: int, noun: str, many: str | None = None) -> str:
    """ "1 paper", "2 papers", "0 repositories" (`many` when the plural is not noun + s)."""
    return f"{count} {noun if count == 1 else many or noun + 's'}"


def pwc_text(score: float | None) -> str:
    """A Papers with Code score of five items (a median may be a half)."""
    return "–" if score is None else f"{score:g}/5"


def tone(outcome: PaperOutcome | None) -> str:
    """How a paper's outcome is shown: "bad" when the code it promised is not there, "good" when
    it links code or data, "neutral" where there is nothing to judge or the audit cannot tell."""
    if outcome in NOT_KEPT:
        return "bad"
    return "good" if outcome in (PaperOutcome.CODE, PaperOutcome.DATASET) else "neutral"


OUTCOME_TEXT = {
    PaperOutcome.CODE: "links code",
    PaperOutcome.DATASET: "links a dataset release",
    PaperOutcome.READING_LIST: "reading list (survey)",
    PaperOutcome.NOT_AUDITED: "repository not audited",
    PaperOutcome.PLACEHOLDER: "links a placeholder",
    PaperOutcome.MISSING: "links a missing repository",
    PaperOutcome.PROMISED: "promised, not kept",
    PaperOutcome.PAGE: "points to a page, no repository",
    PaperOutcome.CLAIMED: "claimed without link",
    PaperOutcome.NONE: "no code mentioned",
}

KIND_TEXT = {
    RepoKind.METHOD: "method code",
    RepoKind.TOOL: "tool",
    RepoKind.DATASET: "dataset",
    RepoKind.CURATED_LIST: "curated list",
    RepoKind.PLACEHOLDER: "placeholder",
}


def kinds_text(counts: list[tuple[int, RepoKind]]) -> str:
    """ "29 method code, 2 tools, 1 dataset, 3 placeholders"."""
    many = {RepoKind.METHOD: "method code", RepoKind.CURATED_LIST: "curated lists"}
    return ", ".join(f"{n} {KIND_TEXT[k] if n == 1 else many.get(k, KIND_TEXT[k] + 's')}" for n, k in counts)


REPEATABLE_TEXT = {
    Outcome.PASS: "yes",
    Outcome.FAIL: "no",
    Outcome.NOT_APPLICABLE: "n/a",
    Outcome.UNKNOWN: "unknown",
    Outcome.ERROR: "error",
}

STATEMENT_TEXT = {
    StatementKind.AVAILABLE: "available",
    StatementKind.PROMISED: "promised",
    StatementKind.CLAIMED_NO_LINK: "claimed without link",
    StatementKind.READING_LIST: "reading list",
}

ARTIFACT_TEXT = {
    ArtifactStatus.AVAILABLE: "available",
    ArtifactStatus.GONE: "gone",
    ArtifactStatus.RESTRICTED: "restricted",
    ArtifactStatus.UNKNOWN: "could not be checked",
    ArtifactStatus.NOT_CHECKED: "not checked",
}


def file_name(key: str) -> str:
    """A readable name for a repository (or paper) usable as a file name and HTML id: distinct keys
    get distinct names. `/` becomes `+` (github.com+owner+name); letters, digits, `.`, `_` and `-`
    stay; anything else is `~` and its UTF-8 bytes in hex, and so is a leading `.` (no `..`)."""
    name = re.sub(r"[^A-Za-z0-9._/-]", lambda m: "".join(f"~{b:02x}" for b in m.group().encode()), key)
    name = name.replace("/", "+")
    return "~2e" + name[1:] if name.startswith(".") else name or "~"


def repos_by_key(report: Report) -> Mapping[str, RepoAudit]:
    """Each repository's audit by its key. A report whose records stay on disk (a run's: see
    auditor.report.journal) has a look-up of its own (`by_key`) that reads one when it is asked
    for; any other gets a dict."""
    lookup: Mapping[str, RepoAudit] | None = getattr(report.repos, "by_key", None)
    return lookup if lookup is not None else {a.repo.key: a for a in report.repos}


def linkers(report: Report) -> dict[str, int | list[int]]:
    """For each repository, the positions in `report.papers` of the papers that link it (not the
    papers: a report whose records stay on disk reads one back when it is wanted); one paper's
    position alone, as most repositories have one."""
    found: dict[str, int | list[int]] = {}
    for index, paper in enumerate(report.papers):
        for key in paper.repos:
            held = found.setdefault(key, index)
            if isinstance(held, list):
                held.append(index)
            elif held != index:
                found[key] = [held, index]
    return found


def linking(report: Report, found: dict[str, int | list[int]], key: str) -> list[PaperAudit]:
    """The papers that link `key`, by `linkers`' positions."""
    held = found.get(key)
    positions = [] if held is None else held if isinstance(held, list) else [held]
    return [report.papers[i] for i in positions]
