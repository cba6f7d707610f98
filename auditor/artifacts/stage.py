"""The network stage between acquisition and evaluation: probe the artifacts, then let checks judge.

`attach` gives a repository's facts the statuses of its artifact links, so the pure checks can
tell "weights linked" from "weights linked, and the link is dead". `follow` does the
same for a paper's abstract and follows its project pages one hop: a code repository a page (or an
expired anonymized copy) names becomes the paper's repository, marked with `via`.

Without a checker (network checks off) the links are still listed, as `not-checked`, so the report
can say which verdicts rest on links nobody verified.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from auditor.artifacts.links import ArtifactLink, Verdict, artifact, not_checked
from auditor.facts.repository import Facts
from auditor.models import Artifact, ArtifactKind, Link, LinkKind, PaperLinks, RepoFacts, RepoStatus
from auditor.papers.links import classify, host_can_clone

if TYPE_CHECKING:  # made by `ProbeSettings.checker`, which imports it only for a run that probes
    from auditor.artifacts.checker import ArtifactChecker

OFF = "network checks are off"
# Links probed per paper abstract.
MAX_PAPER_LINKS = 6


class ArtifactStage:
    """One per run, shared by threads; the checker is made when a first link needs it."""

    def __init__(self, make_checker: Callable[[], ArtifactChecker] | None) -> None:
        self._make = make_checker
        self._checker: ArtifactChecker | None = None
        self._lock = threading.Lock()

    def close(self) -> None:
        if self._checker is not None:
            self._checker.close()

    def _check(
        self, make: Callable[[], ArtifactChecker], links: list[ArtifactLink], facts: RepoFacts | None = None
    ) -> list[Verdict]:
        with self._lock:
            if self._checker is None:
                self._checker = make()
        return self._checker.check(links, facts=facts)

    def attach(self, facts: Facts) -> Facts:
        """The facts with the status of every artifact link of the repository."""
        # Imported with the first repository to judge: they parse documents, which a re-run whose
        # results all come from the cache never does.
        from auditor.artifacts.choose import listed_assets, repo_links

        if facts.repo.status is not RepoStatus.OK:
            return facts
        links = repo_links(facts)
        if self._make is None or not links:
            probed = [not_checked(link, OFF) for link in links]
        else:
            verdicts = self._check(self._make, links, facts.repo)
            probed = [artifact(link, v) for link, v in zip(links, verdicts, strict=True)]
        listed = listed_assets(facts)
        seen = {a.url for a in listed}
        return facts.with_artifacts([*listed, *(a for a in probed if a.url not in seen)])

    def follow(self, found: PaperLinks) -> tuple[PaperLinks, list[Artifact]]:
        """The paper's links with the repositories its pages lead to, and its probed artifacts.

        Pages are followed only for a paper whose abstract links no repository that can be
        audited: a repository the abstract names is the authors' own word and comes first.
        """
        links = paper_links(found)
        if self._make is None or not links:
            return found, [not_checked(link, OFF) for link in links]
        verdicts = self._check(self._make, links)
        artifacts = [artifact(link, v) for link, v in zip(links, verdicts, strict=True)]
        if any(host_can_clone(repo.host) for repo in found.repos):
            return found, artifacts
        known = {repo.key for repo in found.repos}
        # A repository found on a page is given where the page was (the abstract, the paper page …).
        origins = {x.url: {"origin": x.origin, "field": x.field, "page": x.page} for x in found.links}
        extra: list[Link] = []
        for link, verdict in zip(links, verdicts, strict=True):
            if link.kind not in (ArtifactKind.PROJECT_PAGE, ArtifactKind.CODE):
                continue
            for url in verdict.leads_to:
                repo_link = classify(url)
                if repo_link.repo is not None and repo_link.repo.key not in known:
                    known.add(repo_link.repo.key)
                    given = origins.get(link.url, {})
                    extra.append(repo_link.model_copy(update={"via": link.url, **given}))
        if not extra:
            return found, artifacts
        return found.model_copy(update={"links": [*found.links, *extra]}), artifacts


def paper_links(found: PaperLinks) -> list[ArtifactLink]:
    """Links of an abstract to probe: project pages, hubs (Hugging Face, Zenodo, Drive …) and
    code hosts that cannot be cloned (anonymized review copies): those not audited as repositories."""
    out = []
    for link in found.links:
        if link.kind is LinkKind.PROJECT_PAGE:
            out.append(ArtifactLink(link.url, ArtifactKind.PROJECT_PAGE))
        elif link.kind is LinkKind.HUB:
            out.append(ArtifactLink(link.url, ArtifactKind.HUB))
        elif link.repo is not None and not host_can_clone(link.repo.host):
            out.append(ArtifactLink(link.url, ArtifactKind.CODE))
    return out[:MAX_PAPER_LINKS]
