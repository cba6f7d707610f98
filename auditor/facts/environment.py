"""The project's environment files and the dependencies they declare, each pinned or not.

The environment files of the project count (requirements, conda, setup/pyproject, Pipfile, lock
files, containers, R and Julia manifests); those of vendored third-party code and build output
(`*.egg-info/`, `site-packages/`) do not, unless the README installs from them. Whether a
requirement is pinned is read with a real specifier parser (`packaging`), not by looking for `==`.
"""

from __future__ import annotations

import ast
import re
from typing import Any, NamedTuple

from auditor.acquire.snapshot import name_matcher
from auditor.data import data_table, file_families
from auditor.data.parse import ParseRefused, parse_python, parse_toml, parse_yaml
from auditor.facts.commands import readme_commands
from auditor.facts.packaging import CONDA_EXPORT, conda_export, requirement_include, toml_document
from auditor.facts.repository import Facts, fact
from auditor.facts.vendored import project_files

# Names that are the interpreter or the installer, not dependencies.
_NOT_DEPENDENCIES = frozenset({"python", "pip", "setuptools", "wheel"})
# Packaging files: what they declare is parsed once (`declared_requirements`).
_PACKAGING = ("setup.py", "setup.cfg", "pyproject.toml")


class Spec(NamedTuple):
    """One declared dependency and whether it names one exact version."""

    name: str
    pinned: bool
    path: str
    line: int | None


def _matches(name: str, patterns: list[str]) -> bool:
    return name_matcher(tuple(patterns))(name)  # compiled once: a tree can have 100k files


# A conda environment has a top-level `dependencies:` key; YAML without one is not parsed (a
# research repository can hold hundreds of experiment configs).
_CONDA_KEY = re.compile(r"^dependencies\s*:", re.MULTILINE)


def _conda_by_content(text: str) -> bool:
    if not _CONDA_KEY.search(text):
        return False
    try:
        doc = parse_yaml(text)
    except ParseRefused:
        return False
    return (
        isinstance(doc, dict)
        and isinstance(doc.get("dependencies"), list)
        and ("channels" in doc or "name" in doc)
    )


@fact
def environment_files(facts: Facts) -> list[str]:
    """The project's environment files, then those the README installs from (even if vendored:
    `conda env create -f nnUNet/environment.yml` sets up the project), but for a vendored package
    the README builds, whose packaging declares that package's needs, not the project's."""
    families = file_families()
    is_dependency_file = name_matcher(tuple(families["dependency_files"]))
    environment_dirs = {d.lower() for d in families["environment_dirs"]}
    found: list[str] = []
    for path in project_files(facts):
        folder, _, name = path.rpartition("/")
        if is_dependency_file(name):
            found.append(path)
        elif name.lower().endswith((".yml", ".yaml")) and (not folder or folder.lower() in environment_dirs):
            text = facts.text(path)
            if text is not None and _conda_by_content(text.text):
                found.append(path)
    own = set(project_files(facts))
    for a in readme_commands(facts).of_kind("install"):
        for ref in a.refs:
            if not ref.exists or not ref.path or ref.path in found or ref.path not in facts.entries:
                continue
            if ref.role == "package" and ref.path not in own:
                continue  # building a bundled package (`cd kernels && pip install .`) installs it alone
            found.append(ref.path)
    return found


@fact
def readme_packages(facts: Facts) -> list[Spec]:
    """Packages the README's install commands name (not tooling such as pip or jupyter)."""
    tooling = {p.lower() for p in data_table("readme")["tooling_packages"]}
    specs: list[Spec] = []
    for a in readme_commands(facts).of_kind("install", "env"):
        conda = a.command.program in ("conda", "mamba", "micromamba")
        for package in a.packages:
            if a.note in ("container image", "system packages"):
                continue
            spec = (
                _conda_spec(package, a.command.doc, a.command.line)
                if conda
                else _pip_spec(package, a.command.doc, a.command.line)
            )
            if spec is not None and spec.name not in tooling and spec.name not in _NOT_DEPENDENCIES:
                specs.append(spec)
    return specs


