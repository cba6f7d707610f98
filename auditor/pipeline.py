"""Papers in, report out: the stages wired together, with I/O only at the edges.

Repositories are audited by a pool of `jobs` worker threads (the work waits on the network, not
the CPU); the hosts they talk to are protected by shared per-host limits. Each repository is
audited once however many papers link it. The report lists repositories in the order the input
first names them, whatever order the workers finish in, so the same input gives the same report
at any --jobs. `on_repo` is called from the calling thread only, as each audit completes.

Whatever fails while one repository is audited (a corrupt checkout, git refusing, a bug in a
stage) makes that repository's status `error` with a one-line reason; the others go on, and the
report is written. The same holds for the links of one paper.

Before fetching a repository, one cheap request learns its commit (and tags): its git ref
advertisement, or, with a token, a GraphQL request shared by 50 repositories. If the result cache
holds the audit of that very content, it is reused.
"""

from __future__ import annotations

import collections
import functools
import itertools
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from auditor import __version__
from auditor.acquire import DEFAULT_CLONE_URL
from auditor.acquire.gitsource import LocalClone
from auditor.acquire.resultcache import Head
from auditor.acquire.snapshot import Snapshot, read_limit
from auditor.artifacts.links import not_checked
from auditor.artifacts.stage import ArtifactStage, paper_links
from auditor.audit import Settings, nothing_read, now, one_line, report_of, unread
from auditor.checks.evaluate import evaluate
from auditor.data.redact import redact_url
from auditor.facts.repository import Facts
from auditor.models import (
    Artifact,
    ArtifactStatus,
    Checklist,
    ChecklistRef,
    InputProblem,
    NetworkCost,
    Outcome,
    Paper,
    PaperAudit,
    PaperLinks,
    RepoAudit,
    RepoFacts,
    RepoRef,
    Report,
    RepoStatus,
)
from auditor.net.politeness import HostLimits
from auditor.papers.extract import analyze_paper
from auditor.papers.links import host_can_clone, parse_repo_url
from auditor.report.journal import Journal, Keyed, Spill
from auditor.report.shard import Shard
from auditor.report.stats import Tally, with_file_urls

if TYPE_CHECKING:  # the GitHub API path imports them itself: see `Settings.api`
    from auditor.acquire.apisource import ApiSource, Batched

# Batches of files fetched for a repository: the planned one, documents its documents link, and
# the documents those link (the checks follow links two hops).
MAX_BATCHES = 3
# Papers followed at a time: however long the corpus, only a chunk's answers wait to be used.
FOLLOW_CHUNK = 256
# Repositories handed out between two rounds of GraphQL requests for their heads (50 a request).
HEADS_WINDOW = 400
# Repositories of one host in a row found unreachable before the host is not asked again in a run.
UNREACHABLE_AFTER = 3


@dataclass(frozen=True, slots=True)
class Target:
    """One repository to audit: where to clone it from and how the report names it."""

    key: str
    clone_url: str
    web_url: str
    subpath: str | None = None
    clonable: bool = True
    github: tuple[str, str] | None = None  # (owner, name) when the GitHub API can answer for it


Progress = Callable[[str, RepoAudit], None]


