"""The README, and what it claims: install steps, run commands, and paths, checked against the tree.

A command counts only when what it needs is in the repository: `pip install -r requirements.txt`
with no requirements.txt is a broken step, `python train.py` with no train.py runs nothing, and
`python train_xx.py --data <path>` is a template for the reader to fill, not a command.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable
from pathlib import PurePosixPath

from auditor.checks.applicable import NO_SOFTWARE, not_expected, readme_unusable
from auditor.checks.base import Finding, check, failed, not_applicable, passed, unknown
from auditor.data import data_table, file_families
from auditor.facts.code_search import code_to_come, readme_runners
from auditor.facts.commands import Analysis, FileRef, is_placeholder, is_placeholder_script, readme_commands
from auditor.facts.data_sources import data_sources
from auditor.facts.documents import (
    Mention,
    diagram_paths,
    linked_documents,
    mentioned_paths,
    resolve,
    root_document,
    root_readme,
)
from auditor.facts.environment import environment_files
from auditor.facts.kind import code_promise, repo_kind
from auditor.facts.markdown import Document
from auditor.facts.repository import Facts, fact
from auditor.facts.sources import source_files
from auditor.facts.text import sentence_of, snippet
from auditor.facts.urls import host_matches
from auditor.facts.vendored import norm_name, own_names, project_files
from auditor.facts.weights import weight_extension
from auditor.models import EntryKind, Evidence

MAX_EVIDENCE = 6


@check("readme")
def readme(facts: Facts) -> Finding:
    """A README that tells a reader what the repository is and how to use it: a title alone, or a
    description with nothing to run, install, read on or download, does not."""
    path = root_readme(facts)
    if path is None:
        return failed("no README at the repository root, in .github/ or in docs/")
    text = facts.text(path)
    if text is None and facts.entries[path].kind is EntryKind.SYMLINK:
        return unknown(
            "the README is a symbolic link to no readable file of the repository", Evidence(path=path)
        )
    if text is None:
        return unknown("the README could not be read as text", Evidence(path=path))
    if not text.text.strip():
        return failed("the README is empty", Evidence(path=path))
    doc = root_document(facts)
    if doc is None:  # read above, so parsed: for the type checker
        return unknown("the README could not be read as text", Evidence(path=path))
    if _template_readme(facts, doc):
        return failed(
            f"the README is the unedited README of a template ({snippet(doc.title)}), not of this project",
            Evidence(path=path, line=doc.headings[0].line, note=snippet(doc.title)),
        )
    words = _prose_words(doc)
    guide = data_table("readme")["guidance"]
    if words < guide["min_words"]:
        return failed(f"the README is a title and {words} word(s): it does not say what the repository is")
    ways = _ways_in(facts, doc)
    if not ways:
        promise = code_promise(facts)
        return failed(
            "the README describes the work but does not say how to use it: no command, no usage or "
            "install section naming a file, no link to documentation, data or a notebook",
            *([promise] if promise else [Evidence(path=path)]),
        )
    what, evidence = ways[0]
    return passed(
        f"the README says what the repository is ({words} words) and how to use it: {what}", evidence
    )


def _prose_words(doc: Document) -> int:
    headings = {h.line for h in doc.headings}
    return sum(len(t.text.split()) for t in doc.texts if t.line not in headings and not t.in_table)


def _template_readme(facts: Facts, doc: Document) -> bool:
    """A web-page template's own README, left as it came: the title says template and the
    repository is that page (an index.html at its root)."""
    return bool(re.search(r"\btemplate\b", doc.title, re.IGNORECASE)) and any(
        p.lower() == "index.html" for p in facts.root_files
    )


def _ways_in(facts: Facts, doc: Document) -> list[tuple[str, Evidence]]:
    """How the README tells a reader to use the repository, strongest first."""
    guide = data_table("readme")["guidance"]
    ways: list[tuple[str, Evidence]] = []
    # setting up code that is still to come, or naming the data it will use, is no way to use
    # the repository: only a command that runs something is
    to_come = code_to_come(facts) is not None
    kinds = ("run",) if to_come else ("install", "env", "run", "clone")
    for a in readme_commands(facts).analyses:
        # nor, in a repository whose code is to come, a command of a script it does not have yet
        missing = to_come and any(r.role == "script" for r in a.missing)
        if a.command.doc == doc.path and a.kind in kinds and not missing:
            ways.append((f"{a.kind} command", _at(a)))
            break
    if to_come:
        return ways
    if not ways and (other := _other_install_steps(facts)) is not None:  # `devtools::install_github(…)`
        ways.append(other)
    kind = repo_kind(facts)
    if kind.kind in NO_SOFTWARE:
        ways.append((kind.reason, kind.evidence[0] if kind.evidence else Evidence(path=doc.path)))
    headings = re.compile(guide["headings"], re.IGNORECASE)
    for mention in mentioned_paths(facts, doc):
        if (
            mention.target.exists
            and not mention.by_name
            and any(headings.search(s) for s in mention.sections)
        ):
            note = f"{mention.sections[-1]}: {mention.written}"
            ways.append(
                ("a usage section naming a file of the repository", _located(doc, mention.line, note))
            )
            break
    for link in doc.links:  # "Check the config files for [training](/configs/train.py)"
        target = None if link.image else resolve(facts, doc.path, link.url)
        if target is not None and target.exists and any(headings.search(s) for s in link.sections):
            note = f"{link.sections[-1]}: {link.url}"
            ways.append(("a usage section linking files of the repository", _located(doc, link.line, note)))
            break
    told = re.compile(f"{data_table('readme')['run_words']}|{guide['entry']}", re.IGNORECASE)
    code = tuple(file_families()["code_extensions"])
    lines = {t.line: t.text for t in doc.texts}
    for mention in mentioned_paths(facts, doc):
        target, sentence = mention.target, sentence_of(lines.get(mention.line, ""), mention.written)
        if (
            target.exists
            and not mention.by_name
            and not target.is_dir
            and target.path.lower().endswith(code)
            and told.search(sentence)
        ):
            note = snippet(lines.get(mention.line, mention.written))
            ways.append(("it names the script to start from", _located(doc, mention.line, note)))
            break
    example = _told_to_run(facts)
    if example is not None:
        ways.append((example[0], example[1][0]))
    files_told = _file_guide(facts, doc)
    if files_told is not None:
        ways.append(("it says what its files do, item by item", files_told))
    docs = linked_documents(facts)
    if len(docs) > 1 and docs[0].path == doc.path:
        ways.append(("links documents of the repository", Evidence(path=docs[1].path, note="linked")))
    pointers = re.compile(guide["links"], re.IGNORECASE)
    for link in doc.links:
        if link.image:
            continue
        line = doc.text_on(link.line)
        linked = resolve(facts, doc.path, link.url)
        own_notebook = not link.url.startswith(("http://", "https://", "//"))  # not a viewer's page of it
        if host_matches(link.url, guide["notebook_hosts"]) or (
            own_notebook and linked is not None and linked.exists and linked.path.lower().endswith(".ipynb")
        ):
            ways.append(("a link that opens a notebook to run", _located(doc, link.line, link.url)))
        elif link.url.startswith("http") and pointers.search(f"{link.text} {line}"):
            ways.append(("a link to documentation", _located(doc, link.line, link.url)))
    if data_sources(facts).sources and not source_files(facts):
        # what a repository without code is used for: its data (with code, that is not using it)
        first = data_sources(facts).sources[0]
        ways.append(("where to obtain the data", first))
    return ways


_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")
# The name an item begins with, then what says what it does (`: …`, ` - …`, ` builds …`). Every
# quantifier is possessive: a line of 20,000 asterisks is read once, not tried from each of them.
_LEAD = re.compile(r"[*_`\s]*+(?P<name>[\w.*/-]++)[`_]*+\s*+(?::|[-–—]\s|(?<=\s)(?=[a-z]))")
# A README's list that says what the repository's files do ("- main.R: builds the registry") is
# a guide to using them when at least this many items begin with a file of the tree. Name patterns
# (`ptb_*.ipynb`) are matched against the tree for at most GUIDE_PATTERNS items.
GUIDE_ITEMS = 2
GUIDE_PATTERNS = 8


def _file_guide(facts: Facts, doc: Document) -> Evidence | None:
    """The first of list items that each begin with a file of the repository and say what it does
    (`approximation_*.ipynb`: a name pattern; `main.R`: a file in some folder of the tree)."""
    files = project_files(facts)
    names: dict[str, list[str]] = {}
    for path in files:
        names.setdefault(path.rpartition("/")[2], []).append(path)
    found: list[Evidence] = []
    patterns = 0
    for text in doc.texts:
        raw = doc.lines[text.line - 1] if 0 < text.line <= len(doc.lines) else ""
        lead = _LEAD.match(text.text) if _ITEM.match(raw) else None
        name = lead["name"].rstrip("*").strip("/") if lead is not None else ""
        if "." not in name.rstrip("."):
            continue
        pattern = "*" in name and patterns < GUIDE_PATTERNS
        patterns += pattern
        if (
            name in facts.entries
            or len(names.get(name, [])) == 1
            or (pattern and any(PurePosixPath(p).match(name) for p in files))
        ):
            found.append(_located(doc, text.line, text.text))
            if len(found) == GUIDE_ITEMS:
                return found[0]
    return None


def _located(doc: Document, line: int, note: str) -> Evidence:
    return Evidence(path=doc.path, line=line, note=snippet(note))


def _at(a: Analysis, note: str = "") -> Evidence:
    return Evidence(path=a.command.doc, line=a.command.line, note=note or snippet(a.command.text))


def _missing_note(refs: list[FileRef]) -> str:
    """The missing files, each with the tree's file that differs from it only in case, if any."""
    notes = {
        (r.path or r.written)
        + (f" (the tree has {r.case_of}: the name differs only in case)" if r.case_of else "")
        for r in refs
    }
    return ", ".join(sorted(notes))


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
    tooling = {p.lower() for p in data_table("readme")["tooling_packages"]}
    steps = readme_commands(facts).of_kind("install", "env")
    good: list[Analysis] = []
    broken: list[Analysis] = []
    for step in steps:
        if step.missing or step.broken:
            broken.append(step)
        elif (
            step.kind == "install"
            and (
                any(r.exists for r in step.refs)
                or any(p.lower() not in tooling for p in step.packages)
                or step.note == "container image"  # `docker load` of the image the README ships
            )
        ) or (
            step.kind == "env"
            and any(
                p.lower().split("=")[0] not in tooling for p in step.packages if not p.startswith("python")
            )
        ):
            good.append(step)
    readme = root_readme(facts)
    if any(g.command.doc == readme for g in good):
        # the README's own steps work: an example's document with steps of its own is not the way in
        broken = [b for b in broken if b.command.doc == readme]
    wrong = [b for b in broken if b.broken]
    if wrong:
        return failed(
            "install steps cannot work as written: " + "; ".join(b.broken for b in wrong[:3]),
            *(_at(b, b.broken) for b in wrong[:MAX_EVIDENCE]),
        )
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
    other = _other_install_steps(facts)
    if other:
        what, evidence = other
        return passed(what, evidence)
    if steps:
        return failed(
            "the README creates an environment but installs no dependencies", *(_at(s) for s in steps[:3])
        )
    return failed("the README gives no install commands")


