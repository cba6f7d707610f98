"""Data files shipped with the package (host tables, statement patterns, the default corpus)."""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

import yaml

DEFAULT_CORPUS_NAME = "hf-papers-medical-imaging.txt"


@cache
def load_yaml(name: str) -> Any:
    return yaml.safe_load(files("auditor").joinpath("data").joinpath(name).read_text(encoding="utf-8"))


def default_corpus() -> Path:
    return Path(str(files("auditor").joinpath("data").joinpath(DEFAULT_CORPUS_NAME)))
