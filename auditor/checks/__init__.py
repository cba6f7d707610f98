"""Checks: small pure functions of a repository snapshot, registered by checklist item id.

A check returns a `Finding`; it never does I/O (beyond the snapshot's reader) and never prints.
Importing this package registers every check module listed below.
"""

from auditor.checks import files as _files  # noqa: F401  (registers checks)
from auditor.checks.base import REGISTRY, Finding, check

__all__ = ["REGISTRY", "Finding", "check"]
