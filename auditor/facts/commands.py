"""Commands written in READMEs, and what they claim about the tree.

Commands come from code blocks (any language: READMEs put shell commands in ```python blocks)
and inline code. Each is split like a shell would (continuations, `&&`, `;`), and `cd` is
followed through a document so that `cd weak_segmentation && pip install -e .` is checked in the
right folder. A command that runs a script names the file it needs; whether that file exists is
a fact of the tree, never of the README's prose.
"""

from __future__ import annotations

import posixpath
import re
import shlex
from dataclasses import dataclass, field
from functools import cache
from pathlib import PurePosixPath
from typing import Literal, NamedTuple

from auditor.acquire.snapshot import name_matcher
from auditor.data import data_table
from auditor.facts.documents import directories, linked_documents, repo_name, resolve
from auditor.facts.markdown import Document
from auditor.facts.packaging import conda_export, requirement_include, toml_document
from auditor.facts.repository import Facts, fact
from auditor.facts.sources import test_suite
from auditor.facts.vendored import norm_name, project_files

# What a command does: runs code, installs dependencies, creates an environment, clones, changes
# folder, or something else (downloads, listings).
CommandKind = Literal["run", "install", "env", "clone", "cd", "other"]
# Why a command needs a file of the repository.
FileRole = Literal["script", "requirements", "environment", "config", "package", "dockerfile", "source"]

_ASSIGNMENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*=")
# A shell prompt, or the number of a step (`2. python demo.py`), before a command of a code block.
_PROMPT = re.compile(r"^\s*(?:\([\w.-]+\)\s*)?(?:[$%>]|>>>|In \[\d+\]:|\d{1,2}[.)])\s+")
_SEPARATORS = frozenset({"&&", "||", ";", "|", "&"})
# A line of a code block that labels the command it holds: `Step 1: pip install -r requirements.txt`.
_LABELLED = re.compile(r"^[^:`$]{1,40}:\s+(?P<command>\S.*)$")
_QUOTED = re.compile(
    r"[\"\u201c'\u2018]((?:pip3?|conda|python3?|bash|sh|docker) [^\"\u201d'\u2019`]{3,200})[\"\u201d'\u2019]"
)


class Command(NamedTuple):
    """One simple command of a README, with the folder it runs in."""

    doc: str
    line: int
    text: str
    words: tuple[str, ...]
    cwd: str | None  # repository folder; None when it runs inside some other checkout
    inline: bool = False
    # After the README cloned another repository, a file it names may belong to that one: such
    # a file missing from this tree proves nothing.
    foreign: bool = False

    @property
    def program(self) -> str:
        return PurePosixPath(self.words[0]).name if self.words else ""


class FileRef(NamedTuple):
    """A file a command needs from the repository."""

    written: str
    path: str | None  # resolved repository path; None when it cannot be placed
    exists: bool
    role: FileRole
    # a file of the tree whose name differs from the missing one only in case (`Inference.py`
    # for `inference.py`): there on a case-insensitive file system, missing on Linux
    case_of: str | None = None


class Analysis(NamedTuple):
    command: Command
    kind: CommandKind
    refs: tuple[FileRef, ...] = ()
    packages: tuple[str, ...] = ()
    placeholders: tuple[str, ...] = ()
    script_placeholder: bool = False
    concrete_args: int = 0  # argument values given as they are, not as slots
    console: str | None = None  # a project console script it runs
    note: str = ""
    image: str | None = None  # the container image it pulls or runs
    broken: str = ""  # why it cannot work as written, files aside (`pip install requirements.txt`)

    @property
    def template(self) -> bool:
        """A command with slots for the experiment's settings (`[model]`, `EPOCHS`) or for the
        script itself. Slots for the reader's own files (`/path/to/data`) are how a command of a
        tool is written: the command is concrete."""
        return self.script_placeholder or any(is_param_slot(p) for p in self.placeholders)

    @property
    def missing(self) -> list[FileRef]:
        """Files the command needs that are surely not in the tree."""
        if self.command.foreign:
            return []
        return [r for r in self.refs if not r.exists and r.path is not None]


@cache
def _patterns() -> dict[str, list[re.Pattern[str]]]:
    cfg = data_table("readme")
    return {
        "path": [re.compile(p) for p in cfg["path_slots"]],
        "param": [re.compile(p) for p in cfg["param_slots"]],
        "scripts": [re.compile(p) for p in cfg["placeholder_scripts"]],
    }


def is_path_slot(word: str) -> bool:
    return any(p.search(word) for p in _patterns()["path"])


def is_param_slot(word: str) -> bool:
    return not is_path_slot(word) and any(p.search(word) for p in _patterns()["param"])


def is_placeholder(word: str) -> bool:
    word = word.rstrip("/")  # `IMAGE_PATH/`, a folder slot as a README writes it
    return is_path_slot(word) or is_param_slot(word)


def is_placeholder_script(word: str) -> bool:
    name = PurePosixPath(word).name
    return any(p.search(name) for p in _patterns()["scripts"]) or is_placeholder(word)


# A backslash between parts of a path (`.\scripts\run.bat`), not one that escapes a space or ends a line
_WINDOWS_SEPARATOR = re.compile(r"(?<=[\w.])\\(?=[\w.])")


_SPACED_SLOT = re.compile(r"\[[^\]\s][^\]]*[^\]\s]\]|<[^>\s][^>]*[^>\s]>")


# What makes shlex do more than split at its whitespace: quotes, escapes, comments, punctuation.
_SHELL_SYNTAX = re.compile(r"[\'\"\\#;&|]")
_WORD = re.compile(r"[^ \t\r\n]+")