@fact  # the readme and readme-install items both ask
def _other_install_steps(facts: Facts) -> tuple[str, Evidence] | None:
    """Install instructions that are not shell commands: R, Julia or MATLAB statements
    (`install.packages(...)`, `Pkg.add(...)`, `addpath(...)`), a link to installation
    instructions, a setup script of the repository it points to ("see `env_setup.sh`"), or a
    sentence that names the packages' installer ("install them with pip")."""
    cfg = data_table("readme")["install_elsewhere"]
    statements = re.compile(cfg["statements"])
    for linked in linked_documents(facts):
        written = [(b.line, b.text) for b in linked.code_blocks] + [
            (c.line, c.text) for c in linked.inline_code
        ]
        # a statement set as a line of text of its own ("2. addpath(genpath('toolbox'));")
        written += [(t.line, t.text) for t in linked.texts if statements.match(t.text.strip())]
        for number, code in written:
            m = statements.search(code)
            if m:
                line = number + code.count("\n", 0, m.start())
                return "an install statement", Evidence(path=linked.path, line=line, note=snippet(m.group()))
    doc = root_document(facts)
    if doc is None:
        return None
    pointer = re.compile(cfg["links"], re.IGNORECASE)
    lines = {t.line: t.text for t in doc.texts}
    names = own_names(facts)
    for link in doc.links:
        said = pointer.search(f"{link.text} {lines.get(link.line, '')}")
        # the project's own documentation, not another project's ("install [Apex](…)")
        own = any(n in norm_name(link.url) for n in names if len(n) >= 3)
        if said and own and not link.image and link.url.startswith("http"):
            evidence = Evidence(path=doc.path, line=link.line, url=link.url)
            return "a link to its installation instructions", evidence
    sections = re.compile(cfg["script_sections"], re.IGNORECASE)
    installs = re.compile(cfg["script_installs"])
    for mention in mentioned_paths(facts, doc):
        target = mention.target
        if not target.exists or target.is_dir or not target.path.lower().endswith(".sh"):
            continue
        if not sections.search(" ".join((*mention.sections, lines.get(mention.line, "")))):
            continue
        script = facts.text(target.path)
        if script is not None and installs.search(script.text):
            evidence = Evidence(path=doc.path, line=mention.line, note=mention.written)
            return f"an install script the README points to ({target.path})", evidence
    prose = re.compile(cfg["prose"], re.IGNORECASE)
    for paragraph in doc.texts:
        if prose.search(paragraph.text):
            evidence = Evidence(path=doc.path, line=paragraph.line, note=snippet(paragraph.text))
            return "install instructions in prose", evidence
    # "To install all dependencies, install `requirements.txt`": a sentence that installs a
    # dependency file of the repository, its command left to the reader's installer
    installs = re.compile(cfg["installs_file"], re.IGNORECASE)
    environment = set(environment_files(facts))
    for mention in mentioned_paths(facts, doc):
        if mention.by_name or mention.target.path not in environment:
            continue
        if installs.search(sentence_of(lines.get(mention.line, ""), mention.written)):
            evidence = Evidence(path=doc.path, line=mention.line, note=snippet(lines.get(mention.line, "")))
            return f"a sentence installing {mention.target.path}", evidence
    return None


