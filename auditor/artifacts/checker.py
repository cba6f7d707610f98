"""Can the promised artifacts really be had? One verdict per link: available, gone, restricted, unknown.

Host specifics come from `data/artifacts.yaml`: Hugging Face repositories are asked through the
Hub API (does the repository exist, is it gated, does it hold the linked file), Zenodo records
through Zenodo's (deleted, restricted, under embargo, which files), Google Drive links are told
apart as files or folders and asked as their sharing page, GitHub release assets are looked up in
the release list the GitHub API gave (no request at all) and anonymized review copies through
their host's API (expired, or pointing to the repository they were made from). Any other link is
asked with HEAD and a ranged GET, and its answer read: a redirect to a sign-in page or an access
form is `restricted`, 404 and 410 are `gone`, a bot wall, a rate limit or a timeout is `unknown`.

All requests go through one `Prober` (auditor/prober.py), which owns the network policy.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote, unquote, urlsplit

from auditor.artifacts.links import ArtifactLink, ProbeSettings, Verdict
from auditor.artifacts.pages import code_repos, visible_text
from auditor.artifacts.prober import RANGE, Answer, ProbeFailed, Prober
from auditor.data import load_yaml
from auditor.models import ArtifactKind, ArtifactStatus, RepoFacts

AVAILABLE, GONE, RESTRICTED, UNKNOWN = (
    ArtifactStatus.AVAILABLE,
    ArtifactStatus.GONE,
    ArtifactStatus.RESTRICTED,
    ArtifactStatus.UNKNOWN,
)
# Links checked at once; the prober lets at most two of them at one host.
WORKERS = 8
# The GitHub API lists at most this many releases: an asset missing from a full page may be older.
_RELEASES_PAGE = 100


def open_checker(settings: ProbeSettings, cache_dir: Path | None) -> ArtifactChecker:
    """A checker on the HTTP cache of `cache_dir`; the hosts of `settings` are trusted origins."""
    bases = {name: settings.hosts.get(name, rule["base"]) for name, rule in _cfg()["hosts"].items()}
    prober = Prober(
        cache_path=cache_dir / "http.sqlite" if cache_dir else None,
        trusted=list(settings.hosts.values()),
        allow_private=settings.allow_private,
        robots=settings.robots,
    )
    return ArtifactChecker(prober, bases=bases)


@cache
def _cfg() -> dict[str, Any]:
    cfg: dict[str, Any] = load_yaml("artifacts.yaml")
    return cfg


@cache
def _pattern(key: str) -> re.Pattern[str]:
    value = _cfg()[key]
    text = "|".join(f"(?:{p})" for p in value) if isinstance(value, list) else value
    return re.compile(text, re.IGNORECASE)


def _host(url: str) -> str:
    return (urlsplit(url).hostname or "").lower().removeprefix("www.")


def _on(host: str, names: Sequence[str]) -> bool:
    return any(host == n or host.endswith("." + n) for n in names)


def rule_for(url: str) -> str | None:
    """The host rule of data/artifacts.yaml that answers for `url`, if any."""
    host = _host(url)
    if _on(host, _cfg()["doi_hosts"]) and _pattern("zenodo_doi").match(urlsplit(url).path):
        return "zenodo"
    return next((name for name, rule in _cfg()["hosts"].items() if _on(host, rule["match"])), None)


def is_login(url: str) -> bool:
    return bool(_pattern("login_urls").search(url))


def is_request_form(url: str) -> bool:
    return bool(_pattern("request_forms").search(url))


@dataclass(frozen=True)
class _PageRule:
    name: str
    gone: list[str]
    restricted: list[str]
    gone_urls: list[str]
    restricted_urls: list[str]
    restricted_note: str


def _page_rule(url: str) -> _PageRule | None:
    host = _host(url)
    for rule in _cfg()["pages"]:
        if _on(host, rule["match"]):
            return _PageRule(
                name=rule["name"],
                gone=rule.get("gone", []),
                restricted=rule.get("restricted", []),
                gone_urls=rule.get("gone_urls", []),
                restricted_urls=rule.get("restricted_urls", []),
                restricted_note=rule.get("restricted_note", ""),
            )
    return None


def _any(patterns: list[str], text: str) -> bool:
    return any(re.search(p, text, re.IGNORECASE) for p in patterns)


def _challenged(answer: Answer) -> bool:
    """A bot wall answered instead of the host."""
    if any(answer.header(k).lower() == v for k, v in _cfg()["challenge_headers"].items()):
        return True
    return answer.html and bool(_pattern("challenge_body").search(answer.text()[:20000]))


def read_answer(answer: Answer, *, what: str = "", page: _PageRule | None = None) -> Verdict:
    """The verdict an HTTP answer gives, with the markers of the host's pages if it has any."""
    prefix = f"{what}: " if what else ""
    target = answer.location or answer.url
    if answer.location is not None or answer.hops:
        if is_request_form(target):
            return Verdict(RESTRICTED, f"{prefix}redirects to an access-request form", answer.status)
        if is_login(target):
            host = _host(target)
            return Verdict(RESTRICTED, f"{prefix}redirects to a sign-in page ({host})", answer.status)
        if page is not None and _any(page.gone_urls, target):
            return Verdict(GONE, f"{prefix}{page.name} says the share no longer exists", answer.status)
        if page is not None and _any(page.restricted_urls, target):
            return Verdict(RESTRICTED, f"{prefix}{page.restricted_note}", answer.status)
    status = answer.status
    if status in (404, 410):
        return Verdict(GONE, f"{prefix}{'not found' if status == 404 else 'gone'} ({status})", status)
    if _challenged(answer):
        return Verdict(UNKNOWN, f"{prefix}a bot check answered instead of the host ({status})", status)
    if status in (401, 407):
        return Verdict(RESTRICTED, f"{prefix}asks to sign in ({status})", status)
    if status == 403:
        return Verdict(RESTRICTED, f"{prefix}access forbidden (403)", status)
    if status == 451:
        return Verdict(RESTRICTED, f"{prefix}unavailable for legal reasons (451)", status)
    if status == 429:
        return Verdict(UNKNOWN, f"{prefix}rate limited (429)", status)
    if 200 <= status < 300:
        text = visible_text(answer.text()) if page is not None and answer.html else ""
        if page is not None and _any(page.gone, text):
            return Verdict(GONE, f"{prefix}{page.name} says the file no longer exists", status)
        if page is not None and _any(page.restricted, text):
            return Verdict(RESTRICTED, f"{prefix}{page.name} asks for access", status)
        return Verdict(AVAILABLE, f"{prefix}answered {status}".lstrip(), status)
    return Verdict(UNKNOWN, f"{prefix}answered {status}", status)


