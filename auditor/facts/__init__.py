"""What is true of a repository snapshot: its documents, commands, code, kind, weights and data
links. No verdicts here, and no I/O beyond the snapshot's own reader; `checks` draws the verdicts."""
