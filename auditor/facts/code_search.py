"""Finding training and evaluation code in a tree, shared by the code and weights checks.

A file is training code when it runs a training loop or a trainer (an optimizer step, `fit`,
a Lightning or nnU-Net trainer), evaluation code when it computes metrics or runs a model in
inference mode; a name that says so (`train_*.py`, `evaluate.py`) makes weaker signs count. Shell
scripts count when they launch such scripts; notebooks are read like scripts.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterable, Iterator
from functools import cache, lru_cache
from typing import Literal, NamedTuple

from auditor.data import data_table, file_families
from auditor.facts.commands import console_script_targets, readme_commands
from auditor.facts.documents import linked_documents, mentioned_paths, resolve
from auditor.facts.kind import code_promise
from auditor.facts.repository import Facts, fact
from auditor.facts.sources import code_text, source_files
from auditor.facts.text import line_at, line_text, snippet
from auditor.facts.vendored import project_files
from auditor.facts.weights import code_weight_links, negatives, tree_weights, weight_links
from auditor.models import Evidence

# The two kinds of code searched for (each a table of `code.yaml`).
Family = Literal["training", "evaluation"]
# Files read for their content, most promising names first.
MAX_READ = 600
# Files reported: one decides the verdict, a few show a reviewer where the code is. Reading on
# for more would scan every remaining source file of a large repository for nothing.
MAX_HITS = 3
# A file whose name says training but holds fewer lines than this is a stub.
MIN_LINES = 8
# Scripting languages whose files are scripts unless they only define a function.
_SCRIPT_LANGUAGES = (".m", ".r", ".jl")
# A Python script meant to be run: a named file that is one is taken at its name.
_RUNNABLE = re.compile(r"^if __name__ == ['\"]__main__['\"]|\bargparse\b|\b(click|fire|typer|hydra)\b", re.M)


class Hit(NamedTuple):
    path: str
    line: int | None
    note: str


class _Rules(NamedTuple):
    family: Family
    names: re.Pattern[str]
    lead: re.Pattern[str]
    strong: list[re.Pattern[str]]
    by_extension: dict[str, list[str]]  # strong patterns of other languages (`_strong_in`)
    weak: list[re.Pattern[str]]
    shell: re.Pattern[str]
    # A line that matches a pattern but does something else (fits a label encoder, optimises an
    # image or a transformation rather than a model's parameters).
    not_it: re.Pattern[str] | None


@cache
def _template() -> re.Pattern[str]:
    return re.compile(data_table("code")["template_code"])


@cache
def _rules(family: Family) -> _Rules:
    cfg = data_table("code")[family]
    return _Rules(
        family=family,
        names=re.compile(cfg["names"], re.IGNORECASE),
        lead=re.compile(cfg["lead_names"], re.IGNORECASE),
        strong=[re.compile(p) for p in cfg["strong"]],
        by_extension=cfg.get("strong_by_extension", {}),
        weak=[re.compile(p) for p in cfg["weak"]],
        shell=re.compile(cfg["shell"]),
        not_it=re.compile(cfg["not_it"]) if cfg.get("not_it") else None,
    )


@cache
def _strong_in(family: Family, extension: str) -> list[re.Pattern[str]]:
    """The strong patterns of a language other than Python, compiled where a file of it is read."""
    return [re.compile(p) for p in _rules(family).by_extension[extension]]


def named_for(path: str, family: Family) -> bool:
    """Whether the file's name (before its first dot) or one of its folders names the family.
    The caches are keyed by the family's name: hashing a compiled pattern hashes its whole code."""
    folder, _, name = path.lower().rpartition("/")
    return _stem_named(name.split(".")[0], family) or _folder_named(folder, family)


@lru_cache(maxsize=16384)  # `utils`, `model`, `__init__`: a tree repeats its file names
def _stem_named(stem: str, family: Family) -> bool:
    return bool(_rules(family).names.search(stem))


@lru_cache(maxsize=4096)  # a tree has far fewer folders than files
def _folder_named(folder: str, family: Family) -> bool:
    names = _rules(family).names
    return any(names.fullmatch(d) for d in folder.split("/")) if folder else False


def _ranked(paths: Iterable[str]) -> list[str]:
    """Shallow files first, then by path."""
    return sorted(paths, key=lambda p: (p.count("/"), p))


def _split_by_name(paths: list[str], family: Family) -> tuple[dict[str, None], list[str]]:
    """The files named for the family, ranked (an ordered set), and the others, unranked."""
    named: list[str] = []
    unnamed: list[str] = []
    for path in paths:
        (named if named_for(path, family) else unnamed).append(path)
    return dict.fromkeys(_ranked(named)), unnamed