def _stop(url: str) -> bool:
    """Redirects not to follow: their target already tells the verdict."""
    page = _page_rule(url)
    return is_login(url) or is_request_form(url) or (page is not None and _any(page.restricted_urls, url))


class ArtifactChecker:
    """Verdicts for artifact links, several at a time (the prober bounds each host)."""

    def __init__(self, prober: Prober, *, bases: Mapping[str, str], workers: int = WORKERS) -> None:
        self.prober = prober
        self.bases = {name: url.rstrip("/") for name, url in bases.items()}
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="artifacts")

    def close(self) -> None:
        self._pool.shutdown(wait=True)
        self.prober.close()

    def check(self, links: Sequence[ArtifactLink], *, facts: RepoFacts | None = None) -> list[Verdict]:
        """A verdict per link, in order; `facts` answers for the release assets it lists."""
        return list(self._pool.map(lambda link: self.judge(link.url, kind=link.kind, facts=facts), links))

    def judge(self, url: str, *, kind: ArtifactKind, facts: RepoFacts | None = None) -> Verdict:
        rule = rule_for(url)
        handlers: dict[str | None, Callable[[str], Verdict]] = {
            "huggingface": self._huggingface,
            "zenodo": self._zenodo,
            "google-drive": self._drive,
            "github-release": lambda u: self._github(u, facts),
            "anonymous-github": self._anonymous,
        }
        try:
            if is_request_form(url):
                return Verdict(RESTRICTED, "an access-request form")
            if kind is ArtifactKind.PROJECT_PAGE and rule is None:
                return self._project_page(url)
            return handlers.get(rule, self._plain)(url)
        except ProbeFailed as err:
            return Verdict(UNKNOWN, str(err), host=rule)

    # --- any host ---------------------------------------------------------------------------------

    def _plain(self, url: str) -> Verdict:
        page = _page_rule(url)
        if page is not None:  # its pages say what the status does not: read the first bytes
            return read_answer(self.prober.get(url, headers={"Range": RANGE}, stop=_stop), page=page)
        return read_answer(self.prober.probe(url, stop=_stop))

    def _project_page(self, url: str) -> Verdict:
        answer = self.prober.get(url, stop=_stop)
        verdict = read_answer(answer)
        if verdict.status is not AVAILABLE or not answer.html:
            return verdict
        found = code_repos(answer.text(), answer.url)
        return Verdict(AVAILABLE, found.note, answer.status, leads_to=tuple(found.repos))

    def _rebase(self, rule: str, url: str) -> str:
        parts = urlsplit(url)
        return self.bases[rule] + parts.path + (f"?{parts.query}" if parts.query else "")

    # --- Hugging Face -----------------------------------------------------------------------------

    def _huggingface(self, url: str) -> Verdict:
        path = unquote(urlsplit(url).path).rstrip("/")
        parts = [p for p in path.split("/") if p]
        kind = "model"
        if parts and parts[0] in ("datasets", "spaces"):
            kind, parts = parts[0][:-1], parts[1:]
        # owner/name; a name alone is a user's page, or one of the oldest models: asked as a page
        if (
            len(parts) < 2
            or parts[1] in ("resolve", "blob", "tree")
            or _pattern("hf_not_repos").search(path + "/")
        ):
            return self._plain(self._rebase("huggingface", url))
        repo, rest = parts[:2], parts[2:]
        revision, file = None, None
        if len(rest) >= 2 and rest[0] in ("resolve", "blob", "tree"):
            revision, file = rest[1], "/".join(rest[2:]) or None
        repo_id = "/".join(repo)
        what = f"Hugging Face {kind} {repo_id}"
        api = f"{self.bases['huggingface']}/api/{kind}s/{repo_id}"
        if revision and revision != "main":
            api += f"/revision/{quote(revision, safe='')}"
        answer = self.prober.api(api)
        code = answer.header("x-error-code")
        status = answer.status
        if status == 200:
            return self._hf_repo(answer, what, file)
        if code == "RepoNotFound" or (status == 404 and not code):
            return Verdict(GONE, f"no {what} (deleted, renamed or private)", status, "huggingface")
        if code == "RevisionNotFound":
            return Verdict(GONE, f"{what} has no revision {revision}", status, "huggingface")
        if code == "GatedRepo" or status in (401, 403):
            return Verdict(RESTRICTED, f"{what} is gated: access must be requested", status, "huggingface")
        verdict = read_answer(answer, what=what)
        return Verdict(verdict.status, verdict.detail, status, "huggingface")

    @staticmethod
    def _hf_repo(answer: Answer, what: str, file: str | None) -> Verdict:
        try:
            info = answer.json()
        except ValueError:
            info = None
        if not isinstance(info, dict):
            if file:
                return Verdict(UNKNOWN, f"{what} exists; its file list could not be read", 200, "huggingface")
            return Verdict(AVAILABLE, f"{what} exists", 200, "huggingface")
        if info.get("disabled"):
            return Verdict(GONE, f"{what} is disabled", 200, "huggingface")
        if info.get("gated") == "manual":
            return Verdict(
                RESTRICTED, f"{what} is gated: the authors approve each request", 200, "huggingface"
            )
        names = [str(s.get("rfilename", "")) for s in info.get("siblings") or [] if isinstance(s, dict)]
        gated = ", gated: accept its conditions to download" if info.get("gated") else ""
        if file and not names:  # a repository always holds a file: the answer did not list them
            return Verdict(
                UNKNOWN, f"{what} exists; it lists no files, so {file} is not checked", 200, "huggingface"
            )
        if file and file not in names and not any(n.startswith(file + "/") for n in names):
            return Verdict(GONE, f"{what} has no file {file}", 200, "huggingface")
        shown = f", {len(names)} files" if names else ""
        return Verdict(AVAILABLE, f"{what}{shown}{gated}", 200, "huggingface")

    # --- Zenodo -----------------------------------------------------------------------------------

    def _zenodo(self, url: str) -> Verdict:
        path = urlsplit(url).path
        match = _pattern("zenodo_record").match(path) or _pattern("zenodo_doi").match(path)
        if match is None:
            return self._plain(self._rebase("zenodo", url) if _host(url) == "zenodo.org" else url)
        record = match["id"]
        file = unquote(match.groupdict().get("file") or "") or None
        what = f"Zenodo record {record}"
        answer = self.prober.api(f"{self.bases['zenodo']}/api/records/{record}")
        if answer.status == 410:
            return Verdict(GONE, f"{what} was deleted (410)", 410, "zenodo")
        if answer.status != 200:
            verdict = read_answer(answer, what=what)
            return Verdict(verdict.status, verdict.detail, answer.status, "zenodo")
        try:
            info = _dict(answer.json())
        except ValueError:
            return Verdict(UNKNOWN, f"{what}: unreadable answer", 200, "zenodo")
        return _zenodo_record(info, what, file)

    # --- Google Drive -----------------------------------------------------------------------------

    def _drive(self, url: str) -> Verdict:
        parts = urlsplit(url)
        query = parse_qs(parts.query)
        folder = _pattern("drive_folder").match(parts.path)
        file = _pattern("drive_file").match(parts.path)
        base = self.bases["google-drive"]
        if folder is not None and (folder["id"] or query.get("id")):
            ident, what, page = folder["id"] or query["id"][0], "Google Drive folder", "drive/folders/{}"
        elif file is not None and (file["path_id"] or query.get("id")):
            ident, what, page = file["path_id"] or query["id"][0], "Google Drive file", "file/d/{}/view"
        else:
            return self._plain(url)
        target = f"{base}/{page.format(quote(ident, safe=''))}"
        answer = self.prober.get(target, stop=_stop)
        verdict = read_answer(answer, what=what, page=_page_rule("https://drive.google.com/"))
        return Verdict(verdict.status, verdict.detail, verdict.http_status, "google-drive")

    # --- GitHub releases --------------------------------------------------------------------------

    def _github(self, url: str, facts: RepoFacts | None) -> Verdict:
        segments = [unquote(s) for s in urlsplit(url).path.split("/") if s]
        if len(segments) < 3 or segments[2] != "releases":
            return self._plain(self._rebase("github-release", url))
        listed = _listed(facts, segments[0], segments[1])
        if listed is not None and len(segments) >= 6 and segments[3] == "download":
            tag, name = segments[4], "/".join(segments[5:])
            release = next((r for r in listed if r.tag == tag), None)
            if release is None:
                return Verdict(GONE, f"no release {tag} (deleted?)", host="github-release")
            if not any(a.name == name for a in release.assets):
                return Verdict(GONE, f"release {tag} has no asset {name} (deleted?)", host="github-release")
            return Verdict(
                AVAILABLE, f"release {tag} asset {name}, listed by the GitHub API", None, "github-release"
            )
        verdict = read_answer(
            self.prober.probe(self._rebase("github-release", url), stop=_stop), what="GitHub"
        )
        return Verdict(verdict.status, verdict.detail, verdict.http_status, "github-release")

    # --- anonymized review copies -----------------------------------------------------------------

    def _anonymous(self, url: str) -> Verdict:
        match = re.match(r"^/r/([A-Za-z0-9._-]+)", urlsplit(url).path)
        if match is None:
            return self._plain(url)
        name = match[1]
        what = f"anonymized copy {name}"
        answer = self.prober.api(f"{self.bases['anonymous-github']}/api/repo/{quote(name, safe='')}/options")
        try:
            info = _dict(answer.json())
        except ValueError:
            info = {}
        if answer.status == 200:
            origin = info.get("url")
            if isinstance(origin, str) and origin.startswith("https://github.com/"):
                return Verdict(
                    GONE,
                    f"the {what} expired; it names {origin}",
                    200,
                    "anonymous-github",
                    leads_to=(origin,),
                )
            return Verdict(AVAILABLE, f"the {what} is online", 200, "anonymous-github")
        error = str(info.get("error", ""))
        if answer.status == 410 or "expired" in error:
            return Verdict(GONE, f"the {what} expired ({answer.status})", answer.status, "anonymous-github")
        if answer.status == 404 and "not_ready" not in error:
            return Verdict(GONE, f"no {what} (404)", 404, "anonymous-github")
        return Verdict(
            UNKNOWN, f"{what}: answered {answer.status} {error}".strip(), answer.status, "anonymous-github"
        )