def _runs(facts: Facts) -> tuple[list[Analysis], list[Analysis], list[Analysis]]:
    """Run commands of the README itself (not of the documents it links: a reader who opens the
    repository sees these), split into concrete, missing-target and template ones."""
    concrete: list[Analysis] = []
    missing: list[Analysis] = []
    templates: list[Analysis] = []
    readme = root_readme(facts)
    for a in readme_commands(facts).of_kind("run"):
        if a.command.doc != readme:
            continue
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
    told = _told_to_run(facts)
    if told:
        what, evidence = told
        return passed(what, *evidence[:MAX_EVIDENCE], *notes)
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


@fact  # the readme and readme-commands items both ask
def _told_to_run(facts: Facts) -> tuple[str, list[Evidence]] | None:
    """Ways a README runs the repository's code other than a shell command: a script of a
    language run from its own prompt that the README says reproduces the results ("running
    Example.m gives Fig. 1", "scripts/demo.jl: reproduces the demonstrations"), or a Python
    example that imports the repository's own package and calls it (`import clip;
    clip.load(...)`). Prose that only names a Python script or a notebook to run ("run main.py",
    "05-Train.ipynb trains the model") gives no command: the reader is left to write it."""
    doc = root_document(facts)
    if doc is None:
        return None
    said = [
        Evidence(path=h.path, note=h.note)
        for h in readme_runners(facts)
        if h.path.lower().endswith(tuple(data_table("readme")["prompt_scripts"]))
    ]
    if said:
        return "the README says which of its scripts to run", said
    python = frozenset(p.lower() for p in _own_packages(facts))
    r = own_names(facts)
    matlab = _own_functions(facts)
    for block in doc.code_blocks:
        if "(" not in block.text:
            continue
        info = block.info.lower()
        key: Callable[[str], str] = str.lower
        if info in ("python", "py", "python3", ""):
            example, loads, own, what = "a Python example", _PY_IMPORT, python, "package"
        elif info in ("r", "{r}"):
            example, loads, own, what, key = "an R example", _R_LIBRARY, r, "package", norm_name
        elif info in ("matlab", "octave"):  # a function of the toolbox is a file of it: `dbntrain.m`
            example, loads, own, what = "a MATLAB example", _M_CALL, matlab, "functions"
        else:
            continue
        for m in loads.finditer(block.text):
            if key(m.group(1)) in own:
                row = block.text.count("\n", 0, m.start())
                line, note = block.line + row, snippet(block.text.splitlines()[row])
                return f"{example} runs the repository's own {what}", [
                    Evidence(path=doc.path, line=line, note=note)
                ]
    return None