def _split(line: str) -> list[list[str]]:
    """Simple commands of a shell line; an unparsable line gives nothing."""
    line = _WINDOWS_SEPARATOR.sub("/", line)  # `pip install -r .\requirements.txt` on Windows
    # a slot of several words (`-v [input directory]:/inputs`) is one word of the command
    line = _SPACED_SLOT.sub(lambda m: m.group().replace(" ", "_"), line)
    if _SHELL_SYNTAX.search(line) is None:  # most lines: shlex would split at whitespace alone
        words = _WORD.findall(line)
    else:
        try:
            lexer = shlex.shlex(line, posix=True, punctuation_chars=";&|")
            lexer.whitespace_split = True
            lexer.commenters = "#"
            words = list(lexer)
        except ValueError:
            return []
    commands: list[list[str]] = [[]]
    for word in words:
        if word in _SEPARATORS or set(word) <= set(";&|"):
            commands.append([])
        else:
            commands[-1].append(word)
    return [c for c in commands if c]


def _strip(words: list[str]) -> list[str]:
    wrappers = set(data_table("readme")["wrappers"])
    i = 0
    while i < len(words):
        word = words[i]
        if _ASSIGNMENT.match(word) or word in wrappers:
            i += 1
            # srun/env options before the real program
            while i < len(words) and words[i].startswith("-") and words[i - 1] in ("srun", "env"):
                i += 1
        else:
            break
    return words[i:]


def _logical_lines(text: str, first_line: int) -> list[tuple[int, str]]:
    """Lines of a code block with `\\` continuations joined, each with its first line number."""
    out: list[tuple[int, str]] = []
    pending, start = "", first_line
    for offset, raw in enumerate(text.splitlines()):
        line = _PROMPT.sub("", raw).lstrip("!%").rstrip()
        if not pending:
            start = first_line + offset
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        pending += line
        if pending.strip():
            out.append((start, pending.strip()))
        pending = ""
    if pending.strip():
        out.append((start, pending.strip()))
    return out


# A shell script run by its path in the repository (`scripts/run_fastapi.sh`), as `./` runs one.
_SCRIPT_PATH = re.compile(r"[\w.-]+(/[\w.-]+)+\.(sh|bash)")


def _known_program(word: str, consoles: frozenset[str]) -> bool:
    programs = set(data_table("readme")["programs"])
    name = PurePosixPath(word).name
    return (
        word in programs
        or name in programs
        or re.fullmatch(r"python\d(\.\d+)?", name) is not None
        or word.startswith(("./", "../"))
        or _SCRIPT_PATH.fullmatch(word) is not None
        or name in consoles
    )


@fact
def console_scripts(facts: Facts) -> frozenset[str]:
    """Console commands that some package of the tree defines (setup.py, setup.cfg, pyproject)."""
    return frozenset(console_script_targets(facts))


# `name = package.module:function` in setup.py/setup.cfg. A name starts where no name character
# precedes it, and is taken whole: a run of 200,000 dashes is tried once, not from each of its
# characters (which took minutes).
_ENTRY_POINT = re.compile(r"(?<![\w.-])([\w.-]++)\s*=\s*[\w.]+:\w+")


@fact
def console_script_targets(facts: Facts) -> dict[str, tuple[str, int | None]]:
    """Console commands the packaging of the tree declares (`[project.scripts]`, Poetry scripts,
    `console_scripts` entry points of setup.cfg or setup.py), each with the file and line that
    declares it."""
    found: dict[str, tuple[str, int | None]] = {}
    for path in facts.files:
        name = path.rpartition("/")[2].lower()
        if name not in ("setup.py", "setup.cfg", "pyproject.toml"):
            continue
        text = facts.text(path)
        if text is None:
            continue
        names: list[str] = []
        if name == "pyproject.toml":
            doc = toml_document(facts, path)
            if doc is None:
                continue
            project = doc.get("project", {})
            names += list(project.get("scripts", {}) or {})
            names += list(doc.get("tool", {}).get("poetry", {}).get("scripts", {}) or {})
        else:
            names += [m.group(1) for m in _ENTRY_POINT.finditer(text.text)]
        lines = text.text.splitlines()
        for script in names:
            line = next(
                (
                    i
                    for i, ln in enumerate(lines, 1)
                    if re.match(rf"\W*{re.escape(script)}\W", ln.strip() + " ")
                ),
                None,
            )
            found.setdefault(script, (path, line))
    return found


# A line of plain text that is a shell command: a program and a word only a command has after it.
_PLAIN_COMMAND = re.compile(
    r"^(pip3?|conda|mamba|git|python3?|bash|sh|docker|Rscript|julia|torchrun|accelerate)\s+"
    r"(install|create|env|activate|clone|run|build|pull|-\S+|\S+\.(py|sh|R|jl|ipynb|ya?ml|txt)\b|\S*/\S*)"
)


