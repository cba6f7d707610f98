"""Finding training and evaluation code in a tree, shared by the code and weights checks.

A file is training code when it runs a training loop or a trainer (an optimizer step, `fit`,
a Lightning or nnU-Net trainer), evaluation code when it computes metrics or runs a model in
inference mode; a name that says so (`train_*.py`, `evaluate.py`) makes weaker signs count. Shell
scripts count when they launch such scripts; notebooks are read like scripts.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Literal

from auditor.facts.commands import readme_commands
from auditor.facts.documents import linked_documents, resolve
from auditor.facts.kind import source_files
from auditor.facts.repository import Facts, fact
from auditor.facts.text import line_at, line_text, snippet
from auditor.resources import data, file_families

# The two kinds of code searched for (each a table of `code.yaml`).
Family = Literal["training", "evaluation"]
# Files read for their content, most promising names first.
MAX_READ = 600
# Files reported: one decides the verdict, a few show a reviewer where the code is. Reading on
# for more would scan every remaining source file of a large repository for nothing.
MAX_HITS = 3
# A file whose name says training but holds fewer lines than this is a stub.
MIN_LINES = 8
# A script meant to be run: a named file that is one is taken at its name.
_RUNNABLE = re.compile(r"^if __name__ == ['\"]__main__['\"]|\bargparse\b|\b(click|fire|typer|hydra)\b", re.M)


@dataclass(frozen=True)
class Hit:
    path: str
    line: int | None
    note: str


@dataclass(frozen=True)
class _Rules:
    family: Family
    names: re.Pattern[str]
    lead: re.Pattern[str]
    strong: list[re.Pattern[str]]
    weak: list[re.Pattern[str]]
    shell: re.Pattern[str]


@cache
def _rules(family: Family) -> _Rules:
    cfg = data("code")[family]
    return _Rules(
        family=family,
        names=re.compile(cfg["names"], re.IGNORECASE),
        lead=re.compile(cfg["lead_names"], re.IGNORECASE),
        strong=[re.compile(p) for p in cfg["strong"]],
        weak=[re.compile(p) for p in cfg["weak"]],
        shell=re.compile(cfg["shell"]),
    )


def _name_match(path: str, family: Family) -> bool:
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
        (named if _name_match(path, family) else unnamed).append(path)
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
    cfg = data("code")
    *folders, name = path.lower().split("/")
    in_test_dir = any(d in cfg["unit_test_dirs"] for d in folders)
    text = facts.text(path)
    imports = bool(text and re.search(cfg["unit_test_imports"], text.text, re.MULTILINE))
    return imports or (in_test_dir and name.startswith("test_"))


def _judge(path: str, body: str | None, rules: _Rules, large: bool) -> Hit | None:
    """Whether one file is code of the family, and the line that shows it."""
    named = _name_match(path, rules.family)
    lead = bool(rules.lead.match(path.lower().rpartition("/")[2]))
    if body is None:
        return Hit(path, None, "named for it; too large to read") if lead and large else None
    if path.lower().endswith((".sh", ".bash", ".slurm", ".bat")):
        m = rules.shell.search(body) or (
            re.search(r"\b(python\d?|torchrun|accelerate)\b", body) if lead else None
        )
        return Hit(path, line_at(body, m.start()), snippet(line_text(body, m.start()))) if m else None
    strong = next((m for p in rules.strong if (m := p.search(body))), None)
    if strong:
        return Hit(path, line_at(body, strong.start()), snippet(line_text(body, strong.start())))
    weak = [m for p in rules.weak if (m := p.search(body))]
    if weak and (named or len(weak) >= 2):
        return Hit(path, line_at(body, weak[0].start()), snippet(line_text(body, weak[0].start())))
    if (lead or (named and _RUNNABLE.search(body))) and body.count("\n") >= MIN_LINES:
        return Hit(path, None, "named for it")
    return None


@fact
def training_hits(facts: Facts) -> list[Hit]:
    return find(facts, "training")


@fact
def evaluation_hits(facts: Facts) -> list[Hit]:
    return find(facts, "evaluation")


def find(facts: Facts, family: Family) -> list[Hit]:
    """Files that are code of `family` (training or evaluation), with the line that shows it.

    Files named for the family are read first; the others only until one is found: the verdict
    is then made, and a few more examples are not worth reading hundreds of files."""
    rules = _rules(family)
    named, unnamed = _split_by_name(candidate_files(facts), family)
    hits: list[Hit] = []
    for path in itertools.islice(itertools.chain(named, _lazy_ranked(unnamed)), MAX_READ):
        if hits and path not in named:
            break
        text = facts.text(path)
        hit = _judge(path, text.text if text else None, rules, facts.entries[path].size is None)
        if hit is not None and not _is_unit_test(facts, path):
            hits.append(hit)
        if len(hits) >= MAX_HITS:
            break
    return hits
