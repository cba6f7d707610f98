"""Over finished reports: statistics, diffs, the --fail-under gate, merging and sharding, the run's
journal, the JSON Schema, and writing and reading report files."""
