"""URLs that are safe to link: http(s) only, percent-encoded where Markdown or HTML would break."""

from __future__ import annotations

import re
from urllib.parse import quote, urlsplit

from auditor.render.text import BIDI

# Characters that would end a Markdown link destination or an HTML attribute early, and control
# and bidirectional characters, which have no business in a link target.
_UNSAFE_IN_HREF = re.compile(f"[\\s<>()\"'`\\\\\\[\\]\x00-\x1f\x7f-\x9f{BIDI}]")


# An http(s) URL whose host is plain ASCII (letters, digits, dots, hyphens) and is followed by a
# path, query, fragment or nothing: `urlsplit` would find that scheme and host, so it is not asked
# (a report links thousands of files, and its cache holds 128).
_PLAIN = re.compile(r"https?://[a-z0-9.-]+(?:[/?#]|\Z)", re.IGNORECASE | re.ASCII)


def safe_href(url: str) -> str | None:
    """`url` if it may be a link target: http(s) only, percent-encoded where Markdown would break."""
    url = url.strip()
    if not _PLAIN.match(url):
        try:
            parts = urlsplit(url)
        except ValueError:
            return None
        if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
            return None
    return _UNSAFE_IN_HREF.sub(lambda m: quote(m.group(0)), url)
