"""The plan of files to fetch: decided from the tree alone, it covers every file the checks read
but the documents found by reading others, and judging from it gives the verdicts of reading the
whole repository."""

from __future__ import annotations

import json
import re
import sys

import pytest
from repos import (
    ENVIRONMENT_YML,
    LFS_POINTER,
    MIT_LICENSE,
    README_INSTALL,
    README_TRAIN,
    REQUIREMENTS_PINNED,
    TRAIN_NOTEBOOK,
    TRAIN_PY,
    complete_repo,
    readme,
)

from auditor import pipeline
from auditor.acquire.snapshot import Snapshot, Tree, TreeEntry
from auditor.checks.checklist import load
from auditor.checks.evaluate import evaluate
from auditor.facts.needs import planned
from auditor.facts.repository import Facts
from auditor.facts.sources import code_text
from auditor.models import RepoFacts, RepoStatus
from auditor.pipeline import judge

LIMIT = 64 * 1024  # what a clone reads of a blob, at most: a larger one is listed without size


class Served:
    """A repository as a blob-less clone has it: the tree, every file pending until fetched by
    batch; records each batch."""

    def __init__(self, files: dict[str, bytes]) -> None:
        self.files = files
        self.batches: list[set[str]] = []
        self.read: set[str] = set()

    def snapshot(self) -> Snapshot:
        held: dict[str, bytes] = {}
        tree = Tree({p: TreeEntry(path=p, size=None) for p in self.files}, unsized=set(self.files))
        pending = set(self.files)

        def reader(path: str, cap: int) -> bytes | None:
            self.read.add(path)
            return held[path][:cap] if path in held else None

        def fetch(paths: set[str]) -> list[str]:
            self.batches.append(set(paths))
            for path in paths:
                data = self.files[path]
                tree[path] = TreeEntry(path=path, size=len(data) if len(data) < LIMIT else None)
                if len(data) < LIMIT:
                    held[path] = data
            pending.difference_update(paths)
            tree.unsized.difference_update(paths)
            return [f"fetch {len(paths)} files"]

        return Snapshot(repo=record(), entries=tree, reader=reader, pending=pending, fetcher=fetch)


def record() -> RepoFacts:
    return RepoFacts(
        key="github.com/lab/segtool",
        url="https://github.com/lab/segtool",
        status=RepoStatus.OK,
        source="git",
        commit="0" * 40,
    )


def whole(files: dict[str, bytes]) -> Snapshot:
    """The same repository with every file readable from the start."""
    entries = {p: TreeEntry(path=p, size=len(b) if len(b) < LIMIT else None) for p, b in files.items()}
    return Snapshot(
        repo=record(),
        entries=entries,
        reader=lambda p, cap: files[p][:cap] if len(files[p]) < LIMIT else None,
    )


def as_bytes(files: dict[str, object]) -> dict[str, bytes]:
    return {
        p: v.encode() if isinstance(v, str) else v for p, v in files.items() if isinstance(v, str | bytes)
    }


def linked_docs_repo() -> dict[str, object]:
    """Documents found only by reading: a README linking a .txt guide that links another, and a
    docs page that links a second page, a requirements file including another, a vendored script
    the README runs."""
    return {
        "README.md": readme(
            "# Tool\n\nSee [the guide](INSTALL.txt) and [usage](docs/usage.md).\n",
            "## Training\n\n```bash\npython third_party/runner/launch.py --config c.yaml\n```\n",
        ),
        "INSTALL.txt": "pip install -r requirements.txt\n\nFor GPUs see [details](more/gpu.txt).\n",
        "more/gpu.txt": "Use CUDA 11.8.\n",
        "docs/usage.md": "# Usage\n\nThe details are [here](../guides/advanced.txt).\n",
        "guides/advanced.txt": "Download the weights from https://huggingface.co/lab/tool.\n",
        "requirements.txt": "-r reqs/base.txt\ntorch==2.1.0\n",
        "reqs/base.txt": "numpy==1.26.4\n",
        "third_party/runner/launch.py": TRAIN_PY,
        "src/model.py": "import torch\n\n\nclass Net(torch.nn.Module):\n    pass\n",
    }


