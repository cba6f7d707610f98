"""When an item cannot be asked of a repository, said once for every check.

A curated list or a dataset release has no software to install and no model to train; without a
README that can be read there are no install steps, commands, results or data instructions to judge.
"""

from __future__ import annotations

from auditor.checks.base import Finding, failed, not_applicable, unknown
from auditor.facts.documents import root_document, root_readme
from auditor.facts.kind import RepoKind, repo_kind
from auditor.facts.repository import Facts

# Repositories that publish no software of their own: a curated list, a dataset release.
NO_SOFTWARE = (RepoKind.CURATED_LIST, RepoKind.DATASET)


def not_expected(
    facts: Facts, consequence: str, *, kinds: tuple[RepoKind, ...] = NO_SOFTWARE
) -> Finding | None:
    """Not applicable when the repository is of a kind that cannot have the item (`kinds`), with
    the reason and what follows: "a curated list …: no data to obtain"."""
    kind = repo_kind(facts)
    if kind.kind in kinds:
        return not_applicable(f"{kind.reason}: {consequence}", *kind.evidence)
    return None


def readme_unusable(facts: Facts, what: str) -> Finding | None:
    """The finding when there is no README to read `what` from, or it is not text; None if there is."""
    if root_readme(facts) is None:
        return failed(f"no README, so no {what}")
    if root_document(facts) is None:
        return unknown("the README could not be read as text")
    return None
