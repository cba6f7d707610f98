"""The fake paper services, and clients of them that sleep on the services' clock (so pacing is
measured on the server's side and no test waits)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from paperservers import PaperServices

from auditor.net.politeness import HostLimits
from auditor.sources.client import SourceClient


@pytest.fixture
def services() -> Iterator[PaperServices]:
    with PaperServices() as server:
        yield server


@pytest.fixture
def source_client(services: PaperServices) -> Iterator[Callable[..., SourceClient]]:
    """Makes a client that trusts the services (loopback) and paces on their clock; keyword
    arguments go to SourceClient. Every client made is closed after the test."""
    made: list[SourceClient] = []

    def make(**kwargs: Any) -> SourceClient:
        clock = services.clock
        client = SourceClient(
            hosts=HostLimits(clock=clock, sleep=clock.sleep),
            sleep=clock.sleep,
            trusted=[services.url],
            **kwargs,
        )
        made.append(client)
        return client

    yield make
    for client in made:
        client.close()
