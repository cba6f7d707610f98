"""robots.txt as RFC 9309 reads it: groups by user agent, `*` and `$` in paths, longest match wins.

The standard library's parser treats `*` literally, so a rule such as `Disallow: /*/download`
would never match; this one is small, pure and follows the RFC.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlsplit


@dataclass(frozen=True)
class Robots:
    rules: tuple[tuple[bool, str], ...] = ()  # (allow, path pattern)

    def allows(self, url: str) -> bool:
        parts = urlsplit(url)
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        if path == "/robots.txt":
            return True
        best: tuple[int, bool] | None = None
        for allow, pattern in self.rules:
            if _matches(pattern, path):
                candidate = (len(pattern), allow)  # longest wins; on a tie, allow wins
                best = candidate if best is None or candidate > best else best
        return True if best is None else best[1]


def parse(text: str, agent: str) -> Robots:
    """The rules for `agent` (its groups, or else the `*` groups); none means all allowed."""
    groups: list[tuple[list[str], list[tuple[bool, str]]]] = []
    agents: list[str] = []
    rules: list[tuple[bool, str]] = []
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip()
        key, sep, value = line.partition(":")
        if not sep:
            continue
        key, value = key.strip().lower(), value.strip()
        if key == "user-agent":
            if rules:  # a user-agent line after rules starts a new group
                groups.append((agents, rules))
                agents, rules = [], []
            agents.append(value.lower())
        elif key in ("allow", "disallow") and agents and value:
            rules.append((key == "allow", value))
    if agents:
        groups.append((agents, rules))
    token = agent.lower()
    mine = [r for names, group in groups if token in names for r in group]
    if not mine and not any(token in names for names, _ in groups):
        mine = [r for names, group in groups if "*" in names for r in group]
    return Robots(tuple(mine))


def _matches(pattern: str, path: str) -> bool:
    return _regex(pattern).match(path) is not None


@lru_cache(maxsize=1024)
def _regex(pattern: str) -> re.Pattern[str]:
    body = "".join(".*" if c == "*" else re.escape(c) for c in pattern.removesuffix("$"))
    return re.compile(body + ("$" if pattern.endswith("$") else ""))
