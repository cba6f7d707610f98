"""License files and the licenses a repository names: which license a text is, and where else
(badges, a License section, packaging metadata) a license is named.

Only a license at the project's root (or the one the code host detected) licenses the project; a
LICENSE inside a vendored third-party folder licenses that folder alone.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any, NamedTuple

from auditor.acquire.snapshot import name_matcher
from auditor.data import data_table, file_families
from auditor.facts.documents import base_dir, linked_documents
from auditor.facts.packaging import toml_document
from auditor.facts.repository import Facts, fact
from auditor.facts.text import snippet
from auditor.models import Evidence


class Claim(NamedTuple):
    """A license named somewhere other than the license file: a badge, setup.py, pyproject."""

    spdx: str
    evidence: Evidence


def normalized(text: str) -> str:
    return " ".join(text.lower().replace("\u2019", "'").split())


@cache
def _fingerprints() -> list[tuple[str, list[str]]]:
    return [(f["id"], [normalized(p) for p in f["all"]]) for f in data_table("licenses")["fingerprints"]]


# A license text begins its file, after at most its title and copyright holders.
OWN_TEXT_WITHIN = 3000


def identify(text: str) -> str | None:
    """SPDX id of a license text, or None for a text no fingerprint matches (a custom license).

    License texts name each other (the GPL's section 13 speaks of the Affero GPL, the LGPL is
    written as additions to the GPL), so among the fingerprints a text matches, the license is
    the one whose name comes first in it: a text starts with its own title. One that starts only
    after OWN_TEXT_WITHIN characters of other terms is quoted by them (a custom license quoting
    the MIT license of a library the work bundles): the file's license is the custom one."""
    norm = normalized(text)
    matched = [
        (at, index, spdx)
        for index, (spdx, phrases) in enumerate(_fingerprints())
        if all(p in norm for p in phrases) and (at := norm.find(phrases[0])) < OWN_TEXT_WITHIN
    ]
    return min(matched)[2] if matched else None


def alias(name: str) -> str | None:
    key = re.sub(r"[\s\-_.]", "", name.lower()).removesuffix("license").removesuffix("licence")
    key = key.removeprefix("the")
    aliases: dict[str, str] = data_table("licenses")["aliases"]
    return aliases.get(key) or aliases.get(key + "license")


def license_files(facts: Facts, base: str | None = None) -> list[str]:
    """The license files of folder `base` (by default the folder the paper linked): its `LICENSE*`
    files and those of its `licenses/` folder; the root's when a subfolder has none."""
    base = base_dir(facts) if base is None else base
    is_license = name_matcher(tuple(file_families()["license_files"]))
    prefix = f"{base}/" if base else ""
    found = []
    for path in facts.files:
        if not path.startswith(prefix):
            continue
        rel = path[len(prefix) :]
        if ("/" not in rel and is_license(rel)) or (
            rel.lower().startswith("licenses/") and rel.count("/") == 1
        ):
            found.append(path)
    if base and not found:
        return license_files(facts, "")
    return found


@fact
def license_claims(facts: Facts) -> list[Claim]:
    """Licenses the README (badges, License section) and the packaging metadata name."""
    claims: list[Claim] = []
    docs = linked_documents(facts)
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
            if re.search(r"\b(their|its|original|respective)\b", text.text, re.I):
                continue  # the licenses of what the project uses
            spdx = named_license(text.text)
            if spdx:
                claims.append(Claim(spdx, Evidence(path=doc.path, line=text.line, note=snippet(text.text))))
    base = base_dir(facts)
    for name in ("setup.py", "setup.cfg", "pyproject.toml"):
        path = f"{base}/{name}" if base else name
        meta = facts.text(path)
        if meta is None:
            continue
        if name == "pyproject.toml":
            value = _pyproject_license(toml_document(facts, path))
        else:
            value = _metadata_license(meta.text)
        if value:
            spdx = alias(value) or (value if value in {f[0] for f in _fingerprints()} else None)
            if spdx:
                line = next((i for i, ln in enumerate(meta.text.splitlines(), 1) if value in ln), None)
                claims.append(Claim(spdx, Evidence(path=path, line=line, note=f"license {value}")))
    return claims


_FAMILIES = [
    (r"gnu\s+affero\s+general\s+public\s+licen[cs]e|agpl", "agpl"),
    (r"gnu\s+lesser\s+general\s+public\s+licen[cs]e|lgpl", "lgpl"),
    (r"gnu\s+general\s+public\s+licen[cs]e|gnu\s+gpl|gpl", "gpl"),
    (r"mozilla\s+public\s+licen[cs]e|mpl", "mpl"),
    (r"apache(\s+licen[cs]e)?", "apache"),
    (r"mit(\s+licen[cs]e)?", "mit"),
    (r"bsd(\s*-?\s*[23]\s*-?\s*clause)?", "bsd"),
    (r"cc[\s-]*by(-n[cd])*(-sa)?|creative\s+commons\s+attribution(-non-?commercial)?(-share-?alike)?", "cc"),
]
_NAMED = re.compile(
    r"\b(?P<name>"
    + "|".join(p for p, _ in _FAMILIES)
    + r")\b[\s,-]*(?:v(?:ersion)?\.?\s*)?(?P<version>\d(?:\.\d)?)?",
    re.IGNORECASE,
)


def named_license(text: str) -> str | None:
    """The SPDX id of the license a sentence names ("licensed under the GNU General Public
    License v3.0", "Apache 2.0", "MIT"), if one."""
    for m in _NAMED.finditer(text):
        name = m.group("name").lower()
        family = next(short for pattern, short in _FAMILIES if re.fullmatch(pattern, name))
        if family == "cc":
            key = re.sub(r"creative\s+commons\s+attribution", "ccby", name)
            key = (
                key.replace("non-commercial", "nc")
                .replace("noncommercial", "nc")
                .replace("share-alike", "sa")
            )
            key = key.replace("sharealike", "sa")
        elif family == "bsd":
            key = "bsd" + ("2" if "2" in name else "3" if "3" in name else "")
        else:
            key = family
        version = (m.group("version") or "").replace(".", "")
        spdx = alias(key + version) or alias(key)
        if spdx:
            return spdx
    return None


def _pyproject_license(doc: dict[str, Any] | None) -> str | None:
    value = (doc or {}).get("project", {}).get("license")
    if isinstance(value, dict):
        value = value.get("text")
    return value if isinstance(value, str) and len(value) < 60 else None


def _metadata_license(text: str) -> str | None:
    """The license a setup.py or setup.cfg names (`license=`, a trove classifier)."""
    m = re.search(r"""\blicen[cs]e\s*[=:]\s*['"]?([A-Za-z0-9 .\-]{2,40})['"]?""", text)
    if m:
        return m.group(1).strip()
    m = re.search(r"License :: OSI Approved :: ([A-Za-z0-9 .\-]+?) License", text)
    return m.group(1) if m else None
