"""Re-runs: an unchanged repository costs one request and is re-reported from the result cache,
exactly as a fresh audit would report it; a changed one is audited again."""

import json
from pathlib import Path

from githubserver import FakeGitHub, release
from gitrepos import commit, git, make_repo

from auditor.acquire.resultcache import Head, ResultCache
from auditor.audit import Settings
from auditor.checks.checklist import load
from auditor.models import ChecklistRef, NetworkCost, RepoAudit, Report, RepoStatus
from auditor.papers.links import parse_repo_url
from auditor.pipeline import DEFAULT_CLONE_URL, Target, audit_targets, target_for
from auditor.report.journal import Journal
from auditor.report.stats import with_file_urls

SEGTOOL, PLACEHOLDER, DELETED = (
    "github.com/lab/segtool",
    "github.com/someone/placeholder",
    "github.com/lab/deleted",
)
REPOS = ("lab/SegTool", "someone/Placeholder", "lab/deleted")


def audit(server: FakeGitHub, cache: Path, *names: str) -> Report:
    targets = [target_for(parse_repo_url(f"https://github.com/{n}"), DEFAULT_CLONE_URL) for n in names]
    settings = Settings(cache_dir=cache, checklist=load("midl"), github_api=server.url)
    return audit_targets(targets, settings)


def verdicts(report: Report) -> list[dict]:
    """Everything a report says about its repositories but what this run spent fetching them."""
    return [a.model_dump(mode="json", exclude={"repo": {"cost"}}) for a in report.repos]


def costs(report: Report) -> dict[str, NetworkCost]:
    return {a.repo.key: a.repo.cost for a in report.repos}


def test_an_unchanged_repository_costs_one_request_and_reads_as_a_fresh_audit(segtool_github, tmp_path):
    cold = audit(segtool_github, tmp_path / "cache", *REPOS)
    # Without a token: the refs from the git host, then the trees from a clone and the files read
    # in one batch
    asked = [h for h in segtool_github.hits if "lab/segtool" in h.path.lower() and not h.by_git]
    assert costs(cold)[SEGTOOL].http_requests == len(asked) == 1 and not costs(cold)[SEGTOOL].reused
    assert costs(cold)[SEGTOOL].git == ["clone", "fetch 3 files"]
    segtool_github.hits.clear()

    warm = audit(segtool_github, tmp_path / "cache", *REPOS)
    assert costs(warm)[SEGTOOL] == costs(warm)[PLACEHOLDER] == NetworkCost(http_requests=1, reused=True)
    assert costs(warm)[DELETED] == NetworkCost(http_requests=2)  # a missing repository is asked again
    asked = [h.path.split("?")[0] for h in segtool_github.hits]
    assert sorted(asked) == [
        "/lab/SegTool.git/info/refs",
        "/lab/deleted.git/info/refs",
        "/repos/lab/deleted",
        "/someone/Placeholder.git/info/refs",
    ]
    fresh = audit(segtool_github, tmp_path / "another-cache", *REPOS)  # what a first audit says today
    assert verdicts(warm) == verdicts(fresh) == verdicts(cold)


def test_a_new_commit_is_audited_again_and_what_did_not_change_is_not_fetched_again(segtool_github, tmp_path):
    # With a token, a repository without code is read through the API, whose answers are cached
    audit_with_token(segtool_github, tmp_path / "cache", *REPOS)
    readme = git("rev-parse", "HEAD:README.md", cwd=tmp_path / "repos" / "placeholder").strip()
    new = commit(tmp_path / "repos" / "placeholder", {"NEWS.md": "Still to come.\n"}, message="news")
    segtool_github.hits.clear()

    warm = audit_with_token(segtool_github, tmp_path / "cache", *REPOS)
    placeholder = next(a.repo for a in warm.repos if a.repo.key == PLACEHOLDER)
    assert placeholder.commit == new and placeholder.file_count == 2 and not placeholder.cost.reused
    asked = [h.path for h in segtool_github.hits if "someone/placeholder" in h.path.lower()]
    assert f"/repos/someone/Placeholder/git/trees/{new}?recursive=1" in asked
    assert not [p for p in asked if readme in p]  # the README did not change: its blob is not asked again
    assert costs(warm)[SEGTOOL].reused
    assert verdicts(warm) == verdicts(audit_with_token(segtool_github, tmp_path / "another-cache", *REPOS))


def test_a_new_tag_is_audited_again_for_the_release_it_may_bring(segtool_github, tmp_path):
    audit(segtool_github, tmp_path / "cache", "lab/SegTool")
    repo = tmp_path / "repos" / "segtool"
    git("tag", "v1.0", cwd=repo)
    segtool_github.add("lab/SegTool", repo, license="MIT", releases=[release("v1.0", ("model.pth", 1000))])

    (again,) = audit(segtool_github, tmp_path / "cache", "lab/SegTool").repos
    assert not again.repo.cost.reused
    assert [(r.tag, [a.name for a in r.assets]) for r in again.repo.releases] == [("v1.0", ["model.pth"])]