def commands_of(doc: Document, facts: Facts) -> list[Command]:
    """Every command of a document, in reading order, with `cd` followed."""
    consoles = console_scripts(facts)
    items: list[tuple[int, str, bool, int]] = []
    prompt: dict[int, str] = {}  # line of a MATLAB block -> the script its name alone runs
    for number, block in enumerate(doc.code_blocks):
        lines = _logical_lines(block.text, block.line)
        if block.info.split()[:1] in (["matlab"], ["octave"]):
            for line, text in lines:
                if (script := _prompt_script(facts, text)) is not None:
                    prompt[line] = script
        items.extend((line, text, False, number) for line, text in lines)
    for code in doc.inline_code:
        items.append((code.line, code.text.strip(), True, -1))
    for prose in doc.texts:  # "use the command "pip install -r requirements.txt"" in prose
        items.extend((prose.line, m.group(1).strip(), True, -1) for m in _QUOTED.finditer(prose.text))
    # a command written after a `#`, as a shell prompt or comment, which Markdown made a heading,
    # or set apart as a quotation (`> pip install -r requirements.txt`)
    items.extend((h.line, h.title, True, -1) for h in doc.headings if " " in h.title.strip())
    quoted = [
        t
        for t in doc.texts
        if 0 < t.line <= len(doc.lines) and doc.lines[t.line - 1].lstrip().startswith(">")
    ]
    items.extend((t.line, t.text, True, -1) for t in quoted)
    # a command set as a line of text of its own, its code fence lost (`pip install -r requirements.txt`)
    items.extend(
        (t.line, t.text, True, -1)
        for t in doc.texts
        if 0 < t.line <= len(doc.lines)
        and t.text == doc.lines[t.line - 1].strip()
        and _PLAIN_COMMAND.match(t.text)
    )
    items.sort(key=lambda x: x[0])
    home = posixpath.dirname(doc.path)
    cwd: str | None = home
    clones: dict[str, bool] = {}  # folder name of a `git clone` -> whether it is this repository
    outside: list[str] = []  # folders left for another checkout, to come back to with `cd ..`
    out: list[Command] = []
    current = -1
    for line, text, inline, number in items:
        if not inline and number != current:
            current = number
            if cwd is None:  # a new block after working in another checkout starts afresh
                cwd, outside = home, []
        labelled = None if inline else _LABELLED.match(text)
        if labelled and not _known_program(text.split()[0], consoles):
            text = labelled.group("command")  # `2. Environment: conda env create -f environment.yaml`
        said = text
        if not inline and line in prompt:
            text = f"run {prompt[line]}"  # as MATLAB's `run`, said as the README says it
        for words in _split(text):
            words = _strip(words)
            if not words or not _known_program(words[0], consoles):
                continue
            if inline and len(words) < 2 and words[0] not in data_table("readme")["bare_commands"]:
                continue  # `numpy` in a sentence is a name; `pytest` is a command
            foreign = not all(clones.values())
            command = Command(doc.path, line, said, tuple(words), cwd, inline, foreign)
            out.append(command)
            if inline:
                continue
            if words[0] == "git" and len(words) >= 3 and words[1] == "clone":
                clones.update(_clone(words, facts))
            elif words[0] == "cd":
                target = words[1] if len(words) > 1 else ""
                if cwd is None and target == ".." and outside:
                    cwd = outside.pop()
                    continue
                new = _cd(facts, cwd, target, clones)
                if new is None and cwd is not None:
                    outside.append(cwd)
                cwd = new
    return out


# A line of MATLAB's prompt that is a name alone (`main_sanityCheck`, `demo;`): it runs the script
# of that name.
_PROMPT_NAME = re.compile(r"([A-Za-z]\w*)\s*;?")


def _prompt_script(facts: Facts, text: str) -> str | None:
    """The script a line of a MATLAB block runs by its name alone, when the repository has a
    script of that name (any other name shows a variable's value)."""
    m = _PROMPT_NAME.fullmatch(text.strip())
    if m is None or f"{m.group(1).lower()}.m" not in _script_names(facts):
        return None
    return f"{m.group(1)}.m"


@fact
def _script_names(facts: Facts) -> frozenset[str]:
    """The names of the repository's MATLAB scripts, lower-cased."""
    return frozenset(p.rpartition("/")[2].lower() for p in facts.files if p.lower().endswith(".m"))


def _clone(words: list[str], facts: Facts) -> dict[str, bool]:
    args = [w for w in words[2:] if not w.startswith("-")]
    if not args:
        return {}
    url = args[0].rstrip("/")
    mine = repo_name(facts)
    if is_placeholder(url) and mine is not None:
        # `git clone <repo_url>`: the address of this repository, left for the reader to fill
        return {args[1] if len(args) > 1 else mine[1]: True}
    folder = args[1] if len(args) > 1 else PurePosixPath(url).name.removesuffix(".git")
    parts = [p for p in re.split(r"[/:]", url) if p]
    # `git clone https://github.com/<your-username>/Repo.git`: the reader's fork of this repository
    own = (
        mine is not None
        and len(parts) >= 2
        and parts[-1].lower().removesuffix(".git") == mine[1]
        and (parts[-2].lower() == mine[0] or not mine[0] or is_placeholder(parts[-2]))
    )
    return {folder: own}


def _cd(facts: Facts, cwd: str | None, target: str, clones: dict[str, bool]) -> str | None:
    """The folder `cd target` leads to; None when it leads out of this repository."""
    target = posixpath.normpath(target.replace("\\", "/")) if target else target
    mine = repo_name(facts)
    dirs = directories(facts)
    head, _, rest = target.partition("/")
    if head in clones:
        if clones[head]:
            return rest if rest in dirs else ("" if not rest else None)
        if rest and rest in dirs:
            # "git clone .../old-name; cd old-name/src": this repository under an earlier name
            clones[head] = True
            return rest
        return None
    if mine is not None and posixpath.basename(target).lower() == mine[1]:
        return ""  # `cd MyRepo`, `cd /path/to/MyRepo`: the checkout itself
    if target not in dirs and re.fullmatch(
        data_table("readme")["checkout_names"], posixpath.basename(target), re.I
    ):
        return ""  # `cd rootdir`, `cd /path/to/repo`: the checkout, by a generic name
    if cwd is None:
        return None
    if not target or target.startswith(("~", "$", "/")) or is_placeholder(target):
        return None
    joined = posixpath.normpath(posixpath.join(cwd, target))
    if joined == ".":
        return ""
    if joined in dirs:
        return joined
    if target in dirs:
        return target
    return None