def _lazy_ranked(paths: list[str]) -> Iterator[str]:
    """`paths` ranked, sorted only if asked for: when a named file shows the code, the thousands
    of others are never looked at."""
    yield from _ranked(paths)


@fact
def candidate_files(facts: Facts) -> list[str]:
    """Project source files, plus vendored files the README uses: scripts its commands run and
    code files it points the reader at (`nnUNet/nnunetv2/training/myTrainer.py`)."""
    files = list(source_files(facts))
    seen = set(files)
    named: list[str] = [
        ref.path for a in readme_commands(facts).of_kind("run") for ref in a.refs if ref.exists and ref.path
    ]
    exts = tuple(file_families()["code_extensions"])
    for doc in linked_documents(facts):
        words = [w for c in doc.inline_code for w in c.text.split()]
        words += [w for b in doc.code_blocks for w in b.text.split() if "/" in w]
        for word in words:
            if word.lower().endswith(exts):
                target = resolve(facts, doc.path, word.strip("`'\""))
                if target is not None and target.exists and not target.is_dir:
                    named.append(target.path)
    for path in named:
        if path not in seen and path in facts.entries:
            files.append(path)
            seen.add(path)
    return files


def _is_unit_test(facts: Facts, path: str) -> bool:
    cfg = data_table("code")
    *folders, name = path.lower().split("/")
    in_test_dir = any(d in cfg["unit_test_dirs"] for d in folders)
    text = facts.text(path)
    imports = bool(text and re.search(cfg["unit_test_imports"], text.text, re.MULTILINE))
    return imports or (in_test_dir and name.startswith(("test_", "test-")))


def _at(path: str, body: str, offset: int) -> Hit:
    """A hit at `offset` of the code read; a notebook's code is its cells joined, whose line
    numbers are not the file's, so the line of a notebook is left out (the snippet shows it)."""
    line = None if path.lower().endswith(".ipynb") else line_at(body, offset)
    return Hit(path, line, snippet(line_text(body, offset)))


def _runnable(path: str, body: str) -> bool:
    """A script meant to be run, not a module of definitions: in Python an entry point or an
    argument parser; in MATLAB, R or Julia a file that does not only define a function; a
    notebook."""
    if path.lower().endswith(".ipynb"):
        return True
    if path.lower().endswith(_SCRIPT_LANGUAGES):
        first = next(
            (ln.strip() for ln in body.splitlines() if ln.strip() and not ln.lstrip().startswith(("%", "#"))),
            "",
        )
        return not first.startswith("function")
    return bool(_RUNNABLE.search(body))


def _genuine(
    pattern: re.Pattern[str], body: str, first: re.Match[str], rules: _Rules, others: Callable[[], bool]
) -> re.Match[str] | None:
    """From the first match of `pattern`, the first that is what it seems: not on a line that does
    something else, and not an optimiser step in a project whose optimisers all fit something
    other than a model (`others`, asked only when such a step is met)."""
    if rules.not_it is None:
        return first
    for m in pattern.finditer(body, first.start()):
        if rules.not_it.search(line_text(body, m.start())):
            continue
        if ".step" in m.group() and others():
            continue
        return m
    return None


def _judge(
    path: str, body: str | None, rules: _Rules, unread: str | None, others: Callable[[], bool] = lambda: False
) -> Hit | None:
    """Whether one file is code of the family, and the line that shows it. A file that could not
    be read (`unread` says why) counts by its name alone. A template for the reader's own model
    (`your_model()`) is not the method's code: asked only of a file that would count, as most do not."""
    if body is None:
        lead = bool(rules.lead.match(path.lower().rpartition("/")[2]))
        return Hit(path, None, f"named for it; {unread}") if lead and unread else None
    hit = _judge_text(path, body, rules, others)
    return None if hit is not None and _template().search(body) else hit


def _judge_text(path: str, body: str, rules: _Rules, others: Callable[[], bool]) -> Hit | None:
    named = named_for(path, rules.family)
    lead = bool(rules.lead.match(path.lower().rpartition("/")[2]))
    if path.lower().endswith((".sh", ".bash", ".slurm", ".bat")):
        m = rules.shell.search(body) or (
            re.search(r"\b(python\d?|torchrun|accelerate)\b", body) if lead else None
        )
        return _at(path, body, m.start()) if m else None
    extension = "." + path.lower().rpartition(".")[2]
    patterns = _strong_in(rules.family, extension) if extension in rules.by_extension else rules.strong
    # one C-level search per pattern; the Python-level check only for what it found
    strong = next(
        (g for p in patterns if (m := p.search(body)) and (g := _genuine(p, body, m, rules, others))), None
    )
    if strong:
        return _at(path, body, strong.start())
    weak = [g for p in rules.weak if (m := p.search(body)) and (g := _genuine(p, body, m, rules, others))]
    if weak and (named or len(weak) >= 2):
        return _at(path, body, weak[0].start())
    # A MATLAB or R file is a script more often than not: only its name's start says training.
    loose = rules.family == "training" and path.lower().endswith(_SCRIPT_LANGUAGES)
    if (lead or (named and not loose and _runnable(path, body))) and body.count("\n") >= MIN_LINES:
        return Hit(path, None, "named for it")
    return None


