"""The transport against local servers: connections go to the address the policy checked, keeping
the name for Host, TLS server name and certificate; the deadline covers TLS and kept-alive
connections too."""

from __future__ import annotations

import ssl
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import requests
import trustme
from pytest_httpserver import HTTPServer
from stallserver import Answer, StallServer

from auditor.net.addresses import AddressPolicy
from auditor.net.http import CappedAdapter, DeadlineExceeded, configure


def session(policy: AddressPolicy, *, deadline: float = 5.0, verify: str | bool = True) -> requests.Session:
    adapter = CappedAdapter(policy=policy, max_body=1 << 20, deadline=deadline, cut=False)
    s = configure(requests.Session(), adapter, {"User-Agent": "test"})
    s.verify = verify
    return s


def pinned(host: str, asked: list[str] | None = None) -> AddressPolicy:
    """`host` resolves to 127.0.0.1 for the policy, and for no one else (the system resolver does
    not know it): a request can only reach the server through the policy's own answer."""

    def resolve(name: str, port: int) -> list[str]:
        if asked is not None:
            asked.append(name)
        if name != host:
            raise OSError("unknown")
        return ["127.0.0.1"]

    return AddressPolicy(allow_private=True, resolve=resolve)


def test_the_connection_goes_to_the_checked_address_and_keeps_the_host_name(httpserver: HTTPServer):
    httpserver.expect_request("/x").respond_with_data("ok")
    asked: list[str] = []
    with session(pinned("files.example", asked)) as s:
        for _ in range(2):
            assert s.get(f"http://files.example:{httpserver.port}/x", timeout=5).text == "ok"
    assert [r.headers["Host"] for r, _ in httpserver.log] == [f"files.example:{httpserver.port}"] * 2
    assert asked == ["files.example"]  # resolved once, by the policy only


@pytest.fixture(scope="module")
def ca() -> trustme.CA:
    return trustme.CA()


@pytest.fixture
def tls(ca: trustme.CA, tmp_path: Path) -> tuple[ssl.SSLContext, str]:
    """A server's TLS context with a certificate for files.example, and the CA bundle (a path)
    that verifies it."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("files.example").configure_cert(context)
    bundle = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(bundle))
    return context, str(bundle)


@pytest.fixture
def tls_server(tls: tuple[ssl.SSLContext, str]) -> Iterator[tuple[int, list[str | None], str]]:
    """An HTTPS server on 127.0.0.1 with a certificate for files.example; it records the TLS
    server name each client asked for. Yields (port, names asked, CA bundle path)."""
    names: list[str | None] = []
    context, bundle = tls
    context.sni_callback = lambda sock, name, ctx: names.append(name)

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield server.server_address[1], names, bundle
    server.shutdown()
    server.server_close()


def test_tls_to_the_checked_address_verifies_the_certificate_of_the_name(tls_server):
    port, names, bundle = tls_server
    with session(pinned("files.example"), verify=bundle) as s:
        assert s.get(f"https://files.example:{port}/", timeout=5).text == "ok"
    assert names == ["files.example"]  # the server name sent is the host's, not 127.0.0.1


def test_tls_to_the_checked_address_still_refuses_a_certificate_for_another_name(tls_server):
    port, _names, bundle = tls_server
    with session(pinned("other.example"), verify=bundle) as s, pytest.raises(requests.exceptions.SSLError):
        s.get(f"https://other.example:{port}/", timeout=5)


# Each read may wait longer than the server holds its answer (10 s): only the deadline of the whole
# exchange makes the client give up. The deadline covers the TLS handshake too, on a busy runner.
READ_TIMEOUT = 30
DEADLINE = 1.0


def test_a_tls_server_that_never_ends_its_answer_is_cut_at_the_deadline(tls: tuple[ssl.SSLContext, str]):
    context, bundle = tls
    with StallServer(answers={"/": Answer(body=b"x" * 400, stall="body")}, tls=context) as server:
        with (
            session(pinned("files.example"), deadline=DEADLINE, verify=bundle) as s,
            pytest.raises(DeadlineExceeded),
        ):
            s.get(f"https://files.example:{server.port}/", timeout=READ_TIMEOUT)
        assert server.outcome("GET /") == "abandoned"


def test_a_kept_alive_connection_is_under_the_deadline_of_each_new_exchange():
    answers = {"/fast": Answer(body=b"x" * 200), "/slow": Answer(body=b"x" * 200, stall="body")}
    with StallServer(answers=answers) as server:
        with session(pinned("files.example"), deadline=DEADLINE) as s:
            base = f"http://files.example:{server.port}"
            assert s.get(f"{base}/fast", timeout=READ_TIMEOUT).status_code == 200
            with pytest.raises(DeadlineExceeded):
                s.get(f"{base}/slow", timeout=READ_TIMEOUT)
        assert server.outcome("GET /slow") == "abandoned"
    assert server.connections == 1  # the second exchange reused the first's connection
