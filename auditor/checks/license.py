"""The project's license: which one, whether it restricts use, whether the repository agrees with itself.

Only a license at the project's root (or the one the code host detected) licenses the project; a
LICENSE inside a vendored third-party folder licenses that folder alone.
"""

from __future__ import annotations

import re

from auditor.checks.base import Finding, check, failed, passed, unknown
from auditor.data import data_table
from auditor.facts.licenses import identify, license_claims, license_files, normalized
from auditor.facts.repository import Facts
from auditor.facts.text import snippet
from auditor.models import Evidence

_HOST_UNSURE = {"NOASSERTION", "OTHER"}


def _family(spdx: str) -> str:
    return re.sub(r"-(only|or-later)$", "", spdx.upper())


@check("license")
def license_check(facts: Facts) -> Finding:
    files = license_files(facts)
    host = facts.repo.license_spdx
    if not files:
        if host and host.upper() not in _HOST_UNSURE:
            return passed(f"{host} license (as the code host detected it)", Evidence(url=facts.repo.url))
        if host:
            return passed("a license the code host could not identify (custom)", Evidence(url=facts.repo.url))
        elsewhere = [
            p for p in facts.files if p.rpartition("/")[2].lower().startswith(("license", "licence"))
        ]
        claims = license_claims(facts)
        evidence = [Evidence(path=p, note="not at the root: licenses only its folder") for p in elsewhere[:3]]
        evidence += [c.evidence for c in claims[:2]]
        message = "no LICENSE, LICENCE or COPYING file at the repository root"
        if claims:
            message += f"; the README or metadata names {claims[0].spdx} but the license text is missing"
        elif elsewhere:
            message += " (license files exist only in subfolders, such as vendored code)"
        return failed(message, *evidence)
    path = files[0]
    text = facts.text(path)
    if text is None:
        return unknown("the license file could not be read", Evidence(path=path))
    if not text.text.strip():
        return failed("the license file is empty", Evidence(path=path))
    spdx = identify(text.text) or (host if host and host.upper() not in _HOST_UNSURE else None)
    evidence = [Evidence(path=path, note=spdx or "custom license")]
    notes: list[str] = []
    restriction = re.search(data_table("licenses")["restrictions"], normalized(text.text))
    if restriction or (spdx and "-NC" in spdx):
        notes.append("restricts use (non-commercial or research only)")
        if restriction:
            evidence.append(Evidence(path=path, note=snippet(restriction.group())))
    if spdx:
        conflicts = [c for c in license_claims(facts) if _family(c.spdx) != _family(spdx)]
        if conflicts:
            where = conflicts[0].evidence.path or "the metadata"
            notes.append(f"conflict: {where} names {conflicts[0].spdx}, {path} is {spdx}")
            evidence.extend(c.evidence for c in conflicts[:3])
    message = f"{spdx or 'custom'} license" + (f" ({'; '.join(notes)})" if notes else "")
    return passed(message, *evidence)
