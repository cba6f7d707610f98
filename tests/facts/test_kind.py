"""What the code of a repository shows (a framework imported, a network defined, scripts a user
runs) when it holds more files than are read: the cap counts the files that can show it."""

from __future__ import annotations

from repos import MODEL_PY, TRAIN_PY
from snapshots import facts

from auditor.facts import code_search, kind
from auditor.facts.code_search import entry_points, network_defined
from auditor.facts.kind import ml_evidence

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
