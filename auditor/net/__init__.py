"""The network policy every outgoing request passes: one address policy, one HTTP transport,
per-host politeness."""

# What the command line shows in its help stands here, in the package's face: parsing arguments
# (and `auditor --help`) loads none of the package's modules.
# The longest wait a rate limit may ask of a client; beyond it, the host is given up for the run.
DEFAULT_MAX_WAIT = 60.0
