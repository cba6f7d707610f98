"""The GitHub workflows and the composite action: valid, hardened, and their steps work when run as
written.

Validation uses check-jsonschema with SchemaStore's workflow and action schemas, and zizmor
offline (CI also runs its online audits and actionlint). Then the steps themselves run locally,
in order, with bash as GitHub runs them: each job in a fresh clone of a local "origin", artifacts
passed between jobs, the shards of the matrix one after the other, `if:` conditions honoured, and
GITHUB_API_URL pointed at the local GitHub of tests/githubserver.py. Only `uses:` steps
(checkout, setup-python, cache, artifacts) and the `pip install` steps are simulated.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from calendar import timegm
from pathlib import Path
from time import strptime
from typing import Any

import pytest
import yaml
from gitrepos import commit, git, make_repo
from markdownpage import html
from paperservers import PaperServices, hf_item

from auditor.checks.checklist import load as load_checklist
from auditor.report.files import read_report

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = ROOT / ".github/workflows"
AUDIT, CI, RELEASE = WORKFLOWS / "audit.yml", WORKFLOWS / "ci.yml", WORKFLOWS / "release.yml"
ACTION = ROOT / "action.yml"
FILES = [AUDIT, CI, RELEASE, ACTION]
EXPRESSION = re.compile(r"\$\{\{\s*(.+?)\s*\}\}")
SKIPPED_RUN_STEPS = {"Install", "Install auditor"}  # pip install: the package is installed here
BASH = ["bash", "--noprofile", "--norc", "-eo", "pipefail"]  # GitHub's `shell: bash`
PINNED = re.compile(r"^\s*(?:- )?uses: ([\w.-]+/[\w.-]+)@([0-9a-f]{40}) # (v\d+\.\d+\.\d+)$")
DEAD_API = "http://127.0.0.1:1"  # nothing listens: every request is refused at once


def load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    if True in data:  # YAML 1.1 reads the key `on` as a boolean
        data["on"] = data.pop(True)
    return data


def tool(name: str) -> str:
    exe = shutil.which(name, path=str(Path(sys.executable).parent)) or shutil.which(name)
    assert exe, f"{name} is not installed: pip install -e '.[test]'"
    return exe


def jobs(path: Path) -> list[dict[str, Any]]:
    data = load(path)
    return list(data["jobs"].values()) if "jobs" in data else [data["runs"]]


def run_steps(path: Path) -> list[dict[str, Any]]:
    return [step for job in jobs(path) for step in job["steps"] if "run" in step]


# --- validation and hardening --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("schema", "path"),
    [
        *(("vendor.github-workflows", p) for p in (AUDIT, CI, RELEASE)),
        *(("custom.github-workflows-require-timeout", p) for p in (AUDIT, CI, RELEASE)),
        ("vendor.github-actions", ACTION),
    ],
)
def test_workflow_files_validate(schema, path):
    done = subprocess.run(
        [tool("check-jsonschema"), "--builtin-schema", schema, str(path)], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_validator_rejects_a_broken_workflow(tmp_path):
    broken = load(AUDIT)
    del broken["jobs"]["merge"]["runs-on"]
    broken["jobs"]["shard"]["strategy"]["fail-fast"] = "sometimes"
    path = tmp_path / "broken.yml"
    path.write_text(yaml.safe_dump(broken))
    done = subprocess.run(
        [tool("check-jsonschema"), "--builtin-schema", "vendor.github-workflows", str(path)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 1 and "jobs" in done.stdout


def test_zizmor_finds_nothing_even_pedantic():
    args = [
        tool("zizmor"),
        "--offline",
        "--persona=pedantic",
        "--no-progress",
        *map(str, [WORKFLOWS, ACTION]),
    ]
    done = subprocess.run(args, capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "No findings to report" in done.stdout + done.stderr


def test_zizmor_would_catch_a_tag_pin_kept_credentials_and_an_injected_input(tmp_path):
    text = AUDIT.read_text()
    text = re.sub(r"actions/checkout@[0-9a-f]{40} # v[\d.]+", "actions/checkout@v4", text, count=1)
    text = text.replace("        with:\n          persist-credentials: false\n", "", 1)
    text = text.replace('if [ -n "$PAPER" ]', 'if [ -n "${{ inputs.paper }}" ]', 1)
    (tmp_path / "audit.yml").write_text(text)
    done = subprocess.run(
        [tool("zizmor"), "--offline", "--no-progress", str(tmp_path / "audit.yml")],
        capture_output=True,
        text=True,
    )
    assert done.returncode != 0
    for audit in ("unpinned-uses", "artipacked", "template-injection"):
        assert audit in done.stdout, audit


def test_every_action_is_pinned_by_commit_with_its_version_in_a_comment():
    pins: dict[str, set[tuple[str, str]]] = {}
    for path in FILES:
        for line in path.read_text().splitlines():
            if re.match(r"\s*(- )?uses:", line):
                match = PINNED.match(line)
                assert match, f"{path.name}: {line.strip()}: pin to a commit SHA with '# vX.Y.Z' after it"
                pins.setdefault(match[1], set()).add((match[2], match[3]))
    assert all(len(versions) == 1 for versions in pins.values()), pins  # one version of each everywhere
    assert set(pins) == {
        "actions/checkout",
        "actions/setup-python",
        "actions/cache",
        "actions/upload-artifact",
        "actions/download-artifact",
    }


def test_checkouts_keep_no_credentials_and_each_job_has_only_the_permissions_it_needs():
    writers = set()
    for path in (AUDIT, CI, RELEASE):
        data = load(path)
        assert data["permissions"] == {}, f"{path.name}: nothing at the workflow level"
        for name, job in data["jobs"].items():
            assert set(job["permissions"]) == {"contents"}, f"{path.name} {name}"
            if job["permissions"]["contents"] == "write":
                writers.add(f"{path.stem}.{name}")
            for step in job["steps"]:
                if step.get("uses", "").startswith("actions/checkout@"):
                    assert step["with"]["persist-credentials"] is False, f"{path.name} {name}"
    assert writers == {"audit.publish", "release.tag"}


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_run_steps_are_valid_bash_and_take_no_expressions(path):
    for step in run_steps(path):
        assert not EXPRESSION.search(step["run"]), f"{step.get('name')}: pass ${{{{ }}}} through env"
        done = subprocess.run(["bash", "-n"], input=step["run"], capture_output=True, text=True)
        assert done.returncode == 0, f"{step.get('name')}: {done.stderr}"


def test_expressions_name_declared_inputs_and_steps():
    workflow, action = load(AUDIT), load(ACTION)

    def inputs_used(path: Path) -> set[str]:
        return {
            name for e in EXPRESSION.findall(path.read_text()) for name in re.findall(r"inputs\.([\w-]+)", e)
        }

    assert inputs_used(AUDIT) == set(workflow["on"]["workflow_dispatch"]["inputs"])
    assert inputs_used(ACTION) == set(action["inputs"])
    step_ids = {s.get("id") for s in action["runs"]["steps"]}
    referenced = {m.split(".")[1] for m in re.findall(r"steps\.[\w-]+\.outputs", ACTION.read_text())}
    assert referenced <= step_ids


def test_ci_runs_the_tests_zizmor_and_actionlint():
    runs = [step["run"] for step in run_steps(CI)]
    assert "bash .ci/run" in runs
    assert any(r.startswith("zizmor ") for r in runs) and "actionlint" in runs
    assert set(load(CI)["on"]) >= {"push"}


def test_the_audit_is_scheduled_and_dispatchable():
    on = load(AUDIT)["on"]
    inputs = on["workflow_dispatch"]["inputs"]
    assert on["schedule"][0]["cron"] and set(inputs) == {"paper", "corpus", "source", "query"}
    # every source the CLI knows, by its flag's name, and the corpus (the default)
    assert inputs["source"]["default"] == "corpus"
    assert set(inputs["source"]["options"]) == {"corpus", "hf-papers", "hf-daily", "arxiv", "openreview"}


# --- running the steps --------------------------------------------------------------------------


class StepFailed(Exception):
    def __init__(self, name: str, code: int, output: str) -> None:
        super().__init__(f"step {name!r} exited {code}:\n{output}")
        self.code = code


def epoch(day: str) -> str:
    return str(timegm(strptime(f"{day} 03:23", "%Y-%m-%d %H:%M")))


class Runner:
    """Runs the steps of a workflow job or composite action the way a GitHub runner would."""

    def __init__(self, tmp: Path, origin: Path, api: str, *, corpus: Path | None = None) -> None:
        self.tmp, self.origin = tmp, origin
        self.artifacts = tmp / "artifacts"
        self.bin = tmp / "bin"
        self.bin.mkdir()
        self.temp = tmp / "runner-temp"
        # `auditor` as `pip install .` would provide it (on the PATH, and in the action's cached
        # environment), but importing this source tree; `corpus` stands in for the bundled one.
        # With FAST_RETRIES set (a runner without network) retries do not wait: no clock passes.
        bundled = f"r.default_corpus = lambda: pathlib.Path({str(corpus)!r}); " if corpus else ""
        bundled = (
            "import os, time; time.sleep = (lambda seconds: None) if os.environ.get('FAST_RETRIES') else time.sleep; "
            + bundled
        )
        code = (
            f"import sys, pathlib, auditor.data as r; {bundled}from auditor.cli import main; sys.exit(main())"
        )
        for shim in (self.bin / "auditor", self.temp / "auditor-venv/bin/auditor"):
            shim.parent.mkdir(parents=True, exist_ok=True)
            shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -c "{code}" "$@"\n')
            shim.chmod(0o755)
        self.api = api
        self.overrides: dict[str, str] = {}
        self.summaries: list[str] = []
        self.outputs: dict[str, str] = {}
        self.runs = 0

    def base_env(self, home: Path, day: str) -> dict[str, str]:
        return {
            "PATH": f"{self.bin}{os.pathsep}{os.environ['PATH']}",
            "PYTHONPATH": str(ROOT),
            "HOME": str(home),
            "SOURCE_DATE_EPOCH": epoch(day),  # the report's date: what `auditor publish` files it under
            "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_CONFIG_GLOBAL": "/dev/null",
            "CI": "true",
            "GITHUB_API_URL": self.api,
            "GITHUB_SERVER_URL": "https://github.com",
            "GITHUB_RUN_ID": "1",
            "RUNNER_TEMP": str(self.temp),
        }

    def job(
        self,
        name: str,
        steps: list[dict[str, Any]],
        context: dict[str, str],
        *,
        env: dict[str, str],
        day: str,
        extra_env: dict[str, str] | None = None,
    ) -> dict[str, str]:
        """Run one job in a fresh checkout; returns the step outputs (GITHUB_OUTPUT). After a
        failing step only steps marked `!cancelled()` run; then the first failure is raised."""
        self.runs += 1
        home = self.tmp / f"home-{name}"  # one runner each; its cache survives, as actions/cache keeps it
        work = self.tmp / f"work-{self.runs}"
        git("clone", "-q", str(self.origin), str(work), cwd=self.tmp)
        files = {k: self.tmp / f"{k}-{self.runs}" for k in ("env", "output", "summary")}
        for f in files.values():
            f.write_text("")
        job_env = self.base_env(home, day) | {
            "GITHUB_ENV": str(files["env"]),
            "GITHUB_OUTPUT": str(files["output"]),
            "GITHUB_STEP_SUMMARY": str(files["summary"]),
        }
        context = context | {"runner.temp": str(self.temp), "runner.os": "Linux", "github.job": name}
        job_env |= {k: self.eval(v, context) for k, v in env.items()} | self.overrides | (extra_env or {})
        failed: StepFailed | None = None
        outputs: dict[str, dict[str, str]] = {}
        for step in steps:
            if not self.condition(step.get("if"), context, failed=failed is not None):
                continue
            if "uses" in step:
                written = self.simulate(step, context, work)
                context |= {f"steps.{step.get('id')}.outputs.{k}": v for k, v in written.items()}
                continue
            if step.get("name") in SKIPPED_RUN_STEPS:
                continue
            step_env = job_env | {k: self.eval(str(v), context) for k, v in step.get("env", {}).items()}
            step_env |= dict(line.split("=", 1) for line in files["env"].read_text().splitlines() if line)
            files["output"].write_text("")
            done = subprocess.run(
                BASH, input=step["run"], cwd=work, env=step_env, capture_output=True, text=True
            )
            written = dict(line.split("=", 1) for line in files["output"].read_text().splitlines() if line)
            if "id" in step:
                outputs[step["id"]] = written
                context |= {f"steps.{step['id']}.outputs.{k}": v for k, v in written.items()}
            self.outputs |= written
            if done.returncode and failed is None:
                failed = StepFailed(step.get("name", "?"), done.returncode, done.stdout + done.stderr)
        self.summaries.append(files["summary"].read_text())
        if failed is not None:
            raise failed
        return self.outputs

    @staticmethod
    def eval(text: str, context: dict[str, str]) -> str:
        return EXPRESSION.sub(lambda m: context[m.group(1)], text)

    def condition(self, expression: str | None, context: dict[str, str], *, failed: bool) -> bool:
        """The few `if:` forms the files use: `!cancelled()`, and `A != 'v'` / `A == 'v'`, joined by &&."""
        if expression is None:
            return not failed
        terms = [t.strip() for t in expression.strip().removeprefix("${{").removesuffix("}}").split("&&")]
        result = True if "!cancelled()" in terms else not failed
        for term in terms:
            if term == "!cancelled()":
                continue
            match = re.fullmatch(r"([\w.-]+) (!=|==) '([^']*)'", term)
            assert match, f"unsupported condition {term!r}"
            value = context.get(match[1], "")
            result = result and ((value == match[3]) == (match[2] == "=="))
        return result

    def simulate(self, step: dict[str, Any], context: dict[str, str], work: Path) -> dict[str, str]:
        """What the action does here, and its outputs."""
        action, _, version = step["uses"].partition("@")
        assert re.fullmatch(r"[0-9a-f]{40}", version), f"pin {action} to a commit"
        with_ = {k: self.eval(str(v), context) for k, v in step.get("with", {}).items()}
        if action == "actions/upload-artifact":
            if not (work / with_["path"]).exists():
                assert with_.get("if-no-files-found") == "ignore", f"nothing to upload at {with_['path']}"
                return {}
            shutil.copytree(work / with_["path"], self.artifacts / with_["name"], dirs_exist_ok=True)
        elif action == "actions/download-artifact":
            if "name" in with_:
                shutil.copytree(self.artifacts / with_["name"], work / with_["path"])
                return {}
            prefix = with_["pattern"].removesuffix("*")
            for art in sorted(self.artifacts.glob(with_["pattern"])):
                assert art.name.startswith(prefix)
                shutil.copytree(art, work / with_["path"] / art.name)
        elif action == "actions/setup-python":
            return {"python-version": ".".join(map(str, sys.version_info[:3]))}
        elif action == "actions/cache":
            return {"cache-hit": ""}  # the home folder of a job's runner survives instead
        else:
            assert action == "actions/checkout", action
        return {}


def workflow_run(
    runner: Runner,
    day: str,
    inputs: dict[str, str] | None = None,
    *,
    lost: frozenset[int] = frozenset(),
    unreachable: frozenset[int] = frozenset(),
) -> dict[str, int]:
    """The audit workflow, once: each job in the order its `needs` give, run or skipped as its `if`
    says, the way GitHub decides it: without an `if`, a job runs only when every job it needs,
    directly or not, succeeded. `lost` shards' runners die before uploading anything;
    `unreachable` shards' runners reach no GitHub. Returns each job's exit code (0 for success;
    absent: skipped), one per shard of the matrix."""
    data = load(AUDIT)
    inputs = {"paper": "", "corpus": "", "source": "corpus", "query": ""} | (inputs or {})
    context = {f"inputs.{k}": v for k, v in inputs.items()} | {
        "secrets.GITHUB_TOKEN": "not-a-real-token",
        "github.run_id": "1",
    }
    shards = data["jobs"]["shard"]["strategy"]["matrix"]["shard"]
    shutil.rmtree(runner.artifacts, ignore_errors=True)
    codes: dict[str, int] = {}

    def needs(name: str) -> list[str]:
        direct = data["jobs"][name].get("needs", [])
        return [direct] if isinstance(direct, str) else direct

    def ancestors(name: str) -> set[str]:
        return {a for n in needs(name) for a in {n, *ancestors(n)}}

    def succeeded(name: str) -> bool:  # a skipped job did not; a matrix, when every instance did
        instances = [f"shard{n}" for n in shards] if name == "shard" else [name]
        return all(codes.get(i) == 0 for i in instances)

    def runs(name: str) -> bool:
        failed = not all(succeeded(a) for a in ancestors(name))
        results = {f"needs.{n}.result": "success" if succeeded(n) else "failure" for n in needs(name)}
        return runner.condition(data["jobs"][name].get("if"), context | results, failed=failed)

    def job(key: str, name: str, ctx: dict[str, str], **extra: Any) -> int:
        try:
            runner.job(name, data["jobs"][key]["steps"], ctx, env=data["env"], day=day, **extra)
        except StepFailed as failure:
            return failure.code
        return 0

    assert list(data["jobs"]) == ["collect", "shard", "merge", "publish"]  # in the order of their needs
    for name in data["jobs"]:
        if not runs(name):
            continue
        if name != "shard":
            codes[name] = job(name, name, context)
            continue
        for shard in shards:
            ctx = context | {"matrix.shard": str(shard), "strategy.job-total": str(len(shards))}
            dead = {"GITHUB_API_URL": DEAD_API, "FAST_RETRIES": "1"} if shard in unreachable else None
            codes[f"shard{shard}"] = 1 if shard in lost else job(name, f"shard{shard}", ctx, extra_env=dead)
    return codes


@pytest.fixture
def project(tmp_path, github):
    """A bare origin, a corpus (standing in for the bundled one), and a local GitHub serving the
    repositories it links to."""

    def add(name: str, files: dict[str, str]) -> Path:
        path = make_repo(tmp_path / "repos" / name, files)
        github.add(f"lab/{name}", path)
        return path

    add("alpha", {"README.md": "# a\n", "train.py": "x = 1\n", "LICENSE": "MIT\n"})
    beta = add("beta", {"README.md": "# b\nCode coming soon.\n"})
    add("gamma", {"README.md": "# g\n", "eval.py": "y = 2\n", "requirements.txt": "numpy\n"})
    names = ["alpha", "beta", "gamma", "alpha", "gamma", "delta"]  # delta: no such repository
    records = [
        {"title": f"Paper {i}: on {n}", "abstract": f"Code is available at https://github.com/lab/{n}."}
        for i, n in enumerate(names)
    ]
    source = make_repo(tmp_path / "source", {"papers.jsonl": "\n".join(map(json.dumps, records)) + "\n"})
    origin = tmp_path / "origin.git"
    git("clone", "-q", "--bare", str(source), str(origin), cwd=tmp_path)
    return origin, github, beta, source / "papers.jsonl"


def reports_branch(origin: Path, folder: str = "") -> list[str]:
    return git("ls-tree", "--name-only", f"reports:{folder}", cwd=origin).split()


def shown(origin: Path, path: str, tmp: Path):
    (tmp / "shown.json").write_text(git("show", f"reports:{path}", cwd=origin))
    return read_report(tmp / "shown.json")


def test_the_scheduled_run_audits_through_the_api_and_publishes_a_bounded_history(tmp_path, project):
    origin, server, beta, corpus = project
    runner = Runner(tmp_path, origin, server.url, corpus=corpus)
    runner.overrides = {"KEEP_DAYS": "2"}
    shards = {f"shard{k}": 0 for k in (1, 2, 3, 4)}
    assert workflow_run(runner, "2026-01-01") == {
        "collect": 0,
        **shards,
        "merge": 0,
        "publish": 0,
    }
    assert reports_branch(origin) == ["2026-01-01", "latest"]
    # The API path with the run's token: one GraphQL request told the commits, git cloned.
    graphql = [h for h in server.hits if h.path == "/graphql"]
    assert graphql and all(h.authorization == "Bearer not-a-real-token" for h in graphql)
    summary = runner.summaries[-2]  # the merge job's
    assert "## Summary" in summary
    assert "This is the first report." in runner.summaries[-1]
    report = shown(origin, "2026-01-01/report.json", tmp_path)
    assert len(report.papers) == 6 and report.shards is None  # the four shards, merged: none lost, none twice
    assert [a.repo.key for a in report.repos] == [
        f"github.com/lab/{n}" for n in ("alpha", "beta", "gamma", "delta")
    ]
    assert report.repos[0].repo.host is not None  # host facts: the API path, not a clone template
    assert git("show", "reports:latest/report.md", cwd=origin).startswith("# Reproducibility audit")
    assert {"badges", "summary.json", "changes.md"} <= set(reports_branch(origin, "latest"))

    # The next day: beta got its code and a license, gamma was deleted.
    commit(beta, {"model.py": "z = 3\n", "LICENSE": "MIT\n"}, message="release")
    server.refuse("lab/gamma", 404, "Not Found")
    assert workflow_run(runner, "2026-01-02")["publish"] == 0
    assert reports_branch(origin) == ["2026-01-01", "2026-01-02", "latest"]
    changes = runner.summaries[-1]
    assert "### Link rot: audited before, not now (1)" in changes
    assert "- github.com/lab/gamma: ok → not-found" in changes
    assert "- github.com/lab/beta: license now passes (was fail)" in changes
    page = html(
        runner.summaries[-2]
    )  # renders cleanly: outcomes, kinds, items; headings not swallowed into them
    items = len(load_checklist().items)
    assert [t[0][0] for t in page.tables] == ["Outcome", "Kind", "Item"]
    assert len(page.tables[-1]) == items + 1 and {len(r) for r in page.tables[-1]} == {7}
    assert "License gained (1)" in git("show", "reports:2026-01-02/changes.md", cwd=origin)

    # A re-run the same day compares with the day before, not with itself, and replaces that day.
    assert workflow_run(runner, "2026-01-02")["publish"] == 0
    assert "Link rot" in runner.summaries[-1]
    assert reports_branch(origin) == ["2026-01-01", "2026-01-02", "latest"]

    # A third day with KEEP_DAYS=2: the first day keeps only its summary; the branch is one commit.
    assert workflow_run(runner, "2026-01-03")["publish"] == 0
    assert reports_branch(origin) == ["2026-01-01", "2026-01-02", "2026-01-03", "latest"]
    assert reports_branch(origin, "2026-01-01") == ["summary.json"]
    assert "report.json" in reports_branch(origin, "2026-01-02")
    assert git("rev-list", "--count", "reports", cwd=origin).strip() == "1"


def test_a_dispatched_subset_is_published_to_its_own_folder_and_leaves_latest_alone(tmp_path, project):
    origin, server, _, corpus = project
    runner = Runner(tmp_path, origin, server.url, corpus=corpus)
    workflow_run(runner, "2026-01-01")
    latest = git("rev-parse", "reports:latest", cwd=origin)
    assert workflow_run(runner, "2026-01-02", {"paper": "Paper 1"})["publish"] == 0
    assert reports_branch(origin) == ["2026-01-01", "latest", "queries"]
    assert git("rev-parse", "reports:latest", cwd=origin) == latest  # not a byte changed
    assert reports_branch(origin, "queries") == ["paper-1"]
    report = shown(origin, "queries/paper-1/report.json", tmp_path)
    assert [p.paper.title for p in report.papers] == ["Paper 1: on beta"]


def test_a_dispatch_over_a_live_source_collects_once_and_publishes_under_its_query(tmp_path, project):
    origin, server, _, corpus = project
    runner = Runner(tmp_path, origin, server.url, corpus=corpus)
    workflow_run(runner, "2026-01-01")
    latest = git("rev-parse", "reports:latest", cwd=origin)
    with PaperServices() as papers:
        papers.hf_search["segmentation"] = [
            hf_item("2601.00001", "Seg: a method", "We segment. Code: https://github.com/lab/alpha."),
            hf_item("2601.00002", "Page: another", "We also segment.", github="https://github.com/lab/gamma"),
        ]
        runner.overrides = papers.env()
        codes = workflow_run(runner, "2026-01-02", {"source": "hf-papers", "query": "segmentation"})
        asked = papers.paths("/hf/api/papers/search")
    assert codes == {"collect": 0, **{f"shard{k}": 0 for k in (1, 2, 3, 4)}, "merge": 0, "publish": 0}
    assert len(asked) == 1  # the source was asked once, by the collect job, not by each shard
    assert git("rev-parse", "reports:latest", cwd=origin) == latest
    assert reports_branch(origin, "queries") == ["hf-papers-segmentation"]
    report = shown(origin, "queries/hf-papers-segmentation/report.json", tmp_path)
    assert [p.paper.title for p in report.papers] == ["Seg: a method", "Page: another"]
    assert [a.repo.key for a in report.repos] == ["github.com/lab/alpha", "github.com/lab/gamma"]
    published = git("show", "reports:queries/hf-papers-segmentation/corpus.jsonl", cwd=origin)
    assert [json.loads(line)["title"] for line in published.splitlines()] == [
        "Seg: a method",
        "Page: another",
    ]


def test_an_all_unreachable_run_publishes_nothing_and_fails_with_the_health_gates_code(tmp_path, project):
    origin, server, _, corpus = project
    runner = Runner(tmp_path, origin, server.url, corpus=corpus)
    workflow_run(runner, "2026-01-01")
    before = git("rev-parse", "reports", cwd=origin)
    codes = workflow_run(runner, "2026-01-02", unreachable=frozenset({1, 2, 3, 4}))
    assert codes == {
        "collect": 0,
        "shard1": 4,
        "shard2": 4,
        "shard3": 4,
        "shard4": 4,
        "merge": 4,
    }  # no publish
    assert git("rev-parse", "reports", cwd=origin) == before  # nothing published
    assert (
        "- unhealthy run: github.com unreachable: 4 of 4 repositories; nothing written"
        in runner.summaries[-1]
    )


def test_a_dispatch_whose_source_lists_nothing_keeps_the_querys_last_report(tmp_path, project):
    """The source unreachable: its problems went nowhere, four shards audited no paper, and the
    empty report replaced the query's last one, every job green."""
    origin, server, _, corpus = project
    runner = Runner(tmp_path, origin, server.url, corpus=corpus)
    query = {"source": "hf-papers", "query": "segmentation"}
    with PaperServices() as papers:
        papers.hf_search["segmentation"] = [
            hf_item("2601.00001", "Seg: a method", "We segment. Code: https://github.com/lab/alpha.")
        ]
        runner.overrides = papers.env()
        assert workflow_run(runner, "2026-01-01", query)["publish"] == 0
    before = git("rev-parse", "reports", cwd=origin)
    runner.overrides = {"HF_ENDPOINT": DEAD_API, "FAST_RETRIES": "1"}
    assert workflow_run(runner, "2026-01-02", query) == {"collect": 1, "merge": 1}  # no shard, no publish
    assert git("rev-parse", "reports", cwd=origin) == before
    collect = runner.summaries[-2]
    assert "could not connect to Hugging Face Papers" in collect  # why, on the run's page
    assert "listed no paper: nothing to audit" in collect