@dataclass
class _Run:
    """What the workers of one run share: host limits, the API client, the artifact stage, the
    result cache."""

    settings: Settings
    hosts: HostLimits = field(default_factory=HostLimits)
    _api: ApiSource | None = None
    _stage: ArtifactStage | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _heads: dict[str, Batched] = field(default_factory=dict)  # owner/name → learned by GraphQL
    _misses: dict[str, int] = field(default_factory=dict)  # per host: repositories unreachable in a row

    def __post_init__(self) -> None:
        self.results = self.settings.results()

    def close(self) -> None:
        if self._api is not None:
            self._api.client.close()
        if self._stage is not None:
            self._stage.close()

    def stage(self) -> ArtifactStage:
        with self._lock:
            if self._stage is None:
                self._stage = self.settings.artifact_stage()
            return self._stage

    def follow_each(self, found: Iterable[PaperLinks]) -> Iterator[tuple[PaperLinks, list[Artifact]]]:
        """Each paper's links with the repositories its project pages lead to, and its probed
        artifacts, by `jobs` workers, in the papers' order, a chunk of papers at a time."""
        stage = self.stage()

        def follow(paper: PaperLinks) -> tuple[PaperLinks, list[Artifact]]:
            try:
                return stage.follow(paper)
            except Exception as err:  # one paper's links: the others, and the run, go on
                reason = f"error: {one_line(err)}"
                return paper, [not_checked(link, reason) for link in paper_links(paper)]

        papers = iter(found)
        with ThreadPoolExecutor(max_workers=self.settings.jobs, thread_name_prefix="follow") as pool:
            while chunk := list(itertools.islice(papers, FOLLOW_CHUNK)):
                yield from pool.map(follow, chunk)

    def audit_all(
        self,
        targets: Iterable[Target],
        done: Mapping[str, RepoAudit],
        on_repo: Progress | None,
        keep: Callable[[RepoAudit], None],
        name: Callable[[str], bool],
    ) -> None:
        """Audit `targets` (those in `done` are kept, not redone), each handed to `keep` as it
        completes. Each key is given to `name` as it is first met (False: met before, not audited
        again): the caller's index of the repositories, in the order first named. `targets` are
        read as the work goes on, and the GraphQL heads learned a window ahead: however many, only
        a window of them waits in memory."""

        def fresh() -> Iterator[Target]:
            for target in targets:
                key = target.key  # the same string as its audit's key: one string a repository
                if name(key) and key not in done:
                    yield target

        todo = fresh()
        window: collections.deque[Target] = collections.deque()
        # At most `jobs` repositories are handed out at a time, the next one only when one is done:
        # once the caller stops (Ctrl-C, a failing callback), no new repository is started.
        pool = ThreadPoolExecutor(max_workers=self.settings.jobs, thread_name_prefix="audit")
        running: dict[Future[RepoAudit], str] = {}

        def hand_out() -> None:
            if not window:
                window.extend(itertools.islice(todo, HEADS_WINDOW))
                self._learn_heads(pool, list(window))
            if window:
                target = window.popleft()
                running[pool.submit(self.audit_or_error, target)] = target.key

        try:
            for _ in range(self.settings.jobs):
                hand_out()
            while running:
                finished, _ = wait(running, return_when=FIRST_COMPLETED)
                for future in finished:
                    key = running.pop(future)
                    audit = future.result()
                    keep(audit)
                    if on_repo:
                        on_repo(key, audit)
                    hand_out()
        finally:
            pool.shutdown(wait=False)  # after an interruption, the repositories in progress finish

    def _learn_heads(self, pool: ThreadPoolExecutor, targets: list[Target]) -> None:
        """With a token, learn the commit, tags and metadata of the GitHub repositories in GraphQL
        requests of 50 (instead of two requests each); what they cannot tell is asked per repository.
        These shared requests are counted on no repository."""
        repos = [t.github for t in targets if t.github and self.settings.github_api and self.settings.token]
        if not repos:
            return
        from auditor.acquire.apisource import HEADS_PER_QUERY  # the API path: see `Settings.api`

        api = self._api_source()

        def heads(chunk: list[tuple[str, str]]) -> dict[str, Batched]:
            try:
                return api.heads(chunk)
            except Exception:  # what the shared request cannot tell is asked per repository
                return {}

        chunks = [repos[i : i + HEADS_PER_QUERY] for i in range(0, len(repos), HEADS_PER_QUERY)]
        for found in pool.map(heads, chunks):
            self._heads |= found

    def audit_or_error(self, target: Target) -> RepoAudit:
        """The audit of `target`, or, if any step of it failed, its status `error` and why."""
        try:
            return self.audit(target)
        except Exception as err:
            facts = RepoFacts(
                key=target.key,
                url=target.web_url,
                status=RepoStatus.ERROR,
                source=self._source(target),
                subpath=target.subpath,
                detail=one_line(err),
            )
            return unread(facts, self.settings.checklist)

    def audit(self, target: Target) -> RepoAudit:
        """One repository, in a worker thread. Once `UNREACHABLE_AFTER` repositories of a host in a
        row were unreachable, the host is not asked again in this run: its other repositories are
        reported unreachable at once, not after every one has waited out its own retries."""
        host = urlsplit(target.clone_url).hostname if target.clone_url.startswith("http") else None
        with self._lock:
            misses = self._misses.get(host, 0) if host else 0
        if host and misses >= UNREACHABLE_AFTER:
            detail = f"{host} did not answer for {misses} repositories in a row; not asked again in this run"
            return self._unaudited(target, RepoStatus.UNREACHABLE, detail, self._source(target))
        audit = self._audit(target)
        if host:
            with self._lock:
                if audit.repo.status is RepoStatus.UNREACHABLE:
                    self._misses[host] = self._misses.get(host, 0) + 1
                elif self._misses.get(host, 0) < UNREACHABLE_AFTER:
                    self._misses[host] = 0
        return audit

    def _source(self, target: Target) -> str:
        return "api" if target.github and self.settings.github_api else "git"

    def _audit(self, target: Target) -> RepoAudit:
        if target.github and self.settings.github_api:
            return self._audit_by_api(target, *target.github)
        if not target.clonable:
            detail = "this host serves no git repository to clone"
            return self._unaudited(target, RepoStatus.UNSUPPORTED, detail, "git")
        return self._audit_by_git(target)

    def _unaudited(self, target: Target, status: RepoStatus, detail: str, source: str) -> RepoAudit:
        facts = RepoFacts(
            key=target.key,
            url=target.web_url,
            status=status,
            source=source,
            subpath=target.subpath,
            detail=detail,
        )
        return self._evaluate(Snapshot(repo=facts, entries={}, reader=nothing_read))

    def _api_source(self) -> ApiSource:
        with self._lock:
            if self._api is None:
                self._api = self.settings.api(self.hosts)
            return self._api

    def _audit_by_api(self, target: Target, owner: str, name: str) -> RepoAudit:
        """Refs first: unchanged content is re-reported from the result cache for that one request.
        The cost counted includes the files checks fetched on demand."""
        from auditor.acquire.github import Meter  # the API path: see `Settings.api`

        api = self._api_source()
        meter = Meter()
        with self._lock:
            learned = self._heads.pop(f"{owner}/{name}".lower(), None)  # used once, then let go
        batched = learned is not None
        refs = learned.refs if learned is not None else api.refs(owner, name, meter=meter)
        signature = None
        if refs is not None and refs.head is not None:
            # A result without the host's metadata (no token) must not stand in for one with it.
            source = "api" if api.metadata else "api without host metadata"
            signature = self._signature(target, source, Head(refs.head, refs.tags_digest))
            reused = self.results.get(key=target.key, signature=signature)
            if reused is not None:
                spent = meter.tally
                cost = NetworkCost(
                    http_requests=spent.requests,
                    not_modified=spent.not_modified,
                    reused=True,
                    batched=batched,
                )
                return _with_cost(reused, cost)
        cloned: list[str] = []  # git commands, if checks read so many files that a clone pays

        def clone(full_name: str, branch: str, commit: str) -> LocalClone | None:
            url = f"{api.client.git_url}/{full_name}.git"
            local, contacted = self.settings.git(self.hosts).clone_at(
                target.key, url, branch=branch, sha=commit
            )
            cloned.extend(contacted)
            return local

        snap = api.acquire(
            target.key,
            owner,
            name,
            web_url=target.web_url,
            subpath=target.subpath,
            refs=refs,
            meta=learned.meta if learned is not None else None,
            meter=meter,
            clone=clone,
        )
        unread = _watch_reads(snap, self.settings.blob_limit)
        audit = self._evaluate(snap)
        spent = meter.tally
        cost = NetworkCost(
            http_requests=spent.requests,
            not_modified=spent.not_modified,
            git=[*cloned, *audit.repo.cost.git],  # the clone, then the batches of files fetched into it
            batched=batched,
        )
        audit = _with_cost(audit, cost)
        # Kept for the next run only if complete: a file unread for a rate limit is not a verdict.
        complete = _complete(audit) and not meter.failed_reads and not unread and not snap.missed
        if signature is not None and complete:
            self.results.put(audit, signature=signature)
        return audit

    def _audit_by_git(self, target: Target) -> RepoAudit:
        git = self.settings.git(self.hosts)
        remote = git.probe(target.key, target.clone_url, web_url=target.web_url, subpath=target.subpath)
        if isinstance(remote, Snapshot):
            return self._evaluate(remote)
        signature = self._signature(target, "git", Head(remote.sha))
        reused = self.results.get(key=target.key, signature=signature)
        if reused is not None:
            return _with_cost(reused, NetworkCost(git=remote.contacted, reused=True))
        snap = git.acquire(
            target.key, target.clone_url, web_url=target.web_url, subpath=target.subpath, remote=remote
        )
        unread = _watch_reads(snap, self.settings.blob_limit)
        audit = self._evaluate(snap)
        if _complete(audit) and not unread and not snap.missed:
            self.results.put(audit, signature=signature)
        return audit

    def _evaluate(self, snap: Snapshot) -> RepoAudit:
        """The audit of `snap`, its evidence files addressed: so it is kept in the result cache, and
        a re-run that reuses it has nothing to add."""
        try:
            return with_file_urls(judge(snap, self.settings.checklist, self.stage()))
        finally:
            # Let go of the clone now: its blob reader (a git process, and its pipes' buffers) ends
            # at once, not when the garbage collector next meets the reader's reference cycle.
            snap.reader, snap.fetcher = nothing_read, None

    def _signature(self, target: Target, source: str, head: Head) -> str:
        return self.results.signature(
            key=target.key, url=target.web_url, subpath=target.subpath, source=source, head=head
        )


