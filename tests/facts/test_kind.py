"""What the code of a repository shows (a framework imported, a network defined, scripts a user
runs) when it holds more files than are read: the cap counts the files that can show it."""

from __future__ import annotations

from repos import MODEL_PY, TRAIN_PY
from snapshots import facts

from auditor.checks.base import registry
from auditor.facts import code_search, kind
from auditor.facts.code_search import entry_points, network_defined
from auditor.facts.kind import ml_evidence
from auditor.models import Outcome

KERNEL = "__global__ void scale(float *x, float a) { x[threadIdx.x] *= a; }\n"


def kernels(count: int) -> dict[str, str]:
    """CUDA kernels, listed before any Python file: `csrc/` sorts before the scripts."""
    return {f"csrc/k{i:04}.cu": KERNEL for i in range(count)}


def test_files_that_cannot_import_do_not_use_up_the_imports_read():
    result = ml_evidence(facts(kernels(kind.MAX_READ) | {"train.py": TRAIN_PY}))
    assert result is not None and (result.path, result.note) == ("train.py", "imports torch")


def test_python_files_past_the_cap_are_not_read_as_importing_nothing():
    # the files read import no framework, those past the cap are not read: the dependency list decides
    plain = {
        f"tools/t{i:04}.py": "import os\n\nprint(os.getcwd(), os.listdir('.'))\n"
        for i in range(kind.MAX_READ)
    }
    files = plain | {"zz/train.py": TRAIN_PY, "requirements.txt": "torch==2.1.0\n"}
    result = ml_evidence(facts(files))
    assert result is not None and (result.path, result.note) == ("requirements.txt", "requires torch")


def test_a_network_is_found_past_files_of_other_languages():
    result = network_defined(facts(kernels(code_search.MAX_READ) | {"model.py": MODEL_PY}))
    assert result is not None and result.path == "model.py"


def test_a_script_is_found_past_files_of_other_languages():
    hits = entry_points(facts(kernels(code_search.MAX_READ) | {"run.py": TRAIN_PY}))
    assert [h.path for h in hits] == ["run.py"]


def _tracker(readme_extra: str = "") -> dict:
    """A results tracker: a README that is the table of contents of its own pages, which link the
    papers, and one script that exports the tables."""
    tasks = [f"task_{i}" for i in range(12)]
    readme = "# Tracking progress\n\n" + "".join(f"- [{t}](english/{t}.md)\n" for t in tasks) + readme_extra
    pages = {
        f"english/{t}.md": f"# {t}\n\n| model | score | paper |\n| --- | --- | --- |\n"
        + "".join(
            f"| M{j} | 9{j}.1 | [Doe {j}](https://arxiv.org/abs/2101.0{i:02d}{j}) |\n" for j in range(3)
        )
        for i, t in enumerate(tasks)
    }
    export = "import json\nimport sys\n\n\ndef main():\n    json.dump(read(sys.argv[1]), sys.stdout)\n" * 2
    return {"README.md": readme, **pages, "structured/export.py": export}


def test_a_list_kept_over_its_own_pages_with_an_export_script_is_a_curated_list():
    found = kind.repo_kind(facts(_tracker()))
    assert found.kind is kind.RepoKind.CURATED_LIST and "36 papers" in found.reason
    assert found.evidence[0].note == "english/task_0.md"
    # a README that runs code is a project's, however many papers its pages cite
    runs = _tracker("\n## Run\n\n```bash\npython structured/export.py english\n```\n")
    assert kind.repo_kind(facts(runs)).kind is kind.RepoKind.CODE


def test_a_dataset_whose_only_code_is_a_viewing_helper_is_a_dataset_release():
    # COVID-CTset: the scans on figshare, one script that makes 16-bit TIFFs viewable; its
    # networks are trained in another repository
    readme = (
        "# LungCT-set: a large CT scans dataset of 377 patients\n\n"
        "Download it from https://figshare.com/articles/dataset/LungCT-set/13668596\n\n"
        "The images are 16-bit; [Visualize.py](Visualize.py) makes them viewable.\n"
    )
    helper = "import numpy as np\nfrom PIL import Image\n\nimg = np.array(Image.open('x.tif'))\n"
    release = {"README.md": readme, "Visualize.py": helper}
    found = kind.repo_kind(facts(release))
    assert found.kind is kind.RepoKind.DATASET and "helper scripts only" in found.reason
    assert registry()["code"](facts(release)).outcome is Outcome.NOT_APPLICABLE
    # a baseline that trains a network beside the data is code of its own
    baseline = {**release, "train_baseline.py": TRAIN_PY}
    assert kind.repo_kind(facts(baseline)).kind is kind.RepoKind.CODE
