"""The GitHub workflows and the composite action: valid, and their steps work when run as written.

Validation uses check-jsonschema with SchemaStore's workflow and action schemas (actionlint has
no installable wheel here). Then the steps themselves run locally, in order, with bash as GitHub
runs them: each job in a fresh clone of a local "origin", artifacts passed between jobs, the
shards of the matrix one after the other, and the clone template pointed at local mirrors. Only
`uses:` steps (checkout, setup-python, cache, artifacts) and the `pip install` steps are simulated.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from gitrepos import commit, git, make_repo
from test_render_markdown import html

from auditor.checklist import load as load_checklist
from auditor.report.files import read_report

ROOT = Path(__file__).resolve().parent.parent
AUDIT = ROOT / ".github/workflows/audit.yml"
CI = ROOT / ".github/workflows/ci.yml"
ACTION = ROOT / "action.yml"
EXPRESSION = re.compile(r"\$\{\{\s*([\w.-]+)\s*\}\}")
SKIPPED_RUN_STEPS = {"Install", "Install auditor"}  # pip install: the package is installed here
BASH = ["bash", "--noprofile", "--norc", "-eo", "pipefail"]  # GitHub's `shell: bash`


def load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    if True in data:  # YAML 1.1 reads the key `on` as a boolean
        data["on"] = data.pop(True)
    return data


def check_jsonschema(*args: str) -> subprocess.CompletedProcess[str]:
    exe = shutil.which("check-jsonschema", path=str(Path(sys.executable).parent)) or shutil.which(
        "check-jsonschema"
    )
    assert exe, "check-jsonschema is not installed: pip install -e '.[test]'"
    return subprocess.run([exe, *args], capture_output=True, text=True)


def run_steps(path: Path) -> list[dict[str, Any]]:
    data = load(path)
    jobs = data.get("jobs", {}).values() if "jobs" in data else [data["runs"]]
    return [step for job in jobs for step in job["steps"] if "run" in step]


# --- validation ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("schema", "path"),
    [
        ("vendor.github-workflows", AUDIT),
        ("vendor.github-workflows", CI),
        ("custom.github-workflows-require-timeout", AUDIT),
        ("custom.github-workflows-require-timeout", CI),
        ("vendor.github-actions", ACTION),
    ],
)
def test_workflow_files_validate(schema, path):
    done = check_jsonschema("--builtin-schema", schema, str(path))
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_validator_rejects_a_broken_workflow(tmp_path):
    broken = load(AUDIT)
    del broken["jobs"]["merge"]["runs-on"]
    broken["jobs"]["shard"]["strategy"]["fail-fast"] = "sometimes"
    path = tmp_path / "broken.yml"
    path.write_text(yaml.safe_dump(broken))
    done = check_jsonschema("--builtin-schema", "vendor.github-workflows", str(path))
    assert done.returncode == 1 and "jobs" in done.stdout


@pytest.mark.parametrize("path", [AUDIT, CI, ACTION], ids=lambda p: p.name)
def test_run_steps_are_valid_bash_and_take_no_expressions(path):
    for step in run_steps(path):
        assert not EXPRESSION.search(step["run"]), f"{step.get('name')}: pass ${{{{ }}}} through env"
        done = subprocess.run(["bash", "-n"], input=step["run"], capture_output=True, text=True)
        assert done.returncode == 0, f"{step.get('name')}: {done.stderr}"


def test_expressions_name_declared_inputs_and_steps():
    workflow, action = load(AUDIT), load(ACTION)
    declared = set(workflow["on"]["workflow_dispatch"]["inputs"])
    used = {m.split(".", 1)[1] for m in EXPRESSION.findall(AUDIT.read_text()) if m.startswith("inputs.")}
    assert used == declared
    action_used = {m.split(".")[1] for m in EXPRESSION.findall(ACTION.read_text()) if m.startswith("inputs.")}
    assert action_used == set(action["inputs"])
    step_ids = {s.get("id") for s in action["runs"]["steps"]}
    assert {
        m.split(".")[1] for m in EXPRESSION.findall(ACTION.read_text()) if m.startswith("steps.")
    } <= step_ids


def test_ci_runs_the_ci_script():
    (step,) = run_steps(CI)
    assert step["run"] == "bash .ci/run"
    assert set(load(CI)["on"]) >= {"push"}


def test_the_audit_is_scheduled_and_dispatchable():
    on = load(AUDIT)["on"]
    assert on["schedule"][0]["cron"] and set(on["workflow_dispatch"]["inputs"]) == {"paper", "corpus"}


# --- running the steps --------------------------------------------------------------------------


class StepFailed(Exception):
    def __init__(self, name: str, code: int, output: str) -> None:
        super().__init__(f"step {name!r} exited {code}:\n{output}")
        self.code = code


class Runner:
    """Runs the steps of a workflow job or composite action the way a GitHub runner would."""

    def __init__(self, tmp: Path, origin: Path, mirror: Path) -> None:
        self.tmp, self.origin = tmp, origin
        self.artifacts = tmp / "artifacts"
        self.bin = tmp / "bin"
        self.bin.mkdir()
        # `auditor` as `pip install .` would provide it, but importing this source tree.
        shim = self.bin / "auditor"
        shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m auditor "$@"\n')
        # The clock, injected: `date` answers the day the test says.
        clock = self.bin / "date"
        clock.write_text('#!/bin/sh\necho "$FAKE_DAY"\n')
        for exe in (shim, clock):
            exe.chmod(0o755)
        self.overrides = {"CLONE_URL": f"file://{mirror}/{{owner}}/{{name}}"}
        self.summaries: list[str] = []
        self.runs = 0

    def base_env(self, home: Path, day: str) -> dict[str, str]:
        return {
            "PATH": f"{self.bin}{os.pathsep}{os.environ['PATH']}",
            "PYTHONPATH": str(ROOT),
            "HOME": str(home),
            "SOURCE_DATE_EPOCH": os.environ["SOURCE_DATE_EPOCH"],
            "FAKE_DAY": day,
            "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_CONFIG_GLOBAL": "/dev/null",
            "CI": "true",
        }

    def job(
        self,
        name: str,
        steps: list[dict[str, Any]],
        context: dict[str, str],
        *,
        env: dict[str, str],
        day: str,
    ) -> dict[str, str]:
        """Run one job in a fresh checkout; returns the step outputs (GITHUB_OUTPUT)."""
        self.runs += 1
        home = (
            self.tmp / f"home-{name}"
        )  # one runner each; its cache survives, as actions/cache would keep it
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
        job_env |= {k: self.eval(v, context) for k, v in env.items()} | self.overrides
        for step in steps:
            if "uses" in step:
                self.simulate(step, context, work)
                continue
            if step.get("name") in SKIPPED_RUN_STEPS:
                continue
            step_env = job_env | {k: self.eval(str(v), context) for k, v in step.get("env", {}).items()}
            step_env |= dict(line.split("=", 1) for line in files["env"].read_text().splitlines() if line)
            done = subprocess.run(
                BASH, input=step["run"], cwd=work, env=step_env, capture_output=True, text=True
            )
            if done.returncode:
                self.summaries.append(files["summary"].read_text())
                raise StepFailed(step.get("name", "?"), done.returncode, done.stdout + done.stderr)
        self.summaries.append(files["summary"].read_text())
        return dict(line.split("=", 1) for line in files["output"].read_text().splitlines() if line)

    @staticmethod
    def eval(text: str, context: dict[str, str]) -> str:
        return EXPRESSION.sub(lambda m: context[m.group(1)], text)

    def simulate(self, step: dict[str, Any], context: dict[str, str], work: Path) -> None:
        action, _, version = step["uses"].partition("@")
        assert re.fullmatch(r"v\d+", version), f"pin {action} to a major version"
        with_ = {k: self.eval(str(v), context) for k, v in step.get("with", {}).items()}
        if action == "actions/upload-artifact":
            shutil.copytree(work / with_["path"], self.artifacts / with_["name"], dirs_exist_ok=True)
        elif action == "actions/download-artifact":
            prefix = with_["pattern"].removesuffix("*")
            for art in sorted(self.artifacts.glob(with_["pattern"])):
                assert art.name.startswith(prefix)
                shutil.copytree(art, work / with_["path"] / art.name)
        else:
            assert action in {"actions/checkout", "actions/setup-python", "actions/cache"}, action


def workflow_run(runner: Runner, day: str, inputs: dict[str, str]) -> None:
    """The audit workflow, once: every shard of the matrix, then the merge job."""
    data = load(AUDIT)
    shard_job, merge_job = data["jobs"]["shard"], data["jobs"]["merge"]
    shards = shard_job["strategy"]["matrix"]["shard"]
    shutil.rmtree(runner.artifacts, ignore_errors=True)
    for shard in shards:
        context = {
            "matrix.shard": str(shard),
            "strategy.job-total": str(len(shards)),
            "secrets.GITHUB_TOKEN": "not-a-real-token",
            "github.run_id": "1",
        } | {f"inputs.{k}": v for k, v in inputs.items()}
        runner.job(f"shard{shard}", shard_job["steps"], context, env=data["env"], day=day)
    runner.job("merge", merge_job["steps"], {}, env=data["env"], day=day)


@pytest.fixture
def project(tmp_path, mirror):
    """A bare origin holding a corpus, and mirrored repositories the corpus links to."""
    root, add = mirror
    add("lab", "alpha", {"README.md": "# a\n", "train.py": "x = 1\n", "LICENSE": "MIT\n"})
    beta = add("lab", "beta", {"README.md": "# b\nCode coming soon.\n"})
    add("lab", "gamma", {"README.md": "# g\n", "eval.py": "y = 2\n", "requirements.txt": "numpy\n"})
    names = ["alpha", "beta", "gamma", "alpha", "gamma", "delta"]
    records = [
        {"title": f"Paper {i}: on {n}", "abstract": f"Code is available at https://github.com/lab/{n}."}
        for i, n in enumerate(names)
    ]
    source = make_repo(tmp_path / "source", {"papers.jsonl": "\n".join(map(json.dumps, records)) + "\n"})
    origin = tmp_path / "origin.git"
    git("clone", "-q", "--bare", str(source), str(origin), cwd=tmp_path)
    return origin, root, beta


def reports_branch(origin: Path) -> list[str]:
    return git("ls-tree", "--name-only", "reports", cwd=origin).split()


def test_the_audit_workflow_runs_as_written(tmp_path, project):
    origin, mirror_root, beta = project
    runner = Runner(tmp_path, origin, mirror_root)
    workflow_run(runner, "2026-01-01", {"paper": "", "corpus": "papers.jsonl"})
    assert reports_branch(origin) == ["2026-01-01", "latest"]
    summary = runner.summaries[-1]
    assert "## Summary" in summary and "This is the first report." in summary
    committed = git("show", "reports:2026-01-01/report.json", cwd=origin)
    report = read_report_text(committed, tmp_path)
    assert len(report.papers) == 6  # the four shards, merged: no paper lost, none twice
    assert [a.repo.key for a in report.repos] == [
        "github.com/lab/alpha",
        "github.com/lab/beta",
        "github.com/lab/gamma",
        "github.com/lab/delta",
    ]
    assert git("show", "reports:latest/report.md", cwd=origin).startswith("# Reproducibility audit")
    assert "badges" in git("ls-tree", "--name-only", "reports:latest", cwd=origin).split()

    # The next day: beta got its code and a license, gamma's link rotted.
    commit(beta, {"model.py": "z = 3\n", "LICENSE": "MIT\n"}, message="release")
    shutil.rmtree(mirror_root / "lab" / "gamma")
    workflow_run(runner, "2026-01-02", {"paper": "", "corpus": "papers.jsonl"})
    assert reports_branch(origin) == ["2026-01-01", "2026-01-02", "latest"]
    summary = runner.summaries[-1]
    assert "### Link rot: audited before, not now (1)" in summary
    assert "- github.com/lab/gamma: ok → not-found" in summary
    assert "- github.com/lab/beta: license now passes (was fail)" in summary
    page = html(summary)  # renders cleanly: one table of items, headings not swallowed into it
    items = len(load_checklist().items)
    assert [len(rows) for rows in page.tables] == [items + 1] and {len(r) for r in page.tables[0]} == {7}
    assert "Changes since the previous report" in page.headings
    changes = git("show", "reports:2026-01-02/changes.md", cwd=origin)
    assert "License gained (1)" in changes

    # A re-run the same day compares with the day before, not with itself, and replaces that day's
    # report (its network costs differ: the caches are warm) instead of adding another folder.
    workflow_run(runner, "2026-01-02", {"paper": "", "corpus": "papers.jsonl"})
    assert "Link rot" in runner.summaries[-1]
    assert reports_branch(origin) == ["2026-01-01", "2026-01-02", "latest"]


def test_a_dispatched_paper_query_audits_that_paper_only(tmp_path, project):
    origin, mirror_root, _ = project
    runner = Runner(tmp_path, origin, mirror_root)
    workflow_run(runner, "2026-01-01", {"paper": "Paper 1", "corpus": "papers.jsonl"})
    report = read_report_text(git("show", "reports:latest/report.json", cwd=origin), tmp_path)
    assert [p.paper.title for p in report.papers] == ["Paper 1: on beta"]


def read_report_text(text: str, tmp: Path):
    path = tmp / "shown.json"
    path.write_text(text)
    return read_report(path)


def test_the_action_gates_an_authors_repository(tmp_path, mirror):
    _, add = mirror
    text = "# t\n\nA small tool that prints an empty line: see [its documentation](https://t.example.org/docs).\n"
    checkout = add("me", "tool", {"README.md": text, "main.py": "print()\n"})
    runner = Runner(tmp_path, make_repo(tmp_path / "empty-origin", {"x": "1\n"}), tmp_path)
    steps = load(ACTION)["runs"]["steps"]
    inputs = {k: str(v.get("default", "")) for k, v in load(ACTION)["inputs"].items()}
    context = {f"inputs.{k}": v for k, v in inputs.items()} | {
        "inputs.path": str(checkout),
        "github.token": "not-a-real-token",
        "github.action_path": str(ROOT),
    }
    outputs = runner.job("action", steps, context | {"inputs.fail-under": "5"}, env={}, day="2026-01-01")
    assert outputs["report"] == "auditor-report/report.json"
    assert "## Summary" in runner.summaries[-1]
    with pytest.raises(StepFailed) as failed:
        runner.job("action", steps, context | {"inputs.fail-under": "90"}, env={}, day="2026-01-01")
    assert failed.value.code == 1 and "FAIL: below 90%: tool (" in str(failed.value)
    assert "## Summary" in runner.summaries[-1]  # the summary is written even when the gate fails