def judge(snap: Snapshot, checklist: Checklist, stage: ArtifactStage | None = None) -> RepoAudit:
    """The checks over a snapshot, once the files they read are fetched and the artifact links of
    the repository probed by `stage` (if given): one `Facts` serves both, so each document is
    parsed once. The files the tree says will be read come in one batch, with those planning
    itself read (what they add to the plan follows before any judging); documents found only by
    reading another come in a second (a third for links two hops deep), and the repository is
    judged again. Files still missed after that stay unread, and `snap.missed` names them."""
    # Imported with the first repository to judge, as the checks are: a re-run whose results all
    # come from the cache never needs them.
    from auditor.facts.documents import DOCUMENT
    from auditor.facts.needs import planned

    if snap.repo.status is RepoStatus.OK:
        snap.prefetch(planned(Facts(snap)) | (early := snap.take_missed()))
        if early:
            # Planning read files before they were fetched (a root `setup.py`, which tells the
            # project's own folder from a copied package): planned again knowing them, what that
            # adds is fetched before any judging, not after a judging done for nothing.
            snap.prefetch(planned(Facts(snap)))
    parsed: dict[str, Any] = {}  # the documents of earlier passes, parsed once for all of them
    for batch in range(MAX_BATCHES):
        facts = Facts(snap, _memo=dict(parsed))
        audit = evaluate(stage.attach(facts) if stage is not None else facts, checklist)
        missed = snap.take_missed()
        if not missed:
            return audit
        parsed = {k: v for k, v in facts._memo.items() if k.startswith(DOCUMENT) and v is not None}
        if batch + 1 < MAX_BATCHES:
            snap.prefetch(missed)
    snap.missed = missed
    return audit


