"""Per-host limits: slots in flight, and the pace of a host with a documented per-minute ceiling."""

import threading

from auditor.net.politeness import HostLimits, Limit


def test_the_shipped_limits_keep_github_under_its_documented_ceilings():
    limits = HostLimits()
    github = limits.limit("API.GitHub.com")
    assert github.in_flight <= 100 and github.per_minute is not None and github.per_minute <= 900
    assert limits.limit("gitlab.com") == limits.default and limits.default.per_minute is None


def test_no_more_than_in_flight_requests_hold_a_slot_of_one_host():
    limits = HostLimits(default=Limit(in_flight=2), hosts={})
    inside, most, changed = 0, 0, threading.Condition()
    release = threading.Event()

    def request(host: str) -> None:
        nonlocal inside, most
        with limits.slot(host):
            with changed:
                inside += 1
                most = max(most, inside)
                changed.notify_all()
            release.wait(5)
            with changed:
                inside -= 1

    threads = [threading.Thread(target=request, args=("a.example",)) for _ in range(5)]
    other = threading.Thread(target=request, args=("b.example",))
    for thread in [*threads, other]:
        thread.start()
    with changed:  # two at a.example and one at b.example get in; the others wait
        assert changed.wait_for(lambda: inside == 3, timeout=5)
    release.set()
    for thread in [*threads, other]:
        thread.join()
    assert most == 3


def test_a_host_with_a_per_minute_ceiling_gets_requests_spaced_out():
    sleeps: list[float] = []
    limits = HostLimits(
        default=Limit(in_flight=8),
        hosts={"api.example": Limit(in_flight=8, per_minute=600)},
        clock=lambda: 100.0,
        sleep=sleeps.append,
    )
    for _ in range(3):
        with limits.slot("api.example"):
            pass
    with limits.slot("other.example"):
        pass
    assert [round(s, 6) for s in sleeps] == [0.1, 0.2]  # starts at 0, 0.1 and 0.2 s; the other host waits not
