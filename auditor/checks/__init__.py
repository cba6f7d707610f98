"""Checks: small pure functions of a repository snapshot, registered by checklist item id.

A check returns a `Finding`; it never does I/O (beyond the snapshot's reader) and never prints.
Importing this package registers every check module listed below. Check modules share helpers
(`markdown`, `readmes`, `commands`, `vendored`, `kind`, and `probed`: what the artifact stage found
about links), never each other.
"""

from auditor.checks import citation as _citation  # noqa: F401  (registers checks)
from auditor.checks import code as _code  # noqa: F401
from auditor.checks import data_instructions as _data_instructions  # noqa: F401
from auditor.checks import dependencies as _dependencies  # noqa: F401
from auditor.checks import license as _license  # noqa: F401
from auditor.checks import readme as _readme  # noqa: F401
from auditor.checks import results as _results  # noqa: F401
from auditor.checks import weights as _weights  # noqa: F401
from auditor.checks.base import REGISTRY, Finding, check

__all__ = ["REGISTRY", "Finding", "check"]