def _pip_spec(text: str, path: str, line: int | None) -> Spec | None:
    text = text.split(" #", 1)[0].strip()
    if not text or text.startswith(("#", "-")):
        return None
    if re.match(r"^(git\+|hg\+|svn\+|https?://)", text):
        name = re.sub(r"\.git$", "", text.rsplit("#egg=", 1)[-1].rstrip("/").rsplit("/", 1)[-1].split("@")[0])
        return Spec(name.lower(), bool(re.search(r"@[0-9a-f]{7,40}\b|@v?\d", text)), path, line)
    # packaging is imported by the first requirement line read, not with the facts: its import
    # is about 15 ms of an author's check, and two repositories in five have no such line
    from packaging.requirements import InvalidRequirement, Requirement

    try:
        req = Requirement(text)
    except InvalidRequirement:
        return None
    pinned = (
        _pinned_url(req.url)
        if req.url is not None
        else any(s.operator in ("==", "===") and not s.version.endswith(".*") for s in req.specifier)
    )
    return Spec(req.name.lower().replace("_", "-"), pinned, path, line)


def _pinned_url(url: str) -> bool:
    """Whether a direct reference (`name @ URL`) names one build: an archive or wheel does, a
    version-control URL does at a commit or tag; a `file://` path (what `pip freeze` writes for
    packages built on the author's machine) names nothing another machine can get."""
    if url.startswith("file:"):
        return False
    if url.startswith(("git+", "hg+", "svn+", "bzr+")):
        return re.search(r"@[0-9a-f]{7,40}\b|@v?\d", url.split("://", 1)[-1]) is not None
    return True


def _conda_spec(text: str, path: str, line: int | None) -> Spec | None:
    text = str(text).strip()
    if not text or text.startswith("#"):
        return None
    name = re.split(r"[=<>!~ ]", text.split("::")[-1], maxsplit=1)[0].lower()
    version = text.split("::")[-1][len(name) :].strip()
    pinned = bool(re.match(r"^==?\s*\d[\w.+!-]*(=[\w.]+)?$", version)) and "*" not in version
    return Spec(name, pinned, path, line)


# The table `pip list` prints (`Package    Version`, a rule, then `numpy    1.19.5` rows): every
# row names the one version installed.
_PIP_LIST_HEADER = re.compile(r"^\s*Package\s+Version\b")
_PIP_LIST_ROW = re.compile(r"^\s*(?P<name>[A-Za-z0-9][\w.\-]*)\s+(?P<version>\d[\w.+!]*)\b")
# An R package's DESCRIPTION: its Depends and Imports fields, `pkg (>= 1.0)` or `pkg (== 1.0)`.
_R_FIELD = re.compile(r"^(Depends|Imports|LinkingTo):(?P<body>.*(?:\n[ \t].*)*)", re.MULTILINE)
_R_PACKAGE = re.compile(
    r"^\s*(?P<name>[A-Za-z][\w.]*)\s*(?:\((?P<op>[<>=]=?)\s*(?P<version>[\w.\-]+)\))?\s*$"
)


def _r_description(text: str, path: str) -> list[Spec] | None:
    """The R packages a DESCRIPTION depends on (R itself left out), pinned where `==` names one
    version; None for a DESCRIPTION of no R package."""
    if not re.search(r"^Package:", text, re.MULTILINE):
        return None
    specs = []
    for field in _R_FIELD.finditer(text):
        line = text.count("\n", 0, field.start()) + 1
        for entry in field.group("body").replace("\n", " ").split(","):
            m = _R_PACKAGE.match(entry)
            if m and m.group("name") != "R":
                specs.append(Spec(m.group("name").lower(), m.group("op") == "==", path, line))
    return specs


# `torch = 2.1.0`: not pip's syntax, but one exact version, as a reader (and the labels) take it.
_SPACED_PIN = re.compile(r"^(?P<name>[A-Za-z][\w.\-]*)\s+=\s+(?P<version>\d[\w.+!]*)$")


