"""Attacks over the network, kept as regression tests: a URL that the address guard and the HTTP
library read differently, DNS that answers differently the second time, and hosts that start an
answer and never end it (link hosts, robots.txt, the GitHub API), alone and inside a whole run."""

from __future__ import annotations

import re
import socket
from pathlib import Path

import pytest
from githubserver import FakeGitHub
from gitrepos import make_repo
from pytest_httpserver import HTTPServer
from pytest_socket import SocketBlockedError
from stallserver import Answer, StallServer

from auditor.acquire.github import GitHubClient, Unreachable
from auditor.artifacts.links import ArtifactLink, ProbeSettings
from auditor.artifacts.prober import ProbeFailed, Prober
from auditor.cli import Exit, main
from auditor.models import ArtifactKind, ArtifactStatus, RepoStatus
from auditor.report.files import read_report

# Read differently by a URL splitter (host 8.8.8.8, a public address) and by the HTTP library,
# which, like browsers, ends the authority at a backslash (host 127.0.0.1, the internal server).
PARSER_TRICKS = ["\\@8.8.8.8", "\\\\@8.8.8.8", "\\x@8.8.8.8", "%5C@8.8.8.8", "\t@8.8.8.8", " @8.8.8.8"]


@pytest.mark.parametrize("trick", PARSER_TRICKS)
def test_a_url_read_two_ways_never_reaches_an_internal_server(httpserver: HTTPServer, trick: str):
    httpserver.expect_request(re.compile(".*")).respond_with_data("internal")  # any path: 200
    url = f"http://127.0.0.1:{httpserver.port}{trick}/model.pth"
    checker = ProbeSettings().checker(None)
    try:
        [verdict] = checker.check([ArtifactLink(url, ArtifactKind.WEIGHTS)])
    finally:
        checker.close()
    assert verdict.status is ArtifactStatus.UNKNOWN
    assert httpserver.log == []  # neither robots.txt nor the link was asked


@pytest.mark.parametrize("trick", PARSER_TRICKS[:3])
def test_a_redirect_to_a_url_read_two_ways_is_not_followed(httpserver: HTTPServer, trick: str):
    """Every hop is a request like the first: a trusted host's redirect gets no exemption."""
    internal = HTTPServer()
    internal.start()
    try:
        internal.expect_request(re.compile(".*")).respond_with_data("internal")
        target = f"http://127.0.0.1:{internal.port}{trick}/model.pth"
        httpserver.expect_request("/w.pth").respond_with_data("", status=302, headers={"Location": target})
        with (
            Prober(robots=False, trusted=[httpserver.url_for("/")], resolve=lambda h, p: ["8.8.8.8"]) as p,
            pytest.raises(ProbeFailed, match=r"ambiguous|credentials"),  # as the server quoted it
        ):
            p.get(httpserver.url_for("/w.pth"))
        assert internal.log == []
    finally:
        internal.clear()
        internal.stop()


def test_the_address_checked_is_the_address_connected_to(httpserver: HTTPServer, monkeypatch):
    """DNS rebinding: a public address when the guard asks, the internal server when the HTTP
    library would ask again. There is no second lookup: the connection goes to the public address
    that was checked (which the test sandbox then blocks), never to the internal one."""
    httpserver.expect_request("/admin").respond_with_data("internal")
    real = socket.getaddrinfo
    asked: list[str] = []

    def rebinding(host, port, *args, **kwargs):
        if host == "rebind.example":
            asked.append(host)
            return real("8.8.8.8" if len(asked) == 1 else "127.0.0.1", port, *args, **kwargs)
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    # The sandbox says no to 8.8.8.8 with a warning, which this suite turns into an error.
    blocked = (SocketBlockedError, UserWarning)
    with Prober(robots=False, attempts=1) as p, pytest.raises(blocked, match=r"host \"8\.8\.8\.8\""):
        p.get(f"http://rebind.example:{httpserver.port}/admin")
    assert asked == ["rebind.example"]
    assert httpserver.log == []


# --- a host that never ends its answer -------------------------------------------------------------

# As a host that drips a byte just before each read would time out: each read may wait longer than
# the server holds its answer, so only the deadline of the whole exchange makes the client give up.
READ_TIMEOUT = 30.0
DEADLINE = 0.3


def stalling(path: str, where: str, body: bytes = b"x" * 120) -> StallServer:
    return StallServer(answers={path: Answer(body=body, stall=where)})


