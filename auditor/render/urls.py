"""URLs that are safe to link: http(s) only, percent-encoded where Markdown or HTML would break."""

from __future__ import annotations

import re
from urllib.parse import quote, urlsplit

from auditor.render.text import BIDI

# Characters that would end a Markdown link destination or an HTML attribute early, and control
# and bidirectional characters, which have no business in a link target.
_UNSAFE_IN_HREF = re.compile(f"[\\s<>()\"'`\\\\\\[\\]\x00-\x1f\x7f-\x9f{BIDI}]")


def safe_href(url: str) -> str | None:
    """`url` if it may be a link target: http(s) only, percent-encoded where Markdown would break."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return _UNSAFE_IN_HREF.sub(lambda m: quote(m.group(0)), url.strip())
