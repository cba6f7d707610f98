"""What the artifact stage says of a link, without the network: the link, its verdict, the
settings of the probe, and the `Artifact` a report holds.

Every run needs these (with network checks off, links are still listed, as `not-checked`); the
checker, its prober and the HTTP stack under them (requests, urllib3, tenacity: about a third of
the CPU of `auditor check` on a small repository) are needed only by a run that probes. So this
module imports none of them, and `ProbeSettings.checker` is the one place they are imported.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from auditor.data.redact import redact_url
from auditor.models import Artifact, ArtifactKind, ArtifactStatus

if TYPE_CHECKING:
    from auditor.artifacts.checker import ArtifactChecker


class ArtifactLink(NamedTuple):
    """A link the audit found, what it is for, and where it is written."""

    url: str
    kind: ArtifactKind
    path: str | None = None
    line: int | None = None


class Verdict(NamedTuple):
    status: ArtifactStatus
    detail: str
    http_status: int | None = None
    host: str | None = None
    leads_to: tuple[str, ...] = ()  # code repositories the link leads to (project pages, copies)


@dataclass(frozen=True)
class ProbeSettings:
    """How the artifact stage may use the network."""

    hosts: Mapping[str, str] = field(default_factory=dict)  # host rule → base URL (mirror, test server)
    allow_private: bool = False  # probe links to private addresses too (tests on 127.0.0.1)
    robots: bool = True

    def checker(self, cache_dir: Path | None) -> ArtifactChecker:
        """A checker on the HTTP cache of `cache_dir`; the hosts given here are trusted origins."""
        # The seam: the checker and the HTTP stack are imported when a run first probes a link,
        # never by one with network checks off (`auditor check --no-network-checks`, mirrors).
        from auditor.artifacts.checker import open_checker

        return open_checker(self, cache_dir)


def artifact(link: ArtifactLink, verdict: Verdict) -> Artifact:
    return Artifact(
        url=redact_url(link.url),
        kind=link.kind,
        status=verdict.status,
        http_status=verdict.http_status,
        detail=verdict.detail,
        host=verdict.host,
        path=link.path,
        line=link.line,
    )


def not_checked(link: ArtifactLink, reason: str) -> Artifact:
    return Artifact(
        url=redact_url(link.url),
        kind=link.kind,
        status=ArtifactStatus.NOT_CHECKED,
        detail=reason,
        path=link.path,
        line=link.line,
    )
