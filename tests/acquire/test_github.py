"""The GitHub HTTP client against the local GitHub: caching, retries, rate limits, caps, secrets."""

import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from githubserver import FakeGitHub
from gitrepos import git, make_repo

from auditor.acquire.github import (
    UNREACHABLE_AFTER,
    ApiError,
    GitHubClient,
    RateLimited,
    Unreachable,
    git_base,
)

NOW = 1_767_225_600.0  # the injected clock: 2026-01-01 00:00:00 UTC
TOKEN = "ghp_not_a_real_token_0123456789abcdef"


class Sleeps(list[float]):
    """An injected sleep that records what it was asked to wait and returns at once."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


@pytest.fixture
def served(github: FakeGitHub, tmp_path: Path) -> FakeGitHub:
    github.add("lab/tool", make_repo(tmp_path / "tool", {"README.md": "# Tool\n"}))
    return github


def client(server: FakeGitHub, tmp_path: Path, sleeps: Sleeps | None = None, **kwargs) -> GitHubClient:
    return GitHubClient(
        base_url=server.url,
        cache_path=tmp_path / "cache" / "http.sqlite",
        sleep=sleeps if sleeps is not None else Sleeps(),
        clock=lambda: NOW,
        **kwargs,
    )


def test_an_unchanged_resource_costs_a_304_on_the_next_run(served, tmp_path):
    with client(served, tmp_path) as first:
        cold = first.get("repos/lab/tool")
    with client(served, tmp_path) as second:  # a new run, same cache directory
        warm = second.get("repos/lab/tool")
        assert second.tally.requests == 1 and second.tally.not_modified == 1
    assert warm.status == 200 and warm.json() == cold.json()
    assert [(h.status, h.conditional) for h in served.hits] == [(200, False), (304, True)]


def test_with_a_token_answers_are_cached_too_though_github_varies_them_by_authorization(served, tmp_path):
    blob = "repos/lab/tool/git/blobs/" + git("rev-parse", "HEAD:README.md", cwd=tmp_path / "tool").strip()
    for _run in range(2):  # two runs, one cache directory
        with client(served, tmp_path, token=TOKEN) as api:
            assert api.get(blob, raw=True).body == b"# Tool\n"
            assert api.get("repos/lab/tool").status == 200
    # A blob named by its id is never asked again; the metadata is revalidated.
    assert [(h.path.split("/")[-2], h.status) for h in served.hits] == [
        ("blobs", 200),
        ("lab", 200),
        ("lab", 304),
    ]


def test_server_errors_are_retried_with_growing_waits(served, tmp_path):
    served.fail(2, status=502)
    sleeps = Sleeps()
    with client(served, tmp_path, sleeps) as api:
        assert api.get("repos/lab/tool").status == 200
    assert [h.status for h in served.hits] == [502, 502, 200]
    assert len(sleeps) == 2 and 1 <= sleeps[0] < 2 <= sleeps[1] < 3  # exponential, with jitter


def test_a_burst_of_5xx_longer_than_the_attempts_is_an_error(served, tmp_path):
    served.fail(5, status=503)
    with client(served, tmp_path, attempts=3) as api, pytest.raises(ApiError, match="503 3 times"):
        api.get("repos/lab/tool")
    assert len(served.hits) == 3


@pytest.mark.parametrize("status", [404, 451, 401, 409])
def test_answers_that_will_not_change_are_not_retried(served, tmp_path, status):
    served.refuse("lab/tool", status, "no")
    sleeps = Sleeps()
    with client(served, tmp_path, sleeps) as api:
        assert api.get("repos/lab/tool").status == status
    assert len(served.hits) == 1 and sleeps == []


def test_a_rate_limit_that_resets_soon_is_waited_out(served, tmp_path):
    served.rate_limit(reset=int(NOW) + 30)
    sleeps = Sleeps()
    with client(served, tmp_path, sleeps, max_wait=60) as api:
        assert api.get("repos/lab/tool").status == 200
    assert sleeps == [31]  # until the reset, plus a second for clock skew


def test_a_rate_limit_that_resets_late_stops_every_later_request(served, tmp_path):
    served.rate_limit(reset=int(NOW) + 3600, status=429)
    sleeps = Sleeps()
    with client(served, tmp_path, sleeps, max_wait=60) as api:
        with pytest.raises(RateLimited, match="until 2026-01-01 01:00:01 UTC"):
            api.get("repos/lab/tool")
        with pytest.raises(RateLimited):
            api.get("repos/lab/tool")  # not even asked: the server would refuse
    assert len(served.hits) == 1 and sleeps == []


def test_a_rate_limit_that_keeps_coming_back_is_not_waited_for_forever(served, tmp_path):
    served.rate_limit(times=10, reset=int(NOW) + 30)
    sleeps = Sleeps()
    with client(served, tmp_path, sleeps, max_wait=60) as api, pytest.raises(RateLimited):
        api.get("repos/lab/tool")
    assert sleeps == [31, 31, 31] and len(served.hits) == 3


@pytest.mark.parametrize(
    ("status", "retry_after", "message", "waited"),
    [
        (429, 7, "slow down", 7),
        (403, 7, "You have exceeded a secondary rate limit.", 7),
        (403, None, "You have exceeded a secondary rate limit.", 60),
        (429, None, "Too Many Requests", 60),
    ],
)
def test_secondary_rate_limits_wait_as_github_documents(
    served, tmp_path, status, retry_after, message, waited
):
    served.rate_limit(status=status, retry_after=retry_after, message=message)
    sleeps = Sleeps()
    with client(served, tmp_path, sleeps, max_wait=60) as api:
        assert api.get("repos/lab/tool").status == 200
    assert sleeps == [waited]


def test_a_403_without_rate_limit_signs_is_an_answer_not_a_wait(served, tmp_path):
    served.refuse("lab/tool", 403, "Repository access blocked")
    sleeps = Sleeps()
    with client(served, tmp_path, sleeps) as api:
        reply = api.get("repos/lab/tool")
    assert (reply.status, reply.message) == (403, "Repository access blocked") and sleeps == []


def test_an_endless_body_is_cut_at_the_cap(served, tmp_path):
    served.endless("/repos/lab/tool")
    with client(served, tmp_path, max_body=1024 * 1024) as api:
        with pytest.raises(ApiError, match="cap"):
            api.get("repos/lab/tool")
        assert api.get("repos/lab/tool/releases").status == 200  # the client still works


def test_an_answer_cut_off_mid_body_is_retried_then_unreachable(tmp_path):
    """A server that promises 1000 bytes, sends 10 and hangs up, as a dropped connection does."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        port = listener.getsockname()[1]

        def serve() -> None:
            for _ in range(2):
                conn, _addr = listener.accept()
                with conn:
                    conn.recv(65536)
                    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n0123456789")

        thread = threading.Thread(target=serve)
        thread.start()
        sleeps = Sleeps()
        api = GitHubClient(base_url=f"http://127.0.0.1:{port}", sleep=sleeps, attempts=2)
        with api, pytest.raises(Unreachable, match="broke during the answer"):
            api.get("repos/lab/tool")
        thread.join()
    assert len(sleeps) == 1