def _listed(facts: RepoFacts | None, owner: str, name: str) -> list[Any] | None:
    """The releases of owner/name as the GitHub API listed them, when that list is complete."""
    if facts is None or facts.releases is None or len(facts.releases) >= _RELEASES_PAGE:
        return None
    web = [s.lower() for s in urlsplit(facts.url).path.split("/") if s][:2]
    if _host(facts.url) != "github.com" or web != [owner.lower(), name.lower()]:
        return None
    return list(facts.releases)


def _dict(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _zenodo_record(info: dict[str, Any], what: str, file: str | None) -> Verdict:
    """Zenodo's legacy (`metadata.access_right`) and current (`access`) answers alike."""
    metadata, access = _dict(info.get("metadata")), _dict(info.get("access"))
    right = str(metadata.get("access_right", "")).lower()
    embargo = _dict(access.get("embargo"))
    if right == "embargoed" or embargo.get("active"):
        until = embargo.get("until") or metadata.get("embargo_date") or "a later date"
        return Verdict(RESTRICTED, f"{what} is under embargo until {until}", 200, "zenodo")
    if right in ("restricted", "closed") or access.get("files") == "restricted":
        return Verdict(RESTRICTED, f"{what}: its files are restricted (access on request)", 200, "zenodo")
    files = info.get("files")
    if isinstance(files, dict):  # the newer serialization: {"entries": {...}} or {"entries": [...]}
        files = files.get("entries")
    if isinstance(files, dict):
        files = list(files.values())
    names = [str(f.get("key") or f.get("filename") or "") for f in files or [] if isinstance(f, dict)]
    if file and not names:  # no file list to look the file up in: not a sign that it is gone
        return Verdict(UNKNOWN, f"{what} exists; it lists no files, so {file} is not checked", 200, "zenodo")
    if file and file not in names:
        return Verdict(GONE, f"{what} has no file {file}", 200, "zenodo")
    shown = f", {len(names)} files" if names else ""
    return Verdict(AVAILABLE, f"{what}{shown}", 200, "zenodo")