def _requirements_txt(facts: Facts, path: str, seen: set[str]) -> list[Spec]:
    seen.add(path)
    text = facts.text(path)
    if text is None:
        return []
    specs = []
    lines = text.text.splitlines()
    if lines and _PIP_LIST_HEADER.match(lines[0]):  # `pip list > requirements.txt`: a table
        for number, raw in enumerate(lines[2:], start=3):
            row = _PIP_LIST_ROW.match(raw)
            if row and row.group("name").lower() not in _NOT_DEPENDENCIES:
                specs.append(Spec(row.group("name").lower().replace("_", "-"), True, path, number))
        return specs
    for number, raw in enumerate(lines, start=1):
        line = raw.strip()
        export = CONDA_EXPORT.match(line) or _SPACED_PIN.match(line)
        if export:
            name = export.group("name").lower()
            if name not in _NOT_DEPENDENCIES:
                specs.append(Spec(name, True, path, number))
            continue
        include = requirement_include(line, path)
        if include is not None:
            inner = include[1]
            if inner in facts.entries and inner not in seen:
                specs.extend(_requirements_txt(facts, inner, seen))
            continue
        if line.startswith("-e "):
            line = line[3:]
            if not re.match(r"^(git\+|https?://)", line):
                continue
        spec = _pip_spec(line, path, number)
        if spec is not None and spec.name not in _NOT_DEPENDENCIES:
            specs.append(spec)
    return specs


def _conda_yaml(facts: Facts, path: str) -> list[Spec] | None:
    text = facts.text(path)
    if text is None:
        return None
    try:
        doc = parse_yaml(text.text)
    except ParseRefused:
        return None
    if not isinstance(doc, dict) or not isinstance(doc.get("dependencies"), list):
        return None
    lines = text.text.splitlines()

    def where(item: str) -> int | None:
        return next((i for i, ln in enumerate(lines, start=1) if item in ln), None)

    specs: list[Spec] = []
    for dep in doc["dependencies"]:
        if isinstance(dep, dict):
            for item in dep.get("pip", []) or []:
                spec = _pip_spec(str(item), path, where(str(item)))
                if spec is not None and spec.name not in _NOT_DEPENDENCIES:
                    specs.append(spec)
        else:
            spec = _conda_spec(str(dep), path, where(str(dep)))
            if spec is not None and spec.name not in _NOT_DEPENDENCIES:
                specs.append(spec)
    return specs


def setup_py_requirements(text: str) -> list[str] | None:
    """The literal `install_requires` list of a setup.py, read without running it (a module-level
    name assigned a literal list is followed); [] when setup() declares none, None when it cannot
    be read (a list built at run time)."""
    try:
        tree = parse_python(text)
    except ParseRefused:
        return None
    names = {
        target.id: node.value
        for node in tree.body
        if isinstance(node, ast.Assign)
        for target in node.targets
        if isinstance(target, ast.Name)
    }
    calls = [
        n
        for n in ast.walk(tree)
        if isinstance(n, ast.Call) and getattr(n.func, "id", getattr(n.func, "attr", "")) == "setup"
    ]
    for node in ast.walk(tree):
        if isinstance(node, ast.keyword) and node.arg == "install_requires":
            value_node = (
                names.get(node.value.id, node.value) if isinstance(node.value, ast.Name) else node.value
            )
            try:
                value = ast.literal_eval(value_node)
            except ValueError:
                return None
            if isinstance(value, list | tuple):
                return [str(v) for v in value]
    spread = [_keys_of(tree, k.value) for c in calls for k in c.keywords if k.arg is None]  # setup(**kw)
    if calls and all(keys is not None and "install_requires" not in keys for keys in spread):
        return []
    return None


