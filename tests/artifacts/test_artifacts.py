"""Verdicts per artifact link, against a local server standing in for each host's API or pages."""

import json

import pytest
from pytest_httpserver import HTTPServer

from auditor.artifacts.checker import ArtifactChecker, read_answer
from auditor.artifacts.checker import _page_rule as page_rule
from auditor.artifacts.links import ArtifactLink
from auditor.artifacts.prober import Answer, Prober
from auditor.models import ArtifactKind, ArtifactStatus, Release, ReleaseAsset, RepoFacts, RepoStatus

AVAILABLE, GONE, RESTRICTED, UNKNOWN = (
    ArtifactStatus.AVAILABLE,
    ArtifactStatus.GONE,
    ArtifactStatus.RESTRICTED,
    ArtifactStatus.UNKNOWN,
)
HOSTS = ("huggingface", "zenodo", "google-drive", "github-release", "anonymous-github")


@pytest.fixture
def checker(httpserver: HTTPServer):
    base = httpserver.url_for("").rstrip("/")
    prober = Prober(allow_private=True, robots=False, sleep=lambda s: None, timeout=5.0)
    checker = ArtifactChecker(prober, bases=dict.fromkeys(HOSTS, base), workers=4)
    yield checker
    checker.close()


def judge(checker, url, kind=ArtifactKind.WEIGHTS, **kwargs):
    return checker.judge(url, kind=kind, **kwargs)


def hub(server: HTTPServer, path: str, body: dict | None = None, *, status=200, error: str | None = None):
    headers = {"X-Error-Code": error} if error else {}
    server.expect_request(path).respond_with_data(
        json.dumps(body or {"error": "Repository not found"}),
        status=status,
        headers=headers,
        content_type="application/json",
    )


SIBLINGS = [{"rfilename": n} for n in ("README.md", "config.json", "segtool_acdc.pth", "ckpt/fold0.pth")]


def test_hugging_face_model_that_exists_is_available(checker, httpserver):
    hub(httpserver, "/api/models/lab/segtool", {"id": "lab/segtool", "siblings": SIBLINGS, "gated": False})
    verdict = judge(checker, "https://huggingface.co/lab/segtool")
    assert (verdict.status, verdict.host) == (AVAILABLE, "huggingface")
    assert verdict.detail == "Hugging Face model lab/segtool, 4 files"


def test_hugging_face_file_links_are_checked_against_the_file_list(checker, httpserver):
    hub(httpserver, "/api/models/lab/segtool", {"id": "lab/segtool", "siblings": SIBLINGS})
    there = judge(checker, "https://huggingface.co/lab/segtool/resolve/main/segtool_acdc.pth?download=true")
    folder = judge(checker, "https://huggingface.co/lab/segtool/tree/main/ckpt")
    missing = judge(checker, "https://huggingface.co/lab/segtool/blob/main/segtool_brats.pth")
    assert (there.status, folder.status) == (AVAILABLE, AVAILABLE)
    assert (
        missing.status is GONE
        and missing.detail == "Hugging Face model lab/segtool has no file segtool_brats.pth"
    )


def test_a_file_of_a_listing_that_lists_no_files_is_unknown_not_gone(checker, httpserver):
    hub(httpserver, "/api/models/lab/bare", {"id": "lab/bare"})
    hub(httpserver, "/api/models/lab/empty", {"id": "lab/empty", "siblings": []})
    hub(httpserver, "/api/records/444", {"metadata": {"access_right": "open"}})
    hub(httpserver, "/api/records/555", {"metadata": {"access_right": "open"}, "files": {"entries": {}}})
    for url in (
        "https://huggingface.co/lab/bare/resolve/main/model.pth",
        "https://huggingface.co/lab/empty/blob/main/model.pth",
        "https://zenodo.org/records/444/files/model.pth",
        "https://zenodo.org/records/555/files/model.pth",
    ):
        verdict = judge(checker, url)
        assert verdict.status is UNKNOWN and "lists no files" in verdict.detail, url
    # the record or repository itself exists
    assert judge(checker, "https://huggingface.co/lab/bare").status is AVAILABLE
    assert judge(checker, "https://zenodo.org/records/444").status is AVAILABLE


