"""The README, and what it claims: install steps, run commands, and paths, checked against the tree.

A command counts only when what it needs is in the repository: `pip install -r requirements.txt`
with no requirements.txt is a broken step, `python train.py` with no train.py runs nothing, and
`python train_xx.py --data <path>` is a template for the reader to fill, not a command.
"""

from __future__ import annotations

from pathlib import PurePosixPath

from auditor.checks.applicable import not_expected, readme_unusable
from auditor.checks.base import Finding, check, failed, not_applicable, passed, unknown
from auditor.facts.commands import Analysis, FileRef, readme_commands
from auditor.facts.documents import linked_documents, resolve, root_readme
from auditor.facts.repository import Facts
from auditor.facts.text import snippet
from auditor.models import EntryKind, Evidence
from auditor.resources import data

MAX_EVIDENCE = 6


@check("readme")
def readme(facts: Facts) -> Finding:
    path = root_readme(facts)
    if path is None:
        links = [
            p
            for p, e in facts.entries.items()
            if e.kind is EntryKind.SYMLINK and PurePosixPath(p).name.lower().startswith("readme")
        ]
        if links:
            return failed("the README is a symbolic link, which is not followed", Evidence(path=links[0]))
        return failed("no README at the repository root")
    text = facts.text(path)
    if text is None:
        return unknown("the README could not be read as text", Evidence(path=path))
    if not text.text.strip():
        return failed("the README is empty", Evidence(path=path))
    lines = len(text.text.splitlines())  # a final newline ends the last line; it starts none
    return passed(f"README with {lines} line{'' if lines == 1 else 's'}", Evidence(path=path))


def _at(a: Analysis, note: str = "") -> Evidence:
    return Evidence(path=a.command.doc, line=a.command.line, note=note or snippet(a.command.text))


def _missing_note(refs: list[FileRef]) -> str:
    return ", ".join(sorted({r.path or r.written for r in refs}))


def _no_code_kind(facts: Facts) -> Finding | None:
    return not_expected(facts, "nothing to install or run")


def _truncated(facts: Facts) -> bool:
    return facts.repo.tree_truncated


@check("readme-install")
def readme_install(facts: Facts) -> Finding:
    """Install steps a reader can follow: each file a step needs is in the tree."""
    skip = readme_unusable(facts, "install steps") or _no_code_kind(facts)
    if skip is not None:
        return skip
    tooling = {p.lower() for p in data("readme")["tooling_packages"]}
    steps = readme_commands(facts).of_kind("install", "env")
    good: list[Analysis] = []
    broken: list[Analysis] = []
    for step in steps:
        if step.missing:
            broken.append(step)
        elif (
            step.kind == "install"
            and (any(r.exists for r in step.refs) or any(p.lower() not in tooling for p in step.packages))
        ) or (
            step.kind == "env"
            and any(
                p.lower().split("=")[0] not in tooling for p in step.packages if not p.startswith("python")
            )
        ):
            good.append(step)
    if broken and _truncated(facts):
        return unknown(
            "install steps name files that the partial file tree does not show",
            *(_at(b) for b in broken[:MAX_EVIDENCE]),
        )
    if broken:
        missing = [r for b in broken for r in b.missing]
        message = f"install steps need files that are not in the repository: {_missing_note(missing)}"
        return failed(
            message, *(_at(b, f"missing {_missing_note(b.missing)}") for b in broken[:MAX_EVIDENCE])
        )
    if good:
        return passed(f"{len(good)} install step(s)", *(_at(g) for g in good[:MAX_EVIDENCE]))
    if steps:
        return failed(
            "the README creates an environment but installs no dependencies", *(_at(s) for s in steps[:3])
        )
    return failed("the README gives no install commands")


def _runs(facts: Facts) -> tuple[list[Analysis], list[Analysis], list[Analysis]]:
    """README run commands split into concrete, missing-target and template ones."""
    concrete: list[Analysis] = []
    missing: list[Analysis] = []
    templates: list[Analysis] = []
    for a in readme_commands(facts).of_kind("run"):
        if a.script_placeholder:
            templates.append(a)
        elif any(r.role == "script" for r in a.missing):
            missing.append(a)
        elif a.command.foreign and any(r.role == "script" and not r.exists for r in a.refs):
            continue  # may be a script of the other repository the README cloned
        elif a.template:
            templates.append(a)
        elif a.console is not None or any(r.role == "script" and r.exists for r in a.refs):
            concrete.append(a)
    return concrete, missing, templates


@check("readme-commands")
def readme_run_commands(facts: Facts) -> Finding:
    """At least one command that runs a script of the repository as written."""
    skip = readme_unusable(facts, "run commands") or _no_code_kind(facts)
    if skip is not None:
        return skip
    concrete, missing, templates = _runs(facts)
    notes = [_at(a, f"runs missing {_missing_note(a.missing)}") for a in missing[:3]]
    if concrete:
        message = f"{len(concrete)} command(s) run scripts of the repository"
        if missing:
            names = _missing_note([r for a in missing for r in a.missing])
            message += f"; {len(missing)} run scripts that are not in it: {names}"
        return passed(message, *(_at(a) for a in concrete[:MAX_EVIDENCE]), *notes)
    if missing and _truncated(facts):
        return unknown("commands run scripts that the partial file tree does not show", *notes)
    if missing:
        names = _missing_note([r for a in missing for r in a.missing])
        return failed(
            f"every command runs a script that is not in the repository: {names}",
            *notes,
            *(_at(a, "template: " + ", ".join(a.placeholders[:3])) for a in templates[:3]),
        )
    if templates:
        slots = sorted({p for a in templates for p in a.placeholders})[:5]
        return failed(
            f"only template commands with slots to fill ({', '.join(slots)}), no concrete command",
            *(_at(a) for a in templates[:MAX_EVIDENCE]),
        )
    return failed("the README gives no command that runs the code")


@check("readme-references")
def readme_references(facts: Facts) -> Finding:
    """Files and folders the README links or its commands use are in the tree."""
    docs = linked_documents(facts)
    if not docs:
        return failed("no README")
    checked: dict[str, Evidence] = {}
    missing: dict[str, Evidence] = {}
    for doc in docs:
        for link in doc.links:
            target = resolve(facts, doc.path, link.url)
            if target is None or not target.path:
                continue
            ev = Evidence(path=doc.path, line=link.line, note=link.url)
            (checked if target.exists else missing).setdefault(target.path, ev)
    for a in readme_commands(facts).analyses:
        for ref in a.refs:
            if ref.path is None or (a.command.foreign and not ref.exists):
                continue
            ev = Evidence(path=a.command.doc, line=a.command.line, note=snippet(a.command.text))
            (checked if ref.exists else missing).setdefault(ref.path, ev)
    if missing and _truncated(facts):
        return unknown(
            f"{len(missing)} referenced path(s) are not in the partial file tree",
            *list(missing.values())[:MAX_EVIDENCE],
        )
    if missing:
        names = sorted(missing)
        shown = ", ".join(names[:8]) + (f" and {len(names) - 8} more" if len(names) > 8 else "")
        evidence = [
            Evidence(path=e.path, line=e.line, note=f"{p} is missing — {e.note}") for p, e in missing.items()
        ]
        return failed(
            f"the README points at {len(names)} path(s) missing from the tree: {shown}",
            *evidence[:MAX_EVIDENCE],
        )
    if not checked:
        return not_applicable("the README links no file of the repository and its commands name none")
    return passed(
        f"all {len(checked)} repository path(s) the README names exist", *list(checked.values())[:3]
    )