_PY_IMPORT = re.compile(r"^\s*(?:import|from)\s+([A-Za-z_]\w*)", re.MULTILINE)
_R_LIBRARY = re.compile(r"^\s*(?:library|require)\(\s*([A-Za-z][\w.]*)\s*\)", re.MULTILINE)
_M_CALL = re.compile(r"(?<![\w.])([A-Za-z]\w*)\s*\(")


def _own_functions(facts: Facts) -> frozenset[str]:
    """MATLAB functions of the repository: each is the `.m` file of its name."""
    return frozenset(
        p.rpartition("/")[2].removesuffix(".m").lower() for p in project_files(facts) if p.endswith(".m")
    )


def _own_packages(facts: Facts) -> set[str]:
    """Python packages of the repository: first-level folders of Python code, and modules at the
    root (`clip/`, `uni/`, `segtool.py`)."""
    out = set()
    for path in project_files(facts):
        parts = path.split("/")
        if not path.endswith(".py") or len(parts) > 3:
            continue
        if len(parts) == 1:
            out.add(parts[0].removesuffix(".py").lower())
        elif parts[-1] == "__init__.py":
            out.add(parts[-2].lower())
    return out - {"setup", "conftest", "tests", "test", "docs"}


@check("readme-references")
def readme_references(facts: Facts) -> Finding:
    """Paths the README itself names are in the tree: its links (to files of the repository, or
    to its notebooks in Colab), the files its commands use, paths in inline code, and the tree
    diagram it draws of the repository. A path the README says is made or brought by the reader
    (an output, a download target, "your" file) is not expected to be there."""
    doc = root_document(facts)
    if doc is None:
        if root_readme(facts) is None:  # the README item fails for it; no path is named to check
            return not_applicable("no README, so no path it names")
        return unknown("the README could not be read")
    checked: dict[str, Evidence] = {}
    missing: dict[str, Evidence] = {}
    for link in doc.links:
        target = resolve(facts, doc.path, link.url)
        if target is None or not target.path:
            continue
        ev = Evidence(path=doc.path, line=link.line, note=link.url)
        (checked if target.exists else missing).setdefault(target.path, ev)
    for a in readme_commands(facts).analyses:
        if a.command.doc != doc.path:
            continue
        for ref in a.refs:
            if ref.path is None or (a.command.foreign and not ref.exists) or _implicit(a, ref):
                continue
            ev = Evidence(path=a.command.doc, line=a.command.line, note=snippet(a.command.text))
            (checked if ref.exists else missing).setdefault(ref.path, ev)
    made = re.compile(data_table("readme")["made_paths"], re.IGNORECASE)
    provided = re.compile(data_table("readme")["provided_paths"], re.IGNORECASE)
    run = re.compile(data_table("readme")["run_words"], re.IGNORECASE)
    outputs = re.compile(data_table("readme")["made_sections"], re.IGNORECASE)
    code = tuple(file_families()["code_extensions"])
    lines = {t.line: t.text for t in doc.texts}
    files = project_files(facts)
    mentions = [(m, False) for m in mentioned_paths(facts, doc)] + [
        (m, True) for m in diagram_paths(facts, doc)
    ]
    held = re.compile(data_table("readme")["data_held"], re.IGNORECASE)
    for mention, drawn in mentions:
        target = mention.target
        ev = Evidence(path=doc.path, line=mention.line, note=mention.written)
        if target.exists:
            checked.setdefault(target.path, ev)
            continue
        # the sentence's own words: `extract_patches.py` says nothing of extracting
        sentence = _FILE_NAME.sub(" ", sentence_of(lines.get(mention.line, ""), mention.written))
        if mention.written.endswith("/") and held.search(sentence):
            continue  # the reader's data folder, laid out as the code expects
        if mention.twin is not None:  # a file of the tree, mistyped
            if not made.search(sentence):
                note = f"{mention.written} (the tree has {mention.twin})"
                missing.setdefault(target.path, Evidence(path=doc.path, line=mention.line, note=note))
            continue
        if drawn or _listed(doc, mention):  # shown as part of the repository: it should be there
            if not made.search(doc.lines[mention.line - 1]):
                missing.setdefault(target.path, ev)
            continue
        # a missing path counts where the README says the repository provides it, or tells the
        # reader to run it (not a file the reader downloads, creates or brings, nor weights,
        # which are seldom committed)
        if any(outputs.search(title) for title in mention.sections):
            continue
        script = mention.written.lower().endswith(code) and run.search(sentence)
        if (
            not _names_a_path(mention.written)
            or made.search(sentence)
            or not (provided.search(sentence) or script)
        ):
            continue
        if weight_extension(mention.written):
            continue
        # written from some folder of the tree (`train/` meaning `cfgs/train/`): there after all
        tail = "/" + posixpath.normpath(mention.written).lstrip("./")
        if not any(f"/{p}/".find(tail + "/") >= 0 for p in files):
            missing.setdefault(target.path, ev)
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
        return not_applicable("the README names no file of the repository")
    return passed(
        f"all {len(checked)} repository path(s) the README names exist", *list(checked.values())[:3]
    )


