"""Per-host politeness shared by every worker of a run: requests in flight, and their pace.

However many workers a run has, one host never sees more than its `in_flight` requests (or git
commands) at once, and a host with a documented per-minute ceiling sees requests started no
faster than that. The limits are data (`auditor/data/politeness.yaml`).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, NamedTuple

from auditor.data import load_yaml


class Limit(NamedTuple):
    in_flight: int
    per_minute: float | None = None


def _limit(data: dict[str, Any]) -> Limit:
    return Limit(in_flight=int(data["in_flight"]), per_minute=data.get("per_minute"))


class HostLimits:
    """Slots per host; `with limits.slot(host):` around every request to `host`."""

    def __init__(
        self,
        *,
        default: Limit | None = None,
        hosts: dict[str, Limit] | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        data = load_yaml("politeness.yaml")
        self.default = default or _limit(data["default"])
        self.hosts = (
            hosts if hosts is not None else {h: _limit(v) for h, v in (data.get("hosts") or {}).items()}
        )
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        self._slots: dict[str, threading.BoundedSemaphore] = {}
        self._next_start: dict[str, float] = {}

    def limit(self, host: str) -> Limit:
        return self.hosts.get(host.lower(), self.default)

    @contextmanager
    def slot(self, host: str) -> Iterator[None]:
        """Wait for a free slot at `host` (and for its pace), hold it for the block."""
        host = host.lower()
        limit = self.limit(host)
        with self._lock:
            semaphore = self._slots.setdefault(host, threading.BoundedSemaphore(limit.in_flight))
        with semaphore:
            if limit.per_minute:
                self._pace(host, 60.0 / limit.per_minute)
            yield

    def _pace(self, host: str, interval: float) -> None:
        """Start requests to `host` at least `interval` seconds apart."""
        with self._lock:
            now = self._clock()
            start = max(now, self._next_start.get(host, now))
            self._next_start[host] = start + interval
        if start > now:
            self._sleep(start - now)
