"""URLs others wrote (in abstracts, READMEs, corpora), made fit to store and show."""

from __future__ import annotations

import re
from functools import cache

from auditor.data import load_yaml

# user:password@ after the scheme (greedy: up to the authority's last @), and name=value pairs:
# `;name=value` in the path, `name=value` after the `?` or `#`.
_USERINFO = re.compile(r"^((?:[A-Za-z][A-Za-z0-9+.-]*:)?//)[^/?#]*@")
_PATH_PARAMETER = re.compile(r"(?<=;)([^=;/]+)=([^;/]*)")
_PARAMETER = re.compile(r"(?<=[?&#;])([^=&#;]+)=([^&#;]*)")


def redact_url(url: str) -> str:
    """A URL fit to store and show: no `user:password@`, and `***` for the value of every query,
    fragment or path parameter that carries a secret (a token, a key, a signature: data/urls.yaml).
    Everything else is kept as written."""
    url = _USERINFO.sub(r"\1", url)
    if "=" not in url:
        return url
    tail = min((i for i in (url.find("?"), url.find("#")) if i >= 0), default=len(url))
    return _PATH_PARAMETER.sub(_redact_parameter, url[:tail]) + _PARAMETER.sub(_redact_parameter, url[tail:])


def _redact_parameter(match: re.Match[str]) -> str:
    name = match.group(1)
    return f"{name}=***" if _secret(name) and match.group(2) else match.group(0)


@cache
def _secret(name: str) -> bool:
    table = load_yaml("urls.yaml")
    name = name.lower()
    return name in table["secret_parameters"] or any(w in name for w in table["secret_parameter_words"])