def locate(facts: Facts, cmd: Command, written: str, role: FileRole) -> FileRef:
    """Where a file named in a command lies: relative to its folder, then to the document, then root."""
    if cmd.cwd is None or is_placeholder(written) or written.startswith(("$", "~")):
        return FileRef(written, None, False, role)
    if written.startswith("/"):
        return FileRef(written, None, False, role)
    candidates = [
        posixpath.join(cmd.cwd, written),
        posixpath.join(posixpath.dirname(cmd.doc), written),
        written,
    ]
    head, _, rest = posixpath.normpath(written).partition("/")
    mine = repo_name(facts)
    if rest and mine is not None and head.lower() == mine[1]:
        candidates.append(rest)  # `pip install -r MyRepo/requirements.txt`, run beside the clone
    first: str | None = None
    for candidate in candidates:
        target = resolve(facts, "", candidate)
        if target is None:
            continue
        first = first or target.path
        if target.exists:
            return FileRef(written, target.path, True, role)
    # READMEs often assume the reader is in the folder that holds the file (`cd checkpoints`
    # left out): one file of the project whose path ends with what is written is that file. Not
    # a requirements or environment file: `pip install -r requirements.txt` run where the README
    # says fails when the file is in a folder (`app/requirements.txt`), as many such files are.
    tail = "/" + posixpath.normpath(written).lstrip("./")
    matches = [p for p in project_files(facts) if p.endswith(tail)]
    if len(matches) == 1 and role not in ("requirements", "environment"):
        return FileRef(written, matches[0], True, role)
    if len(matches) > 1:  # several candidates (`python process.py` in each dataset's folder): cannot tell
        return FileRef(written, None, False, role)
    wanted = (first or written).lower()
    cased = [p for p, low in _lower_paths(facts) if low == wanted or low.endswith(tail.lower())]
    return FileRef(written, first, False, role, case_of=cased[0] if len(cased) == 1 else None)


@fact
def _lower_paths(facts: Facts) -> list[tuple[str, str]]:
    """The project's files with their lower-cased paths, for names that differ only in case."""
    return [(p, p.lower()) for p in project_files(facts)]


def analyse(facts: Facts, cmd: Command) -> Analysis:
    result = _analyse(facts, cmd)
    if result.kind != "run":
        return result
    # `CUDA_VISIBLE_DEVICES=<device_ids> python train.py`: a slot in the environment it sets
    prefix = cmd.text.split(cmd.words[0], 1)[0] if cmd.words else ""
    slots = tuple(v for v in re.findall(r"\b[A-Za-z_]\w*=(\S+)", prefix) if is_param_slot(v))
    if slots:
        result = result._replace(placeholders=(*slots, *result.placeholders))
    explained = explained_slots(facts, cmd.doc)
    assigned = _assigned(facts).get(cmd.doc, frozenset())
    kept = tuple(
        p for p in result.placeholders if not _explained_word(p, explained) and not _filled(p, assigned)
    )
    if kept != result.placeholders:
        result = result._replace(placeholders=kept)
    script = {r.written for r in result.refs if r.role == "script"}
    values = [
        w
        for w in cmd.words[1:]
        if not w.startswith("-") and w not in script and not is_placeholder(w) and w not in ("launch", "run")
    ]
    return result._replace(concrete_args=len(values))


def _analyse(facts: Facts, cmd: Command) -> Analysis:
    words = list(cmd.words)
    program = cmd.program
    runners = data_table("readme")["script_runners"]
    placeholders = tuple(w for w in words[1:] if is_placeholder(w))
    python = program in runners["python"] or re.fullmatch(r"python\d(\.\d+)?", program) is not None
    if program == "cd":
        return Analysis(cmd, "cd")
    if program == "git":
        return Analysis(cmd, "clone" if "clone" in words else "other")
    if python and len(words) > 2 and words[1] == "-m" and words[2] == "pip":
        return _install(facts, cmd, ["pip", *words[3:]])
    if program in ("pip", "pip3") or (program == "uv" and len(words) > 1 and words[1] == "pip"):
        return _install(facts, cmd, words if program != "uv" else words[1:])
    if program in ("conda", "mamba", "micromamba"):
        return _conda(facts, cmd, words)
    if program in data_table("readme")["system_installers"] and "install" in words[1:3]:
        named = [w for w in words[words.index("install") + 1 :] if not w.startswith("-")]
        return Analysis(cmd, "install", packages=tuple(named), note="system packages")
    if program in ("poetry", "pipenv", "pixi") or (program == "uv" and "sync" in words):
        return _tool_install(facts, cmd, program)
    if program in ("docker", "podman"):
        return _docker(facts, cmd, words)
    if program == "docker-compose":
        return _docker(facts, cmd, ["docker", "compose", *words[1:]])
    if program == "pytest" or (python and words[1:3] == ["-m", "pytest"]):
        return _tests(facts, cmd)
    if python:
        return _python(facts, cmd, words, placeholders)
    if program in ("accelerate",) and len(words) > 1 and words[1] == "launch":
        return _launch(facts, cmd, words[2:], placeholders)
    if program in runners["launcher"]:
        return _launch(facts, cmd, words[1:], placeholders)
    if program in runners["shell"] or program in runners["r"] + runners["julia"]:
        return _script(facts, cmd, _first_positional(words[1:]), placeholders)
    if program in ("matlab", "octave") or (program == "run" and len(words) > 1):
        return _matlab(facts, cmd, words, placeholders)
    if program == "make":
        return _make(facts, cmd, words)
    if program in ("jupyter",) and len(words) > 2:
        return _script(facts, cmd, _first_positional(words[2:]), placeholders)
    if program == "streamlit" and len(words) > 2 and words[1] == "run":
        return _script(facts, cmd, words[2], placeholders)
    if program == "fastapi" and len(words) > 2 and words[1] in ("run", "dev"):
        return _script(facts, cmd, words[2], placeholders)
    if program in data_table("readme")["app_servers"] and (app := _first_positional(words[1:])):
        return _module(facts, cmd, app.partition(":")[0], placeholders)  # `uvicorn app.main:app`
    if words[0].startswith(("./", "../")) or _SCRIPT_PATH.fullmatch(words[0]):
        if "." not in PurePosixPath(words[0]).name and not locate(facts, cmd, words[0], "script").exists:
            # `./deedsBCV` that `make` builds, or a program installed elsewhere (`./Slicer`)
            built = any(
                p.rpartition("/")[2].lower() in data_table("readme")["build_files"]
                for p in project_files(facts)
            )
            return Analysis(cmd, "run", console=program) if built else Analysis(cmd, "other")
        return _script(facts, cmd, words[0], placeholders)
    tools = set(data_table("readme")["path_tools"])
    inner = (
        words[2:]
        if program in ("uv", "poetry", "pipenv", "pixi", "hatch") and words[1:2] == ["run"]
        else words
    )
    if inner and PurePosixPath(inner[0]).name in tools:
        paths = [w for w in inner[1:] if not w.startswith("-") and "/" in w and not is_placeholder(w)]
        return Analysis(cmd, "other", refs=tuple(locate(facts, cmd, w, "source") for w in paths))
    if program in console_scripts(facts):
        return Analysis(cmd, "run", placeholders=placeholders, console=program)
    if words[1:2] in (["run"], ["start"]) and _runs_own_project(facts, program):
        return Analysis(cmd, "run", placeholders=placeholders, console=program)
    return Analysis(cmd, "other", placeholders=placeholders)


