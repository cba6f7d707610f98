"""Author mode (`auditor check PATH`): the audit of a checkout, with what only its author can say.

- **Waivers.** `[tool.auditor.waive]` in pyproject.toml, or `[waive]` in `.auditor.toml` (which
  wins when both exist), maps item ids to a reason each ("no weights: the method trains
  nothing"). A waived item keeps the outcome its check found and is shown as waived, never as
  passed; it is left out of the score, like an item that does not apply.
- **What committing would change.** Only committed files count (they are what readers get), so a
  LICENSE or a requirements file not yet committed is invisible to the audit. The working tree
  as it would be committed (tracked and untracked files, less what .gitignore excludes) is judged
  too, offline, and every verdict that differs is listed with the uncommitted files behind it.
- **Where the report goes.** Outside the checkout by default: `<cache dir>/check/<name>-<hash>`.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from auditor.acquire.gitrunner import GitError, GitRunner
from auditor.acquire.gitsource import read_repository
from auditor.acquire.localsource import read_folder
from auditor.acquire.snapshot import Snapshot
from auditor.audit import Settings, audit_checkout
from auditor.checks.evaluate import evaluate, score
from auditor.data.parse import parse_toml
from auditor.facts.repository import Facts
from auditor.models import Checklist, PendingChange, RepoAudit, Report, Waiver
from auditor.report.stats import finalize

PYPROJECT = "pyproject.toml"
OWN_FILE = ".auditor.toml"
# The most bytes of a configuration file read: a pyproject.toml is a few kilobytes.
_MAX_CONFIG = 1024 * 1024
_MAX_LISTED = 5


class ConfigError(ValueError):
    """A waiver file that cannot be used, said in one line for the command line."""


class _Waivers(BaseModel):
    model_config = ConfigDict(extra="forbid")

    waive: dict[str, str] = Field(default_factory=dict)

    @field_validator("waive")
    @classmethod
    def _reasons(cls, value: dict[str, str]) -> dict[str, str]:
        empty = [item for item, reason in value.items() if not reason.strip()]
        if empty:
            raise ValueError(f"a waiver needs a reason: {', '.join(empty)}")
        return {item: " ".join(reason.split()) for item, reason in value.items()}


def default_out(cache_dir: Path, checkout: Path) -> Path:
    """Where `auditor check` writes when no --out is given: in the user's cache, one folder per
    checkout (its name and a hash of its absolute path), never inside the checked tree."""
    root = checkout.resolve()
    digest = hashlib.sha256(str(root).encode()).hexdigest()[:8]
    return cache_dir / "check" / f"{root.name or 'root'}-{digest}"


def read_waivers(root: Path, checklist: Checklist) -> dict[str, Waiver]:
    """The waivers recorded in the checkout, by item id; ConfigError for a file that cannot be used
    (bad TOML, an unknown key, an item the checklist lacks, a waiver without a reason)."""
    for name, table in ((OWN_FILE, ()), (PYPROJECT, ("tool", "auditor"))):
        path = root / name
        if not path.is_file():
            continue
        text: str | None = None
        try:
            with path.open("rb") as handle:
                raw = handle.read(_MAX_CONFIG + 1)
            text = raw.decode("utf-8") if len(raw) <= _MAX_CONFIG else None
            found: object = parse_toml(text) if text is not None else None
        except (OSError, UnicodeDecodeError, ValueError) as err:
            if name == PYPROJECT and "[tool.auditor" not in (text or ""):
                continue  # a broken pyproject.toml without waivers: the checks say what is wrong
            raise ConfigError(f"{name}: {err}") from err
        if text is None:
            if name == PYPROJECT:
                continue  # too large to hold waivers one would write by hand; the checks read it
            raise ConfigError(f"{name}: larger than {_MAX_CONFIG} bytes")
        for key in table:
            found = found.get(key) if isinstance(found, dict) else None
        data = found
        if not isinstance(data, dict) or (name == PYPROJECT and not data):
            continue
        try:
            waivers = _Waivers.model_validate(data).waive
        except ValidationError as err:
            where = ".".join([*table, *(str(p) for p in err.errors()[0]["loc"])])
            raise ConfigError(f"{name}: {where}: {err.errors()[0]['msg']}") from err
        unknown = sorted(set(waivers) - {item.id for item in checklist.items})
        if unknown:
            raise ConfigError(f"{name}: no item {', '.join(unknown)} in checklist {checklist.id}")
        return {item: Waiver(reason=reason, source=name) for item, reason in waivers.items()}
    return {}


def apply_waivers(audit: RepoAudit, waivers: dict[str, Waiver], checklist: Checklist) -> RepoAudit:
    """Each waived result marked, its outcome kept; the score without the waived items."""
    if not waivers:
        return audit
    results = [
        r.model_copy(update={"waiver": waivers[r.id]}) if r.id in waivers else r for r in audit.results
    ]
    return audit.model_copy(update={"results": results, "score": score(results, checklist)})


def pending_changes(root: Path, key: str, checklist: Checklist, runner: GitRunner) -> list[PendingChange]:
    """Verdicts that committing the working tree would change, each with the uncommitted files
    among its evidence (or, when the evidence names none, the first uncommitted files)."""
    if not (root / ".git").exists():
        return []  # a bare repository has no working tree; a plain folder is audited as it is
    try:
        changed = _changed(runner.run(["status", "--porcelain=v1", "-z", "--untracked-files=all"], cwd=root))
        if not changed:  # the usual case: the working tree is what is committed
            return []
        kept = runner.run(["ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=root)
    except GitError:
        return []
    head = read_repository(root, key=key, web_url=str(root), subpath=None, source="local", runner=runner)
    folder = read_folder(root, key=key)
    committable = set(kept.split("\0"))
    work = Snapshot(
        repo=head.repo,
        entries={p: e for p, e in folder.entries.items() if p in committable},
        reader=folder.reader,
    )
    before = {r.id: r for r in evaluate(Facts(head), checklist).results}
    after = evaluate(Facts(work), checklist).results
    out = []
    for result in after:
        was = before.get(result.id)
        if was is None or was.outcome is result.outcome:
            continue
        cited = {e.path for e in [*result.evidence, *was.evidence] if e.path}
        files = [p for p in changed if p in cited] or changed[:_MAX_LISTED]
        out.append(
            PendingChange(item=result.id, committed=was.outcome, working_tree=result.outcome, files=files)
        )
    return out


def _changed(status: str) -> list[str]:
    """Paths of `git status --porcelain=v1 -z`: each entry is `XY path`, and a rename or copy is
    followed by its source path, which is no change of its own."""
    tokens = iter(status.split("\0"))
    out = []
    for entry in tokens:
        if len(entry) < 4:
            continue
        out.append(entry[3:])
        if entry[0] in "RC":
            next(tokens, None)
    return out


def check(path: Path, settings: Settings) -> Report:
    """`auditor check PATH`: the committed HEAD audited, waivers applied, pending changes listed."""
    root = path.resolve()
    waivers = read_waivers(root, settings.checklist)
    report = audit_checkout(root, settings)
    runner = GitRunner(allow_file=True, timeout=settings.timeout, trusted_path=root)
    audits = []
    for audit in report.repos:
        audit = apply_waivers(audit, waivers, settings.checklist)
        pending = pending_changes(root, audit.repo.key, settings.checklist, runner)
        audits.append(audit.model_copy(update={"pending": pending}))
    return finalize(report.model_copy(update={"repos": audits}))
