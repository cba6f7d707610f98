"""Do two versions of the auditor say the same of the same repositories? Reports compared, not timed.

    python benchmarks/compare.py --baseline ../baseline --farm /work/mirrors/farm
    python benchmarks/compare.py --baseline ../baseline --synthetic 200

`--farm DIR` audits every bare repository `DIR/{owner}/{name}.git` (local copies of real ones) with
both versions, as `auditor run --repo https://github.com/{owner}/{name} --clone-url
file://DIR/{owner}/{name}.git`; `--synthetic N` audits the benchmark's N synthetic repositories
(benchmarks/bench.py) served by the test suite's local GitHub, with a token and without. Each
repository's audit is compared but for what fetching it cost (`repo.cost`): status, record, every
check's outcome, message and evidence, scores.

A copy that lacks some objects (a mirror without its large blobs) can make a version fail where a
complete server would not: the baseline's blob-size-filtered clone needs every blob to size it. For
such a repository the baseline is also run the way it would have seen a complete server: its own
snapshot of the local copy, blobs over its 1 MB filter hidden, judged offline (`--emulate`, on by
default); where the baseline's own run succeeded, that emulation is checked against it too. The
emulation drives the library of the versions before the acquisition rework (0.1, the flat layout
of `auditor.gitsource`); against a later baseline, which clones trees first, pass --no-emulate.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
EPOCH = "1767225600"

# Runs in the baseline's checkout (the layout before the packages were split by stage): the old
# snapshot of a local repository, blobs over the old clone's filter hidden, judged offline.
EMULATE = """
import json, subprocess, sys
from pathlib import Path
import auditor.gitsource as gs
from auditor.artifactstage import ArtifactStage
from auditor.checklist import load
from auditor.evaluate import evaluate
from auditor.gitrunner import GitRunner
from auditor.models import RepoFacts, RepoStatus
from auditor.snapshot import Snapshot, entries_from

present = gs._present_blob_sizes
gs._present_blob_sizes = lambda runner, path: {
    sha: size for sha, size in present(runner, path).items() if size < gs.DEFAULT_BLOB_LIMIT
}
out = []
for t in json.load(open(sys.argv[1])):
    path = Path(t["path"]).resolve()
    git = lambda *a: subprocess.run(["git", *a], cwd=path, capture_output=True, text=True).stdout.strip()
    commit, branch = git("rev-parse", "HEAD"), git("symbolic-ref", "--short", "HEAD") or None
    listing = gs.LocalClone(path, commit, GitRunner(allow_file=True)).tree()
    facts = RepoFacts(key=t["key"], url=t["url"], status=RepoStatus.OK, source="git", commit=commit,
                      branch=branch, file_count=listing.file_count, subpath=t["subpath"])
    snap = Snapshot(facts=facts, entries=entries_from(listing.entries), reader=listing.reader)
    out.append(json.loads(evaluate(ArtifactStage(None).attach(snap), load("midl")).model_dump_json()))
json.dump(out, open(sys.argv[2], "w"))
"""


def run(code: Path, args: list[str], env: dict[str, str] | None = None) -> None:
    """`auditor ARGS` of the version checked out at `code`, as its own process."""
    environ = {k: v for k, v in os.environ.items() if k != "GITHUB_TOKEN"}
    environ |= {"SOURCE_DATE_EPOCH": EPOCH, "PYTHONPATH": str(code)} | (env or {})
    done = subprocess.run(
        [sys.executable, "-m", "auditor", *args], cwd=code, env=environ, capture_output=True, text=True
    )
    if done.returncode not in (0, 1):
        sys.exit(f"auditor at {code} failed ({done.returncode}):\n{done.stderr[-2000:]}")


def audits(report: Path) -> dict[str, dict[str, Any]]:
    """Each repository's audit, without what fetching it cost."""
    out = {}
    for audit in json.loads(report.read_text())["repos"]:
        audit["repo"].pop("cost", None)
        out[audit["repo"]["key"]] = audit
    return out