def _runs_own_project(facts: Facts, program: str) -> bool:
    """Whether `program run` runs a project of the repository: a build tool (`cargo`, `cabal`)
    whose project file the tree holds."""
    files = data_table("readme")["project_runners"].get(program)
    if not files:
        return False
    is_project = name_matcher(tuple(files))
    return any(is_project(p.rpartition("/")[2]) for p in project_files(facts))


def _launch(facts: Facts, cmd: Command, args: list[str], placeholders: tuple[str, ...]) -> Analysis:
    """A launcher (torchrun, deepspeed, accelerate launch): its script, or `-m module`."""
    for i, word in enumerate(args):
        if word in ("-m", "--module") and i + 1 < len(args):
            return _module(facts, cmd, args[i + 1], placeholders)
    script = _first_positional(args)
    if script is not None and not script.endswith((".py", ".sh")) and script in args:
        # `mpirun -np 8 python train.py`: the launcher runs an interpreter, which runs the script
        inner = args[args.index(script) :]
        if _known_program(inner[0], frozenset()):
            return _analyse(facts, cmd._replace(words=tuple(inner)))
    return _script(facts, cmd, script, placeholders)


def _matlab(facts: Facts, cmd: Command, words: list[str], placeholders: tuple[str, ...]) -> Analysis:
    """MATLAB or Octave running a script: `matlab -r "demo"`, `matlab -batch "run('demo.m')"`,
    `octave demo.m`, and `run demo.m` at the MATLAB prompt."""
    if words[0] == "run" and not words[1].lower().endswith(".m"):
        return Analysis(cmd, "other")  # "run the pipeline": words, not MATLAB's `run demo.m`
    if words[0] == "run" or (len(words) > 1 and not words[1].startswith("-")):
        target = words[1]
    else:
        code = next((words[i + 1] for i, w in enumerate(words[:-1]) if w in ("-r", "-batch", "--eval")), "")
        m = re.search(r"run\(\s*['\"]([^'\"]+)['\"]", code) or re.match(
            r"\s*(?:cd\([^)]*\)\s*;\s*)?([A-Za-z]\w*)", code
        )
        if m is None:
            return Analysis(cmd, "other")
        target = m.group(1)
    script = target if target.lower().endswith(".m") else f"{target}.m"
    return _script(facts, cmd, script, placeholders)


def _make(facts: Facts, cmd: Command, words: list[str]) -> Analysis:
    """`make` or `make TARGET` with a Makefile of the repository that has that target; a target
    named for installing (`make install-dev`) is an install step. Without a Makefile, and with
    nothing that generates one (CMake, autotools), the Makefile the command needs is missing."""
    wanted = [w for w in words[1:] if not w.startswith("-") and "=" not in w]
    kind: CommandKind = "install" if any(_MAKE_INSTALL.search(w) for w in wanted) else "run"
    ref = locate(facts, cmd, "Makefile", "script")
    if not ref.exists or ref.path is None:
        makers = set(data_table("readme")["makefile_makers"])
        generated = any(p.rpartition("/")[2].lower() in makers for p in facts.entries)
        return Analysis(cmd, "other") if generated or ref.path is None else Analysis(cmd, kind, refs=(ref,))
    text = facts.text(ref.path)
    targets = set(re.findall(r"^([\w.-]+)\s*:(?!=)", text.text if text else "", re.MULTILINE))
    if wanted and not set(wanted) <= targets:
        return Analysis(cmd, "other", note=f"no make target {', '.join(sorted(set(wanted) - targets))}")
    return Analysis(cmd, kind, refs=(ref,))


_MAKE_INSTALL = re.compile(r"^(install|setup|init|env|deps|requirements)\b|[-_](install|deps)$")


def _first_positional(words: list[str]) -> str | None:
    skip_next = False
    for word in words:
        if skip_next:
            skip_next = False
            continue
        if word.startswith("-"):
            # `--nproc_per_node 8` style options take the next word
            skip_next = "=" not in word and word not in ("-u", "-O", "-B", "--standalone", "--multi_gpu")
            continue
        return word
    return None