def test_a_failed_shard_still_merges_into_a_partial_report_that_is_never_latest(tmp_path, project):
    origin, server, _, corpus = project
    runner = Runner(tmp_path, origin, server.url, corpus=corpus)
    workflow_run(runner, "2026-01-01")
    latest = git("rev-parse", "reports:latest", cwd=origin)
    # Shard 2's runner dies; shard 3's reaches no GitHub (if it has a repository to ask).
    codes = workflow_run(runner, "2026-01-02", lost=frozenset({2}), unreachable=frozenset({3}))
    assert codes["merge"] == 0 and codes["publish"] == 0
    assert reports_branch(origin) == ["2026-01-01", "2026-01-02-partial", "latest"]
    assert git("rev-parse", "reports:latest", cwd=origin) == latest
    report = shown(origin, "2026-01-02-partial/report.json", tmp_path)
    assert report.shards.included == [1, 4]
    assert [(m.shard, m.reason) for m in report.shards.missing] == [
        (2, "no report"),
        (3, "github.com unreachable: 1 of 1 repository"),
    ]
    assert "- partial report: " in runner.summaries[-2] and "**Partial report**" in runner.summaries[-2]


def test_the_action_gates_an_authors_repository_and_says_its_score(tmp_path, mirror):
    _, add = mirror
    text = "# t\n\nA small tool that prints an empty line: see [its documentation](https://t.example.org/docs).\n"
    checkout = add("me", "tool", {"README.md": text, "main.py": "print()\n"})
    runner = Runner(tmp_path, make_repo(tmp_path / "empty-origin", {"x": "1\n"}), DEAD_API)
    action = load(ACTION)
    inputs = {k: str(v.get("default", "")) for k, v in action["inputs"].items()}
    context = {f"inputs.{k}": v for k, v in inputs.items()} | {
        "inputs.path": str(checkout),
        "github.token": "not-a-real-token",
        "github.action_path": str(ROOT),
        "github.run_id": "1",
    }
    steps = action["runs"]["steps"]
    outputs = runner.job("action", steps, context | {"inputs.fail-under": "5"}, env={}, day="2026-01-01")
    assert outputs["report"] == "auditor-report/report.json"
    score = float(outputs["score"])
    assert 5 < score < 100 and outputs["audited"] == "1"
    assert "## Summary" in runner.summaries[-1]
    assert (runner.artifacts / "auditor-report" / "report.json").exists()
    shutil.rmtree(runner.artifacts)
    with pytest.raises(StepFailed) as failed:
        runner.job("action", steps, context | {"inputs.fail-under": "90"}, env={}, day="2026-01-01")
    assert failed.value.code == 1 and "FAIL: below 90%: tool (" in str(failed.value)
    assert "## Summary" in runner.summaries[-1]  # the summary is written even when the gate fails
    assert (runner.artifacts / "auditor-report" / "report.json").exists()  # and the report uploaded


def test_the_release_workflow_creates_the_tag_the_readme_uses(tmp_path):
    version = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    readme = (ROOT / "README.md").read_text()
    uses = re.findall(r"uses: [\w-]+/auditor@(\S+)", readme)
    assert uses and set(uses) == {f"v{version}"}
    source = make_repo(tmp_path / "source", {"pyproject.toml": (ROOT / "pyproject.toml").read_text()})
    origin = tmp_path / "origin.git"
    git("clone", "-q", "--bare", str(source), str(origin), cwd=tmp_path)
    runner = Runner(tmp_path, origin, DEAD_API)
    (job,) = load(RELEASE)["jobs"].values()
    context = {"secrets.GITHUB_TOKEN": "not-a-real-token"}
    runner.job("release", job["steps"], context, env={}, day="2026-01-01")
    assert git("tag", "--list", cwd=origin).split() == [f"v{version}"]
    with pytest.raises(StepFailed, match="exists already: bump the version"):
        runner.job("release", job["steps"], context, env={}, day="2026-01-01")
