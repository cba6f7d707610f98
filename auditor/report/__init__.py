"""Over finished reports: statistics, diffs, the --fail-under gate, merging and sharding, the run's
journal, the JSON Schema, and writing and reading report files."""

# What the command line shows in its help stands here, in the package's face: parsing arguments
# (and `auditor --help`) loads none of the stage's modules.
DEFAULT_KEEP = 30
DEFAULT_MAX_FAILED = 25.0  # percent of the repositories

# `auditor diff --fail-on KIND`: the changes a CI job can fail on, each with what it means.
FAIL_ON = {
    "new-failures": "a checklist item fails that did not before",
    "lower-scores": "a repository scores lower than before",
    "link-rot": "a repository audited before could not be audited now (deleted, private, unreachable)",
    "dead-artifacts": "a weights, data or demo link that was available is gone or restricted",
    "removed": "a repository is no longer in the report (no paper links it)",
}
