"""Dependency specification, and how much of it is pinned to exact versions.

The environment files of the project count (requirements, conda, setup/pyproject, Pipfile, lock
files, containers, R and Julia manifests); those of vendored third-party code and build output
(`*.egg-info/`, `site-packages/`) do not, unless the README installs from them. Pinning is
measured with a real specifier parser (`packaging`), not by looking for `==`.
"""

from __future__ import annotations

from auditor.checks.applicable import not_expected
from auditor.checks.base import Finding, check, failed, passed, unknown
from auditor.facts.environment import Spec, declares_nothing, environment_files, measure, readme_packages
from auditor.facts.repository import Facts
from auditor.models import Evidence

# Share of exactly pinned requirements from which a specification counts as pinned.
PINNED_SHARE = 0.75


def _empty(facts: Facts, path: str) -> bool:
    text = facts.text(path)
    if text is None:
        return False
    meaningful = [ln for ln in text.text.splitlines() if ln.strip() and not ln.strip().startswith("#")]
    return not meaningful


@check("dependencies")
def dependencies(facts: Facts) -> Finding:
    files = environment_files(facts)
    usable = [p for p in files if not _empty(facts, p) and p not in declares_nothing(facts)]
    if usable:
        return passed(f"{len(usable)} environment file(s)", *(Evidence(path=p) for p in usable[:10]))
    skip = not_expected(facts, "no software to install")
    if skip is not None:
        return skip
    named = readme_packages(facts)
    if named:
        # the README install item credits these; a reader still has no file to rebuild from
        specs = sorted({s.name for s in named})
        first = named[0]
        return failed(
            f"packages named only in the README ({', '.join(specs[:8])}): no requirements, "
            "environment or container file",
            Evidence(path=first.path, line=first.line, note="README install command"),
        )
    if files:
        declared = [p for p in files if not _empty(facts, p)]
        if declared:
            return failed(
                "the packaging declares no dependencies",
                *(Evidence(path=p, note="declares none") for p in declared[:5]),
            )
        return failed("the environment files are empty", *(Evidence(path=p, note="empty") for p in files))
    if facts.repo.tree_truncated:
        return unknown("no environment file in the partial file tree the host returned")
    return failed("no requirements, environment, setup or container file")


@check("dependencies-pinned")
def dependencies_pinned(facts: Facts) -> Finding:
    result = measure(facts)
    if result.locked:
        return passed("a lock file pins every dependency", *(Evidence(path=p) for p in result.locked))
    specs = result.specs
    source = "environment files"
    if not specs and not result.unmeasured and readme_packages(facts):
        return failed(
            "no dependency specification to pin: packages are named only in the README",
            *list(
                dict.fromkeys(
                    Evidence(path=s.path, line=s.line, note="README install command")
                    for s in readme_packages(facts)
                )
            )[:3],
        )
    if not specs:
        if result.unmeasured:
            return unknown(
                "dependencies are declared in files whose versions cannot be measured",
                *(Evidence(path=p) for p in result.unmeasured[:5]),
            )
        skip = not_expected(facts, "no software to pin")
        if skip is not None:
            return skip
        return failed("no dependency specification, so nothing is pinned")
    unique: dict[str, Spec] = {}
    for spec in specs:
        prior = unique.get(spec.name)
        unique[spec.name] = spec if prior is None or (spec.pinned and not prior.pinned) else prior
    pinned = [s for s in unique.values() if s.pinned]
    loose = [s for s in unique.values() if not s.pinned]
    share = len(pinned) / len(unique)
    message = (
        f"{len(pinned)} of {len(unique)} dependencies in {source} pinned to exact versions ({share:.0%})"
    )
    evidence = [Evidence(path=s.path, line=s.line, note=f"{s.name} is not pinned") for s in loose[:5]] or [
        Evidence(path=s.path, line=s.line, note=f"{s.name} pinned") for s in pinned[:3]
    ]
    if share >= PINNED_SHARE:
        return passed(message, *evidence)
    return failed(message, *evidence)
