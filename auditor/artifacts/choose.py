"""Which links of a repository are artifacts worth probing: a pure choice over its facts.

A repository's artifacts are the links its checks rely on: the links the weights check takes for
this work's trained models, the data sources the data check found, and demos. Release assets the
GitHub API listed are artifacts too, already verified by the listing. (A paper's artifacts are
chosen in `stage`: they need no facts of a repository.)
"""

from __future__ import annotations

import re
from functools import cache

from auditor.artifacts.links import ArtifactLink
from auditor.data import load_yaml
from auditor.facts.data_sources import data_sources
from auditor.facts.documents import all_documents
from auditor.facts.repository import Facts
from auditor.facts.urls import host_matches, split_url
from auditor.facts.weights import is_weight_file, weight_links
from auditor.models import Artifact, ArtifactKind, ArtifactStatus

# Links probed per repository; a model zoo of 200 checkpoints is judged by its first ones.
MAX_LINKS = 30


@cache
def _demo_words() -> re.Pattern[str]:
    return re.compile(load_yaml("artifacts.yaml")["demo_words"], re.IGNORECASE)


def _web(url: str) -> bool:
    parts = split_url(url)
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def repo_links(facts: Facts) -> list[ArtifactLink]:
    """Weights links first, then data sources, then demos; each URL once, at most MAX_LINKS."""
    found: dict[str, ArtifactLink] = {}

    def add(url: str | None, kind: ArtifactKind, path: str | None, line: int | None) -> None:
        if url and _web(url) and url not in found:
            found[url] = ArtifactLink(url, kind, path, line)

    for c in weight_links(facts):
        if c.kind == "own":
            add(c.link.url, ArtifactKind.WEIGHTS, c.doc, c.link.line)
    for evidence in data_sources(facts).sources:
        add(evidence.url, ArtifactKind.DATA, evidence.path, evidence.line)
    demo_hosts = load_yaml("artifacts.yaml")["demo_hosts"]
    for doc in all_documents(facts):
        for link in doc.links:
            if link.image:
                continue
            if host_matches(link.url, demo_hosts) or _demo_words().search(link.text):
                add(link.url, ArtifactKind.DEMO, doc.path, link.line)
    return list(found.values())[:MAX_LINKS]


def listed_assets(facts: Facts) -> list[Artifact]:
    """Weight files among the release assets the code host listed: there, as the listing says."""
    return [
        Artifact(
            url=asset.url,
            kind=ArtifactKind.WEIGHTS,
            status=ArtifactStatus.AVAILABLE,
            detail=f"release {release.tag} asset {asset.name}, listed by the code host",
            host="github-release",
        )
        for release in facts.repo.releases or []
        for asset in release.assets
        if is_weight_file(asset.name)
    ]
