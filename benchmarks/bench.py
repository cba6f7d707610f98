"""How fast does the auditor audit N repositories over a slow network, and re-audit them?

    python benchmarks/bench.py                 # 200 repositories, 50 ms per request
    python benchmarks/bench.py --repos 1000    # the peak-RSS target is set at 1,000
    python benchmarks/bench.py --scale 1000,10000 --workdir DIR   # peak RSS at N tiny repositories

Builds N synthetic repositories of the shape research code has (20 to 5,000 files; READMEs of 2 to
40 KB; training and evaluation scripts in most; some with Git LFS weight pointers, some with tagged
releases, some placeholders without code), serves them through the local GitHub of the test suite
(tests/githubserver.py) with a fixed latency added to every request, and runs `auditor run` on a
corpus linking them, as a separate process. With a token: cold at --jobs 1, cold at the default
jobs, then again with nothing changed (warm); without a token: cold and warm at the default jobs.
A warm run lasts about a second, so the median of three is shown. It prints one table: wall times
and their ratios, the lower bound requests x latency / jobs, the CPU floor (what the auditor, its
git processes and the local GitHub spend, over the CPUs they share), requests per repository, peak
RSS of the auditor process, and the CPU time the checks take per repository on the in-memory
snapshot (and on a 5,000-file repository with no training code, where every source file is
searched). The reports are compared too: the same at any jobs, the
same check results with or without a token (without one the host's metadata is not asked), and
the warm ones the same as the cold ones but for what the run spent.

Nothing here is part of the test suite: timings belong to a benchmark.
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
EPOCH = "1767225600"

WORDS = [
    "segmentation",
    "model",
    "training",
    "dataset",
    "image",
    "medical",
    "network",
    "encoder",
    "decoder",
    "attention",
    "volume",
    "slice",
    "patient",
    "scan",
    "contrast",
    "label",
    "mask",
    "loss",
    "validation",
    "fold",
    "baseline",
    "ablation",
    "transformer",
    "convolution",
    "feature",
    "pixel",
    "voxel",
    "lesion",
    "tumor",
    "organ",
    "registration",
    "augmentation",
    "inference",
    "checkpoint",
    "metric",
    "dice",
    "boundary",
    "uncertainty",
    "domain",
    "shift",
    "resolution",
    "cohort",
    "annotation",
]


@dataclass
class Spec:
    """One synthetic repository: its files, whether it is tagged, and its releases."""

    name: str
    files: dict[str, bytes]
    tags: list[str] = field(default_factory=list)
    releases: list[dict[str, Any]] = field(default_factory=list)
    license: str | None = None


def prose(rng: random.Random, size: int) -> str:
    out: list[str] = []
    length = 0
    while length < size:
        sentence = " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 20))).capitalize() + ". "
        out.append(sentence)
        length += len(sentence)
    return "".join(out)


def readme(rng: random.Random, title: str, size: int, placeholder: bool) -> bytes:
    """A README of about `size` bytes with the sections research READMEs have."""
    parts = [f"# {title}\n\n", f"![badge](https://img.shields.io/badge/{title}-MICCAI-blue)\n\n"]
    parts.append(prose(rng, 600) + "\n\n")
    if placeholder:
        parts.append("## Code\n\nThe code will be released upon acceptance. Stay tuned!\n\n")
    else:
        parts.append("## Installation\n\n```bash\nconda create -n env python=3.10\n")
        parts.append("pip install -r requirements.txt\n```\n\n## Training\n\n```bash\n")
        parts.append(f"python train.py --config configs/{title.lower()}.yaml --fold 0\n```\n\n")
        parts.append("## Results\n\n| Dataset | Dice | HD95 |\n| --- | --- | --- |\n")
        parts += [f"| Set{i} | 0.{rng.randint(700, 950)} | {rng.randint(2, 9)}.{i} |\n" for i in range(5)]
        parts.append("\n## Pretrained weights\n\nDownload from [Drive](https://drive.google.com/x).\n\n")
    parts.append(
        "## Citation\n\n```bibtex\n@inproceedings{x2025,\n  title={" + title + "},\n  year={2025}\n}\n```\n\n"
    )
    text = "".join(parts)
    while len(text) < size:
        text += f"## {rng.choice(WORDS).capitalize()}\n\n" + prose(rng, min(1500, size - len(text))) + "\n\n"
    return text.encode()


TRAIN_SCRIPT = """import argparse
import torch
from {package}.models.m0 import *


def main(args):
    model = torch.nn.Conv3d(1, 2, 3)
    optimizer = torch.optim.AdamW(model.parameters(), lr=args.lr)
    for epoch in range(args.epochs):
        loss = model(torch.zeros(1, 1, 8, 8, 8)).mean()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--lr", type=float, default=1e-4)
    parser.add_argument("--epochs", type=int, default={epochs})
    main(parser.parse_args())
"""

EVALUATE_SCRIPT = """import torch
from monai.metrics import DiceMetric


@torch.no_grad()
def evaluate(model, loader):
    dice = DiceMetric(include_background=False)
    model.eval()
    for image, label in loader:
        dice(model(image).argmax(1, keepdim=True), label)
    return dice.aggregate().item()
