"""Data files shipped with the package (host tables, statement patterns, the default corpus)."""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

import yaml

DEFAULT_CORPUS_NAME = "hf-papers-medical-imaging.txt"


# libyaml's safe loader when PyYAML was built with it (its wheels are): the same documents, parsed
# ten times faster than by the pure-Python one.
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def safe_load(text: str) -> Any:
    """YAML as `yaml.safe_load` reads it: plain data, never objects."""
    return yaml.load(text, Loader=_SAFE_LOADER)


def parse_toml(text: str) -> dict[str, Any]:
    """TOML as plain data (tomllib: no aliases, no objects); ValueError for invalid TOML."""
    import tomllib

    return tomllib.loads(text)


@cache
def load_yaml(name: str) -> Any:
    return safe_load(files("auditor").joinpath("data").joinpath(name).read_text(encoding="utf-8"))


def data(name: str) -> dict[str, Any]:
    """A table of auditor/data by its name (`files`, `code`, `weights` …), loaded once."""
    table: dict[str, Any] = load_yaml(f"{name}.yaml")
    return table


def file_families() -> dict[str, list[str]]:
    """File names and extensions by family (README, license, dependency files …): files.yaml."""
    return data("files")


def default_corpus() -> Path:
    return Path(str(files("auditor").joinpath("data").joinpath(DEFAULT_CORPUS_NAME)))