def _keys_of(tree: ast.Module, node: ast.expr) -> set[str] | None:
    """The keys a dict spread into setup() can hold: those of its literal and those assigned to it
    (`kwargs["ext_modules"] = …`); None when it is built otherwise."""
    if not isinstance(node, ast.Name):
        return None
    keys: set[str] = set()
    for sub in ast.walk(tree):
        if isinstance(sub, ast.Assign):
            for target in sub.targets:
                if isinstance(target, ast.Name) and target.id == node.id:
                    if not isinstance(sub.value, ast.Dict):
                        return None
                    keys |= {
                        k.value
                        for k in sub.value.keys
                        if isinstance(k, ast.Constant) and isinstance(k.value, str)
                    }
                elif (
                    isinstance(target, ast.Subscript)
                    and isinstance(target.value, ast.Name)
                    and target.value.id == node.id
                ):
                    if not (isinstance(target.slice, ast.Constant) and isinstance(target.slice.value, str)):
                        return None
                    keys.add(target.slice.value)
        elif (
            isinstance(sub, ast.Call)
            and isinstance(sub.func, ast.Attribute)
            and sub.func.attr == "update"
            and isinstance(sub.func.value, ast.Name)
            and sub.func.value.id == node.id
        ):
            return None
    return keys


def _setup_cfg_requirements(text: str) -> list[str] | None:
    import configparser  # only a repository with a setup.cfg pays for it

    parser = configparser.ConfigParser()
    try:
        parser.read_string(text)
    except configparser.Error:
        return None
    if not parser.has_option("options", "install_requires"):
        return None
    return [r.strip() for r in parser.get("options", "install_requires").splitlines() if r.strip()]


def _pyproject(doc: dict[str, Any]) -> list[str] | None:
    reqs = list(doc.get("project", {}).get("dependencies", []) or [])
    poetry = doc.get("tool", {}).get("poetry", {}).get("dependencies", {}) or {}
    for name, version in poetry.items():
        if name.lower() == "python":
            continue  # the interpreter's versions, not a package to install
        if isinstance(version, str):
            exact = re.match(r"^\d", version) is not None
            reqs.append(f"{name}=={version}" if exact else f"{name}{'' if version == '*' else version}")
        else:
            reqs.append(name)
    return reqs if (reqs or "project" in doc or poetry) else None


def _pipfile(text: str) -> list[str] | None:
    try:
        doc = parse_toml(text)
    except ParseRefused:
        return None
    out = []
    for name, version in (doc.get("packages", {}) or {}).items():
        version = version if isinstance(version, str) else (version or {}).get("version", "*")
        out.append(name if version == "*" else f"{name}{version}")
    return out


def _specs_from_list(items: list[str], path: str, text: str) -> list[Spec]:
    lines = text.splitlines()
    specs = []
    for item in items:
        line = next((i for i, ln in enumerate(lines, start=1) if item in ln), None)
        spec = _pip_spec(item, path, line)
        if spec is not None and spec.name not in _NOT_DEPENDENCIES:
            specs.append(spec)
    return specs


# pip options whose value is a file or an index, not a package.
_PIP_VALUED = frozenset(
    {
        "-r",
        "--requirement",
        "-c",
        "--constraint",
        "-i",
        "--index-url",
        "--extra-index-url",
        "-f",
        "--find-links",
        "-e",
        "--editable",
        "--target",
        "-t",
        "--prefix",
        "--root",
    }
)


def _dockerfile(text: str, path: str) -> list[Spec]:
    """Packages the `pip install` commands of a Dockerfile name, one package a line or all on one
    (an instruction goes on over lines ending in `\\`): not its comments, not the files
    (`-r requirements.txt`, read as a file of its own) or index URLs given to pip."""
    specs = []
    for words in _instructions(text):
        installing = skip = False
        previous = ""
        for word, number in words:
            if word in _SHELL_SEPARATORS:
                installing = skip = False
            elif not installing:
                installing = word == "install" and _PIP.fullmatch(previous.rpartition("/")[2]) is not None
            elif skip:
                skip = False
            elif word in _PIP_VALUED:
                skip = True
            elif not (word.startswith("-") or word == "." or re.match(r"^['\"]?https?://", word)):
                spec = _pip_spec(word.strip("'\""), path, number)
                if spec is not None and spec.name not in _NOT_DEPENDENCIES:
                    specs.append(spec)
            previous = word
    return specs