def test_a_refused_connection_is_unreachable_after_retries(tmp_path):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # closed again: nothing listens there
    sleeps = Sleeps()
    api = GitHubClient(base_url=f"http://127.0.0.1:{port}", sleep=sleeps, attempts=3)
    with api, pytest.raises(Unreachable, match="could not connect"):
        api.get("repos/lab/tool")
    assert len(sleeps) == 2


def test_a_host_that_answers_nothing_several_times_in_a_row_is_not_asked_again(tmp_path):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    sleeps = Sleeps()
    api = GitHubClient(base_url=f"http://127.0.0.1:{port}", sleep=sleeps, attempts=2)
    with api:
        for _ in range(UNREACHABLE_AFTER):
            with pytest.raises(Unreachable, match="could not connect"):
                api.get("repos/lab/tool")
        before = api.tally.requests
        with pytest.raises(Unreachable, match="not asked again"):
            api.get("repos/lab/other")
        assert api.tally.requests == before  # nothing was sent
    assert len(sleeps) == UNREACHABLE_AFTER  # one retry wait per request that was sent


def test_an_answer_resets_the_count_of_requests_that_got_none(served, tmp_path):
    # The timeout must cover a real answer (the fake GitHub runs git for it); held ones never come.
    api = client(served, tmp_path, timeout=0.5, attempts=1)
    with api:
        for answers in ([False] * (UNREACHABLE_AFTER - 1), [True], [False] * (UNREACHABLE_AFTER - 1)):
            for answered in answers:
                if answered:
                    served.release()
                    assert api.get("repos/lab/tool").status == 200
                else:
                    served.hold()
                    with pytest.raises(Unreachable, match="did not answer within"):
                        api.get("repos/lab/tool")


