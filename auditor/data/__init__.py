"""Data files shipped with the package (host tables, statement patterns, file families, the
default corpus), loaded once each; the YAML files stand beside this module."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

from auditor.data.parse import safe_load

DEFAULT_CORPUS_NAME = "hf-papers-medical-imaging.txt"


@cache
def load_yaml(name: str) -> Any:
    return safe_load(files(__name__).joinpath(name).read_text(encoding="utf-8"))


def data_table(name: str) -> dict[str, Any]:
    """A table of auditor/data by its name (`files`, `code`, `weights` …), loaded once."""
    table: dict[str, Any] = load_yaml(f"{name}.yaml")
    return table


def file_families() -> dict[str, list[str]]:
    """File names and extensions by family (README, license, dependency files …): files.yaml."""
    return data_table("files")


def default_corpus() -> Path:
    return Path(str(files(__name__).joinpath(DEFAULT_CORPUS_NAME)))


class Patterns(Mapping[str, "re.Pattern[str]"]):
    """Regular expressions by name, each compiled when first asked for: a check of one repository
    uses only some of a table's patterns, and compiling all of them costs a short process (an
    `auditor check`) more than matching them."""

    def __init__(self, sources: Mapping[str, str], flags: int = 0) -> None:
        self._sources = sources
        self._flags = flags
        self._compiled: dict[str, re.Pattern[str]] = {}

    def __getitem__(self, name: str) -> re.Pattern[str]:
        compiled = self._compiled.get(name)
        if compiled is None:
            compiled = self._compiled[name] = re.compile(self._sources[name], self._flags)
        return compiled

    def __iter__(self) -> Iterator[str]:
        return iter(self._sources)

    def __len__(self) -> int:
        return len(self._sources)
