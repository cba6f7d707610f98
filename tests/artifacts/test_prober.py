"""The artifact HTTP client against a local server: HEAD then ranged GET, redirects, retries, limits."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from pytest_httpserver import HTTPServer
from werkzeug.wrappers import Request, Response

from auditor.artifacts.checker import is_login
from auditor.artifacts.prober import ProbeFailed, Prober


class Sleeps(list[float]):
    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def prober(**kwargs) -> Prober:
    options = {"allow_private": True, "robots": False, "sleep": Sleeps(), "timeout": 5.0}
    return Prober(**(options | kwargs))


def methods(server: HTTPServer) -> list[tuple[str, str]]:
    return [(request.method, request.path) for request, _ in server.log]


def test_a_file_that_answers_head_costs_one_head(httpserver: HTTPServer):
    httpserver.expect_request("/weights/model.pth", method="HEAD").respond_with_data(
        "", headers={"Content-Length": "5000000000"}
    )
    with prober() as p:
        answer = p.probe(httpserver.url_for("/weights/model.pth"))
    assert answer.status == 200 and answer.body == b""
    assert methods(httpserver) == [("HEAD", "/weights/model.pth")]


def test_a_host_that_refuses_head_is_asked_with_a_small_ranged_get(httpserver: HTTPServer):
    httpserver.expect_request("/f.zip", method="HEAD").respond_with_data("", status=405)
    httpserver.expect_request("/f.zip", method="GET", headers={"Range": "bytes=0-1023"}).respond_with_data(
        b"PK" + b"\0" * 1022, status=206
    )
    with prober() as p:
        assert p.probe(httpserver.url_for("/f.zip")).status == 206
    assert methods(httpserver) == [("HEAD", "/f.zip"), ("GET", "/f.zip")]


def test_a_body_is_cut_at_the_cap_not_downloaded(httpserver: HTTPServer):
    httpserver.expect_request("/big.bin").respond_with_data(b"x" * 300_000)
    with prober(max_body=1000) as p:
        answer = p.get(httpserver.url_for("/big.bin"))
    assert answer.status == 200 and len(answer.body) == 1000


def test_redirects_are_followed_and_a_sign_in_page_is_not_entered(httpserver: HTTPServer):
    httpserver.expect_request("/s/share").respond_with_data(
        "", status=302, headers={"Location": "/moved/share"}
    )
    httpserver.expect_request("/moved/share").respond_with_data(
        "", status=302, headers={"Location": "/login?next=/moved/share"}
    )
    with prober() as p:
        answer = p.get(httpserver.url_for("/s/share"), stop=is_login)
    assert answer.hops == (httpserver.url_for("/s/share"),)
    assert answer.location == httpserver.url_for("/login?next=/moved/share")
    assert [path for _, path in methods(httpserver)] == ["/s/share", "/moved/share"]  # never /login


def test_a_redirect_loop_is_cut_short(httpserver: HTTPServer):
    httpserver.expect_request("/loop").respond_with_data("", status=302, headers={"Location": "/loop"})
    with prober() as p, pytest.raises(ProbeFailed, match="more than 5 redirects"):
        p.get(httpserver.url_for("/loop"))


def test_transient_failures_are_retried_and_answers_are_not(httpserver: HTTPServer):
    httpserver.expect_ordered_request("/flaky").respond_with_data("", status=503)
    httpserver.expect_ordered_request("/flaky").respond_with_data("", status=502)
    httpserver.expect_ordered_request("/flaky").respond_with_data("ok")
    httpserver.expect_request("/gone").respond_with_data("", status=404)
    sleeps = Sleeps()
    with prober(sleep=sleeps) as p:
        assert p.get(httpserver.url_for("/flaky")).status == 200
        assert len(sleeps) == 2
        assert p.get(httpserver.url_for("/gone")).status == 404
        assert p.get(httpserver.url_for("/gone"), method="HEAD").status == 404
    assert len(sleeps) == 2  # 404 is an answer: asked once each time, never retried
    assert [path for _, path in methods(httpserver)].count("/gone") == 2


def test_a_host_that_keeps_failing_gives_no_answer(httpserver: HTTPServer):
    httpserver.expect_request("/down").respond_with_data("", status=503)
    with prober(attempts=3) as p, pytest.raises(ProbeFailed, match="answered 503 3 times"):
        p.get(httpserver.url_for("/down"))
    assert len(httpserver.log) == 3


@pytest.fixture
def threaded():
    server = HTTPServer(threaded=True)
    server.start()
    yield server
    server.clear()
    server.stop()


def test_a_slow_host_times_out_into_no_answer(threaded: HTTPServer):
    release = threading.Event()

    def stall(request: Request) -> Response:
        release.wait(5)  # injected latency: held until the test lets go
        return Response("late")

    threaded.expect_request("/slow").respond_with_handler(stall)
    try:
        with (
            prober(timeout=0.2, attempts=2) as p,
            pytest.raises(ProbeFailed, match=r"no answer within 0.2 s"),
        ):
            p.get(threaded.url_for("/slow"))
    finally:
        release.set()


def test_no_more_than_per_host_requests_reach_one_host_at_a_time(threaded: HTTPServer):
    """Every request is held until the test lets one go, each time the host is as busy as the
    limit allows: requests the limit did not hold back would pile up meanwhile."""
    changed = threading.Condition()
    state = {"now": 0, "most": 0, "let_go": 0}

    def counted(request: Request) -> Response:
        with changed:
            state["now"] += 1
            state["most"] = max(state["most"], state["now"])
            changed.notify_all()
            changed.wait_for(lambda: state["let_go"] > 0, 30)
            state["let_go"] -= 1
            state["now"] -= 1
            changed.notify_all()
        return Response("ok")

    threaded.expect_request("/file").respond_with_handler(counted)
    with prober(per_host=2) as p, ThreadPoolExecutor(max_workers=6) as pool:
        sent = [pool.submit(p.get, threaded.url_for(f"/file?i={i}")) for i in range(6)]
        for busy in [2, 2, 2, 2, 2, 1]:  # as many as may be in flight while some are left to send
            with changed:
                assert changed.wait_for(lambda busy=busy: state["let_go"] == 0 and state["now"] >= busy, 30)
                state["let_go"] += 1
                changed.notify_all()
        statuses = [f.result().status for f in sent]
    assert statuses == [200] * 6
    assert state["most"] == 2


def test_private_addresses_are_not_probed(httpserver: HTTPServer):
    httpserver.expect_request("/admin").respond_with_data("secret")
    resolved = {
        "localhost": ["127.0.0.1"],
        "intranet.example": ["10.1.2.3"],
        "metadata.example": ["169.254.169.254"],
    }
    with Prober(robots=False, resolve=lambda host, port: resolved[host]) as p:
        with pytest.raises(ProbeFailed, match="private or reserved address"):
            p.get(httpserver.url_for("/admin"))
        with pytest.raises(ProbeFailed, match="private or reserved address"):
            p.get(f"http://127.0.0.1:{httpserver.port}/admin")
        with pytest.raises(ProbeFailed, match=r"10\.1\.2\.3"):
            p.get("http://intranet.example/weights.pth")
        with pytest.raises(ProbeFailed, match=r"169\.254\.169\.254"):
            p.get("http://metadata.example/latest/meta-data/")
        with pytest.raises(ProbeFailed, match="not an http"):
            p.get("file:///etc/passwd")
    assert httpserver.log == []


def test_a_redirect_to_a_private_address_is_not_followed(httpserver: HTTPServer):
    httpserver.expect_request("/out").respond_with_data(
        "", status=302, headers={"Location": "http://10.0.0.7/internal"}
    )
    base = httpserver.url_for("/")
    with (
        Prober(robots=False, trusted=[base], resolve=lambda h, p: []) as p,
        pytest.raises(ProbeFailed, match=r"10\.0\.0\.7"),
    ):
        p.get(httpserver.url_for("/out"))
    assert len(httpserver.log) == 1  # the configured host was asked; the private one never


def test_robots_txt_is_honoured(httpserver: HTTPServer):
    httpserver.expect_request("/robots.txt").respond_with_data("User-agent: *\nDisallow: /private/\n")
    httpserver.expect_request("/public/page").respond_with_data("hello")
    with prober(robots=True) as p:
        assert p.get(httpserver.url_for("/public/page")).status == 200
        with pytest.raises(ProbeFailed, match=r"robots\.txt disallows"):
            p.get(httpserver.url_for("/private/model.pth"))
    assert [path for _, path in methods(httpserver)] == ["/robots.txt", "/public/page"]  # read once


def test_a_missing_robots_txt_allows_and_a_failing_one_forbids(httpserver: HTTPServer):
    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)
    httpserver.expect_request("/page").respond_with_data("hello")
    with prober(robots=True) as p:
        assert p.get(httpserver.url_for("/page")).status == 200
    httpserver.clear()
    httpserver.expect_request("/robots.txt").respond_with_data("", status=500)
    with prober(robots=True) as p, pytest.raises(ProbeFailed, match=r"robots.txt could not be read \(500\)"):
        p.get(httpserver.url_for("/page"))


def test_cookies_are_never_sent_back(httpserver: HTTPServer):
    httpserver.expect_ordered_request("/a").respond_with_data(
        "", headers={"Set-Cookie": "session=abc; Path=/"}
    )
    httpserver.expect_ordered_request("/b").respond_with_data("")
    with prober() as p:
        p.get(httpserver.url_for("/a"))
        p.get(httpserver.url_for("/b"))
    assert "Cookie" not in httpserver.log[1][0].headers


def test_answers_with_validators_are_revalidated_from_the_cache(httpserver: HTTPServer, tmp_path):
    def etagged(request: Request) -> Response:
        if request.headers.get("If-None-Match") == '"v1"':
            return Response(status=304, headers={"ETag": '"v1"'})
        return Response('{"id": "lab/model"}', headers={"ETag": '"v1"', "Content-Type": "application/json"})

    httpserver.expect_request("/api/models/lab/model").respond_with_handler(etagged)
    for _ in range(2):  # two runs, one cache
        with prober(cache_path=tmp_path / "http.sqlite") as p:
            answer = p.get(httpserver.url_for("/api/models/lab/model"))
            assert answer.status == 200 and answer.json() == {"id": "lab/model"}
    assert ["If-None-Match" in request.headers for request, _ in httpserver.log] == [False, True]


def test_a_host_that_gave_no_answer_is_not_asked_again_in_the_run():
    sleeps = Sleeps()
    with prober(attempts=2, sleep=sleeps) as p:
        for name in ("a.pth", "b.pth"):
            with pytest.raises(ProbeFailed, match="could not connect") as failed:
                p.get(f"http://127.0.0.1:9/{name}")  # the discard port: nothing listens
    assert "earlier in this run" in str(failed.value)
    assert len(sleeps) == 1  # the first link was retried once; the second was not tried at all
