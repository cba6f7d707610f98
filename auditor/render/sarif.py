"""Report → SARIF 2.1.0, so GitHub code scanning shows each failed item on the file it concerns.

One run per audited repository. Each checklist item is a rule (its title, rationale and fix); each
failed item a result at its first piece of evidence with a path (the file and line that decided),
else at the README (where a reader lands), else at `README.md`. A waived item is a result with an
external suppression carrying the author's reason, which code scanning shows as dismissed. Passed,
unknown and not-applicable items are no results.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

from auditor.models import ChecklistItem, CheckResult, Outcome, RepoAudit, Report, RepoStatus
from auditor.render.text import clean
from auditor.render.urls import safe_href

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
_FALLBACK = "README.md"


def render(report: Report) -> str:
    return json.dumps(sarif(report), indent=2, ensure_ascii=False) + "\n"


def sarif(report: Report) -> dict[str, Any]:
    rules = [_rule(item) for item in report.checklist_items]
    index = {item.id: n for n, item in enumerate(report.checklist_items)}
    items = {item.id: item for item in report.checklist_items}
    runs = [
        _run(report, audit, rules, index, items)
        for audit in report.repos
        if audit.repo.status is RepoStatus.OK
    ]
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": runs}


def _rule(item: ChecklistItem) -> dict[str, Any]:
    rule: dict[str, Any] = {
        "id": item.id,
        "name": "".join(part.capitalize() for part in item.id.replace("_", "-").split("-")),
        "shortDescription": {"text": clean(item.title)},
        "fullDescription": {"text": clean(item.rationale)},
        "help": {"text": clean(item.fix), "markdown": clean(item.fix)},
        "defaultConfiguration": {"level": "warning"},
        "properties": {"weight": item.weight, "tags": ["reproducibility"]},
    }
    if item.url and safe_href(item.url):
        rule["helpUri"] = item.url
    return rule


def _run(
    report: Report,
    audit: RepoAudit,
    rules: list[dict[str, Any]],
    index: dict[str, int],
    items: dict[str, ChecklistItem],
) -> dict[str, Any]:
    readme = next((e.path for r in audit.results if r.id == "readme" for e in r.evidence if e.path), None)
    results = [
        _result(audit, r, index, items, readme or _FALLBACK)
        for r in audit.results
        if r.outcome is Outcome.FAIL and r.id in index
    ]
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "auditor",
                "version": report.tool_version,
                "semanticVersion": report.tool_version,
                "rules": rules,
                "properties": {"checklist": f"{report.checklist.id} v{report.checklist.version}"},
            }
        },
        "automationDetails": {"id": f"auditor/{report.checklist.id}/"},
        "originalUriBaseIds": {"SRCROOT": {"description": {"text": "The root of the audited repository"}}},
        "results": results,
        "properties": {"repository": clean(audit.repo.key), "score": audit.score},
    }
    facts = audit.repo
    if facts.commit and safe_href(facts.url):
        provenance: dict[str, Any] = {"repositoryUri": facts.url, "revisionId": facts.commit}
        if facts.branch:
            provenance["branch"] = clean(facts.branch)
        run["versionControlProvenance"] = [provenance]
    return run


def _result(
    audit: RepoAudit, result: CheckResult, index: dict[str, int], items: dict[str, ChecklistItem], readme: str
) -> dict[str, Any]:
    item = items[result.id]
    evidence = next((e for e in result.evidence if e.path), None)
    path = evidence.path if evidence is not None and evidence.path else readme
    region = {"startLine": evidence.line} if evidence is not None and evidence.line else None
    location: dict[str, Any] = {
        "physicalLocation": {
            "artifactLocation": {"uri": _uri(path), "uriBaseId": "SRCROOT"},
            **({"region": region} if region else {}),
        }
    }
    notes = [e.note for e in result.evidence if e.note][:3]
    text = f"{item.title}: {result.message}." + (f" ({'; '.join(notes)})" if notes else "")
    out: dict[str, Any] = {
        "ruleId": item.id,
        "ruleIndex": index[item.id],
        "level": "warning",
        "message": {"text": clean(f"{text} How to fix: {item.fix}")},
        "locations": [location],
        "partialFingerprints": {"auditorItem/v1": clean(f"{audit.repo.key}:{item.id}")},
    }
    if result.waiver is not None:
        out["suppressions"] = [
            {
                "kind": "external",
                "status": "accepted",
                "justification": clean(f"{result.waiver.reason} ({result.waiver.source})"),
            }
        ]
    return out


def _uri(path: str) -> str:
    """A relative URI reference for a repository path: each segment percent-encoded (a control
    character in a file name is %1B, never the byte itself)."""
    return "/".join(quote(part, safe="") for part in path.split("/"))
