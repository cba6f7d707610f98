"""The address policy: what it refuses, and, as properties over generated URLs and addresses, that
the host it checks is the host the HTTP library connects to and that no internal address passes."""

from __future__ import annotations

import ipaddress
from urllib.parse import urlparse

import pytest
import requests
from hypothesis import example, given, settings
from hypothesis import strategies as st

from auditor.net.addresses import AddressPolicy, Origin, Refused, origin_of, public

INTERNAL = ["127.0.0.1", "10.1.2.3", "172.16.0.9", "192.168.1.1", "169.254.169.254", "100.64.0.1", "0.0.0.0"]
INTERNAL_V6 = ["::1", "fe80::1", "fc00::7", "::ffff:127.0.0.1", "64:ff9b::a9fe:a9fe", "2002:7f00:1::1", "::"]


def resolver(table: dict[str, list[str]], asked: list[str] | None = None):
    def resolve(host: str, port: int) -> list[str]:
        if asked is not None:
            asked.append(host)
        if host not in table:
            raise OSError("no such host")
        return table[host]

    return resolve


@pytest.mark.parametrize("address", INTERNAL + INTERNAL_V6)
def test_internal_addresses_and_their_ipv6_disguises_are_not_public(address: str):
    assert not public(address)


@pytest.mark.parametrize("address", ["8.8.8.8", "2606:4700:4700::1111", "::ffff:8.8.8.8", "64:ff9b::808:808"])
def test_public_addresses_are_public(address: str):
    assert public(address)


AMBIGUOUS = "the address part of the URL is ambiguous"
TWO_WAYS = "read differently by different parsers"
NOT_HTTP = r"not an http\(s\) link"


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        # the backslash ends the authority for urllib3
        ("http://127.0.0.1:8765\\@8.8.8.8/model.pth", AMBIGUOUS),
        ("http://127.0.0.1:8765\t@8.8.8.8/", AMBIGUOUS),
        ("http://127.0.0.1 @8.8.8.8/", AMBIGUOUS),
        ("http://a@b@8.8.8.8/", AMBIGUOUS),
        ("http://8.8.8.8\x00.example/", AMBIGUOUS),
        ("http://[::1/", "not a valid URL"),
        ("ftp://8.8.8.8/file", NOT_HTTP),
        ("file:///etc/passwd", NOT_HTTP),
        ("http:///path", "the URL names no host"),
        ("javascript:alert(1)", NOT_HTTP),
        # A browser decodes it to 127.0.0.1; urllib3 2.8 does too (then urlsplit reads it otherwise),
        # urllib3 2.7 keeps it encoded: one guard or the other refuses it.
        ("http://127%2e0%2e0%2e1/", f"percent-encoded|{TWO_WAYS}"),
        ("http://127.0.0.1%5C/", "percent-encoded"),
    ],
)
def test_urls_read_two_ways_or_not_http_are_refused(url: str, reason: str):
    """Refused by the parsing guards themselves, whose reason says so: the resolver (which knows no
    host) or the private-address check would refuse most of these URLs too, for another reason."""
    with pytest.raises(Refused, match=reason):
        AddressPolicy(resolve=resolver({})).check(url)


def test_a_name_with_one_internal_address_among_public_ones_is_refused_whole():
    policy = AddressPolicy(resolve=resolver({"mixed.example": ["8.8.8.8", "10.0.0.5"]}))
    with pytest.raises(Refused, match=r"10\.0\.0\.5"):
        policy.check("https://mixed.example/w.pth")


def test_odd_spellings_of_an_internal_address_are_resolved_and_refused():
    """A name the system resolver reads as an address (0x7f.1, 2130706433) is resolved like any
    name, so its address is checked, not its spelling."""
    table = {"0x7f.1": ["127.0.0.1"], "2130706433": ["127.0.0.1"], "localhost": ["127.0.0.1", "::1"]}
    policy = AddressPolicy(resolve=resolver(table))
    for host in table:
        with pytest.raises(Refused, match="private or reserved"):
            policy.check(f"http://{host}/")