"""


def python_file(rng: random.Random, package: str, index: int) -> bytes:
    lines = [f'"""{package} module {index}."""', "import torch", "import numpy as np", ""]
    for f in range(rng.randint(1, 4)):
        lines += [f"def {rng.choice(WORDS)}_{f}(x):", f"    return x * {rng.random():.4f}", ""]
    return "\n".join(lines).encode()


LFS_POINTER = "version https://git-lfs.github.com/spec/v1\noid sha256:{oid}\nsize {size}\n"


def spec(rng: random.Random, index: int, files: int) -> Spec:
    """A repository of about `files` files; 12% are placeholders without code."""
    name = f"bench/repo-{index:04d}"
    package = f"{rng.choice(WORDS)}net{index}"
    title = f"{package.capitalize()}"
    size = rng.randint(2 * 1024, 40 * 1024)
    out: dict[str, bytes] = {}
    if rng.random() < 0.12:  # a placeholder: README, figures, maybe a license; no code
        out["README.md"] = readme(rng, title, size, placeholder=True)
        for i in range(files - 2):
            out[f"figures/fig{i}.png"] = b"\x89PNG\r\n\x1a\n" + rng.randbytes(64)
        out["LICENSE"] = (
            b"MIT License\n\nCopyright (c) 2025\n\nPermission is hereby granted, free of charge, to any "
            b"person obtaining a copy of this software ...\n"
        )
        return Spec(name, out, license="MIT")
    out["README.md"] = readme(rng, title, size, placeholder=False)
    licensed = rng.random() < 0.65
    if licensed:
        out["LICENSE"] = b"Apache License\nVersion 2.0, January 2004\n" + prose(rng, 2000).encode()
    dependency = rng.random()
    if dependency < 0.6:
        out["requirements.txt"] = b"torch>=1.12\nnumpy\nmonai==1.3.0\nnibabel\nscikit-image\n"
    elif dependency < 0.8:
        out["environment.yml"] = b"name: env\ndependencies:\n  - python=3.10\n  - pytorch\n"
    out[".gitignore"] = b"__pycache__/\n*.pth\nruns/\n"
    if rng.random() < 0.1:  # weights tracked with Git LFS: the repository holds pointers
        out[".gitattributes"] = b"*.pth filter=lfs diff=lfs merge=lfs -text\n"
        for fold in range(rng.randint(1, 5)):
            oid = hashlib.sha256(f"{name}{fold}".encode()).hexdigest()
            out[f"checkpoints/fold{fold}.pth"] = LFS_POINTER.format(
                oid=oid, size=rng.randint(10**7, 10**9)
            ).encode()
    if rng.random() < 0.85:  # most research code has its training and evaluation scripts at the root
        out["train.py"] = TRAIN_SCRIPT.format(package=package, epochs=rng.randint(50, 500)).encode()
        out["evaluate.py"] = EVALUATE_SCRIPT.encode()
    left = files - len(out)
    code = max(1, int(left * rng.uniform(0.2, 0.7)))
    for i in range(code):
        folder = ("models", "utils", "data", "losses", "scripts")[i % 5]
        out[f"{package}/{folder}/m{i}.py"] = python_file(rng, package, i)
    for i in range(left - code):
        kind = i % 4
        if kind == 0:
            out[f"data/splits/case_{i:05d}.txt"] = f"patient_{i}\nslice {rng.randint(1, 200)}\n".encode()
        elif kind == 1:
            out[f"configs/exp{i}.yaml"] = f"lr: {rng.random():.5f}\nepochs: {rng.randint(10, 300)}\n".encode()
        elif kind == 2:
            out[f"assets/img{i}.png"] = b"\x89PNG\r\n\x1a\n" + rng.randbytes(32)
        else:
            out[f"docs/notes{i}.md"] = prose(rng, 200).encode()
    releases = []
    tags = []
    if rng.random() < 0.15:  # a tagged release with the weights attached
        tags = ["v1.0"]
        asset = {"name": "model_best.pth", "size": rng.randint(10**7, 10**9)}
        releases = [
            {
                "tag_name": "v1.0",
                "name": "Release v1.0",
                "published_at": "2025-03-01T00:00:00Z",
                "assets": [
                    asset | {"browser_download_url": f"https://github.com/{name}/releases/download/v1.0/x"}
                ],
            }
        ]
    return Spec(name, out, tags=tags, releases=releases, license="Apache-2.0" if licensed else None)


def specs(count: int, seed: int) -> list[Spec]:
    """`count` repositories, file counts spread log-uniformly from 20 to 5,000, 3% at exactly 5,000."""
    rng = random.Random(seed)
    out = []
    for i in range(count):
        files = 5000 if rng.random() < 0.03 else round(20 * 250 ** rng.random())
        out.append(spec(rng, i, files))
    return out


def build(spec: Spec, root: Path) -> Path:
    """A bare repository holding `spec` in one commit, written by git fast-import (no work tree)."""
    path = root / (spec.name.replace("/", "__") + ".git")
    subprocess.run(["git", "init", "-q", "--bare", "-b", "main", str(path)], check=True)
    subprocess.run(["git", "config", "uploadpack.allowFilter", "true"], cwd=path, check=True)
    stream = bytearray(b"commit refs/heads/main\n")
    stream += b"author Bench <bench@example.org> 1735689600 +0000\n"
    stream += b"committer Bench <bench@example.org> 1735689600 +0000\ndata 7\ninitial\n"
    for name, content in spec.files.items():
        stream += f"M 100644 inline {name}\ndata {len(content)}\n".encode() + content + b"\n"
    for tag in spec.tags:
        stream += f"reset refs/tags/{tag}\nfrom refs/heads/main\n".encode()
    subprocess.run(["git", "fast-import", "--quiet"], cwd=path, input=bytes(stream), check=True)
    return path


@dataclass
class RunResult:
    wall: float
    requests: int
    rss_mb: float
    cpu: float  # the auditor and the git processes it ran
    server_cpu: float  # the local GitHub answering it, on the same CPUs
    report: bytes
    api_requests: int = 0  # to the API (REST and GraphQL), not to the git host
    api_points: int = 0  # what the GraphQL requests cost of the hourly 5,000 points


# Runs the auditor's CLI and, at exit, writes the process's own peak RSS (VmHWM) and its own CPU
# time (its git children's not included) to a file. The rusage of a child is no use for the peak:
# Linux carries the parent's peak over into a forked child.
PEAK_RSS = """
import atexit, os, resource, runpy
def peak():
    status = open("/proc/self/status").read()
    own = resource.getrusage(resource.RUSAGE_SELF)
    with open(os.environ["BENCH_PEAK_RSS"], "w") as out:
        out.write(status.split("VmHWM:")[1].split()[0] + " " + str(own.ru_utime + own.ru_stime))