def _complete(audit: RepoAudit) -> bool:
    """Worth keeping for the next run: audited, no check failed with an error, and no artifact
    link left unknown (its probe may have met a passing failure)."""
    return (
        audit.repo.status is RepoStatus.OK
        and all(r.outcome is not Outcome.ERROR for r in audit.results)
        and all(a.status is not ArtifactStatus.UNKNOWN for a in audit.repo.artifacts or [])
    )


def _watch_reads(snap: Snapshot, blob_limit: int) -> list[str]:
    """The files of `snap` that will turn out unreadable though the repository holds them (git's
    reader died, a blob went missing): a result that lacks them is a passing failure, not a verdict
    to keep. Files over the blob limit are never read, and do not count."""
    unread: list[str] = []
    read = snap.reader

    def watched(path: str, cap: int) -> bytes | None:
        data = read(path, cap)
        entry = snap.entries.get(path)
        size = entry.size if entry is not None else None
        if data is None and size is not None and size < read_limit(path, blob_limit):
            unread.append(path)
        return data

    snap.reader = watched
    return unread


def _with_cost(audit: RepoAudit, cost: NetworkCost) -> RepoAudit:
    return audit.model_copy(update={"repo": audit.repo.model_copy(update={"cost": cost})})


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
    shown = redact_url(text.strip())  # credentials never reach the report; the URL is refused anyway
    return Target(key=shown.lower(), clone_url=text.strip(), web_url=shown)


@dataclass(frozen=True)
class ShardPlan:
    """One shard of a corpus (see `auditor.report.shard`): the papers it reports, and the
    repositories it audits, whichever papers link them."""

    papers: list[Paper]
    repos: list[RepoRef]
    linked: frozenset[str]  # every repository the corpus links directly

    def owns(self, key: str) -> bool:
        """Audited here: a repository of this shard, or one that no paper links directly (a
        project page led to it)."""
        return key in self._audits or key not in self.linked

    @functools.cached_property
    def _audits(self) -> frozenset[str]:
        return frozenset(r.key for r in self.repos)


def shard_plan(papers: list[Paper], shard: Shard) -> ShardPlan:
    found = [analyze_paper(paper) for paper in papers]
    reports, audits = shard.split([(f.paper.id, [r.key for r in f.repos]) for f in found])
    repos = {r.key: r for f in found for r in f.repos}
    return ShardPlan(
        papers=[p for p in papers if p.id in reports],
        repos=[r for key, r in repos.items() if key in audits],
        linked=frozenset(repos),
    )


