"""The JSON Schema of report.json, generated from the pydantic models.

The generated text is committed (`schema/report.schema.json`) so consumers can validate reports
without installing the tool; a test keeps the file equal to what this module generates.
"""

from __future__ import annotations

import json
from typing import Any

from auditor.models import SCHEMA_VERSION, Report

SCHEMA_PATH = "schema/report.schema.json"
_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def report_schema() -> dict[str, Any]:
    schema = Report.model_json_schema(mode="validation")
    return {
        "$schema": _DIALECT,
        **schema,
        "title": f"auditor report, schema version {SCHEMA_VERSION}",
    }


def schema_text() -> str:
    return json.dumps(report_schema(), indent=2, ensure_ascii=False, sort_keys=True) + "\n"