REPOS = {
    "complete": complete_repo,
    "linked documents": linked_docs_repo,
    "placeholder": lambda: {"README.md": readme(README_INSTALL, README_TRAIN), "LICENSE": MIT_LICENSE},
    "weights in the tree": lambda: {
        **as_bytes(complete_repo()),
        "checkpoints/best.pth": b"\x80\x02" * 100_000,  # over the read limit
        "checkpoints/fold1.pth": LFS_POINTER,
        "checkpoints/stub.pth": b"\x00" * 10,
    },
    "notebooks and conda": lambda: {
        "README.md": "# Notebook study\n\nOpen `train.ipynb`.\n",
        "train.ipynb": TRAIN_NOTEBOOK,
        "envs/conda.yml": ENVIRONMENT_YML,
        "experiments/a.yaml": "lr: 0.1\n",
        "requirements/pinned.txt": REQUIREMENTS_PINNED,
        "empty.py": "",
    },
    "shell only": lambda: {"README.md": "# Scripts\n", "run.sh": "#!/bin/sh\npython -m tool.train\n"},
    "a vendored notebook the README names": lambda: vendored_notebook_repo(),
    "a package and a Makefile": lambda: package_repo(),
}


def package_repo() -> dict[str, object]:
    """A fork of nnU-Net: its folder is named like a package often copied into projects, and only
    the root `setup.py`, which declares that package, says it is the project's own code. Installed
    with `make`."""
    return {
        "README.md": readme("## Install\n\n```bash\nmake install\n```\n", README_TRAIN),
        "Makefile": "install:\n\tpip install -e .\n",
        "setup.py": "from setuptools import setup\n\nsetup(\n    name='nnunet',\n    packages=['nnunet'],\n)\n",
        "nnunet/__init__.py": "",
        "nnunet/train.py": TRAIN_PY,
        "LICENSE": MIT_LICENSE,
    }


def vendored_notebook_repo() -> dict[str, object]:
    """The training is a notebook inside a vendored folder, which only the README's words point
    to: the plan (the project's own files) cannot foresee it."""
    return {
        "README.md": readme("## Training\n\nOpen `third_party/lab/finetune.ipynb` and run all cells.\n"),
        "third_party/lab/finetune.ipynb": TRAIN_NOTEBOOK,
        "src/model.py": "import torch\n\n\nclass Net(torch.nn.Module):\n    pass\n",
    }


@pytest.mark.parametrize("name", sorted(REPOS))
def test_judging_from_the_plan_gives_the_verdicts_of_reading_everything(name: str):
    files = as_bytes(REPOS[name]())
    served = Served(files)
    snap = served.snapshot()
    planned_audit = judge(snap, load("midl"))
    assert json.loads(planned_audit.model_dump_json(exclude={"repo": {"cost"}})) == json.loads(
        evaluate(Facts(whole(files)), load("midl")).model_dump_json(exclude={"repo": {"cost"}})
    )
    assert snap.missed == set()


@pytest.mark.parametrize("name", sorted(REPOS))
def test_what_the_plan_leaves_out_is_only_what_reading_other_files_found(name: str):
    files = as_bytes(REPOS[name]())
    served = Served(files)
    judge(served.snapshot(), load("midl"))
    first, *later = served.batches or [set()]
    fetched = set(first)
    # what the plan holds once the files planning reads are known (a root `setup.py`)
    known = planned(Facts(whole(files)))
    for batch in later:
        # each path a later batch asked for is written in a file fetched before it, or planned
        texts = "\n".join(files[p].decode("utf-8", "replace") for p in fetched)
        for path in batch:
            assert path in known or re.search(re.escape(path.rpartition("/")[2]), texts), path
        fetched |= batch


def test_documents_found_by_reading_come_in_later_batches_and_nothing_else_does():
    files = as_bytes(linked_docs_repo())
    served = Served(files)
    judge(served.snapshot(), load("midl"))
    assert "README.md" in served.batches[0] and "src/model.py" in served.batches[0]
    second, third = served.batches[1:]
    assert {"INSTALL.txt", "reqs/base.txt", "third_party/runner/launch.py", "guides/advanced.txt"} <= second
    assert third == {"more/gpu.txt"}  # two hops through files no plan could foresee: a third batch


