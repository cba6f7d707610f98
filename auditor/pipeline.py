"""Papers in, report out: the stages wired together, with I/O only at the edges."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from auditor import __version__
from auditor.apisource import ApiSource
from auditor.artifacts import ProbeSettings
from auditor.artifactstage import ArtifactStage
from auditor.evaluate import evaluate
from auditor.extract import analyze_paper
from auditor.github import DEFAULT_API, DEFAULT_MAX_WAIT, GitHubClient
from auditor.gitrunner import DEFAULT_TIMEOUT, GitRunner, redact
from auditor.gitsource import DEFAULT_BLOB_LIMIT, GitSource, read_repository
from auditor.links import host_can_clone, parse_repo_url
from auditor.localsource import read_folder
from auditor.models import (
    Checklist,
    ChecklistRef,
    InputProblem,
    Paper,
    PaperAudit,
    RepoAudit,
    RepoFacts,
    RepoRef,
    Report,
    RepoStatus,
)
from auditor.snapshot import Snapshot

DEFAULT_CLONE_URL = "https://{host}/{owner}/{name}.git"


@dataclass(frozen=True)
class Target:
    """One repository to audit: where to clone it from and how the report names it."""

    key: str
    clone_url: str
    web_url: str
    subpath: str | None = None
    clonable: bool = True
    github: tuple[str, str] | None = None  # (owner, name) when the GitHub API can answer for it


@dataclass(frozen=True)
class Settings:
    cache_dir: Path
    checklist: Checklist
    clone_url: str = DEFAULT_CLONE_URL
    allow_local: bool = False
    timeout: float = DEFAULT_TIMEOUT
    blob_limit: int = DEFAULT_BLOB_LIMIT
    github_api: str | None = DEFAULT_API  # None: never use the API (--no-api)
    token: str | None = field(default=None, repr=False)
    max_wait: float = DEFAULT_MAX_WAIT
    probe: ProbeSettings | None = field(default_factory=ProbeSettings)  # None: --no-network-checks

    @property
    def git(self) -> GitSource:
        runner = GitRunner(
            allow_file=self.allow_local or self.clone_url.startswith("file://"), timeout=self.timeout
        )
        return GitSource(cache_dir=self.cache_dir, runner=runner, blob_limit=self.blob_limit)

    def api(self) -> ApiSource:
        """A GitHub API source with its own client: make one per run, and close it."""
        client = GitHubClient(
            base_url=self.github_api or DEFAULT_API,
            token=self.token,
            cache_path=self.cache_dir / "http.sqlite",
            max_wait=self.max_wait,
        )
        return ApiSource(client=client, blob_limit=self.blob_limit)

    def artifact_stage(self) -> ArtifactStage:
        """Probes artifact links, unless network checks are off or the audit is offline (a file://
        clone template); then it lists them as not checked. Make one per run, and close it."""
        probe = self.probe
        if probe is None or self.clone_url.startswith("file://"):
            return ArtifactStage(None)
        return ArtifactStage(lambda: probe.checker(self.cache_dir))


Progress = Callable[[str, RepoAudit], None]


@dataclass
class _Run:
    settings: Settings
    on_repo: Progress | None = None
    audits: dict[str, RepoAudit] = field(default_factory=dict)
    _api: ApiSource | None = None
    _stage: ArtifactStage | None = None

    def close(self) -> None:
        if self._api is not None:
            self._api.client.close()
        if self._stage is not None:
            self._stage.close()

    def stage(self) -> ArtifactStage:
        if self._stage is None:
            self._stage = self.settings.artifact_stage()
        return self._stage

    def audit(self, target: Target) -> RepoAudit:
        if target.key not in self.audits:
            if target.github and self.settings.github_api:
                audit = self._audit_by_api(target, *target.github)
            else:
                audit = evaluate(self.stage().attach(self._acquire(target)), self.settings.checklist)
            self.audits[target.key] = audit
            if self.on_repo:
                self.on_repo(target.key, audit)
        return self.audits[target.key]

    def _audit_by_api(self, target: Target, owner: str, name: str) -> RepoAudit:
        """Audit through the API; the cost counted includes the files checks fetched on demand."""
        if self._api is None:
            self._api = self.settings.api()
        mark = self._api.client.tally
        snap = self._api.acquire(target.key, owner, name, web_url=target.web_url, subpath=target.subpath)
        snap = self.stage().attach(snap)
        audit = evaluate(snap, self.settings.checklist)
        cost = self._api.cost_since(mark)
        return audit.model_copy(update={"repo": audit.repo.model_copy(update={"cost": cost})})

    def _acquire(self, target: Target) -> Snapshot:
        if not target.clonable:
            facts = RepoFacts(
                key=target.key,
                url=target.web_url,
                status=RepoStatus.UNSUPPORTED,
                source="git",
                subpath=target.subpath,
                detail="this host serves no git repository to clone",
            )
            return Snapshot(facts=facts, entries={}, reader=lambda _p, _n: None)
        return self.settings.git.acquire(
            target.key, target.clone_url, web_url=target.web_url, subpath=target.subpath
        )


def target_for(repo: RepoRef, clone_url: str) -> Target:
    """Where to get `repo`: the GitHub API for github.com, unless a clone template says otherwise."""
    url = clone_url.format(host=repo.host, owner=repo.owner, name=repo.name)
    on_github = repo.host == "github.com" and clone_url == DEFAULT_CLONE_URL
    return Target(
        key=repo.key,
        clone_url=url,
        web_url=repo.url,
        subpath=repo.subpath,
        clonable=host_can_clone(repo.host),
        github=(repo.owner, repo.name) if on_github else None,
    )


def target_from_argument(text: str, clone_url: str) -> Target:
    """A `--repo` argument: a code-host URL, another git URL, or a local repository path."""
    path = Path(text).expanduser()
    if "://" not in text and path.exists():
        resolved = path.resolve()
        return Target(key=resolved.as_posix().lstrip("/"), clone_url=resolved.as_uri(), web_url=str(resolved))
    repo = parse_repo_url(text)
    if repo is not None:
        return target_for(repo, clone_url)
    shown = redact(text.strip())  # credentials never reach the report; the URL is refused anyway
    return Target(key=shown.lower(), clone_url=text.strip(), web_url=shown)


def audit_papers(
    papers: Iterable[Paper],
    settings: Settings,
    *,
    done: Mapping[str, RepoAudit] | None = None,
    problems: Iterable[InputProblem] = (),
    on_repo: Progress | None = None,
) -> Report:
    run = _Run(settings, on_repo, audits=dict(done or {}))
    paper_audits = []
    try:
        for paper in papers:
            found, artifacts = run.stage().follow(analyze_paper(paper))
            keys = [run.audit(target_for(repo, settings.clone_url)).repo.key for repo in found.repos]
            paper_audits.append(
                PaperAudit(
                    paper=paper,
                    links=found.links,
                    statements=found.statements,
                    repos=keys,
                    artifacts=artifacts,
                )
            )
    finally:
        run.close()
    return _report(settings, paper_audits, list(run.audits.values()), list(problems))


def audit_targets(
    targets: Iterable[Target],
    settings: Settings,
    *,
    done: Mapping[str, RepoAudit] | None = None,
    on_repo: Progress | None = None,
) -> Report:
    """Audit repositories; those in `done` (from an interrupted run) are reported, not redone."""
    run = _Run(settings, on_repo, audits=dict(done or {}))
    try:
        for target in targets:
            run.audit(target)
    finally:
        run.close()
    return _report(settings, [], list(run.audits.values()), [])


def audit_checkout(path: Path, settings: Settings) -> Report:
    """An author's local checkout: HEAD if it is a git repository, else the folder as it is."""
    root = path.resolve()
    key = root.name
    if (root / ".git").exists() or (root / "HEAD").is_file():
        runner = GitRunner(allow_file=True, timeout=settings.timeout, trusted_path=root)
        snap = read_repository(root, key=key, web_url=str(root), subpath=None, source="local", runner=runner)
    else:
        snap = read_folder(root, key=key)
    stage = settings.artifact_stage()
    try:
        snap = stage.attach(snap)
    finally:
        stage.close()
    return _report(settings, [], [evaluate(snap, settings.checklist)], [])


def _report(
    settings: Settings, papers: list[PaperAudit], repos: list[RepoAudit], problems: list[InputProblem]
) -> Report:
    checklist = settings.checklist
    return Report(
        tool_version=__version__,
        generated_at=_now(),
        checklist=ChecklistRef(id=checklist.id, version=checklist.version),
        checklist_items=checklist.items,
        papers=papers,
        repos=repos,
        problems=problems,
    )


def _now() -> str:
    """UTC time of the report; SOURCE_DATE_EPOCH makes it reproducible (byte-identical reports)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = datetime.fromtimestamp(int(epoch), UTC) if epoch else datetime.now(UTC)
    return moment.replace(microsecond=0).isoformat().replace("+00:00", "Z")