def test_a_hugging_face_repository_that_is_gone_or_gated(checker, httpserver):
    hub(httpserver, "/api/models/lab/deleted", status=401, error="RepoNotFound")
    hub(httpserver, "/api/datasets/lab/cohort", {"id": "lab/cohort", "gated": "manual", "siblings": []})
    hub(httpserver, "/api/models/lab/terms", {"id": "lab/terms", "gated": "auto", "siblings": SIBLINGS})
    gone = judge(checker, "https://huggingface.co/lab/deleted")
    gated = judge(checker, "https://huggingface.co/datasets/lab/cohort", kind=ArtifactKind.DATA)
    terms = judge(checker, "https://hf.co/lab/terms")
    assert gone.status is GONE and "deleted, renamed or private" in gone.detail
    assert gated.status is RESTRICTED and "approve each request" in gated.detail
    assert terms.status is AVAILABLE and "accept its conditions" in terms.detail


def test_hugging_face_pages_that_are_no_repository_are_asked_as_pages(checker, httpserver):
    httpserver.expect_request("/papers/2504.18983", method="HEAD").respond_with_data("", status=404)
    httpserver.expect_request("/spaces", method="HEAD").respond_with_data("")
    httpserver.expect_request("/lab", method="HEAD").respond_with_data("")
    assert judge(checker, "https://huggingface.co/papers/2504.18983", kind=ArtifactKind.HUB).status is GONE
    assert judge(checker, "https://huggingface.co/spaces", kind=ArtifactKind.DEMO).status is AVAILABLE
    assert judge(checker, "https://huggingface.co/lab", kind=ArtifactKind.DATA).status is AVAILABLE  # a user
    assert [r.path for r, _ in httpserver.log] == ["/papers/2504.18983", "/spaces", "/lab"]  # no API call


def test_zenodo_records_open_restricted_deleted_and_their_files(checker, httpserver):
    hub(
        httpserver,
        "/api/records/7860267",
        {"metadata": {"access_right": "open"}, "files": [{"key": "medsam.pth"}]},
    )
    hub(httpserver, "/api/records/111", {"metadata": {"access_right": "restricted"}, "files": []})
    hub(
        httpserver,
        "/api/records/222",
        {"access": {"files": "public", "embargo": {"active": True, "until": "2027-01-01"}}},
    )
    hub(httpserver, "/api/records/333", {"status": 410, "message": "PID has been deleted."}, status=410)
    assert judge(checker, "https://zenodo.org/record/7860267").status is AVAILABLE
    assert (
        judge(checker, "https://zenodo.org/records/7860267/files/medsam.pth?download=1").status is AVAILABLE
    )
    assert judge(checker, "https://doi.org/10.5281/zenodo.7860267").status is AVAILABLE
    missing = judge(checker, "https://zenodo.org/records/7860267/files/other.pth")
    assert missing.status is GONE and missing.detail == "Zenodo record 7860267 has no file other.pth"
    assert judge(checker, "https://zenodo.org/records/111").status is RESTRICTED
    embargo = judge(checker, "https://zenodo.org/records/222")
    assert embargo.status is RESTRICTED and "until 2027-01-01" in embargo.detail
    deleted = judge(checker, "https://zenodo.org/records/333")
    assert (deleted.status, deleted.http_status) == (GONE, 410)


def test_google_drive_files_and_folders_are_asked_as_their_sharing_page(checker, httpserver):
    httpserver.expect_request("/file/d/1GwavUxV6n_oLGwrUv/view").respond_with_data("<html>model.pth</html>")
    httpserver.expect_request("/drive/folders/1ACJEoTp-uqfFJ73qS3").respond_with_data("<html>folder</html>")
    httpserver.expect_request("/file/d/1DeletedDeletedDel/view").respond_with_data("", status=404)
    httpserver.expect_request("/file/d/1PrivatePrivatePri/view").respond_with_data(
        "", status=302, headers={"Location": "https://accounts.google.com/ServiceLogin?continue=x"}
    )
    file = judge(checker, "https://drive.google.com/file/d/1GwavUxV6n_oLGwrUv/view?usp=sharing")
    folder = judge(checker, "https://drive.google.com/drive/folders/1ACJEoTp-uqfFJ73qS3?usp=sharing")
    by_id = judge(checker, "https://drive.google.com/uc?export=download&id=1GwavUxV6n_oLGwrUv")
    gone = judge(checker, "https://drive.google.com/open?id=1DeletedDeletedDel")
    private = judge(checker, "https://drive.google.com/file/d/1PrivatePrivatePri/view")
    assert (file.status, file.detail) == (AVAILABLE, "Google Drive file: answered 200")
    assert (folder.status, folder.detail) == (AVAILABLE, "Google Drive folder: answered 200")
    assert by_id.status is AVAILABLE
    assert (gone.status, gone.http_status) == (GONE, 404)
    assert private.status is RESTRICTED
    assert private.detail == "Google Drive file: redirects to a sign-in page (accounts.google.com)"


