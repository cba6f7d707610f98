"""The network policy every outgoing request passes: one address policy, one HTTP transport,
per-host politeness."""