def test_an_answer_slower_than_the_timeout_is_retried_then_unreachable(served, tmp_path):
    served.hold()
    api = client(served, tmp_path, timeout=0.05, attempts=2)
    with api, pytest.raises(Unreachable, match="did not answer"):
        api.get("repos/lab/tool")


def test_the_token_is_sent_but_never_stored_nor_shown(served, tmp_path):
    served.rename("lab/old", "lab/tool")  # redirects too: requests-cache would store each hop's headers
    with client(served, tmp_path, token=TOKEN) as api:
        reply = api.get("repos/lab/old")
        assert reply.redirected and reply.url.endswith("/repositories/1000")
        assert TOKEN not in repr(api)
    assert {h.authorization for h in served.hits} == {f"Bearer {TOKEN}"}
    for stored in (tmp_path / "cache").iterdir():
        assert TOKEN.encode() not in stored.read_bytes()


def test_redirects_never_leave_the_api_host(served, tmp_path, httpserver):
    httpserver.expect_request("/repos/lab/away").respond_with_data(
        "", status=301, headers={"Location": served.url + "/repos/lab/tool"}
    )
    api = GitHubClient(base_url=httpserver.url_for("/").rstrip("/"), token=TOKEN, sleep=Sleeps())
    with api, pytest.raises(ApiError, match=r"redirected away from the API host, to 127\.0\.0\.1"):
        api.get("repos/lab/away")
    assert served.hits == []  # the token never reached the other host


def test_a_rate_limit_met_by_one_worker_pauses_the_others(served, tmp_path):
    served.rate_limit(reset=int(NOW) + 30)
    sleeps = Sleeps()
    with client(served, tmp_path, sleeps, max_wait=60) as api:
        assert api.get("repos/lab/tool").status == 200  # met the limit, waited 31 s, asked again
        # Another worker asking during the pause (the injected clock stands still) waits too,
        # instead of spending a request on a refusal.
        assert api.get("repos/lab/tool/releases").status == 200
    assert sleeps == [31, 31]
    assert [h.status for h in served.hits] == [403, 200, 200]


@pytest.mark.parametrize(
    ("api", "git"),
    [
        ("https://api.github.com", "https://github.com"),
        ("https://ghe.example/api/v3/", "https://ghe.example"),
        ("http://127.0.0.1:8080", "http://127.0.0.1:8080"),
    ],
)
def test_the_git_host_of_an_api(api, git):
    assert git_base(api) == git


def test_the_ref_advertisement_is_asked_of_the_git_host_without_the_token(served, tmp_path):
    with client(served, tmp_path, token=TOKEN) as api:
        reply = api.advertised_refs("lab/tool")
        assert reply.status == 200 and reply.body.startswith(b"001e# service=git-upload-pack\n")
        assert api.advertised_refs("lab/tool").status == 200
    assert [(h.path, h.authorization, h.conditional) for h in served.hits] == [
        ("/lab/tool.git/info/refs?service=git-upload-pack", None, False)
    ] * 2


def test_connections_are_kept_open_between_requests(tmp_path):
    """Against GitHub every new connection costs a TLS handshake: answers read to the end (under
    the size cap) must leave the connection reusable."""
    connections = []

    class KeepAlive(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def setup(self) -> None:
            super().setup()
            connections.append(self.client_address)

        def do_GET(self) -> None:
            body = b'{"full_name": "lab/tool"}'
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("ETag", '"v1"')
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), KeepAlive)
    thread = threading.Thread(target=server.serve_forever)
    thread.start()
    try:
        with GitHubClient(
            base_url=f"http://127.0.0.1:{server.server_port}", cache_path=tmp_path / "c.sqlite"
        ) as api:
            for i in range(10):
                assert api.get(f"repos/lab/tool{i}").json() == {"full_name": "lab/tool"}
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
    assert len(connections) == 1