def mirrored_tool(mirror, tmp_path: Path, files: dict[str, str]) -> tuple[Target, Settings]:
    """`lab/tool` holding `files` in a local mirror, and settings that clone it from there."""
    root, add = mirror
    add("lab", "tool", files)
    template = f"file://{root}/{{owner}}/{{name}}"
    target = target_for(parse_repo_url("https://github.com/lab/tool"), template)
    return target, Settings(cache_dir=tmp_path / "cache", checklist=load("midl"), clone_url=template)


def test_an_unchanged_repository_cloned_by_git_costs_one_ls_remote(mirror, tmp_path):
    target, settings = mirrored_tool(
        mirror, tmp_path, {"README.md": "# Tool\n", "train.py": "import torch\n"}
    )

    (cold,) = audit_targets([target], settings).repos
    (warm,) = audit_targets([target], settings).repos
    assert (cold.repo.cost.git, warm.repo.cost.git) == (
        ["ls-remote", "clone", "fetch 2 files"],
        ["ls-remote"],
    )
    assert warm.repo.cost.reused and warm.repo.status is RepoStatus.OK
    assert warm.model_dump(exclude={"repo": {"cost"}}) == cold.model_dump(exclude={"repo": {"cost"}})


def test_a_result_is_kept_with_its_evidence_addressed_and_reported_as_a_fresh_audit(mirror, tmp_path):
    files = {"README.md": "# Tool\n\nRun `python train.py`.\n", "train.py": "import torch\n"}
    target, settings = mirrored_tool(mirror, tmp_path, files)

    def journaled(out: Path) -> RepoAudit:
        store = Journal(out, tool_version="1.0", checklist=ChecklistRef(id="midl", version="1"))
        store.start({})
        try:
            (audited,) = audit_targets([target], settings, store=store).repos  # read back from it
        finally:
            store.remove()
        return audited

    cold = journaled(tmp_path / "cold")
    (path,) = (tmp_path / "cache" / "results").rglob("*.json")
    kept = RepoAudit.model_validate_json(path.read_text().split("\n", 1)[1])
    blob = f"https://github.com/lab/tool/blob/{cold.repo.commit}/"
    linked = [e for r in kept.results for e in r.evidence if e.path is not None]
    assert linked and all(e.file_url and e.file_url.startswith(blob) for e in linked)
    assert with_file_urls(kept) is kept  # nothing is left to add when it is reused

    warm = journaled(tmp_path / "warm")
    assert warm.repo.cost.reused
    assert warm.model_dump(exclude={"repo": {"cost"}}) == cold.model_dump(exclude={"repo": {"cost"}})
    assert warm == with_file_urls(warm)


def cache(tmp_path: Path, **changes) -> ResultCache:
    settings = {"tool_version": "1.0", "checklist": load("midl"), "clock": lambda: 1000.0} | changes
    return ResultCache(tmp_path / "results", **settings)


def stored(tmp_path: Path, segtool_github: FakeGitHub) -> tuple[RepoAudit, Head]:
    """The audit of a real repository, and the head it was made at."""
    (audited,) = audit(segtool_github, tmp_path / "cache", "lab/SegTool").repos
    return audited, Head(audited.repo.commit)


def test_a_result_is_reused_only_for_the_same_content_checklist_and_tool(segtool_github, tmp_path):
    audited, head = stored(tmp_path, segtool_github)
    sign = dict(key=SEGTOOL, url="https://github.com/lab/SegTool", subpath=None, source="api")
    kept = cache(tmp_path)
    kept.put(audited, signature=kept.signature(**sign, head=head))
    assert kept.get(key=SEGTOOL, signature=kept.signature(**sign, head=head)) is not None

    other_commit = Head("0" * 40)
    other_tags = Head(head.commit, tags="v2")
    for changed, head_asked in [
        (cache(tmp_path), other_commit),
        (cache(tmp_path), other_tags),
        (cache(tmp_path, tool_version="1.1"), head),
        (cache(tmp_path, checklist=load("midl").model_copy(update={"version": "9"})), head),
        (cache(tmp_path, clock=lambda: 1000.0 + 8 * 24 * 3600), head),  # older than a week
    ]:
        assert changed.get(key=SEGTOOL, signature=changed.signature(**sign, head=head_asked)) is None
    assert kept.get(key=SEGTOOL, signature=kept.signature(**(sign | {"subpath": "src"}), head=head)) is None


