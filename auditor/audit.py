"""One audit's wiring, shared by a run (auditor.pipeline) and an author's check: what the audit is
set to do (`Settings`), the audit of a repository that could not be read, a report made of audits,
and a local checkout audited (`audit_checkout`). A check imports this and not the pipeline: no
worker pool, journal, result cache or paper stage.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from auditor import __version__
from auditor.acquire import DEFAULT_API, DEFAULT_CLONE_URL, DEFAULT_GIT_TIMEOUT, DEFAULT_JOBS
from auditor.acquire.gitrunner import GitRunner
from auditor.acquire.gitsource import DEFAULT_BLOB_LIMIT, GitSource, read_repository
from auditor.acquire.localsource import read_folder
from auditor.acquire.snapshot import Snapshot
from auditor.artifacts.links import ProbeSettings
from auditor.artifacts.stage import ArtifactStage
from auditor.checks.evaluate import evaluate
from auditor.facts.repository import Facts
from auditor.models import (
    Checklist,
    ChecklistRef,
    InputProblem,
    PaperAudit,
    RepoAudit,
    RepoFacts,
    Report,
    RepoStatus,
)
from auditor.net import DEFAULT_MAX_WAIT
from auditor.report.stats import finalize

if TYPE_CHECKING:  # the GitHub API path imports them itself: see `Settings.api`
    from auditor.acquire.apisource import ApiSource
    from auditor.acquire.resultcache import ResultCache
    from auditor.net.politeness import HostLimits


@dataclass(frozen=True)
class Settings:
    cache_dir: Path
    checklist: Checklist
    clone_url: str = DEFAULT_CLONE_URL
    allow_local: bool = False
    timeout: float = DEFAULT_GIT_TIMEOUT
    blob_limit: int = DEFAULT_BLOB_LIMIT
    github_api: str | None = DEFAULT_API  # None: never use the API (--no-api)
    token: str | None = field(default=None, repr=False)
    max_wait: float = DEFAULT_MAX_WAIT
    jobs: int = DEFAULT_JOBS
    probe: ProbeSettings | None = field(default_factory=ProbeSettings)  # None: --no-network-checks

    def git(self, hosts: HostLimits | None = None) -> GitSource:
        # A GitHub the user gave by http (a local mirror or test server) is cloned from by http too.
        http = self.github_api if self.github_api and self.github_api.startswith("http://") else None
        if http:
            from auditor.acquire.github import git_base  # the API path: see `api`

        runner = GitRunner(
            allow_file=self.allow_local or self.clone_url.startswith("file://"),
            timeout=self.timeout,
            http_origin=_origin(git_base(http)) if http else None,
        )
        return GitSource(cache_dir=self.cache_dir, runner=runner, blob_limit=self.blob_limit, hosts=hosts)

    def api(self, hosts: HostLimits | None = None) -> ApiSource:
        """A GitHub API source with its own client: make one per run, and close it."""
        # The GitHub API path imports the client here, and what else it needs of acquire.github and
        # acquire.apisource in the methods only it reaches (`_Run._learn_heads`, `_audit_by_api`):
        # with them comes the HTTP stack (requests, urllib3, tenacity), which a run that asks no
        # API (`auditor check`, a run over mirrors or with --no-api) never imports.
        from auditor.acquire.apisource import ApiSource
        from auditor.acquire.github import GitHubClient

        client = GitHubClient(
            base_url=self.github_api or DEFAULT_API,
            token=self.token,
            cache_path=self.cache_dir / "http.sqlite",
            max_wait=self.max_wait,
            hosts=hosts,
        )
        # Without a token GitHub allows 60 API requests an hour: spend them on what git cannot tell.
        return ApiSource(client=client, blob_limit=self.blob_limit, metadata=bool(self.token))

    def results(self) -> ResultCache:
        from auditor.acquire.resultcache import ResultCache  # a run's: a check keeps no results

        checked = "artifact links probed" if self._probes() else "artifact links not checked"
        return ResultCache(
            self.cache_dir / "results", tool_version=__version__, checklist=self.checklist, context=checked
        )

    def _probes(self) -> bool:
        return self.probe is not None and not self.clone_url.startswith("file://")

    def artifact_stage(self) -> ArtifactStage:
        """Probes artifact links, unless network checks are off or the audit is offline (a file://
        clone template); then it lists them as not checked. Make one per run, and close it."""
        probe = self.probe
        if probe is None or not self._probes():
            return ArtifactStage(None)
        return ArtifactStage(lambda: probe.checker(self.cache_dir))


def _origin(url: str) -> str:
    scheme, host, *_rest = urlsplit(url)
    return f"{scheme}://{host}"


def nothing_read(_path: str, _limit: int) -> None:
    """The reader of a repository that was not read."""


def unread(facts: RepoFacts, checklist: Checklist) -> RepoAudit:
    """The audit of a repository whose reading failed: its checks over no files."""
    return evaluate(Facts(Snapshot(repo=facts, entries={}, reader=nothing_read)), checklist)


def one_line(err: BaseException, limit: int = 300) -> str:
    """An exception as one line of a report: its type and message, whitespace folded, capped."""
    text = " ".join(f"{type(err).__name__}: {err}".split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def audit_checkout(path: Path, settings: Settings) -> Report:
    """An author's local checkout: HEAD if it is a git repository, else the folder as it is. One
    that cannot be read (a corrupt repository) is reported with status `error` and why."""
    root = path.resolve()
    try:
        audit = _audit_checkout(root, settings)
    except Exception as err:
        facts = RepoFacts(
            key=root.name, url=str(root), status=RepoStatus.ERROR, source="local", detail=one_line(err)
        )
        audit = unread(facts, settings.checklist)
    return report_of(settings, [], [audit], [])


def _audit_checkout(root: Path, settings: Settings) -> RepoAudit:
    key = root.name
    if (root / ".git").exists() or (root / "HEAD").is_file():
        runner = GitRunner(allow_file=True, timeout=settings.timeout, trusted_path=root)
        snap = read_repository(root, key=key, web_url=str(root), subpath=None, source="local", runner=runner)
    else:
        snap = read_folder(root, key=key)
    stage = settings.artifact_stage()
    try:
        facts = stage.attach(Facts(snap))
    finally:
        stage.close()
    return evaluate(facts, settings.checklist)


def report_of(
    settings: Settings, papers: list[PaperAudit], repos: list[RepoAudit], problems: list[InputProblem]
) -> Report:
    checklist = settings.checklist
    report = Report(
        tool_version=__version__,
        generated_at=now(),
        checklist=ChecklistRef(id=checklist.id, version=checklist.version),
        checklist_items=checklist.items,
        papers=papers,
        repos=repos,
        problems=problems,
    )
    return finalize(report)  # outcomes, summary and evidence links, computed once


def now() -> str:
    """UTC time of the report; SOURCE_DATE_EPOCH makes it reproducible (byte-identical reports)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = datetime.fromtimestamp(int(epoch), UTC) if epoch else datetime.now(UTC)
    return moment.replace(microsecond=0).isoformat().replace("+00:00", "Z")