def audit_papers(
    papers: Iterable[Paper],
    settings: Settings,
    *,
    done: Mapping[str, RepoAudit] | None = None,
    problems: Iterable[InputProblem] = (),
    on_repo: Progress | None = None,
    hosts: HostLimits | None = None,
    targets: Iterable[Target] = (),
    shard: ShardPlan | None = None,
    store: Journal | None = None,
) -> Report:
    """Audit the repositories of `papers`, and `targets` given directly (`--repo` beside papers).
    `shard`: audit its repositories, whichever papers link them, and no others the corpus links.
    `store`: the run's journal, started with `done`; audits are kept there, and the papers in a
    temporary file, and the report reads each back when it is written (see `_stored_report`), so
    memory does not grow with the corpus. Without it, the report holds its lists."""
    run = _Run(settings, hosts or HostLimits())
    kept: list[PaperAudit] | Spill[PaperAudit] = [] if store is None else Spill(PaperAudit)
    try:
        for found, artifacts in run.follow_each(analyze_paper(paper) for paper in papers):
            audit = PaperAudit(
                paper=found.paper,
                links=found.links,
                statements=found.statements,
                repos=[repo.key for repo in found.repos],
                artifacts=artifacts,
            )
            kept.extend([audit])
        listed = kept if isinstance(kept, list) else kept.records()

        def linked() -> Iterator[Target]:
            for paper in listed:
                for repo in _repos(paper):
                    if shard is None or shard.owns(repo.key):
                        yield target_for(repo, settings.clone_url)
            for repo in shard.repos if shard is not None else []:
                yield target_for(repo, settings.clone_url)

        return _audited(
            run, settings, itertools.chain(linked(), targets), done, on_repo, store, listed, problems
        )
    finally:
        run.close()


def _repos(paper: PaperAudit) -> list[RepoRef]:
    """The repositories a paper links, as `PaperLinks.repos` found them."""
    return PaperLinks.model_construct(paper=paper.paper, links=paper.links, statements=[]).repos


def audit_targets(
    targets: Iterable[Target],
    settings: Settings,
    *,
    done: Mapping[str, RepoAudit] | None = None,
    on_repo: Progress | None = None,
    hosts: HostLimits | None = None,
    store: Journal | None = None,
) -> Report:
    """Audit repositories; those in `done` (from an interrupted run) are reported, not redone.
    `hosts`: per-host limits, from auditor/data/politeness.yaml unless given. `store`: as for
    `audit_papers`."""
    run = _Run(settings, hosts or HostLimits())
    try:
        return _audited(run, settings, targets, done, on_repo, store, [], ())
    finally:
        run.close()


def _audited(
    run: _Run,
    settings: Settings,
    targets: Iterable[Target],
    done: Mapping[str, RepoAudit] | None,
    on_repo: Progress | None,
    store: Journal | None,
    papers: Sequence[PaperAudit],
    problems: Iterable[InputProblem],
) -> Report:
    """The repositories audited, then the report: held in memory, or read back from `store`."""
    if store is None:
        held = dict(done or {})
        keys: dict[str, None] = {}
        run.audit_all(targets, held, on_repo, lambda a: held.__setitem__(a.repo.key, a), _namer(keys))
        return report_of(settings, list(papers), [held[k] for k in keys], list(problems))
    # Audits come with their files' addresses (`_Run._evaluate`): the report reads each one back
    # once per file it writes, as it was journaled.
    run.audit_all(targets, done or {}, on_repo, store.append, store.name)
    return _stored_report(settings, store, papers, list(problems))


def _namer(keys: dict[str, None]) -> Callable[[str], bool]:
    """`name` for `_Run.audit_all`: `keys` gets each key once, in order."""

    def name(key: str) -> bool:
        if key in keys:
            return False
        keys[key] = None
        return True

    return name


def _stored_report(
    settings: Settings, store: Journal, papers: Sequence[PaperAudit], problems: list[InputProblem]
) -> Report:
    """The report of audits kept in the journal: finalized in one pass over the repositories and
    one over the papers (which go to a second temporary file with their outcomes), and standing on
    lists that read each record back when it is reached."""
    checklist = settings.checklist
    generated_at = now()
    tally = Tally(checklist.items, generated_at)
    keys = store.named  # the repositories the run named, in order: its journal's index
    for key in keys:
        tally.repo(store.get(key), key=key)
    final = Spill(PaperAudit)
    final.extend(tally.paper(p) for p in papers)
    return Report.model_construct(
        tool_version=__version__,
        generated_at=generated_at,
        checklist=ChecklistRef(id=checklist.id, version=checklist.version),
        checklist_items=checklist.items,
        papers=final.records(),
        repos=Keyed(keys, store.get),
        problems=problems,
        summary=tally.summary(),
    )