_OPTIMISER = re.compile(r"optim\.\w+\(|\b(Adam|AdamW|SGD|LBFGS|RMSprop)\(")


@fact
def _fits_no_model(facts: Facts) -> bool:
    """Whether every optimiser the project builds fits something other than a model (an image's
    transformation, an attribution mask): its optimiser steps then train nothing."""
    rules = _rules("training")
    built = 0
    for path in candidate_files(facts)[:MAX_READ]:
        body = code_text(facts, path)
        if body is None or "optim" not in body:
            continue
        for m in _OPTIMISER.finditer(body):
            built += 1
            if rules.not_it is None or not rules.not_it.search(line_text(body, m.start())):
                return False
    return built > 0


# Why a file's code was not read: over the clone's size limit (its size is not known), or its read
# failed (a fetch that failed, a file that is not text).
TOO_LARGE = "too large to read"
READ_FAILED = "could not be read"


class Search(NamedTuple):
    """What a search for one family found, and the files it tried but could not read (with why)."""

    hits: list[Hit]
    unread: dict[str, str]


@fact
def training_hits(facts: Facts) -> list[Hit]:
    return training_search(facts).hits


@fact
def evaluation_hits(facts: Facts) -> list[Hit]:
    return evaluation_search(facts).hits


@fact
def training_search(facts: Facts) -> Search:
    return find(facts, "training")


@fact
def evaluation_search(facts: Facts) -> Search:
    return find(facts, "evaluation")


def find(facts: Facts, family: Family) -> Search:
    """Files that are code of `family` (training or evaluation), with the line that shows it.

    Files named for the family are read first; the others only until one is found: the verdict
    is then made, and a few more examples are not worth reading hundreds of files. A file whose
    text is None was not read, whatever the reason: it is never taken for an empty one."""
    rules = _rules(family)
    named, unnamed = _split_by_name(candidate_files(facts), family)
    hits: list[Hit] = []
    unread: dict[str, str] = {}
    for path in itertools.islice(itertools.chain(named, _lazy_ranked(unnamed)), MAX_READ):
        if hits and path not in named:
            break
        body = code_text(facts, path)
        if body is None:
            unread[path] = TOO_LARGE if facts.entries[path].size is None else READ_FAILED
        hit = _judge(path, body, rules, unread.get(path), lambda: _fits_no_model(facts))
        if hit is not None and not _is_unit_test(facts, path):
            hits.append(hit)
        if len(hits) >= MAX_HITS:
            break
    return Search(hits, unread)


@fact
def code_to_come(facts: Facts) -> Evidence | None:
    """The README's promise that the code is still to come, where no training or evaluation code
    is there yet: a placeholder, whatever helper files it holds. Its install steps set up code
    that is not there, and the models that code would train are not released."""
    promise = code_promise(facts)
    if promise is None or training_hits(facts) or evaluation_hits(facts):
        return None
    return promise


@fact
def training_said(facts: Facts) -> Evidence | None:
    """What says that the project trains a model of its own, where no training code is found:
    its trained weights (in the tree, or linked as its own), training instructions in the README
    (a training section, a command that runs a training script) or a file named for training
    (an empty stub, a notebook too large to read). Importing a framework does not: a tool, a
    zero-shot method or an evaluation library imports one and trains nothing."""
    real = [w for w in tree_weights(facts) if w.how != "stub"]
    if real:
        return Evidence(path=real[0].path, note="trained weights in the tree")
    own = [c for c in weight_links(facts) if c.kind == "own"]
    if own:
        return Evidence(
            path=own[0].doc, line=own[0].link.line, url=own[0].link.url, note="its trained weights"
        )
    downloaded = code_weight_links(facts)  # a script that downloads the released models
    if downloaded:
        return downloaded[0].model_copy(update={"note": f"its trained weights, {downloaded[0].note}"})
    # weights promised, on request or withheld are weights of a model it trained
    said = [n for n in negatives(facts) if n.kind in ("promised", "request", "withheld")]
    if said:
        return said[0].evidence.model_copy(
            update={"note": f"its weights are {said[0].kind}: {said[0].evidence.note}"}
        )
    lead = _rules("training").lead
    for a in readme_commands(facts).of_kind("run"):
        for ref in a.refs:
            if ref.role == "script" and lead.match(ref.written.rpartition("/")[2].lower()):
                return Evidence(path=a.command.doc, line=a.command.line, note=snippet(a.command.text))
    heading = re.compile(data_table("code")["training_headings"], re.IGNORECASE)
    for doc in linked_documents(facts):
        for h in doc.headings:
            if heading.search(h.title):
                return Evidence(path=doc.path, line=h.line, note=f"heading: {snippet(h.title)}")
    exts = tuple(file_families()["code_extensions"])
    for path in project_files(facts):
        name = path.rpartition("/")[2].lower()
        if name.endswith(exts) and lead.match(name):
            return Evidence(path=path, note="a file named for training")
    return network_defined(facts)


