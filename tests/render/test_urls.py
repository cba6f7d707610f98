"""Link targets: what the renderers may link, decided as `urlsplit` decides it."""

from urllib.parse import quote, urlsplit

from hypothesis import given
from hypothesis import strategies as st

from auditor.render.urls import _UNSAFE_IN_HREF, safe_href


def by_urlsplit(url: str) -> str | None:
    """safe_href as it was before plain URLs skipped `urlsplit`: every URL split."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return _UNSAFE_IN_HREF.sub(lambda m: quote(m.group(0)), url.strip())


STARTS = [
    "https://",
    "http://",
    "HTTPS://",
    "http\u017f://",
    "https:///",
    " https://",
    "\x01https://",
    "ftp://",
]
HOSTS = ["github.com", "a-b.c", "[::1]", "[::1", "x\u212a.org", "ex\tample.com", "", "h.org:80", "u@h"]
TAILS = ["", "/", "/a b", "/a\nb", "?q", "#f", "/x)(<>", " ", "\t/p", "/\u202e"]


@given(st.sampled_from(STARTS), st.sampled_from(HOSTS), st.sampled_from(TAILS), st.text(max_size=8))
def test_a_link_target_is_what_urlsplit_would_make_of_it(start, host, tail, text):
    url = start + host + tail + text
    assert safe_href(url) == by_urlsplit(url)


@given(st.text())
def test_any_text_is_judged_as_urlsplit_judges_it(text):
    assert safe_href(text) == by_urlsplit(text)
    assert safe_href("https://github.com/" + text) == by_urlsplit("https://github.com/" + text)


def test_a_file_at_a_commit_is_linked_and_other_schemes_are_not():
    assert safe_href("https://github.com/a/b/blob/c0ffee/R E.md#L2") == (
        "https://github.com/a/b/blob/c0ffee/R%20E.md#L2"
    )
    assert safe_href("javascript:alert(1)") is None and safe_href("https://[::1") is None