# A file name or path in a sentence (`extract_patches.py`, `data/train`; not "e.g.").
_FILE_NAME = re.compile(r"[\w-]{2,}(?:\.[\w-]+)*\.[A-Za-z]\w{0,7}\b|[\w.-]*/[\w./-]*")


def _listed(doc: Document, mention: Mention) -> bool:
    """A path that starts an item of a list of the repository's files, under a heading such as
    "Structure of this repo" (`- `src/config.py`: the settings`)."""
    if not mention.inline or is_placeholder(mention.written) or is_placeholder_script(mention.written):
        return False
    if not any(
        re.search(data_table("readme")["structure_headings"], s, re.IGNORECASE) for s in mention.sections
    ):
        return False
    raw = doc.lines[mention.line - 1] if 0 < mention.line <= len(doc.lines) else ""
    return re.match(rf"^\s*[-*+]\s+[^\w`]*`{re.escape(mention.written.rstrip('/'))}/?`", raw) is not None


def _implicit(a: Analysis, ref: FileRef) -> bool:
    """A file a command uses without naming it (`docker build .` reads ./Dockerfile, a requirements
    file its `-r other.txt`): the README does not point at it."""
    if ref.role == "requirements" and ref.written not in a.command.text:
        return True
    return ref.role == "dockerfile" and not any(w in ("-f", "--file") for w in a.command.words)


def _names_a_path(written: str) -> bool:
    """Whether an inline-code word is a path of the repository, not a name: it has a folder in it
    (a bare file name, `last.ckpt`, may be meant in any folder or made by a run), and no slot."""
    if (
        is_placeholder(written)
        or is_placeholder_script(written)
        or written.startswith(("$", "~", "<", "http"))
    ):
        return False
    leaf = written.rstrip("/").rpartition("/")[2]
    folder = written.endswith("/") or "/" in written.strip("./")
    return folder and re.search(r"\w", leaf.split(".")[0]) is not None