_NETWORK = re.compile(
    r"^\s*class \w+\(\s*[\w.]*(Module|LightningModule|keras\.Model|Model)\s*\)", re.MULTILINE
)
_LAYERS = re.compile(
    r"\b(nn|layers)\.(Conv\w*|Linear|Dense|Sequential|LSTM|GRU|Embedding|Transformer\w*|MultiheadAttention|\w*Norm\w*)\("
)


@fact
def network_defined(facts: Facts) -> Evidence | None:
    """A neural network the project defines (a module class built of layers): a network of its
    own is a model it trains. A module without layers (an image transformation fitted by an
    optimiser) is not."""
    python = [p for p in candidate_files(facts) if p.lower().endswith((".py", ".ipynb"))]
    for path in python[:MAX_READ]:
        body = code_text(facts, path)
        if body is None or ("Module)" not in body and "Model)" not in body):
            continue  # a plain substring test first: most files define no module class
        m = _NETWORK.search(body)
        if m and _LAYERS.search(body):
            line = None if path.lower().endswith(".ipynb") else line_at(body, m.start())
            return Evidence(path=path, line=line, note=f"a network of its own: {snippet(m.group())}")
    return None


_REPRODUCES = re.compile(
    r"\b(reproduc\w*|replicat\w*|results?|fig(ure)?s?\b|tables?\b|evaluat\w*|benchmark\w*|demo\w*)", re.I
)


@fact
def readme_runners(facts: Facts) -> list[Hit]:
    """Source files the README names where it says they reproduce the paper's results or figures
    ("running Example.m gives Fig. 1", "scripts/cameraman.jl: reproduces the demonstrations")."""
    exts = tuple(file_families()["code_extensions"])
    hits: list[Hit] = []
    docs = linked_documents(facts)
    for doc in docs[:1]:
        lines = {t.line: t.text for t in doc.texts}
        for mention in mentioned_paths(facts, doc):
            path = mention.target.path
            if (
                mention.by_name
                or not mention.target.exists
                or mention.target.is_dir
                or not path.lower().endswith(exts)
            ):
                continue
            line = lines.get(mention.line, "")
            if _REPRODUCES.search(line) and path not in {h.path for h in hits}:
                hits.append(Hit(path, None, f"{doc.path}:{mention.line} {snippet(line)}"))
    return hits


@fact
def entry_points(facts: Facts) -> list[Hit]:
    """The project's code that a user runs: scripts its README's commands run, console scripts
    its packaging declares, notebooks, Python scripts with an entry point, apps (Streamlit,
    Gradio), and MATLAB, R or Julia scripts."""
    hits: list[Hit] = []
    seen: set[str] = set()

    def add(hit: Hit) -> None:
        if hit.path not in seen:
            seen.add(hit.path)
            hits.append(hit)

    for a in readme_commands(facts).of_kind("run"):
        for ref in a.refs:
            if ref.role == "script" and ref.exists and ref.path:
                add(Hit(ref.path, None, f"run by the README: {snippet(a.command.text)}"))
    for name, (path, line) in console_script_targets(facts).items():
        add(Hit(path, line, f"console script {name}"))
    app = re.compile(r"^\s*(import|from)\s+(streamlit|gradio)\b", re.MULTILINE)
    scripts = [p for p in source_files(facts) if p.lower().endswith((".py", ".ipynb", *_SCRIPT_LANGUAGES))]
    for path in scripts[:MAX_READ]:
        lower = path.lower()
        body = code_text(facts, path)
        if body is None or body.count("\n") < MIN_LINES:
            continue
        if lower.endswith(".py") and app.search(body):
            note = "an app the user runs"
        elif lower.endswith(".ipynb") or (
            _runnable(path, body) and (not lower.endswith(".py") or "__main__" in body)
        ):
            note = "a script the user runs"
        else:
            continue
        if not _is_unit_test(facts, path):  # asked of what would count only: it reads the file again
            add(Hit(path, None, note))
        if len(hits) >= MAX_HITS:
            break
    return hits
