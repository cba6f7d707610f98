"""What the artifact stage found about the links checks rely on (`Facts.artifacts`).

Checks stay pure: they read the statuses the network stage put in the facts. A link it found
gone or restricted is not evidence that the artifact can be had; a link it could not check, or a
snapshot it never saw (network checks off, pure tests), leaves the check as the README says.
"""

from __future__ import annotations

from auditor.facts.repository import Facts
from auditor.models import Artifact, ArtifactStatus

DEAD = (ArtifactStatus.GONE, ArtifactStatus.RESTRICTED)


def probe(facts: Facts, url: str | None) -> Artifact | None:
    """What probing `url` found; None if it was not probed."""
    return facts.probes.get(url) if url else None


def describe(artifact: Artifact) -> str:
    """ "gone (404)", "restricted: redirects to a sign-in page (accounts.google.com)" """
    if artifact.status is ArtifactStatus.GONE:
        code = f" ({artifact.http_status})" if artifact.http_status in (404, 410) else ""
        return f"gone{code}" + (f": {artifact.detail}" if not code and artifact.detail else "")
    return artifact.status.value + (f": {artifact.detail}" if artifact.detail else "")


def dead_message(what: str, dead: list[Artifact]) -> str:
    """ "weights link gone (404): URL", or a count and the first few for several."""
    if len(dead) == 1:
        return f"{what} link {describe(dead[0])}: {dead[0].url}"
    shown = "; ".join(f"{a.url} {describe(a)}" for a in dead[:3])
    more = f" and {len(dead) - 3} more" if len(dead) > 3 else ""
    return f"{len(dead)} {what} links cannot be had: {shown}{more}"