def _python(facts: Facts, cmd: Command, words: list[str], placeholders: tuple[str, ...]) -> Analysis:
    args = words[1:]
    while args and args[0].startswith("-") and args[0] not in ("-m", "-c"):
        args = args[2:] if args[0] in ("-W", "-X") else args[1:]
    if not args:
        return Analysis(cmd, "other")
    if args[0] == "-c":
        return Analysis(cmd, "other")
    if args[0] == "-m":
        if len(args) < 2:
            return Analysis(cmd, "other")
        module = args[1]
        if module in ("torch.distributed.launch", "torch.distributed.run"):
            return _launch(facts, cmd, args[2:], placeholders)
        return _module(facts, cmd, module, placeholders)
    script = args[0]
    if PurePosixPath(script).name == "setup.py" and len(args) > 1 and args[1] in ("install", "develop"):
        ref = locate(facts, cmd, script, "package")
        return Analysis(cmd, "install", refs=(ref,))
    if (
        not script.lower().endswith((".py", ".pyw", ".ipynb"))
        and not locate(facts, cmd, script, "script").exists
    ):
        return Analysis(cmd, "other", note="not a Python script")  # `python install x.whl`: a typo
    return _script(facts, cmd, script, placeholders)


def _script(facts: Facts, cmd: Command, script: str | None, placeholders: tuple[str, ...]) -> Analysis:
    if script is None:
        return Analysis(cmd, "other")
    if is_placeholder_script(script):
        return Analysis(cmd, "run", placeholders=(*placeholders, script), script_placeholder=True)
    ref = locate(facts, cmd, script, "script")
    if ref.path is None and cmd.cwd is not None and not script.startswith("/"):
        return Analysis(cmd, "run", refs=(ref,), placeholders=placeholders)
    return Analysis(cmd, "run", refs=(ref, *_configs(facts, cmd)), placeholders=placeholders)


def _module(facts: Facts, cmd: Command, module: str, placeholders: tuple[str, ...]) -> Analysis:
    base = module.replace(".", "/")
    if cmd.cwd is None:
        return Analysis(cmd, "run", placeholders=placeholders, note=f"module {module}")
    for prefix in (cmd.cwd, "", "src"):
        for candidate in (f"{base}.py", f"{base}/__main__.py", f"{base}/__init__.py"):
            path = posixpath.join(prefix, candidate) if prefix else candidate
            if path in facts.entries:
                return Analysis(
                    cmd,
                    "run",
                    refs=(FileRef(module, path, True, "script"), *_configs(facts, cmd)),
                    placeholders=placeholders,
                )
    # `python -m some_installed_tool`: not a file of this repository
    return Analysis(cmd, "other", placeholders=placeholders, note=f"module {module} is not in the repository")


def _configs(facts: Facts, cmd: Command) -> list[FileRef]:
    cfg = data_table("readme")
    options = set(cfg["config_options"])
    exts = tuple(cfg["config_extensions"])
    refs = []
    words = list(cmd.words)
    for i, word in enumerate(words[1:], start=1):
        value = None
        if "=" in word and word.split("=", 1)[0] in options:
            value = word.split("=", 1)[1]
        elif word in options and i + 1 < len(words):
            value = words[i + 1]
        if value and value.lower().endswith(exts) and not is_placeholder(value):
            refs.append(locate(facts, cmd, value, "config"))
    return refs


def _install(facts: Facts, cmd: Command, words: list[str]) -> Analysis:
    """`pip install ...`: requirement files, local packages and named packages."""
    if len(words) < 2 or words[1] not in ("install", "sync"):
        return Analysis(cmd, "other")
    refs: list[FileRef] = []
    packages: list[str] = []
    args = words[2:]
    i = 0
    while i < len(args):
        word = args[i]
        if word in ("-r", "--requirement", "-c", "--constraint") and i + 1 < len(args):
            refs += _requirements(facts, locate(facts, cmd, args[i + 1], "requirements"))
            i += 2
            continue
        if word.startswith("--requirement="):
            refs += _requirements(facts, locate(facts, cmd, word.split("=", 1)[1], "requirements"))
        elif word.startswith("-r") and len(word) > 2:
            refs += _requirements(facts, locate(facts, cmd, word[2:], "requirements"))
        elif word in ("-e", "--editable") and i + 1 < len(args):
            refs.append(_local_package(facts, cmd, args[i + 1]))
            i += 2
            continue
        elif word in ("-f", "--find-links", "-i", "--index-url", "--extra-index-url", "--target", "-t"):
            i += 2
            continue
        elif word.startswith("-"):
            pass
        elif (word.startswith((".", "/")) and not word.startswith(".[")) or (
            "/" in word and "://" not in word and not word.startswith(("git+", "@"))
        ):  # a path, as pip reads an argument with a slash (`pip install models/csrc/`)
            refs.append(_local_package(facts, cmd, word))
        elif word.startswith(".["):
            refs.append(_local_package(facts, cmd, "."))
        elif (
            word.lower().endswith((".txt", ".in", ".yml", ".yaml"))
            and locate(facts, cmd, word, "requirements").exists
        ):
            # `pip install requirements.txt`: pip looks for a package of that name, -r is missing
            return Analysis(
                cmd, "install", refs=tuple(refs), broken=f"names the file {word} as a package (no -r)"
            )
        else:
            packages.append(word)
        i += 1
    return Analysis(cmd, "install", refs=tuple(refs), packages=tuple(packages))