_PIP = re.compile(r"pip[\d.]*")
_SHELL_SEPARATORS = frozenset({"&&", "||", ";", "|"})


def _instructions(text: str) -> list[list[tuple[str, int]]]:
    """The instructions of a Dockerfile as their words, each with its line: a line ending in `\\`
    goes on in the next, a comment line inside is left out (as Docker does), and a shell comment
    ends the line it is on."""
    instructions: list[list[tuple[str, int]]] = []
    current: list[tuple[str, int]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if line.lstrip().startswith("#"):
            continue
        body = line.rstrip()
        continued = body.endswith("\\")
        body = re.split(r"(?:^|\s)#", body.removesuffix("\\"), maxsplit=1)[0]
        current += [(w, number) for w in re.split(r"\s+|(&&|\|\||;)", body) if w]
        if not continued:
            instructions.append(current)
            current = []
    return [*instructions, current] if current else instructions


class Measured(NamedTuple):
    specs: list[Spec]
    locked: list[str]
    unmeasured: list[str]


@fact
def measure(facts: Facts) -> Measured:
    """Every dependency the environment files declare, and the files no parser could read."""
    locks = file_families()["lock_files"]
    specs: list[Spec] = []
    locked: list[str] = []
    unmeasured: list[str] = []
    seen: set[str] = set()
    for path in environment_files(facts):
        name = path.rpartition("/")[2].lower()
        text = facts.text(path)
        if _matches(name, locks):
            locked.append(path)
            continue
        if text is None:
            unmeasured.append(path)
            continue
        found: list[Spec] | None
        if name.endswith((".txt", ".in")) or name == "requirements":
            found = [] if path in seen else _requirements_txt(facts, path, seen)
        elif name.endswith((".yml", ".yaml")):
            found = _conda_yaml(facts, path)
            if found is None and (rows := conda_export(text.text)) is not None:
                found = [Spec(n, True, path, i) for i, n in rows if n not in _NOT_DEPENDENCIES]
        elif name in _PACKAGING:
            items = declared_requirements(facts, path)
            found = None if items is None else _specs_from_list(items, path, text.text)
        elif name == "pipfile":
            items = _pipfile(text.text)
            found = None if items is None else _specs_from_list(items, path, text.text)
        elif name == "description":
            found = _r_description(text.text, path)
        elif name == "dockerfile" or name.endswith(".dockerfile"):
            found = _dockerfile(text.text, path) or None
        else:
            found = None
        if found is None:
            unmeasured.append(path)
        else:
            specs.extend(found)
    return Measured(specs, locked, unmeasured)


@fact
def declares_nothing(facts: Facts) -> frozenset[str]:
    """Packaging files that declare no dependencies (a setup.py without install_requires, a
    pyproject without dependencies): they make the project installable, not its environment."""
    out = set()
    for path in environment_files(facts):
        name = path.rpartition("/")[2].lower()
        text = facts.text(path)
        if text is None or name not in _PACKAGING:
            continue
        items = declared_requirements(facts, path)
        if name == "setup.cfg" and items is None and "[metadata]" in text.text:
            items = []  # metadata without options: a package that declares nothing
        if items == []:
            out.add(path)
    return frozenset(out)


def declared_requirements(facts: Facts, path: str) -> list[str] | None:
    """The requirements a setup.py, setup.cfg or pyproject.toml declares, parsed once for
    `measure` and `declares_nothing`; None when they cannot be read."""
    return facts.memo(f"declared_requirements:{path}", lambda: _declared(facts, path))


def _declared(facts: Facts, path: str) -> list[str] | None:
    name = path.rpartition("/")[2].lower()
    if name == "pyproject.toml":
        doc = toml_document(facts, path)
        return None if doc is None else _pyproject(doc)
    text = facts.text(path)
    if text is None:
        return None
    return setup_py_requirements(text.text) if name == "setup.py" else _setup_cfg_requirements(text.text)
