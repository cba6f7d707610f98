"""Data files shipped with the package (host tables, statement patterns, file families, the
default corpus), loaded once each; the YAML files stand beside this module."""

from __future__ import annotations

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