def _requirements(facts: Facts, ref: FileRef, depth: int = 0) -> list[FileRef]:
    """A requirements file and the files it includes (`-r base.txt`, relative to its folder, as pip
    reads them): an include that is missing makes the install fail as surely as the file would."""
    text = facts.text(ref.path) if ref.exists and ref.path is not None else None
    if text is None or depth > 3:
        return [ref]
    out = [ref]
    for line in text.text.splitlines():
        include = requirement_include(line, text.path)
        if include is not None:
            written, path = include
            out += _requirements(
                facts, FileRef(written, path, path in facts.entries, "requirements"), depth + 1
            )
    return out


def _local_package(facts: Facts, cmd: Command, folder: str) -> FileRef:
    folder = re.sub(r"\[.*\]$", "", folder)
    head, _, rest = folder.strip("/").partition("/")
    mine = repo_name(facts)
    if mine is not None and head.lower() == mine[1] and head not in directories(facts):
        folder = rest or "."  # `pip install surface-distance/` after cloning it: this repository
    for marker in ("setup.py", "pyproject.toml", "setup.cfg"):
        ref = locate(facts, cmd, posixpath.join(folder, marker), "package")
        if ref.exists:
            return ref
    return FileRef(
        folder, locate(facts, cmd, posixpath.join(folder, "setup.py"), "package").path, False, "package"
    )


def _conda(facts: Facts, cmd: Command, words: list[str]) -> Analysis:
    """`conda env create` reads environment.yml unless told another file; but given package specs
    and no file (`mamba env create -n x python=3.10`) it is written for `conda create`, and read so."""
    args = words[1:]
    options = ("-n", "--name", "-p", "--prefix", "-c", "--channel")
    filed = "-f" in args or "--file" in args or any(w.startswith("--file=") for w in args)
    specs = [w for w in _positional_after_options(args[2:], options) if not w.endswith((".yml", ".yaml"))]
    if args[:2] == ["env", "create"] and not filed and specs:
        args = args[1:]
    if args[:2] in (["env", "create"], ["env", "update"]) or (args[:1] == ["create"] and filed):
        file = None
        for i, word in enumerate(args):
            if word in ("-f", "--file") and i + 1 < len(args):
                file = args[i + 1]
            elif word.startswith("--file="):
                file = word.split("=", 1)[1]
        ref = locate(facts, cmd, file or "environment.yml", "environment")
        text = facts.text(ref.path) if ref.path and ref.exists and args[:1] == ["env"] else None
        if text is not None and conda_export(text.text) is not None:
            why = f"{ref.path} is a `conda list --export`, which `conda env create` cannot read"
            return Analysis(cmd, "install", refs=(ref,), broken=why)
        return Analysis(cmd, "install", refs=(ref,))
    if args[:1] == ["create"]:
        return Analysis(cmd, "env", packages=tuple(_positional_after_options(args[1:], options)))
    if args[:1] == ["install"]:
        named = _positional_after_options(args[1:], options)
        files = [args[i + 1] for i, w in enumerate(args[:-1]) if w == "--file"]
        refs = tuple(locate(facts, cmd, f, "requirements") for f in files)
        return Analysis(cmd, "install", refs=refs, packages=tuple(named))
    return Analysis(cmd, "other")


def _positional_after_options(args: list[str], with_value: tuple[str, ...]) -> list[str]:
    out, skip = [], False
    for word in args:
        if skip:
            skip = False
        elif word in with_value:
            skip = True
        elif not word.startswith("-"):
            out.append(word)
    return out


def _tool_install(facts: Facts, cmd: Command, program: str) -> Analysis:
    words = cmd.words
    if program == "uv" or (len(words) > 1 and words[1] in ("install", "sync")):
        needs = {
            "poetry": "pyproject.toml",
            "pipenv": "Pipfile",
            "uv": "pyproject.toml",
            "pixi": "pixi.toml",
        }[program]
        ref = locate(facts, cmd, needs, "package")
        if program == "pixi" and not ref.exists:
            alt = locate(facts, cmd, "pyproject.toml", "package")
            ref = alt if alt.exists else ref
        extra = list(words[2:]) if program == "pipenv" else []
        if extra and not any(w.startswith("-") for w in extra):
            return Analysis(cmd, "install", packages=tuple(extra))
        return Analysis(cmd, "install", refs=(ref,))
    return Analysis(cmd, "other")


def _docker(facts: Facts, cmd: Command, words: list[str]) -> Analysis:
    if len(words) < 2:
        return Analysis(cmd, "other")
    if words[1] in ("container", "image") and len(words) > 2:  # `docker container run`, `docker image pull`
        words = [words[0], *words[2:]]
    if words[1] == "pull" and len(words) > 2:
        return Analysis(cmd, "install", packages=(words[-1],), note="container image", image=words[-1])
    if words[1] == "load":  # `docker load -i image.tar`, or `gzip -dc image.tar.gz | docker load`
        return Analysis(
            cmd, "install", packages=(words[-1],) if len(words) > 2 else (), note="container image"
        )
    if words[1] == "build":
        dockerfile, context, i = None, None, 2
        while i < len(words):
            word = words[i]
            if word in ("-f", "--file") and i + 1 < len(words):
                dockerfile, i = words[i + 1], i + 2
                continue
            if word in ("-t", "--tag", "--build-arg", "--target", "--platform") and i + 1 < len(words):
                i += 2
                continue
            if not word.startswith("-"):
                context = word
            i += 1
        path = dockerfile or posixpath.join(context or ".", "Dockerfile")
        return Analysis(cmd, "install", refs=(locate(facts, cmd, path, "dockerfile"),))
    if words[1] == "compose" and "build" in words[2:]:
        candidates = [locate(facts, cmd, n, "dockerfile") for n in data_table("readme")["compose_files"]]
        return Analysis(cmd, "install", refs=(next((c for c in candidates if c.exists), candidates[0]),))
    image = _docker_image(words[2:]) if words[1] == "run" else None
    if words[1] in ("run", "compose") and any(p.lower().endswith("dockerfile") for p in project_files(facts)):
        # the project's container, built from its Dockerfile, runs its code
        return Analysis(cmd, "run", console="docker", image=image)
    if image is not None and own_image(facts, image):
        # the project's published image runs its code (and holds its trained model)
        return Analysis(cmd, "run", console="docker", image=image)
    if image is not None and "/" not in image and cmd.doc in _loading_docs(facts):
        # a local image name in a README that loads an image from a file: the image it loaded
        return Analysis(cmd, "run", console="docker", image=image)
    return Analysis(cmd, "other", image=image)


