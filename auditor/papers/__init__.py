"""Papers in, links out: corpus files read, each abstract's code links and code statements found."""
