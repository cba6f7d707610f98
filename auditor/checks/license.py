"""The project's license: which one, whether it restricts use, whether the repository agrees with itself.

Only a license at the project's root (or the one the code host detected) licenses the project; a
LICENSE inside a vendored third-party folder licenses that folder alone.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache

from auditor.checks.base import Finding, check, data, failed, file_families, passed, snippet, unknown
from auditor.checks.readmes import base_dir, linked_documents
from auditor.models import Evidence
from auditor.snapshot import Snapshot, name_matcher

_HOST_UNSURE = {"NOASSERTION", "OTHER"}


@dataclass(frozen=True)
class Claim:
    """A license named somewhere other than the license file: a badge, setup.py, pyproject."""

    spdx: str
    evidence: Evidence


def _norm(text: str) -> str:
    return " ".join(text.lower().replace("\u2019", "'").split())


@cache
def _fingerprints() -> list[tuple[str, list[str]]]:
    return [(f["id"], [_norm(p) for p in f["all"]]) for f in data("licenses")["fingerprints"]]


def identify(text: str) -> str | None:
    """SPDX id of a license text, or None for a text no fingerprint matches (a custom license)."""
    norm = _norm(text)
    for spdx, phrases in _fingerprints():
        if all(p in norm for p in phrases):
            return spdx
    return None


def alias(name: str) -> str | None:
    key = re.sub(r"[\s\-_.]", "", name.lower()).removesuffix("license").removesuffix("licence")
    key = key.removeprefix("the")
    aliases: dict[str, str] = data("licenses")["aliases"]
    return aliases.get(key) or aliases.get(key + "license")


def _family(spdx: str) -> str:
    return re.sub(r"-(only|or-later)$", "", spdx.upper())


def license_files(snap: Snapshot) -> list[str]:
    base = base_dir(snap)
    is_license = name_matcher(tuple(file_families()["license_files"]))
    found = []
    for path in snap.files:
        rel = path[len(base) + 1 :] if base and path.startswith(base + "/") else path
        if base and not path.startswith(base + "/"):
            continue
        if ("/" not in rel and is_license(rel)) or (
            rel.lower().startswith("licenses/") and rel.count("/") == 1
        ):
            found.append(path)
    if base and not found:
        return license_files_at_root(snap)
    return found


def license_files_at_root(snap: Snapshot) -> list[str]:
    is_license = name_matcher(tuple(file_families()["license_files"]))
    return [
        p
        for p in snap.files
        if ("/" not in p and is_license(p)) or (p.lower().startswith("licenses/") and p.count("/") == 1)
    ]


def _claims(snap: Snapshot) -> list[Claim]:
    """Licenses the README (badges, License section) and the packaging metadata name."""
    claims: list[Claim] = []
    docs = linked_documents(snap)
    if docs:
        doc = docs[0]
        for link in doc.links:
            target = f"{link.url} {link.text}"
            m = re.search(r"img\.shields\.io/badge/licen[cs]e-([^-/?]+)", link.url, re.IGNORECASE)
            if m:
                spdx = alias(m.group(1).replace("%20", " ").replace("_", " "))
                if spdx:
                    claims.append(Claim(spdx, Evidence(path=doc.path, line=link.line, note=snippet(target))))
        for text in doc.texts:
            if not any(re.search(r"licen[cs]e", s, re.IGNORECASE) for s in text.sections):
                continue
            for m in re.finditer(
                r"\b(?:under|as)\s+(?:the\s+|an?\s+)?([A-Za-z0-9.\- ]{2,30}?)\s+licen[cs]e", text.text, re.I
            ):
                spdx = alias(m.group(1))
                if spdx and not re.search(r"\b(their|its|original|respective)\b", text.text, re.I):
                    claims.append(
                        Claim(spdx, Evidence(path=doc.path, line=text.line, note=snippet(text.text)))
                    )
                    break
    base = base_dir(snap)
    for name in ("setup.py", "setup.cfg", "pyproject.toml"):
        path = f"{base}/{name}" if base else name
        meta = snap.text(path)
        if meta is None:
            continue
        value = _metadata_license(name, meta.text)
        if value:
            spdx = alias(value) or (value if value in {f[0] for f in _fingerprints()} else None)
            if spdx:
                line = next((i for i, ln in enumerate(meta.text.splitlines(), 1) if value in ln), None)
                claims.append(Claim(spdx, Evidence(path=path, line=line, note=f"license {value}")))
    return claims


def _metadata_license(name: str, text: str) -> str | None:
    if name == "pyproject.toml":
        try:
            doc = tomllib.loads(text)
        except tomllib.TOMLDecodeError:
            return None
        value = doc.get("project", {}).get("license")
        if isinstance(value, dict):
            value = value.get("text")
        return value if isinstance(value, str) and len(value) < 60 else None
    m = re.search(r"""\blicen[cs]e\s*[=:]\s*['"]?([A-Za-z0-9 .\-]{2,40})['"]?""", text)
    if m:
        return m.group(1).strip()
    m = re.search(r"License :: OSI Approved :: ([A-Za-z0-9 .\-]+?) License", text)
    return m.group(1) if m else None


@check("license")
def license_check(snap: Snapshot) -> Finding:
    files = license_files(snap)
    host = snap.facts.license_spdx
    if not files:
        if host and host.upper() not in _HOST_UNSURE:
            return passed(f"{host} license (as the code host detected it)", Evidence(url=snap.facts.url))
        if host:
            return passed("a license the code host could not identify (custom)", Evidence(url=snap.facts.url))
        elsewhere = [p for p in snap.files if p.rpartition("/")[2].lower().startswith(("license", "licence"))]
        claims = _claims(snap)
        evidence = [Evidence(path=p, note="not at the root: licenses only its folder") for p in elsewhere[:3]]
        evidence += [c.evidence for c in claims[:2]]
        message = "no LICENSE, LICENCE or COPYING file at the repository root"
        if claims:
            message += f"; the README or metadata names {claims[0].spdx} but the license text is missing"
        elif elsewhere:
            message += " (license files exist only in subfolders, such as vendored code)"
        return failed(message, *evidence)
    path = files[0]
    text = snap.text(path)
    if text is None:
        return unknown("the license file could not be read", Evidence(path=path))
    if not text.text.strip():
        return failed("the license file is empty", Evidence(path=path))
    spdx = identify(text.text) or (host if host and host.upper() not in _HOST_UNSURE else None)
    evidence = [Evidence(path=path, note=spdx or "custom license")]
    notes: list[str] = []
    restriction = re.search(data("licenses")["restrictions"], _norm(text.text))
    if restriction or (spdx and "-NC" in spdx):
        notes.append("restricts use (non-commercial or research only)")
        if restriction:
            evidence.append(Evidence(path=path, note=snippet(restriction.group())))
    if spdx:
        conflicts = [c for c in _claims(snap) if _family(c.spdx) != _family(spdx)]
        if conflicts:
            notes.append(f"conflict: {conflicts[0].spdx} named elsewhere")
            evidence.extend(c.evidence for c in conflicts[:3])
    message = f"{spdx or 'custom'} license" + (f" ({'; '.join(notes)})" if notes else "")
    return passed(message, *evidence)