@fact
def _loading_docs(facts: Facts) -> frozenset[str]:
    """Documents whose commands load a container image from a file (`docker load`)."""
    return frozenset(
        doc.path
        for doc in linked_documents(facts)
        if any(re.search(r"\bdocker\s+(image\s+)?load\b", b.text) for b in doc.code_blocks)
    )


def _tests(facts: Facts, cmd: Command) -> Analysis:
    """`pytest`: it runs the repository's code through its test suite, where it has one."""
    return Analysis(cmd, "run", console="pytest") if test_suite(facts) else Analysis(cmd, "other")


def _docker_image(args: list[str]) -> str | None:
    """The image of `docker run [options] IMAGE [command]`."""
    i = 0
    while i < len(args):
        word = args[i]
        if word.startswith("-"):
            i += 2 if word in data_table("readme")["docker_valued_options"] else 1
            continue
        return None if is_placeholder(word) else word
    return None


def own_image(facts: Facts, image: str) -> bool:
    """Whether a container image is the repository's own: published under its owner's name, or
    named after the repository (`lab/segtool`, `segtool:latest`), not a base image of others."""
    mine = repo_name(facts)
    if mine is None:
        return False
    path = image.split("@", 1)[0].rsplit(":", 1)[0] if "/" in image or ":" in image else image
    parts = [p for p in path.lower().split("/") if p]
    parts = parts[1:] if len(parts) > 2 or (parts and "." in parts[0]) else parts  # a registry host
    owner, name = norm_name(mine[0]), norm_name(mine[1])
    namespace, leaf = (parts[0], parts[-1]) if len(parts) > 1 else ("", parts[-1] if parts else "")
    return bool(leaf) and (
        (bool(owner) and norm_name(namespace) == owner)
        or norm_name(leaf) == name
        or (len(name) >= 4 and name in norm_name(leaf))
    )


_EXPLAINS = re.compile(
    r"^\W*(can be|could be|may be|is one of|are one of|one of|choose from|options are|either|is any of"
    r"|from the list)\b",
    re.I,
)
# The names of the slots in a word (`demo/{NET_NAME}_scratch.cfg`, `<model>.yaml`).
_SLOT_NAMES = re.compile(r"\{(\w+)\}|<(\w+)>")


def _explained_word(word: str, explained: frozenset[str]) -> bool:
    """A slot the document lists the values of, alone or inside a word (`demo/{NET_NAME}.cfg`
    with "where `NET_NAME` could be `fmunet` or `pctnet`")."""
    if word in explained:
        return True
    names = [a or b for a, b in _SLOT_NAMES.findall(word)]
    return bool(names) and all(
        n in explained or f"{{{n}}}" in explained or f"<{n}>" in explained for n in names
    )


@fact
def _explained(facts: Facts) -> dict[str, frozenset[str]]:
    """Per document, the slots it explains with their values ("Here `MODEL_NAME` can be: …")."""
    out: dict[str, frozenset[str]] = {}
    for doc in linked_documents(facts):
        names = set()
        texts = {t.line: t.text for t in doc.texts}
        for code in doc.inline_code:
            text = texts.get(code.line, "")
            at = text.find(code.text)
            if at >= 0 and _EXPLAINS.match(text[at + len(code.text) :]):
                names.add(code.text.strip())
        out[doc.path] = frozenset(names)
    return out


_ASSIGNS = re.compile(r"^\s*(?:export\s+)?([A-Za-z_]\w*)=[^\s=]", re.MULTILINE)
_VARIABLE = re.compile(r"\$\{?([A-Za-z_]\w*)\}?")


@fact
def _assigned(facts: Facts) -> dict[str, frozenset[str]]:
    """Per document, the shell variables its code blocks set (`model=gpt3-xl`, `export DATA=…`)."""
    return {
        doc.path: frozenset(m.group(1) for b in doc.code_blocks for m in _ASSIGNS.finditer(b.text))
        for doc in linked_documents(facts)
    }


def _filled(word: str, assigned: frozenset[str]) -> bool:
    """A slot that is only shell variables the document set before (`--model=${model}`): concrete."""
    names = _VARIABLE.findall(word)
    if not names or any(n not in assigned for n in names):
        return False
    return not is_placeholder(_VARIABLE.sub("value", word))


def explained_slots(facts: Facts, doc: str) -> frozenset[str]:
    """Slots of commands that the document lists the values of: a choice, not a template."""
    return _explained(facts).get(doc, frozenset())


@dataclass
class ReadmeCommands:
    """All commands of the README and the documents it links, analysed."""

    analyses: list[Analysis] = field(default_factory=list)

    def of_kind(self, *kinds: CommandKind) -> list[Analysis]:
        return [a for a in self.analyses if a.kind in kinds]


@fact
def readme_commands(facts: Facts) -> ReadmeCommands:
    result = ReadmeCommands()
    for doc in linked_documents(facts):
        for command in commands_of(doc, facts):
            result.analyses.append(analyse(facts, command))
    return result