def test_a_google_drive_page_that_asks_for_access_is_restricted(checker, httpserver):
    httpserver.expect_request("/file/d/1NeedAccessNeedAcc/view").respond_with_data(
        "<html><title>Google Drive</title><div>You need access</div><button>Request access</button></html>",
        content_type="text/html",
    )
    verdict = judge(checker, "https://drive.google.com/file/d/1NeedAccessNeedAcc/view")
    assert verdict.status is RESTRICTED and "asks for access" in verdict.detail


def test_words_in_a_pages_scripts_say_nothing_about_the_page(checker, httpserver):
    httpserver.expect_request("/file/d/1PublicPublicPubl/view").respond_with_data(
        '<html><title>model.pth - Google Drive</title><script>var s={"a":"Request access",'
        '"b":"You need access"}</script><div>model.pth</div></html>',
        content_type="text/html",
    )
    assert judge(checker, "https://drive.google.com/file/d/1PublicPublicPubl/view").status is AVAILABLE


def test_an_access_request_form_is_restricted_without_asking(checker, httpserver):
    verdict = judge(checker, "https://docs.google.com/forms/d/e/1FAIpQLSf/viewform", kind=ArtifactKind.DATA)
    assert verdict.status is RESTRICTED and verdict.detail == "an access-request form"
    assert httpserver.log == []


def facts(*releases: Release) -> RepoFacts:
    return RepoFacts(
        key="github.com/lab/segtool",
        url="https://github.com/lab/segtool",
        status=RepoStatus.OK,
        source="api",
        releases=list(releases),
    )


def test_github_release_assets_are_looked_up_in_the_listing(checker, httpserver):
    listed = facts(
        Release(tag="v1.0", assets=[ReleaseAsset(name="segtool.pth", url="https://github.com/x")]),
    )
    base = "https://github.com/lab/segtool/releases/download"
    there = judge(checker, f"{base}/v1.0/segtool.pth", facts=listed)
    deleted = judge(checker, f"{base}/v1.0/segtool_brats.pth", facts=listed)
    no_tag = judge(checker, f"{base}/v2.0/segtool.pth", facts=listed)
    assert there.status is AVAILABLE and "listed by the GitHub API" in there.detail
    assert (
        deleted.status is GONE and deleted.detail == "release v1.0 has no asset segtool_brats.pth (deleted?)"
    )
    assert no_tag.status is GONE
    assert httpserver.log == []  # the listing answered; no request


def test_release_assets_of_another_repository_are_probed(checker, httpserver):
    httpserver.expect_request("/other/tool/releases/download/v1/w.pth", method="HEAD").respond_with_data(
        "", status=302, headers={"Location": "/objects/w.pth"}
    )
    httpserver.expect_request("/objects/w.pth", method="HEAD").respond_with_data("")
    httpserver.expect_request("/other/tool/releases/download/v1/x.pth", method="HEAD").respond_with_data(
        "", status=404
    )
    base = "https://github.com/other/tool/releases/download/v1"
    assert judge(checker, f"{base}/w.pth", facts=facts()).status is AVAILABLE
    assert judge(checker, f"{base}/x.pth", facts=facts()).status is GONE


def test_anonymized_copies_online_expired_and_pointing_to_their_repository(checker, httpserver):
    hub(httpserver, "/api/repo/SegTool-1A2B/options", {"url": None, "download": False})
    hub(httpserver, "/api/repo/Old-3C4D/options", {"error": "repository_expired"}, status=410)
    hub(httpserver, "/api/repo/Moved-5E6F/options", {"url": "https://github.com/lab/segtool"})
    online = judge(checker, "https://anonymous.4open.science/r/SegTool-1A2B", kind=ArtifactKind.CODE)
    expired = judge(checker, "https://anonymous.4open.science/r/Old-3C4D/README.md", kind=ArtifactKind.CODE)
    moved = judge(checker, "https://anonymous.4open.science/r/Moved-5E6F", kind=ArtifactKind.CODE)
    assert online.status is AVAILABLE
    assert expired.status is GONE and "expired" in expired.detail
    assert moved.status is GONE and moved.leads_to == ("https://github.com/lab/segtool",)