def test_a_fork_is_planned_again_once_its_setup_py_is_read_and_judged_once(monkeypatch):
    judged = []
    monkeypatch.setattr(pipeline, "evaluate", lambda *a: judged.append(a) or evaluate(*a))
    served = Served(as_bytes(package_repo()))
    audit = judge(served.snapshot(), load("midl"))
    first, second = served.batches
    assert {"setup.py", "Makefile", "README.md"} <= first and "nnunet/train.py" not in first
    assert second == {"nnunet/__init__.py", "nnunet/train.py"}  # its own code, once setup.py says so
    assert len(judged) == 1
    assert next(r for r in audit.results if r.id == "training-code").outcome.value == "pass"


def test_a_copied_package_beside_the_projects_own_is_planned_in_one_batch():
    files = {**package_repo(), "setup.py": "from setuptools import setup\n\nsetup(name='segtool')\n"}
    files["segtool/model.py"] = "import torch\n\n\nclass Net(torch.nn.Module):\n    pass\n"
    served = Served(as_bytes(files))
    judge(served.snapshot(), load("midl"))
    assert len(served.batches) == 1 and {"setup.py", "Makefile", "segtool/model.py"} <= served.batches[0]
    assert "nnunet/train.py" not in served.batches[0]  # a copy of nnU-Net, not the project's code


def test_a_notebook_found_by_reading_is_recorded_as_missed_and_fetched():
    files = as_bytes(vendored_notebook_repo())
    served = Served(files)
    audit = judge(served.snapshot(), load("midl"))
    assert "third_party/lab/finetune.ipynb" not in served.batches[0]
    assert served.batches[1:] == [{"third_party/lab/finetune.ipynb"}]
    training = next(r for r in audit.results if r.id == "training-code")
    assert training.outcome.value == "pass"
    assert [e.path for e in training.evidence] == ["third_party/lab/finetune.ipynb"]


def test_a_notebook_read_before_it_is_fetched_is_recorded_as_missed():
    """Notebooks are read whole, past the cap of other files: through the snapshot all the same,
    so that one not fetched yet is recorded, fetched, and then read."""
    files = as_bytes({"README.md": "# Notebook\n", "lab/finetune.ipynb": TRAIN_NOTEBOOK})
    snap = Served(files).snapshot()
    assert code_text(Facts(snap), "lab/finetune.ipynb") is None
    missed = snap.take_missed()
    assert missed == {"lab/finetune.ipynb"}
    snap.prefetch(missed)
    code = code_text(Facts(snap), "lab/finetune.ipynb")
    assert code is not None and "optimizer.step()" in code


def test_the_plan_reads_nothing():
    """A pure function of the tree: it neither reads a file nor looks at a size."""
    files = as_bytes(complete_repo() | linked_docs_repo())
    snap = Served(files).snapshot()
    plan = planned(Facts(snap))
    assert snap.take_missed() == set()
    assert {"README.md", "LICENSE", "requirements.txt", "train.py"} <= plan


def test_files_no_check_reads_are_not_planned():
    files = as_bytes(complete_repo()) | {
        "figures/overview.png": b"\x89PNG" + bytes(100),
        "data/splits/case_00001.txt": b"patient 1\n",
        "assets/video.mp4": bytes(1000),
    }
    plan = planned(Facts(Served(files).snapshot()))
    assert not {"figures/overview.png", "data/splits/case_00001.txt", "assets/video.mp4"} & plan


def _benchmark_repositories() -> list[dict[str, bytes]]:
    """The benchmark's synthetic repositories (benchmarks/bench.py), the smaller ones: READMEs,
    scripts, configs, LFS pointers, data lists and figures in the shapes research code has."""
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parents[2] / "benchmarks" / "bench.py"
    spec = importlib.util.spec_from_file_location("bench", path)
    assert spec is not None and spec.loader is not None
    bench = sys.modules.setdefault("bench", importlib.util.module_from_spec(spec))
    spec.loader.exec_module(bench)
    return [s.files for s in bench.specs(60, seed=11) if len(s.files) <= 400][:20]


@pytest.mark.parametrize("files", _benchmark_repositories(), ids=lambda f: f"{len(f)}-files")
def test_the_plan_holds_for_the_benchmarks_repositories(files: dict[str, bytes]):
    served = Served(files)
    snap = served.snapshot()
    audit = judge(snap, load("midl"))
    expected = evaluate(Facts(whole(files)), load("midl"))
    assert audit.model_dump(exclude={"repo": {"cost"}}) == expected.model_dump(exclude={"repo": {"cost"}})
    assert len(served.batches) == 1  # nothing in them is found only by reading
    assert set(files) - served.batches[0]  # and not everything was fetched
