"""How often do the checks agree with a careful reviewer? Hand labels against the auditor's verdicts.

    python benchmarks/agreement.py                      # every set
    python benchmarks/agreement.py --set holdout        # labelled after the checks were last changed
    python benchmarks/agreement.py --item readme-results --json

The labels (benchmarks/labels/<set>/<owner>+<name>.yaml, made by hand before any auditor run; see
benchmarks/labels/GUIDE.md) give one truth per checklist item. Each labelled repository is read from
a local bare copy (`--mirrors DIR`, holding `<owner>/<name>.git`) through the library, as a clone
would give it: files over the clone's blob-size limit, and blobs the copy lacks, are listed but
unreadable. The `midl` checklist is evaluated without artifact probing (as with
`--no-network-checks`: links are not checked). Printed: per item, the share of repositories where
the outcome equals the label, for each set; the share of `readme-results` that is `unknown` among
repositories with a README; then every disagreement with the auditor's message and the label's
reason.

Nothing is written, least of all into the label folders. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Iterable
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
LABELS = ROOT / "benchmarks" / "labels"
# corpus: the bundled corpus's repositories, which the checks were first written against;
# validation: labelled before the checks met them, then used to find kinds of miss (so no longer
# unseen); holdout: labelled after the checks' last change of one round and run only to measure
# them (then its misses were fixed, so it is no longer unseen either); holdout2 to holdout16: the
# same, a round later each.
SETS = (
    "corpus",
    "validation",
    "holdout",
    "holdout2",
    "holdout3",
    "holdout4",
    "holdout5",
    "holdout6",
    "holdout7",
    "holdout8",
    "holdout9",
    "holdout10",
    "holdout11",
    "holdout12",
    "holdout13",
    "holdout14",
    "holdout15",
    "holdout16",
)
# The benchmark's copies (bench.py times all of /work/mirrors/farm), and the sets' that are not in it.
DEFAULT_MIRRORS = (Path("/work/mirrors/farm"), Path("/work/mirrors/labelled"))


@dataclass(frozen=True)
class Row:
    """One item of one labelled repository: the label and what the auditor said."""

    set: str
    repo: str
    item: str
    truth: str
    why: str
    outcome: str
    message: str

    @property
    def agrees(self) -> bool:
        return self.truth == self.outcome


@dataclass(frozen=True)
class Label:
    set: str
    repo: str  # owner/name
    commit: str
    items: dict[str, dict[str, str]]


def load_labels(sets: Iterable[str]) -> list[Label]:
    labels = []
    for name in sets:
        for path in sorted((LABELS / name).glob("*.yaml")):
            doc = yaml.safe_load(path.read_text(encoding="utf-8"))
            repo = doc["repo"].removeprefix("github.com/")
            labels.append(Label(name, repo, str(doc.get("commit", "")), doc["items"]))
    return labels


def _runner(mirror: Path) -> Any:
    """The library's git runner for a local copy. The copies are bare without saying so in their
    config (no `core.bare`), so GitPython would take their parent for a work tree: GIT_DIR says
    where the repository is."""
    from auditor.acquire.gitrunner import GitRunner

    class MirrorRunner(GitRunner):
        @property
        def env(self) -> dict[str, str]:
            return super().env | {"GIT_DIR": str(mirror)}

    return MirrorRunner(allow_file=True, trusted_path=mirror)


def snapshot(mirror: Path, repo: str) -> Any:
    """The local copy of `repo` as a clone would give it: files over the clone's size limit (the
    blob limit, larger for notebooks), and blobs the copy lacks, which already have size None, are
    listed but unreadable."""
    from auditor.acquire.gitsource import DEFAULT_BLOB_LIMIT, read_repository
    from auditor.acquire.snapshot import Snapshot, read_limit

    snap = read_repository(
        mirror,
        key=f"github.com/{repo}".lower(),
        web_url=f"https://github.com/{repo}",
        subpath=None,
        source="git",
        runner=_runner(mirror),
    )
    limit = DEFAULT_BLOB_LIMIT
    large = {p for p, e in snap.entries.items() if e.size is not None and e.size >= read_limit(p, limit)}
    if not large:
        return snap
    entries = {p: (replace(e, size=None) if p in large else e) for p, e in snap.entries.items()}
    reader = snap.reader

    def capped(path: str, cap: int) -> bytes | None:
        return None if path in large else reader(path, cap)

    return Snapshot(repo=snap.repo, entries=entries, reader=capped)


def audit(mirror: Path, repo: str) -> tuple[str, bool, dict[str, tuple[str, str]]]:
    """The commit read, whether it has a README, and each item's (outcome, message) for the local
    copy of `repo`."""
    from auditor.checks import checklist
    from auditor.checks.evaluate import evaluate
    from auditor.facts.documents import root_readme
    from auditor.facts.repository import Facts

    snap = snapshot(mirror, repo)
    facts = Facts(snap)
    result = evaluate(facts, checklist.load("midl"))
    outcomes = {r.id: (r.outcome.value, r.message) for r in result.results}
    return snap.repo.commit or "", root_readme(facts) is not None, outcomes


def agreement(rows: list[Row]) -> dict[str, dict[str, tuple[int, int]]]:
    """Per set, per item: (repositories where the outcome equals the label, repositories labelled)."""
    table: dict[str, dict[str, tuple[int, int]]] = {}
    for row in rows:
        agree, total = table.setdefault(row.set, {}).get(row.item, (0, 0))
        table[row.set][row.item] = (agree + row.agrees, total + 1)
    return table


def unknown_results(rows: list[Row], has_readme: dict[tuple[str, str], bool]) -> dict[str, tuple[int, int]]:
    """Per set: (repositories with a README whose readme-results is unknown, repositories with a README)."""
    out: dict[str, tuple[int, int]] = {}
    for row in rows:
        if row.item != "readme-results" or not has_readme.get((row.set, row.repo)):
            continue
        unknown, total = out.get(row.set, (0, 0))
        out[row.set] = (unknown + (row.outcome == "unknown"), total + 1)
    return out


def _share(pair: tuple[int, int]) -> str:
    agree, total = pair
    return f"{agree / total:6.1%} ({agree}/{total})" if total else "   n/a"


def render(
    rows: list[Row],
    items: list[str],
    sets: list[str],
    unknowns: dict[str, tuple[int, int]],
    problems: list[str],
) -> str:
    table = agreement(rows)
    out = []
    width = max(len(i) for i in items) + 2
    out.append("item".ljust(width) + "".join(s.rjust(20) for s in sets))
    for item in items:
        out.append(
            item.ljust(width) + "".join(_share(table.get(s, {}).get(item, (0, 0))).rjust(20) for s in sets)
        )
    for s in sets:
        pairs = table.get(s, {}).values()
        table.setdefault(s, {})["all items"] = (sum(a for a, _ in pairs), sum(t for _, t in pairs))
    out.append("all items".ljust(width) + "".join(_share(table[s]["all items"]).rjust(20) for s in sets))
    out.append("")
    for s in sets if "readme-results" in items else []:
        unknown, total = unknowns.get(s, (0, 0))
        share = f"{unknown / total:.1%}" if total else "n/a"
        out.append(f"readme-results unknown, {s}: {share} ({unknown} of {total} repositories with a README)")
    for problem in problems:
        out.append(f"not audited: {problem}")
    misses = [r for r in rows if not r.agrees]
    out.append("")
    out.append(f"{len(misses)} disagreement(s)")
    for r in misses:
        out.append(f"- [{r.set}] {r.repo} {r.item}: label {r.truth}, auditor {r.outcome}")
        out.append(f"    auditor: {r.message}")
        out.append(f"    label:   {r.why}")
    return "\n".join(out)


def second_opinion(rows: list[Row], sets: list[str]) -> str:
    """How often two reviewers agree, where a set was labelled twice (`<set>.second/`, by someone
    who saw neither the first labels nor the auditor): the ceiling a check can be held to. Per
    item: reviewer with reviewer, the auditor with each, and with at least one of them."""
    out: list[str] = []
    for name in sets:
        second = {
            (label.repo, item): truth["truth"]
            for label in load_labels([f"{name}.second"])
            for item, truth in label.items.items()
        }
        if not second:
            continue
        table: dict[str, list[int]] = {}
        for r in rows:
            other = second.get((r.repo, r.item))
            if r.set != name or other is None:
                continue
            counts = table.setdefault(r.item, [0, 0, 0, 0, 0])
            counts[0] += r.truth == other
            counts[1] += r.outcome == r.truth
            counts[2] += r.outcome == other
            counts[3] += r.outcome in (r.truth, other)
            counts[4] += 1
        table["all items"] = [sum(c[i] for c in table.values()) for i in range(5)]
        out.append(f"\n{name}, labelled twice: reviewer vs reviewer, auditor vs first, vs second, vs either")
        for item, (both, first, again, either, total) in table.items():
            shares = "".join(f"{v / total:10.1%}" for v in (both, first, again, either))
            out.append(f"{item:<26}{shares}   ({total})")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--set", choices=[*SETS, "all"], default="all")
    parser.add_argument("--item", help="one checklist item only")
    parser.add_argument("--json", action="store_true", help="rows, agreement and unknown shares as JSON")
    parser.add_argument(
        "--mirrors",
        type=Path,
        action="append",
        help="folder of local copies OWNER/NAME.git (repeatable; the first that holds a copy serves it)",
    )
    args = parser.parse_args(argv)
    sets = list(SETS) if args.set == "all" else [args.set]
    rows: list[Row] = []
    has_readme: dict[tuple[str, str], bool] = {}
    problems: list[str] = []
    items: list[str] = []
    started = time.monotonic()
    folders = args.mirrors or list(DEFAULT_MIRRORS)
    for label in load_labels(sets):
        mirror = next((m for f in folders if (m := f / f"{label.repo}.git").exists()), None)
        if mirror is None:
            problems.append(f"{label.repo}: no local copy in {', '.join(map(str, folders))}")
            continue
        commit, readme, results = audit(mirror, label.repo)
        if label.commit and commit != label.commit:
            problems.append(f"{label.repo}: labelled at {label.commit[:12]}, the copy is at {commit[:12]}")
        has_readme[(label.set, label.repo)] = readme
        for item, truth in label.items.items():
            if args.item and item != args.item:
                continue
            if item not in items:
                items.append(item)
            outcome, message = results.get(item, ("missing", "the checklist has no such item"))
            rows.append(
                Row(label.set, label.repo, item, truth["truth"], truth.get("why", ""), outcome, message)
            )
    unknowns = unknown_results(rows, has_readme)
    if args.json:
        report: dict[str, Any] = {
            "agreement": {
                s: {i: {"agree": a, "total": t} for i, (a, t) in v.items()}
                for s, v in agreement(rows).items()
            },
            "readme_results_unknown": {s: {"unknown": u, "with_readme": t} for s, (u, t) in unknowns.items()},
            "problems": problems,
            "rows": [asdict(r) | {"agrees": r.agrees} for r in rows],
        }
        json.dump(report, sys.stdout, indent=2)
        print()
    else:
        print(render(rows, items, sets, unknowns, problems))
        print(second_opinion(rows, sets))
        print(f"\n{len(has_readme)} repositories in {time.monotonic() - started:.1f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