def test_a_name_is_resolved_once_per_run_and_the_answer_kept():
    asked: list[str] = []
    policy = AddressPolicy(resolve=resolver({"files.example": ["8.8.4.4"]}, asked))
    for path in ("/a", "/b", "/c"):
        policy.check(f"https://files.example{path}")
    assert policy.addresses(Origin("https", "files.example", 443)) == ["8.8.4.4"]
    assert asked == ["files.example"]


def test_links_that_carry_credentials_are_not_requested():
    policy = AddressPolicy(resolve=resolver({"files.example": ["8.8.4.4"]}))
    with pytest.raises(Refused, match="credentials"):
        policy.check("https://user:pw@files.example/w.pth")


def test_trusted_origins_pass_as_they_are_and_only_trusted_allows_nothing_else():
    policy = AddressPolicy(trusted=["http://127.0.0.1:8080/api/v3"], only_trusted=True, resolve=resolver({}))
    assert policy.check("http://127.0.0.1:8080/repos/a/b") == Origin("http", "127.0.0.1", 8080)
    assert policy.addresses(Origin("http", "127.0.0.1", 8080)) is None  # resolved as usual
    for elsewhere in ("http://127.0.0.1:8081/", "https://evil.example/", "http://10.0.0.1/"):
        with pytest.raises(Refused, match="not a configured host"):
            policy.check(elsewhere)


# --- properties -------------------------------------------------------------------------------------

HOSTS = st.sampled_from(["127.0.0.1", "8.8.8.8", "10.0.0.1", "files.example", "[::1]", "localhost"])
PIECES = st.sampled_from(
    ["\\", "@", "/", "?", "#", " ", "\t", "\n", "%5C", "%40", ":", "[", "]", ".", "\x00"]
)
JUNK = st.text(alphabet=st.sampled_from("az09-._~"), max_size=4)


@st.composite
def hostile_urls(draw: st.DrawFn) -> str:
    scheme = draw(st.sampled_from(["http", "https", "HTTP", "hTtPs"]))
    parts = [draw(HOSTS)]
    for _ in range(draw(st.integers(0, 4))):
        parts.append(draw(st.one_of(PIECES, JUNK, HOSTS, st.just(":8765"))))
    return f"{scheme}://{''.join(parts)}/" + draw(JUNK)


@settings(max_examples=400, deadline=None)
@given(hostile_urls())
@example("http://127.0.0.1%5C/")  # found by hypothesis on a fresh machine: a `%` in the host
@example("http://127%2e0%2e0%2e1/")  # a host another parser would decode to 127.0.0.1
def test_the_host_checked_is_the_host_the_http_library_connects_to(url: str):
    try:
        origin = origin_of(url)
    except Refused:
        return
    try:
        prepared = requests.Request("GET", url).prepare().url or ""
    except requests.RequestException:
        return  # requests would not send it either
    # requests picks the connection pool by the prepared URL: the host it connects to
    connected = urlparse(prepared)
    assert (connected.hostname or "").rstrip(".") == origin.host
    assert (connected.port or {"http": 80, "https": 443}[origin.scheme]) == origin.port


@settings(max_examples=300, deadline=None)
@given(st.ip_addresses(), st.sampled_from(["http", "https"]))
def test_no_internal_address_passes_the_policy_by_name_or_literal(address, scheme: str):
    literal = f"[{address}]" if address.version == 6 else str(address)
    policy = AddressPolicy(resolve=resolver({"host.example": [str(address)]}))
    for url in (f"{scheme}://{literal}/x", f"{scheme}://host.example/x"):
        try:
            policy.check(url)
        except Refused:
            continue
        assert address.is_global and not address.is_multicast, url


@settings(max_examples=200, deadline=None)
@given(st.ip_addresses(v=4).filter(lambda a: not a.is_global))
def test_an_internal_ipv4_address_wrapped_in_ipv6_is_still_internal(address: ipaddress.IPv4Address):
    as_int = int(address)
    wrapped = [
        ipaddress.IPv6Address(f"::ffff:{address}"),  # IPv4-mapped
        ipaddress.IPv6Address((0x0064FF9B << 96) | as_int),  # NAT64
        ipaddress.IPv6Address((0x2002 << 112) | (as_int << 80)),  # 6to4
    ]
    assert not [str(w) for w in wrapped if public(str(w))]