@pytest.mark.parametrize("where", ["headers", "body"])
def test_a_link_host_that_never_ends_its_answer_is_given_up_at_the_deadline(where: str):
    with stalling("/model.pth", where) as server:
        with Prober(robots=False, allow_private=True, timeout=READ_TIMEOUT, deadline=DEADLINE) as p:
            with pytest.raises(ProbeFailed) as failed:
                p.get(server.url("/model.pth"))
            assert server.outcome("GET /model.pth") == "abandoned"  # not waited out
            assert "no complete answer" in str(failed.value)
            with pytest.raises(ProbeFailed, match="earlier in this run"):
                p.get(server.url("/other.pth"))  # the host is not asked again
        assert server.requests == ["GET /model.pth"]  # given up, not retried


def test_a_robots_txt_that_never_ends_is_given_up_and_the_link_not_probed():
    with stalling("/robots.txt", "headers", b"User-agent: *\nAllow: /\n") as server:
        with (
            Prober(robots=True, allow_private=True, timeout=READ_TIMEOUT, deadline=DEADLINE) as p,
            pytest.raises(ProbeFailed) as failed,
        ):
            p.get(server.url("/model.pth"))
        assert server.outcome("GET /robots.txt") == "abandoned"
        assert str(failed.value).startswith("robots.txt could not be read: no complete answer")
        assert server.requests == ["GET /robots.txt"]


def test_a_github_api_that_never_ends_its_answer_is_given_up_at_the_deadline(tmp_path: Path):
    with stalling("/repos/lab/tool", "headers", b'{"full_name": "lab/tool"}') as server:
        with (
            GitHubClient(
                base_url=server.url(""), timeout=READ_TIMEOUT, deadline=DEADLINE, sleep=lambda s: None
            ) as api,
            pytest.raises(Unreachable) as failed,
        ):
            api.get("repos/lab/tool")
        assert server.outcome("GET /repos/lab/tool") == "abandoned"
        assert "no complete answer" in str(failed.value)
        assert server.requests == ["GET /repos/lab/tool"]


def _short_budgets(monkeypatch) -> None:
    """The run's default budgets (15 s and 30 s per read, four times that per exchange): the
    exchange's shrunk far below the read's."""
    for client in (Prober, GitHubClient):
        monkeypatch.setitem(client.__init__.__kwdefaults__, "timeout", READ_TIMEOUT)
        monkeypatch.setitem(client.__init__.__kwdefaults__, "deadline", DEADLINE)


def test_a_run_with_a_weights_link_that_never_answers_writes_its_report(
    github: FakeGitHub, tmp_path: Path, monkeypatch
):
    server = stalling("/model.pth", "headers", b"\0" * 200)
    readme = f"# Tool\n\nDownload the pretrained weights: [model.pth]({server.url('/model.pth')})\n"
    github.add("lab/tool", make_repo(tmp_path / "tool", {"README.md": readme, "train.py": "import torch\n"}))
    _short_budgets(monkeypatch)
    monkeypatch.setattr(ProbeSettings, "__init__", _private_ok(ProbeSettings.__init__))
    with server:
        code = main(_run_args(github.url, tmp_path))
        assert server.outcome("HEAD /model.pth") == "abandoned"
    assert code == 0
    [audit] = read_report(tmp_path / "out" / "report.json").repos
    [weights] = [a for a in audit.repo.artifacts or [] if a.url.endswith("/model.pth")]
    assert weights.status is ArtifactStatus.UNKNOWN and "no complete answer" in weights.detail


def test_a_run_against_a_github_api_that_never_answers_writes_its_report(tmp_path: Path, monkeypatch):
    _short_budgets(monkeypatch)
    server = StallServer(
        answers={
            "/lab/tool.git/info/refs": Answer(body=b"x" * 100, stall="headers"),
            "/repos/lab/tool": Answer(body=b"{}" * 50, stall="headers"),
        },
    )
    with server:
        code = main(_run_args(server.url(""), tmp_path))
        assert server.requests
        assert {server.outcome(line) for line in server.requests} == {"abandoned"}  # none waited out
    assert code == Exit.UNHEALTHY  # its one repository unreachable: the health gate says so
    [audit] = read_report(tmp_path / "out" / "report.json").repos  # and the report is written
    assert audit.repo.status is RepoStatus.UNREACHABLE
    assert "no complete answer" in audit.repo.detail


def _run_args(api: str, tmp_path: Path) -> list[str]:
    return [
        "run",
        "--repo",
        "https://github.com/lab/tool",
        "--github-api",
        api,
        "--cache-dir",
        str(tmp_path / "cache"),
        "--out",
        str(tmp_path / "out"),
        "--quiet",
    ]


def _private_ok(init):
    """ProbeSettings that let the prober reach 127.0.0.1, where the test's hosts live."""

    def patched(self, *args, **kwargs):
        init(self, *args, **(kwargs | {"allow_private": True}))

    return patched
