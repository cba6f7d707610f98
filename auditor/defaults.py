"""Defaults the command line shows in its help, kept apart from the stages that use them: parsing
arguments (and `auditor --help`) loads none of those stages."""

DEFAULT_CHECKLIST = "midl"
DEFAULT_API = "https://api.github.com"
DEFAULT_MAX_WAIT = 60.0
DEFAULT_CLONE_URL = "https://{host}/{owner}/{name}.git"
# Workers mostly wait for answers; per-host limits, not this number, keep hosts from being pressed.
DEFAULT_JOBS = 8
DEFAULT_KEEP = 30
DEFAULT_MAX_FAILED = 25.0  # percent of the repositories
DEFAULT_MAX_PAPERS = 500

# `auditor diff --fail-on KIND`: the changes a CI job can fail on, each with what it means.
FAIL_ON = {
    "new-failures": "a checklist item fails that did not before",
    "lower-scores": "a repository scores lower than before",
    "link-rot": "a repository audited before could not be audited now (deleted, private, unreachable)",
    "dead-artifacts": "a weights, data or demo link that was available is gone or restricted",
    "removed": "a repository is no longer in the report (no paper links it)",
}
