"""Checklists are data (`checklists/*.yaml`), validated into the `Checklist` model."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

import yaml
from pydantic import ValidationError

from auditor.checks import DEFAULT_CHECKLIST
from auditor.data.parse import safe_load
from auditor.models import Checklist


class ChecklistError(ValueError):
    pass


def available() -> list[str]:
    """Ids of the checklists shipped with the tool."""
    folder = files("auditor").joinpath("checklists")
    return sorted(p.name.removesuffix(".yaml") for p in folder.iterdir() if p.name.endswith(".yaml"))


def load(name_or_path: str = DEFAULT_CHECKLIST) -> Checklist:
    """A shipped checklist by id, or a checklist YAML file by path."""
    path = Path(name_or_path)
    if path.suffix in (".yaml", ".yml") and path.exists():
        text, origin = path.read_text(encoding="utf-8"), str(path)
    elif name_or_path in available():
        resource = files("auditor").joinpath("checklists").joinpath(f"{name_or_path}.yaml")
        text, origin = resource.read_text(encoding="utf-8"), f"{name_or_path}.yaml"
    else:
        raise ChecklistError(f"no checklist {name_or_path!r}; shipped: {', '.join(available())}")
    try:
        checklist = Checklist.model_validate(safe_load(text))
    except (yaml.YAMLError, ValidationError) as err:
        raise ChecklistError(f"invalid checklist {origin}: {err}") from err
    ids = [item.id for item in checklist.items]
    if len(ids) != len(set(ids)):
        raise ChecklistError(f"invalid checklist {origin}: duplicate item ids")
    return checklist