@pytest.mark.parametrize(
    ("status", "headers", "body", "expected", "detail"),
    [
        (200, {}, "", AVAILABLE, "answered 200"),
        (404, {}, "", GONE, "not found (404)"),
        (410, {}, "", GONE, "gone (410)"),
        (401, {}, "", RESTRICTED, "asks to sign in (401)"),
        (
            403,
            {"Content-Type": "application/xml"},
            "<Error><Code>AccessDenied</Code></Error>",
            RESTRICTED,
            "access forbidden (403)",
        ),
        (
            403,
            {"cf-mitigated": "challenge", "Content-Type": "text/html"},
            "<title>Just a moment...</title>",
            UNKNOWN,
            "a bot check answered instead of the host (403)",
        ),
        (429, {"Retry-After": "3600"}, "", UNKNOWN, "rate limited (429)"),
        (418, {}, "", UNKNOWN, "answered 418"),
    ],
)
def test_plain_links_are_judged_by_their_answer(checker, httpserver, status, headers, body, expected, detail):
    httpserver.expect_request("/files/model.pth").respond_with_data(body, status=status, headers=headers)
    verdict = judge(checker, httpserver.url_for("/files/model.pth"))
    assert (verdict.status, verdict.detail) == (expected, detail)


def test_a_plain_link_that_redirects_to_a_sign_in_page_is_restricted(checker, httpserver):
    httpserver.expect_request("/share/weights").respond_with_data(
        "", status=302, headers={"Location": "/users/sign_in"}
    )
    verdict = judge(checker, httpserver.url_for("/share/weights"))
    assert verdict.status is RESTRICTED and "sign-in page" in verdict.detail
    assert [r.path for r, _ in httpserver.log] == ["/share/weights"]


def test_a_host_that_does_not_answer_is_unknown(checker, httpserver):
    verdict = judge(checker, "http://127.0.0.1:9/weights.pth")  # the discard port: nothing listens
    assert (verdict.status, verdict.detail) == (UNKNOWN, "could not connect")


def answer(status: int, url: str, body: str = "", location: str | None = None) -> Answer:
    return Answer(
        status=status, url=url, headers={"content-type": "text/html"}, body=body.encode(), location=location
    )


def test_baidu_shares_that_need_a_code_or_were_cancelled():
    link = "https://pan.baidu.com/s/1d0cFhj3LU029oHajNni8KQ"
    page = page_rule(link)
    code = read_answer(answer(302, link, location="https://pan.baidu.com/share/init?surl=d0cFhj3"), page=page)
    assert (code.status, code.detail) == (RESTRICTED, "the share needs an extraction code")
    cancelled = read_answer(answer(200, link, "<div>啊哦，你来晚了，分享的文件已经被取消了</div>"), page=page)  # noqa: RUF001
    assert cancelled.status is GONE and "Baidu share" in cancelled.detail


def test_sharepoint_pages_for_deleted_items_and_sign_in_redirects():
    link = "https://lab-my.sharepoint.com/:u:/g/personal/someone/Ec2i-a5vPllGi6?e=k1t11h"
    page = page_rule(link)
    deleted = read_answer(answer(200, link, "This item might not exist or is no longer available"), page=page)
    login = read_answer(
        answer(302, link, location="https://login.microsoftonline.com/common/oauth2"), page=page
    )
    assert deleted.status is GONE
    assert (login.status, login.detail) == (
        RESTRICTED,
        "redirects to a sign-in page (login.microsoftonline.com)",
    )


def test_project_pages_name_the_code_they_link(checker, httpserver):
    httpserver.expect_request("/segtool/").respond_with_data(
        '<html><a href="https://arxiv.org/abs/2501.00001">Paper</a>'
        '<a href="https://github.com/lab/SegTool"><i class="fab fa-github"></i> Code</a>'
        '<footer>Adapted from the <a href="https://github.com/nerfies/nerfies.github.io">Nerfies</a> template'
        "</footer></html>",
        content_type="text/html",
    )
    httpserver.expect_request("/nocode/").respond_with_data(
        '<html><a href="https://arxiv.org/abs/2501.00002">Paper</a> Code coming soon.</html>',
        content_type="text/html",
    )
    page = judge(checker, httpserver.url_for("/segtool/"), kind=ArtifactKind.PROJECT_PAGE)
    empty = judge(checker, httpserver.url_for("/nocode/"), kind=ArtifactKind.PROJECT_PAGE)
    assert page.status is AVAILABLE and page.leads_to == ("https://github.com/lab/SegTool",)
    assert (empty.status, empty.leads_to, empty.detail) == (AVAILABLE, (), "links no code repository")


def test_links_are_checked_several_at_a_time_in_order(checker, httpserver):
    for name, status in (("a", 200), ("b", 404), ("c", 410)):
        httpserver.expect_request(f"/{name}").respond_with_data("", status=status)
    links = [ArtifactLink(httpserver.url_for(f"/{n}"), ArtifactKind.DATA) for n in "abc"]
    assert [v.status for v in checker.check(links)] == [AVAILABLE, GONE, GONE]