def test_a_damaged_result_file_is_a_miss_not_an_error(segtool_github, tmp_path):
    audited, head = stored(tmp_path, segtool_github)
    kept = cache(tmp_path)
    signature = kept.signature(key=SEGTOOL, url="u", subpath=None, source="api", head=head)
    kept.put(audited, signature=signature)
    (path,) = (tmp_path / "results").rglob("*.json")
    header, stored_audit = path.read_text().split("\n")
    path.write_text(path.read_text()[:100])
    assert kept.get(key=SEGTOOL, signature=signature) is None
    path.write_text(header + "\n" + stored_audit[:-100])  # torn
    assert kept.get(key=SEGTOOL, signature=signature) is None
    record = json.loads(stored_audit)
    record["score"] = "not a number"
    path.write_text(header + "\n" + json.dumps(record))
    assert kept.get(key=SEGTOOL, signature=signature) is None
    path.write_text(json.dumps({**json.loads(header), "audit": json.loads(stored_audit)}))  # one line
    assert kept.get(key=SEGTOOL, signature=signature) is None
    path.write_text(header + "\n" + stored_audit)
    assert kept.get(key=SEGTOOL, signature=signature) == audited.model_copy(
        update={"repo": audited.repo.model_copy(update={"cost": NetworkCost()})}
    )


def test_a_result_with_a_file_left_unread_is_not_kept(segtool_github, tmp_path):
    # With a token and without source code, the README is read through the API
    segtool_github.endless(
        "/repos/someone/Placeholder/git/blobs/"
        + git("rev-parse", "HEAD:README.md", cwd=tmp_path / "repos" / "placeholder").strip()
    )
    (first,) = audit_with_token(
        segtool_github, tmp_path / "cache", "someone/Placeholder"
    ).repos  # README unread
    assert first.repo.status is RepoStatus.OK
    (second,) = audit_with_token(segtool_github, tmp_path / "cache", "someone/Placeholder").repos
    assert not second.repo.cost.reused  # audited again, not re-reported from the incomplete result


def test_a_readme_symlink_read_through_the_api_is_followed_and_the_result_kept(github, tmp_path):
    # Through the API a link's blob is read like a file's: the README it leads to is read, and
    # the result is kept for the next run
    guide = "# LesionNet\n\nA network that segments brain lesions in MRI.\n\n```bash\npip install lesionnet\n```\n"
    repo = make_repo(tmp_path / "r", {"docs/README.md": guide}, symlinks={"README.md": "docs/README.md"})
    github.add("lab/Linked", repo)
    (first,) = audit_with_token(github, tmp_path / "cache", "lab/Linked").repos
    install = next(r for r in first.results if r.id == "readme-install")
    assert first.repo.status is RepoStatus.OK and install.outcome.value == "pass", install.message
    (second,) = audit_with_token(github, tmp_path / "cache", "lab/Linked").repos
    assert second.repo.cost.reused


def audit_with_token(server: FakeGitHub, cache: Path, *names: str) -> Report:
    targets = [target_for(parse_repo_url(f"https://github.com/{n}"), DEFAULT_CLONE_URL) for n in names]
    settings = Settings(cache_dir=cache, checklist=load("midl"), github_api=server.url, token="t0ken")
    return audit_targets(targets, settings)


def test_with_a_token_one_graphql_request_tells_what_changed_for_fifty_repositories(segtool_github, tmp_path):
    cold = audit_with_token(segtool_github, tmp_path / "cache", *REPOS)
    asked = [
        h.path.split("?")[0] for h in segtool_github.hits if "/repos/lab/segtool" in h.path.lower()
    ]  # no refs
    # GraphQL told the commit, the metadata and that the code is Python: one clone of the trees and
    # one batch of files, no API request
    assert asked == [] and costs(cold)[SEGTOOL] == NetworkCost(git=["clone", "fetch 3 files"], batched=True)
    assert [h.path.split("?")[0] for h in segtool_github.hits if "segtool" in h.path.lower()] == [
        "/lab/SegTool.git/info/refs",
        "/lab/SegTool.git/git-upload-pack",
        "/lab/SegTool.git/info/refs",
        "/lab/SegTool.git/git-upload-pack",
    ]
    assert [h.path for h in segtool_github.hits].count("/graphql") == 1
    segtool_github.hits.clear()

    warm = audit_with_token(segtool_github, tmp_path / "cache", *REPOS)
    assert costs(warm)[SEGTOOL] == costs(warm)[PLACEHOLDER] == NetworkCost(reused=True, batched=True)
    assert sorted(h.path.split("?")[0] for h in segtool_github.hits) == [
        "/graphql",
        "/lab/deleted.git/info/refs",
        "/repos/lab/deleted",
    ]
    fresh = audit_with_token(segtool_github, tmp_path / "fresh", *REPOS)
    assert verdicts(warm) == verdicts(cold) == verdicts(fresh)


def test_a_result_kept_without_a_token_lacks_the_host_facts_so_a_run_with_one_audits_again(
    segtool_github, tmp_path
):
    git("tag", "v1.0", cwd=tmp_path / "repos" / "segtool")
    (plain,) = audit(segtool_github, tmp_path / "cache", "lab/SegTool").repos
    assert plain.repo.host is None
    (tokened,) = audit_with_token(segtool_github, tmp_path / "cache", "lab/SegTool").repos
    assert not tokened.repo.cost.reused and tokened.repo.host is not None
    (again,) = audit_with_token(segtool_github, tmp_path / "cache", "lab/SegTool").repos
    assert again.repo.cost == NetworkCost(reused=True, batched=True)  # GraphQL's tags agree with git's