atexit.register(peak)
runpy.run_module("auditor", run_name="__main__")
"""


def audit(server: Any, corpus: Path, cache: Path, out: Path, jobs: int | None, token: bool) -> RunResult:
    """`auditor run` as its own process; wall time, requests served, peak RSS and CPU of it."""
    args = [sys.executable, "-c", PEAK_RSS, "run", "--corpus", str(corpus), "--github-api", server.url]
    # The local GitHub serves no other host: artifact links (Drive, Hugging Face …) go unprobed.
    args += ["--cache-dir", str(cache), "--out", str(out), "--quiet", "--no-network-checks"]
    if jobs is not None:
        args += ["--jobs", str(jobs)]
    peak = out.parent / f"{out.name}.peak-rss"
    env = {k: v for k, v in os.environ.items() if k not in ("GITHUB_TOKEN",)}
    env |= {"SOURCE_DATE_EPOCH": EPOCH, "PYTHONPATH": str(ROOT), "BENCH_PEAK_RSS": str(peak)}
    if token:  # the local GitHub takes any token; it turns on the GraphQL requests
        env["GITHUB_TOKEN"] = "bench-token"
    before = len(server.hits)
    # This process serves the local GitHub: its CPU and that of its git children (upload-pack),
    # less the auditor's, is what serving the run cost.
    cpu_before = _cpu(resource.RUSAGE_SELF) + _cpu(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    proc = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _pid, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    auditor_cpu = usage.ru_utime + usage.ru_stime
    served_cpu = _cpu(resource.RUSAGE_SELF) + _cpu(resource.RUSAGE_CHILDREN) - cpu_before - auditor_cpu
    stderr = proc.stderr.read().decode() if proc.stderr else ""
    if status != 0:
        sys.exit(f"auditor run failed ({status}):\n{stderr}")
    from auditor.acquire.apisource import HEADS_PER_QUERY

    hits = server.hits[before:]
    api = [h for h in hits if not h.by_git and "/info/refs" not in h.path]
    return RunResult(
        wall=wall,
        requests=len(hits),
        rss_mb=int(peak.read_text().split()[0]) / 1024,
        cpu=auditor_cpu,
        server_cpu=served_cpu,
        report=(out / "report.json").read_bytes(),
        api_requests=len(api),
        api_points=sum(graphql_points(HEADS_PER_QUERY) for h in api if h.path == "/graphql"),
    )


def graphql_points(repositories: int) -> int:
    """What GitHub charges for one heads query: the requests its connections would need (the query,
    and the first 100 tags of each repository), over 100, rounded, and at least one point."""
    return max(1, round((1 + repositories) / 100))


# A warm run lasts about a second: one sample of it is mostly noise.
WARM_RUNS = 3
COLD_RUNS = 3


def median_run(runs: list[RunResult]) -> RunResult:
    return sorted(runs, key=lambda r: r.wall)[len(runs) // 2]


def _cpu(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def startup() -> float:
    """Wall time of `auditor --version`: what any run pays before its first request."""
    env = os.environ | {"PYTHONPATH": str(ROOT)}
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "auditor", "--version"], env=env, check=True, capture_output=True)
    return time.perf_counter() - started


def analysis_times(all_specs: list[Spec], repeats: int) -> dict[str, float]:
    """CPU seconds of `evaluate` on an in-memory snapshot of each repository (median of repeats)."""
    from auditor.acquire.snapshot import Snapshot, TreeEntry, entries_from
    from auditor.checks.checklist import load
    from auditor.checks.evaluate import evaluate
    from auditor.facts.repository import Facts
    from auditor.models import RepoFacts, RepoStatus

    checklist = load("midl")
    times: dict[str, float] = {}
    for spec in all_specs:
        entries = entries_from(TreeEntry(path=p, size=len(c)) for p, c in spec.files.items())
        facts = RepoFacts(
            key=f"github.com/{spec.name}",
            url=f"https://github.com/{spec.name}",
            status=RepoStatus.OK,
            source="api",
            commit="0" * 40,
            file_count=len(entries),
            license_spdx=spec.license,
        )
        samples = []
        for _ in range(repeats):
            snap = Snapshot(
                repo=facts, entries=entries, reader=lambda p, cap, f=spec.files: f.get(p, b"")[:cap]
            )
            started = time.thread_time()
            evaluate(Facts(snap), checklist)
            samples.append(time.thread_time() - started)
        times[spec.name] = statistics.median(samples)
    return times


WORST = "bench/worst-case"


def worst_case(seed: int) -> Spec:
    """A 5,000-file repository without training or evaluation scripts: every source file the
    checks may read is searched in vain (analysed, not audited)."""
    rng = random.Random(seed)
    while "train.py" not in (found := spec(rng, 0, 5000)).files:
        pass
    drop = ("train.py", "evaluate.py")
    return Spec(WORST, {k: v for k, v in found.files.items() if k not in drop}, license=found.license)


def verdicts(report: bytes) -> list[Any]:
    """The repositories of a report without what the run spent fetching them."""
    repos = json.loads(report)["repos"]
    for repo in repos:
        repo["repo"].pop("cost")
    return repos


def results(report: bytes) -> list[Any]:
    """Each repository's check results: what a run without a token must agree on with one with
    a token (which also reports the host's metadata)."""
    return [(a["repo"]["key"], a["results"]) for a in json.loads(report)["repos"]]


# --- real-mirror mode ---------------------------------------------------------------------------


def checkout(bare: Path, dest: Path) -> Path:
    """The files of HEAD of a bare repository written out, as a checkout would (outside any timing):
    what repo-review and `auditor check` read. Blobs the copy lacks are left out, symlinks and
    submodules too (a `git checkout` of a copy missing its large blobs would fail); what is written
    is committed."""
    listing = subprocess.run(
        ["git", "ls-tree", "-r", "-z", "HEAD"], cwd=bare, capture_output=True, check=True
    ).stdout.decode("utf-8", "replace")
    files = []
    for record in filter(None, listing.split("\0")):
        meta, _, name = record.partition("\t")
        mode, kind, sha = meta.split()
        if kind == "blob" and mode != "120000" and ".." not in name.split("/"):
            files.append((name, sha))
    cat = subprocess.Popen(
        ["git", "cat-file", "--batch"], cwd=bare, stdin=subprocess.PIPE, stdout=subprocess.PIPE
    )
    assert cat.stdin is not None and cat.stdout is not None
    for name, sha in files:
        cat.stdin.write(f"{sha}\n".encode())
        cat.stdin.flush()
        header = cat.stdout.readline().split()
        if len(header) != 3:
            continue  # missing from the copy
        data = cat.stdout.read(int(header[2]) + 1)[:-1]
        target = dest / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    cat.stdin.close()
    cat.wait()
    dest.mkdir(parents=True, exist_ok=True)
    # Committed, as a checkout is: `auditor check` audits HEAD (an empty repository would be judged
    # `empty` in no time), ignored files too (they were in the tree), and repo-review looks for a
    # repository.
    subprocess.run(["git", "init", "-q"], cwd=dest, check=True)
    subprocess.run(["git", "add", "-A", "--force"], cwd=dest, check=True, capture_output=True)
    identity = ["-c", "user.name=bench", "-c", "user.email=bench@localhost", "-c", "commit.gpgsign=false"]
    subprocess.run(
        ["git", *identity, "commit", "-q", "--allow-empty", "-m", "checkout"], cwd=dest, check=True
    )
    return dest


@dataclass
class Timed:
    wall: float
    cpu: float  # of every process started, children included
    own_cpu: float = 0.0  # of the auditor's Python process alone
    rss_mb: float = 0.0


def timed_processes(commands: list[list[str]], jobs: int, env: dict[str, str] | None = None) -> Timed:
    """Run `commands`, `jobs` at a time; their wall time and the CPU time of all of them."""
    before = _cpu(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()

    def run(command: list[str]) -> None:
        subprocess.run(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)

    with ThreadPoolExecutor(max_workers=jobs) as pool:
        list(pool.map(run, commands))
    return Timed(time.perf_counter() - started, _cpu(resource.RUSAGE_CHILDREN) - before)


def audit_mirrors(names: list[str], farm: Path, cache: Path, out: Path, jobs: int, code: Path) -> Timed:
    """`auditor run` over the repositories of the farm, by file:// clone template, as its own process,
    of the checkout `code`."""
    args = [sys.executable, "-c", PEAK_RSS, "run", "--clone-url", f"file://{farm}/{{owner}}/{{name}}.git"]
    args += ["--cache-dir", str(cache), "--out", str(out), "--quiet", "--jobs", str(jobs)]
    for name in names:
        args += ["--repo", f"https://github.com/{name}"]
    peak = out.parent / f"{out.name}.peak-rss"
    env = os.environ | {"SOURCE_DATE_EPOCH": EPOCH, "PYTHONPATH": str(code), "BENCH_PEAK_RSS": str(peak)}
    started = time.perf_counter()
    proc = subprocess.Popen(args, env=env, cwd=code, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _pid, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    stderr = proc.stderr.read().decode() if proc.stderr else ""
    if status != 0:
        sys.exit(f"auditor run failed ({status}):\n{stderr}")
    rss_kb, own = peak.read_text().split()
    return Timed(wall, usage.ru_utime + usage.ru_stime, float(own), int(rss_kb) / 1024)


def _median_run(runs: list[Timed]) -> Timed:
    """The run of median wall time (of an odd number of runs)."""
    return sorted(runs, key=lambda t: t.wall)[len(runs) // 2]


def _walls(runs: list[Timed]) -> str:
    return ", ".join(f"{t.wall:.1f}" for t in runs) + " s"


def check_cpu(path: Path, work: Path, code: Path) -> float:
    """CPU seconds of `auditor check PATH` (network checks off), a process of its own."""
    args = [sys.executable, "-m", "auditor", "check", str(path), "--no-network-checks", "--quiet"]
    args += ["--out", str(work / "check-out"), "--cache-dir", str(work / "check-cache")]
    env = os.environ | {"PYTHONPATH": str(code)}
    proc = subprocess.Popen(args, env=env, cwd=code, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _pid, _status, usage = os.wait4(proc.pid, 0)
    return usage.ru_utime + usage.ru_stime


def help_cpu(code: Path) -> float:
    env = os.environ | {"PYTHONPATH": str(code)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "auditor", "--help"], env=env, cwd=code, stdout=subprocess.DEVNULL
    )
    _pid, _status, usage = os.wait4(proc.pid, 0)
    return usage.ru_utime + usage.ru_stime


def mirrors(args: argparse.Namespace) -> None:
    """Real repositories from a folder of bare copies: cold, warm, CPU per repository and where it
    goes, against a tree-only clone of the same repositories and repo-review on their checkouts.
    The clone and the cold run are each the median of three, taken in turns."""
    from auditor.acquire import DEFAULT_JOBS

    review = Path(sys.executable).parent / "repo-review"
    if not review.exists():  # measured against it in the same run: checked before the minutes of work
        sys.exit("the mirror mode compares with repo-review: pip install repo-review sp-repo-review")
    farm = args.mirrors.resolve()
    code = (args.code or ROOT).resolve()
    bare = sorted(farm.glob("*/*.git"))
    names = [f"{p.parent.name}/{p.name.removesuffix('.git')}" for p in bare]
    jobs = args.jobs or DEFAULT_JOBS
    n = len(names)
    with tempfile.TemporaryDirectory(prefix="auditor-bench-", dir=args.workdir) as tmp:
        work = Path(tmp)
        with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
            trees = list(
                pool.map(lambda b: checkout(b, work / "checkouts" / b.parent.name / b.name[:-4]), bare)
            )
        for pack in farm.glob("*/*.git/objects/pack/*"):  # every timed run then reads a warm page cache
            pack.read_bytes()
        # Byte-compiled, as an installed package is: under PYTHONDONTWRITEBYTECODE (set on some
        # machines) every process would otherwise compile the auditor's modules again, about 0.1 s.
        subprocess.run([sys.executable, "-m", "compileall", "-q", str(code / "auditor")], check=True)
        git = [
            "git",
            "-c",
            "protocol.file.allow=always",
            "clone",
            "--quiet",
            "--filter=blob:none",
            "--no-checkout",
        ]
        # Both vary by a tenth from run to run on a shared machine: each is run COLD_RUNS times,
        # one after the other, and their medians are compared.
        clone_runs, cold_runs = [], []
        for run in range(COLD_RUNS):
            clone_runs.append(
                timed_processes(
                    [[*git, f"file://{p}", str(work / f"clones{run}" / f"{i}")] for i, p in enumerate(bare)],
                    jobs,
                )
            )
            cache, out = work / f"cache{run}", work / ("out-cold" if run == 0 else f"out-cold{run}")
            cold_runs.append(audit_mirrors(names, farm, cache, out, jobs, code))
        clones, cold = _median_run(clone_runs), _median_run(cold_runs)
        warm = min(
            (
                audit_mirrors(names, farm, work / "cache0", work / f"out-warm{i}", jobs, code)
                for i in range(WARM_RUNS)
            ),
            key=lambda t: t.wall,
        )
        groups = [[str(t) for t in trees[i::jobs]] for i in range(jobs)]
        reviewed = timed_processes([[str(review), "--format", "json", *g] for g in groups if g], jobs)
        one_each = timed_processes([[str(review), "--format", "json", str(t)] for t in trees], jobs)
        checks = sorted(check_cpu(t, work, code) for t in trees)
        helps = sorted(help_cpu(code) for _ in range(5))
        same = verdicts((work / "out-cold" / "report.json").read_bytes()) == verdicts(
            (work / "out-warm0" / "report.json").read_bytes()
        )
        statuses = Counter(
            a["repo"]["status"] for a in json.loads((work / "out-cold" / "report.json").read_text())["repos"]
        )

    rows = [
        (f"tree-only clone (blob:none --no-checkout), --jobs {jobs}", f"{clones.wall:.1f} s", ""),
        (f"  median of {COLD_RUNS}: each", _walls(clone_runs), ""),
        ("  CPU (git)", f"{clones.cpu:.1f} s", ""),
        (f"auditor, cold, --jobs {jobs}", f"{cold.wall:.1f} s", ""),
        (f"  median of {COLD_RUNS}: each", _walls(cold_runs), ""),
        ("  cold / tree-only clone", f"{cold.wall / clones.wall:.1f}x", "<= 6"),
        ("  CPU, auditor and its git processes", f"{cold.cpu:.1f} s", ""),
        ("    of which git", f"{cold.cpu - cold.own_cpu:.1f} s", ""),
        ("    of which Python", f"{cold.own_cpu:.1f} s", ""),
        ("  CPU per repository", f"{cold.cpu / n * 1000:.0f} ms", ""),
        ("  peak RSS", f"{cold.rss_mb:.0f} MB", ""),
        (f"auditor, warm (nothing changed), --jobs {jobs}", f"{warm.wall:.2f} s", ""),
        ("  cold / warm", f"{cold.wall / warm.wall:.1f}x", ">= 20"),
        (f"repo-review + sp-repo-review on the checkouts, {jobs} processes", f"{reviewed.wall:.1f} s", ""),
        ("  CPU", f"{reviewed.cpu:.1f} s", ""),
        ("  auditor cold / repo-review", f"{cold.wall / reviewed.wall:.2f}", "<= 0.5"),
        (f"repo-review, one process per repository, {jobs} at a time", f"{one_each.wall:.1f} s", ""),
        ("  CPU", f"{one_each.cpu:.1f} s", ""),
        ("  auditor cold / repo-review", f"{cold.wall / one_each.wall:.2f}", "<= 0.5"),
        ("auditor check PATH, CPU: median", f"{statistics.median(checks):.2f} s", "< 0.3 s"),
        ("  fastest, slowest", f"{checks[0]:.2f}, {checks[-1]:.2f} s", ""),
        ("auditor --help, CPU (median of 5)", f"{statistics.median(helps):.3f} s", "< 0.15 s"),
        ("warm report = cold report (but cost)", "yes" if same else "NO", ""),
        ("statuses", ", ".join(f"{v} {k}" for k, v in sorted(statuses.items())), ""),
    ]
    print(
        f"\n{n} repositories from {farm}, the auditor at {code}, {os.cpu_count()} CPUs, "
        f"Python {sys.version.split()[0]}, {time.strftime('%Y-%m-%d')}\n"
    )
    _table(rows)


# --- memory at scale ----------------------------------------------------------------------------


def tiny(index: int) -> Spec:
    """A small repository of the shape research code has: README, license, requirements, a script."""
    readme = f"# Tool {index}\n\nTrain with `python train.py`.\n\n## Citation\n\nDoe et al. 2025.\n"
    files = {
        "README.md": readme.encode(),
        "LICENSE": b"MIT License\n\nPermission is hereby granted, free of charge ...\n",
        "requirements.txt": b"torch==2.1.0\nnumpy\n",
        "train.py": TRAIN_SCRIPT.format(package=f"tool{index}", epochs=10).encode(),
    }
    return Spec(f"scale/repo-{index:05d}", files)


def tiny_mirror(spec: Spec, root: Path) -> Path:
    """`spec` as the bare repository root/{owner}/{name}.git, by one git process (fast-import)."""
    path = root / f"{spec.name}.git"
    if (path / "refs" / "heads" / "main").exists():  # built by an earlier run in the same --workdir
        return path
    subprocess.run(["git", "init", "-q", "--bare", "-b", "main", str(path)], check=True)
    with (path / "config").open("a") as config:
        config.write("[uploadpack]\n\tallowFilter = true\n")
    stream = bytearray(b"commit refs/heads/main\n")
    stream += b"committer Bench <bench@example.org> 1735689600 +0000\ndata 7\ninitial\n"
    for name, content in spec.files.items():
        stream += f"M 100644 inline {name}\ndata {len(content)}\n".encode() + content + b"\n"
    subprocess.run(["git", "fast-import", "--quiet"], cwd=path, input=bytes(stream), check=True)
    return path


# As PEAK_RSS, and the RSS left at exit (the report written): what the run held for its
# repositories, without what reading the corpus took before the first one.
SCALE_RSS = PEAK_RSS.replace(
    '+ " " + str(own.ru_utime + own.ru_stime)', '+ " " + status.split("VmRSS:")[1].split()[0]'
)


def scale(args: argparse.Namespace) -> None:
    """Peak RSS of cold runs over N small repositories from local mirrors, for each N asked, and the
    RSS at exit: what a run holds per repository. The mirrors are kept in --workdir (if given) for
    the next run."""
    sizes = [int(n) for n in args.scale.split(",")]
    code = (args.code or ROOT).resolve()
    keep = args.workdir / "scale-mirrors" if args.workdir else None
    rows: list[tuple[str, str, str]] = []
    peaks: list[tuple[float, float]] = []
    with tempfile.TemporaryDirectory(prefix="auditor-bench-", dir=args.workdir) as tmp:
        work = Path(tmp)
        root = keep or work / "mirrors"
        all_specs = [tiny(i) for i in range(max(sizes))]
        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
            list(pool.map(lambda s: tiny_mirror(s, root), all_specs))
        print(f"{len(all_specs):,} mirrors ready in {time.perf_counter() - started:.0f} s", file=sys.stderr)
        for n in sizes:
            corpus = work / f"papers-{n}.jsonl"
            with corpus.open("w") as handle:
                for i, s in enumerate(all_specs[:n]):
                    paper = {
                        "title": f"Paper {i}: a method",
                        "abstract": f"Code: https://github.com/{s.name}.",
                    }
                    handle.write(json.dumps(paper) + "\n")
            out, peak = work / f"out-{n}", work / f"peak-{n}"
            cli = [sys.executable, "-c", SCALE_RSS, "run", "--corpus", str(corpus), "--quiet"]
            cli += [
                "--clone-url",
                f"file://{root}/{{owner}}/{{name}}.git",
                "--cache-dir",
                str(work / f"cache-{n}"),
            ]
            cli += ["--out", str(out)]
            env = {k: v for k, v in os.environ.items() if k != "GITHUB_TOKEN"}
            env |= {"SOURCE_DATE_EPOCH": EPOCH, "PYTHONPATH": str(code), "BENCH_PEAK_RSS": str(peak)}
            started = time.perf_counter()
            proc = subprocess.Popen(cli, env=env, cwd=code, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            _pid, status, usage = os.wait4(proc.pid, 0)
            wall = time.perf_counter() - started
            if status != 0:
                sys.exit(
                    f"auditor run failed ({status}):\n{proc.stderr.read().decode() if proc.stderr else ''}"
                )
            rss, left = (int(kb) / 1024 for kb in peak.read_text().split())
            cpu = usage.ru_utime + usage.ru_stime
            peaks.append((rss, left))
            rows.append(
                (f"N = {n:,}: peak RSS, cold", f"{rss:.0f} MB", f"{wall:.0f} s wall, {cpu:.0f} s CPU")
            )
            rows.append(("  RSS at exit, the report written", f"{left:.0f} MB", ""))
            shutil.rmtree(work / f"cache-{n}")
            shutil.rmtree(out)
    (first, first_left), (last, last_left) = peaks[0], peaks[-1]
    span = f"from N = {sizes[0]:,} to {sizes[-1]:,}"
    rows.append((f"growth {span}", f"{100 * (last - first) / first:+.0f}%", "within 10%, under 300 MB"))
    rows.append(("  of the RSS at exit", f"{100 * (last_left - first_left) / first_left:+.0f}%", ""))
    print(f"\nsmall repositories from local mirrors, the auditor at {code}, {os.cpu_count()} CPUs, ", end="")
    print(f"Python {sys.version.split()[0]}, {time.strftime('%Y-%m-%d')}\n")
    _table(rows)


def _table(rows: list[tuple[str, str, str]]) -> None:
    width = max(len(r[0]) for r in rows)
    print(f"{'':<{width}}  {'measured':>10}  target".rstrip())
    for label, value, target in rows:
        print(f"{label:<{width}}  {value:>10}  {target}".rstrip())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repos", type=int, default=200, help="repositories to build (default: 200)")
    parser.add_argument("--latency", type=float, default=0.05, help="seconds added to every request")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--workdir", type=Path, help="where to build (default: a temporary folder)")
    parser.add_argument(
        "--mirrors",
        type=Path,
        metavar="DIR",
        help="audit the bare repositories DIR/{owner}/{name}.git instead",
    )
    parser.add_argument("--jobs", type=int, help="concurrency of the mirror mode (default: the auditor's)")
    parser.add_argument(
        "--code",
        type=Path,
        help="mirror and scale modes: the checkout of the auditor to measure (default: this one)",
    )
    parser.add_argument(
        "--scale",
        metavar="N,N",
        help="peak RSS of cold runs over N small repositories from local mirrors (e.g. 1000,10000)",
    )
    args = parser.parse_args()
    sys.path[:0] = [str(ROOT), str(ROOT / "tests")]
    if args.mirrors:
        mirrors(args)
        return
    if args.scale:
        scale(args)
        return
    from githubserver import FakeGitHub

    from auditor.acquire import DEFAULT_JOBS

    with tempfile.TemporaryDirectory(prefix="auditor-bench-", dir=args.workdir) as tmp:
        work = Path(tmp)
        started = time.perf_counter()
        all_specs = specs(args.repos, args.seed)
        (work / "repos").mkdir()
        with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
            paths = list(pool.map(lambda s: build(s, work / "repos"), all_specs))
        file_counts = [len(s.files) for s in all_specs]
        print(
            f"built {len(all_specs)} repositories ({sum(file_counts):,} files, "
            f"{min(file_counts)} to {max(file_counts)} per repository) "
            f"in {time.perf_counter() - started:.0f} s",
            file=sys.stderr,
        )
        corpus = work / "papers.jsonl"
        corpus.write_text(
            "".join(
                json.dumps(
                    {"title": f"Paper {i}: a method", "abstract": f"Code: https://github.com/{s.name}."}
                )
                + "\n"
                for i, s in enumerate(all_specs)
            )
        )
        server = FakeGitHub().start()
        try:
            for s, path in zip(all_specs, paths, strict=True):
                server.add(s.name, path, license=s.license, releases=s.releases)
            warm_server(server, all_specs)
            server.before = functools.partial(time.sleep, args.latency)
            serial = audit(server, corpus, work / "cache-serial", work / "out-serial", jobs=1, token=True)
            cold = audit(server, corpus, work / "cache", work / "out-cold", jobs=None, token=True)
            warm = median_run(
                [
                    audit(server, corpus, work / "cache", work / f"out-warm{i}", jobs=None, token=True)
                    for i in range(WARM_RUNS)
                ]
            )
            plain_cold = audit(
                server, corpus, work / "cache-plain", work / "out-plain", jobs=None, token=False
            )
            plain_warm = median_run(
                [
                    audit(
                        server, corpus, work / "cache-plain", work / f"out-plain{i}", jobs=None, token=False
                    )
                    for i in range(1, WARM_RUNS + 1)
                ]
            )
        finally:
            server.stop()
        start = startup()
        analysis = analysis_times([*all_specs, worst_case(args.seed)], repeats=5)
        worst = analysis.pop(WORST)

    n = len(all_specs)
    cpus = os.cpu_count() or 1
    bound = cold.requests * args.latency / DEFAULT_JOBS
    plain_bound = plain_cold.requests * args.latency / DEFAULT_JOBS
    # Auditor, its git processes and the local GitHub share this machine's CPUs: a run cannot end
    # before their CPU time is spent, whatever the network allows.
    floor = (cold.cpu + cold.server_cpu) / cpus
    plain_floor = (plain_cold.cpu + plain_cold.server_cpu) / cpus
    big = [analysis[s.name] for s in all_specs if len(s.files) >= 5000]
    same = serial.report == cold.report and results(cold.report) == results(plain_cold.report)
    rows = [
        ("with a token (GraphQL asks for 50 repositories at once)", "", ""),
        ("  cold, --jobs 1", f"{serial.wall:.1f} s", ""),
        (f"  cold, --jobs {DEFAULT_JOBS} (default)", f"{cold.wall:.1f} s", ""),
        ("    speed-up over --jobs 1", f"{serial.wall / cold.wall:.1f}x", ""),
        ("    lower bound: requests x latency / jobs", f"{bound:.1f} s", ""),
        ("    cold run / lower bound", f"{cold.wall / bound:.2f}", "<= 1.5"),
        ("    CPU of the auditor and its git processes", f"{cold.cpu:.1f} s", ""),
        ("    CPU of the local GitHub serving them", f"{cold.server_cpu:.1f} s", ""),
        (f"    CPU floor: both / {cpus} CPUs", f"{floor:.1f} s", ""),
        ("    cold run / max(lower bound, CPU floor)", f"{cold.wall / max(bound, floor):.2f}", ""),
        ("  requests per repository, cold", f"{cold.requests / n:.2f}", "<= 4"),
        ("  requests per repository, warm", f"{warm.requests / n:.2f}", "<= 1"),
        (
            "  API requests per 1,000 unchanged repositories (all GraphQL)",
            f"{warm.api_requests / n * 1000:.0f}",
            "",
        ),
        ("    GraphQL points they cost (GitHub's formula)", f"{warm.api_points / n * 1000:.0f}", ""),
        (f"  warm (nothing changed), --jobs {DEFAULT_JOBS}", f"{warm.wall:.1f} s", ""),
        ("    cold / warm", f"{cold.wall / warm.wall:.1f}x", ">= 10"),
        ("without a token (the git host tells each commit)", "", ""),
        (f"  cold, --jobs {DEFAULT_JOBS}", f"{plain_cold.wall:.1f} s", ""),
        ("    cold run / lower bound", f"{plain_cold.wall / plain_bound:.2f}", "<= 1.5"),
        (f"    CPU floor: auditor and local GitHub / {cpus} CPUs", f"{plain_floor:.1f} s", ""),
        (
            "    cold run / max(lower bound, CPU floor)",
            f"{plain_cold.wall / max(plain_bound, plain_floor):.2f}",
            "",
        ),
        ("  requests per repository, cold", f"{plain_cold.requests / n:.2f}", "<= 4"),
        ("  requests per repository, warm", f"{plain_warm.requests / n:.2f}", "<= 1"),
        (f"  warm (nothing changed), --jobs {DEFAULT_JOBS}", f"{plain_warm.wall:.1f} s", ""),
        ("    cold / warm", f"{plain_cold.wall / plain_warm.wall:.1f}x", ">= 10"),
        ("process start (auditor --version)", f"{start:.2f} s", ""),
        (
            "peak RSS of the auditor, cold",
            f"{max(cold.rss_mb, plain_cold.rss_mb):.0f} MB",
            "< 300 MB at N = 1,000",
        ),
        ("CPU of the auditor per repository, cold", f"{cold.cpu / n * 1000:.0f} ms", ""),
        ("median analysis CPU per repository", f"{statistics.median(analysis.values()) * 1000:.2f} ms", ""),
        (
            f"  for the {len(big)} repositories of 5,000 files",
            f"{statistics.median(big) * 1000:.2f} ms" if big else "none built",
            "< 20 ms",
        ),
        ("  for one of 5,000 files with no training code", f"{worst * 1000:.2f} ms", ""),
        ("same report at --jobs 1 and 8, same results without token", "yes" if same else "NO", ""),
        (
            "warm report = cold report (but cost)",
            "yes"
            if verdicts(warm.report) == verdicts(cold.report)
            and verdicts(plain_warm.report) == verdicts(plain_cold.report)
            else "NO",
            "",
        ),
    ]
    print(
        f"\n{n} repositories, {sum(file_counts):,} files, {args.latency * 1000:.0f} ms per request, "
        f"{os.cpu_count()} CPUs, Python {sys.version.split()[0]}\n"
    )
    _table(rows)


def warm_server(server: Any, all_specs: list[Spec]) -> None:
    """Ask the server once for everything a run asks (untimed, without latency), so that the
    timed runs do not pay for the test server computing 5,000-file trees the first time."""
    import requests

    from auditor.acquire.gitrefs import parse_advertisement

    local = threading.local()

    def fetch(spec: Spec) -> None:
        session = getattr(local, "session", None) or requests.Session()
        local.session = session
        base = f"{server.url}/repos/{spec.name}"
        answer = session.get(f"{server.url}/{spec.name}.git/info/refs", params={"service": "git-upload-pack"})
        head = parse_advertisement(answer.content).head
        session.get(base).raise_for_status()
        tree = session.get(f"{base}/git/trees/{head}", params={"recursive": "1"}).json()
        for item in tree["tree"]:
            if item["path"] in ("README.md", "LICENSE"):
                session.get(
                    f"{base}/git/blobs/{item['sha']}", headers={"Accept": "application/vnd.github.raw+json"}
                )

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(fetch, all_specs))
    server.hits.clear()


if __name__ == "__main__":
    main()
