"""URL normalisation and credential stripping as properties over generated input (hypothesis):
whatever an abstract or a README writes, one repository gets one key, nothing crashes, and no
credential or secret parameter survives into what is stored or shown."""

from __future__ import annotations

import string

from hypothesis import given, settings
from hypothesis import strategies as st

from auditor.data import load_yaml
from auditor.data.redact import redact_url
from auditor.models import LinkKind
from auditor.papers.links import classify, extract_links, redact_urls

RESERVED = {o.lower() for o in load_yaml("hosts.yaml")["code_hosts"][0]["reserved_owners"]}
NAME = st.text(alphabet=string.ascii_letters + string.digits, min_size=1, max_size=12)
REPO_NAME = st.builds(lambda a, b: a + b, NAME, st.text(alphabet=string.ascii_letters + "._-", max_size=6))
# Distinctive enough that finding one in the output means it was not stripped.
SECRET = st.text(alphabet=string.ascii_letters + string.digits, min_size=6, max_size=16).map(
    lambda s: f"Zq{s}"
)
SECRET_NAMES = st.sampled_from(
    ["token", "access_token", "X-Amz-Signature", "X-Amz-Credential", "sig", "key", "api_key", "password"]
)
PLAIN_NAMES = st.sampled_from(["id", "dl", "page", "export", "raw"])


@st.composite
def spellings(draw: st.DrawFn) -> tuple[str, str, str]:
    """(owner, name, one way an abstract writes https://github.com/owner/name)."""
    # A name ending in "." is not told from a full stop after it: abstracts end sentences with links.
    owner = draw(NAME.filter(lambda o: o.lower() not in RESERVED))  # github.com/new is a page
    name = draw(REPO_NAME.filter(lambda n: not n.endswith((".", ".git"))))
    scheme = draw(st.sampled_from(["https://", "http://", "HTTPS://", ""]))
    www = draw(st.sampled_from(["www.", ""])) if scheme else "www."
    host = draw(st.sampled_from(["github.com", "GitHub.com", "GITHUB.COM"]))
    user = draw(st.sampled_from(["", "someone:hunter2@"])) if scheme else ""
    tail = draw(st.sampled_from(["", "/", ".git", "/tree/main", "/tree/main/src/seg"]))
    glued = draw(st.sampled_from(["", ".", ",", ")", ";", "{GitHub}"]))
    return owner, name, f"{scheme}{user}{www}{host}/{owner}/{name}{tail}{glued}"


@settings(max_examples=300, deadline=None)
@given(spellings())
def test_every_spelling_of_a_repository_gives_its_one_key(case: tuple[str, str, str]):
    owner, name, written = case
    links = extract_links(f"Code is available at {written} for all.")
    repos = [link.repo for link in links if link.repo is not None]
    assert [r.key for r in repos] == [f"github.com/{owner}/{name}".lower()], written
    assert repos[0].url == f"https://github.com/{owner}/{name}"
    assert "hunter2" not in links[0].raw and "someone" not in links[0].raw


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_any_text_gives_links_without_crashing_and_each_normalises_to_itself(text: str):
    for link in extract_links(text):
        again = classify(link.url)
        if link.repo is not None:
            assert again.repo is not None and again.repo.key == link.repo.key
        else:
            assert again.kind in (link.kind, LinkKind.OTHER)


@st.composite
def secret_urls(draw: st.DrawFn) -> tuple[str, list[str]]:
    """A URL carrying secrets in its user info, query, fragment or path parameters, and them."""
    secrets: list[str] = []
    host = draw(st.sampled_from(["example.org", "files.example.org:8443", "huggingface.co", "10.0.0.1"]))
    url = draw(st.sampled_from(["https://", "http://", "//"]))
    if draw(st.booleans()):
        user, password = draw(SECRET), draw(SECRET)
        secrets += [user, password]
        url += f"{user}:{password}@"
    url += host + "/" + draw(NAME)
    if draw(st.booleans()):
        secrets.append(value := draw(SECRET))
        url += f";jsessionid={value}"
    params = []
    for _ in range(draw(st.integers(0, 4))):
        if draw(st.booleans()):
            secrets.append(value := draw(SECRET))
            params.append(f"{draw(SECRET_NAMES)}={value}")
        else:
            params.append(f"{draw(PLAIN_NAMES)}={draw(NAME)}")
    if params:
        url += "?" + "&".join(params)
    if draw(st.booleans()):
        secrets.append(value := draw(SECRET))
        url += f"#access_token={value}&state=x"
    return url, secrets


@settings(max_examples=400, deadline=None)
@given(secret_urls())
def test_no_secret_survives_redaction_and_redaction_is_stable(case: tuple[str, list[str]]):
    url, secrets = case
    redacted = redact_url(url)
    assert not [s for s in secrets if s in redacted]
    assert redact_url(redacted) == redacted
    shown = classify(url)
    assert not [s for s in secrets if s in shown.raw or s in shown.url]


@settings(max_examples=200, deadline=None)
@given(secret_urls(), st.text(alphabet=string.ascii_letters + " .,", max_size=40))
def test_no_secret_survives_in_an_abstract(case: tuple[str, list[str]], words: str):
    url, secrets = case
    if url.startswith("//"):
        url = "https:" + url
    text = redact_urls(f"{words} Weights: {url}. {words}")
    assert not [s for s in secrets if s in text]
    assert text.startswith(words) and text.endswith(words)


def test_what_is_not_a_secret_is_kept_as_written():
    url = "https://drive.google.com/uc?id=1AbC&export=download#gid=0"
    assert redact_url(url) == url
    assert redact_url("docs/setup.md#install") == "docs/setup.md#install"
    assert redact_url("https://u:p@x.org/a?token=t&id=2") == "https://x.org/a?token=***&id=2"
