"""The network policy every outgoing request passes: one HTTP transport, per-host politeness."""