def differences(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """What differs between two audits of a repository, one line each."""
    lines = [
        f"repo.{k}: {old['repo'][k]!r} -> {new['repo'].get(k)!r}"
        for k in old["repo"]
        if old["repo"][k] != new["repo"].get(k)
    ]
    for a, b in zip(old["results"], new["results"], strict=False):
        if a != b:
            lines.append(f"{a['id']}: {json.dumps(a)[:400]}\n      -> {json.dumps(b)[:400]}")
    lines += [
        f"{k}: {old[k]!r} -> {new.get(k)!r}"
        for k in old
        if k not in ("repo", "results") and old[k] != new.get(k)
    ]
    return lines


def farm(args: argparse.Namespace, work: Path) -> bool:
    repos = sorted(p for p in args.farm.glob("*/*.git"))
    names = [f"{p.parent.name}/{p.name.removesuffix('.git')}" for p in repos]
    common = ["run", "--clone-url", f"file://{args.farm.resolve()}/{{owner}}/{{name}}.git", "--quiet"]
    common += ["--jobs", str(args.jobs), "--no-network-checks"]
    for name in names:
        common += ["--repo", f"https://github.com/{name}"]
    reports = {}
    for label, code in (("baseline", args.baseline), ("new", ROOT)):
        out = work / label
        run(code.resolve(), [*common, "--cache-dir", str(work / f"cache-{label}"), "--out", str(out)])
        reports[label] = audits(out / "report.json")
    old, new = reports["baseline"], reports["new"]
    emulated: dict[str, dict[str, Any]] = {}
    if args.emulate:
        targets = [
            {"key": k, "url": a["repo"]["url"], "subpath": a["repo"]["subpath"], "path": str(path)}
            for (k, a), path in zip(new.items(), repos, strict=True)
        ]
        (work / "targets.json").write_text(json.dumps(targets))
        script = work / "emulate.py"
        script.write_text(EMULATE)
        environ = os.environ | {"PYTHONPATH": str(args.baseline.resolve())}
        subprocess.run(
            [sys.executable, str(script), str(work / "targets.json"), str(work / "emulated.json")],
            cwd=args.baseline,
            env=environ,
            check=True,
        )
        for audit in json.loads((work / "emulated.json").read_text()):
            audit["repo"].pop("cost", None)
            emulated[audit["repo"]["key"]] = audit
    return report_on(old, new, emulated)


def report_on(old: dict[str, Any], new: dict[str, Any], emulated: dict[str, Any]) -> bool:
    same = differ = rescued = 0
    for key, before in old.items():
        after = new[key]
        reference = before
        if before["repo"]["status"] != "ok" and key in emulated:
            reference = emulated[key]
            rescued += 1
            note = f"  (the baseline failed here: {before['repo']['status']}; compared with its emulation)"
        else:
            note = ""
            if key in emulated and emulated[key] != before:
                print(f"emulation differs from the baseline's own run: {key}")
                for line in differences(before, emulated[key]):
                    print("    " + line)
        lines = differences(reference, after)
        if lines:
            differ += 1
            print(f"DIFFERENT {key}{note}")
            for line in lines:
                print("    " + line)
        else:
            same += 1
    statuses = {a["repo"]["status"] for a in new.values()}
    print(
        f"\n{len(old)} repositories: {same} identical, {differ} different "
        f"({rescued} compared with the emulated baseline); statuses now {sorted(statuses)}"
    )
    return differ == 0


def synthetic(args: argparse.Namespace, work: Path) -> bool:
    sys.path[:0] = [str(ROOT / "benchmarks"), str(ROOT / "tests")]
    import bench
    from githubserver import FakeGitHub

    all_specs = bench.specs(args.synthetic, args.seed)
    (work / "repos").mkdir()
    paths = [bench.build(s, work / "repos") for s in all_specs]
    corpus = work / "papers.jsonl"
    corpus.write_text(
        "".join(
            json.dumps({"title": f"Paper {i}: a method", "abstract": f"Code: https://github.com/{s.name}."})
            + "\n"
            for i, s in enumerate(all_specs)
        )
    )
    server = FakeGitHub().start()
    ok = True
    try:
        for s, path in zip(all_specs, paths, strict=True):
            server.add(s.name, path, license=s.license, releases=s.releases)
        for token in (True, False):
            reports = {}
            for label, code in (("baseline", args.baseline), ("new", ROOT)):
                out = work / f"{label}-{token}"
                cli = ["run", "--corpus", str(corpus), "--github-api", server.url, "--quiet"]
                cli += [
                    "--no-network-checks",
                    "--cache-dir",
                    str(work / f"cache-{label}-{token}"),
                    "--out",
                    str(out),
                ]
                run(code.resolve(), cli, {"GITHUB_TOKEN": "bench-token"} if token else {})
                reports[label] = audits(out / "report.json")
            print(f"{'with' if token else 'without'} a token:")
            ok = report_on(reports["baseline"], reports["new"], {}) and ok
    finally:
        server.stop()
    return ok


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--baseline", type=Path, required=True, help="checkout of the version to compare with"
    )
    parser.add_argument("--farm", type=Path, help="folder of bare repositories, FARM/{owner}/{name}.git")
    parser.add_argument("--synthetic", type=int, metavar="N", help="the benchmark's N synthetic repositories")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--jobs", type=int, default=8)
    parser.add_argument(
        "--no-emulate",
        dest="emulate",
        action="store_false",
        help="do not emulate the baseline (needed for baselines from 0.2 on, whose layout it does not drive)",
    )
    args = parser.parse_args()
    if not args.farm and not args.synthetic:
        parser.error("give --farm DIR or --synthetic N")
    with tempfile.TemporaryDirectory(prefix="auditor-compare-") as tmp:
        ok = farm(args, Path(tmp)) if args.farm else synthetic(args, Path(tmp))
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
