"""Dependency specification and pinning, measured with a real specifier parser."""

from repos import (
    ENVIRONMENT_YML,
    REQUIREMENTS_LOOSE,
    REQUIREMENTS_PINNED,
    SETUP_PY,
    TRAIN_PY,
    complete_repo,
)
from snapshots import facts

from auditor.checks.base import registry
from auditor.models import Outcome


def run(check_id: str, files: dict, **kwargs):
    return registry()[check_id](facts({"train.py": TRAIN_PY, **files}, **kwargs))


def test_environment_file_families():
    for name, text in [
        ("requirements.txt", REQUIREMENTS_PINNED),
        ("env/environment.yml", ENVIRONMENT_YML),
        ("Dockerfile", "FROM pytorch/pytorch:2.1.2-cuda12.1-cudnn8-runtime\n"),
        ("pyproject.toml", '[project]\nname = "x"\ndependencies = ["torch==2.1.2"]\n'),
        ("medclip_env.yml", ENVIRONMENT_YML),
        ("DESCRIPTION", "Package: segR\nImports: oro.nifti\n"),
    ]:
        result = run("dependencies", {name: text})
        assert result.outcome is Outcome.PASS, name
        assert result.evidence[0].path == name


def test_conda_file_recognised_by_content_whatever_its_name():
    assert run("dependencies", {"conda_setup.yaml": ENVIRONMENT_YML}).outcome is Outcome.PASS
    assert run("dependencies", {"envs/cuda118.yml": ENVIRONMENT_YML}).outcome is Outcome.PASS
    assert run("dependencies", {"config.yaml": "lr: 0.1\n"}).outcome is Outcome.FAIL


def test_experiment_configs_are_not_read_as_environments():
    configs = {f"configs/exp{i}.yaml": "dataset: brats\ndependencies: [a, b]\n" for i in range(300)}
    snap = facts({"train.py": TRAIN_PY, "configs/base.yml": ENVIRONMENT_YML, **configs})
    assert registry()["dependencies"](snap).outcome is Outcome.FAIL
    assert not [p for p, _ in snap.snapshot._texts if p.startswith("configs/")]  # none of the 301 was read
    readme = "# Seg\n\n```bash\nconda env create -f configs/base.yml\n```\n"
    named = run("dependencies", {"README.md": readme, "configs/base.yml": ENVIRONMENT_YML, **configs})
    assert (
        named.outcome is Outcome.PASS and named.evidence[0].path == "configs/base.yml"
    )  # the README says so


def test_vendored_and_build_artefact_environments_do_not_count():
    files = {
        "third_party/mmseg/requirements.txt": REQUIREMENTS_PINNED,
        "SegTool.egg-info/requires.txt": "torch\n",
        "venv/lib/python3.10/site-packages/numpy/setup.py": SETUP_PY,
    }
    result = run("dependencies", files)
    assert result.outcome is Outcome.FAIL


def test_vendored_environment_that_the_readme_installs_counts():
    readme = "# X\n\n```bash\ncd nnUNet\nconda env create -f environment.yml\n```\n"
    files = {
        "README.md": readme,
        "nnUNet/environment.yml": ENVIRONMENT_YML,
        "nnUNet/nnunetv2/run.py": TRAIN_PY,
    }
    result = run("dependencies", files)
    assert result.outcome is Outcome.PASS
    assert result.evidence[0].path == "nnUNet/environment.yml"


def test_a_bundled_kernel_the_readme_builds_declares_its_own_needs_not_the_projects():
    readme = "# X\n\n```bash\ncd selective_scan\npip install .\npip install torch timm\n```\n"
    files = {
        "README.md": readme,
        "selective_scan/setup.py": SETUP_PY,
        "selective_scan/csrc/scan.cpp": "int main() { return 0; }\n" * 20,
    }
    result = run("dependencies", files)
    assert result.outcome is Outcome.FAIL and "packages named only in the README" in result.message
    pinned = run("dependencies-pinned", files)
    assert len(pinned.evidence) == len({(e.path, e.line) for e in pinned.evidence})  # one per command


def test_empty_requirements_file_is_no_specification():
    result = run("dependencies", {"requirements.txt": "# add your packages here\n\n"})
    assert result.outcome is Outcome.FAIL and "empty" in result.message


def test_packages_named_only_in_the_readme_are_no_specification():
    readme = "# X\n\n```bash\npip install torch==2.1.0 monai==1.3.0 nibabel\n```\n"
    result = run("dependencies", {"README.md": readme})
    assert result.outcome is Outcome.FAIL and "packages named only in the README" in result.message
    pinned = run("dependencies-pinned", {"README.md": readme})
    assert pinned.outcome is Outcome.FAIL and "named only in the README" in pinned.message


def test_packaging_that_declares_no_dependencies_is_no_specification():
    setup = "from setuptools import setup, find_packages\n\nsetup(name='flow', packages=find_packages())\n"
    result = run("dependencies", {"setup.py": setup})
    assert result.outcome is Outcome.FAIL and "declares no dependencies" in result.message
    assert run("dependencies-pinned", {"setup.py": setup}).outcome is Outcome.FAIL
    # a module-level list given to setup() is read
    named = "from setuptools import setup\n\nrequires = ['torch', 'numpy']\n\nsetup(name='reg', install_requires=requires)\n"
    result = run("dependencies-pinned", {"setup.py": named})
    assert result.outcome is Outcome.FAIL and "0 of 2" in result.message
    # Poetry's python constraint is the interpreter, not a package to install
    poetry = '[tool.poetry]\nname = "histo"\n\n[tool.poetry.dependencies]\npython = "^3.9"\n'
    result = run("dependencies", {"pyproject.toml": poetry})
    assert result.outcome is Outcome.FAIL and "declares no dependencies" in result.message
    with_torch = poetry + 'torch = "2.1.0"\n'
    assert run("dependencies-pinned", {"pyproject.toml": with_torch}).outcome is Outcome.PASS


def test_pinned_requirements_pass():
    result = run("dependencies-pinned", complete_repo())
    assert result.outcome is Outcome.PASS
    assert "6 of 6" in result.message


def test_loose_requirements_fail_and_name_the_loose_ones():
    result = run("dependencies-pinned", {"requirements.txt": REQUIREMENTS_LOOSE})
    assert result.outcome is Outcome.FAIL
    assert "0 of 6" in result.message
    assert result.evidence[0].path == "requirements.txt" and result.evidence[0].line == 1
    assert "torch" in result.evidence[0].note


def test_lower_bounds_and_wildcards_are_not_pins():
    text = "torch>=2.0\nnumpy==1.26.*\nmonai~=1.3.0\nnibabel==5.2.0\n"
    result = run("dependencies-pinned", {"requirements.txt": text})
    assert "1 of 4" in result.message


def test_direct_references_pin_only_what_another_machine_can_get():
    frozen = (
        "torch==2.1.0\n"
        "numpy @ file:///home/conda/feedstock_root/build_artifacts/numpy_1700000000/work\n"
        "segtool @ git+https://github.com/lab/segtool.git@3f2a9c1\n"
        "utils @ git+https://github.com/lab/utils.git\n"
        "wheelpkg @ https://files.example.org/wheelpkg-1.0-py3-none-any.whl\n"
    )
    result = run("dependencies-pinned", {"requirements.txt": frozen})
    assert result.outcome is Outcome.FAIL and "3 of 5" in result.message


def test_the_table_pip_list_prints_saved_as_requirements_is_pinned():
    table = "Package       Version\n------------- -------\nh5py          3.1.0\nkeras         2.6.0\nnumpy         1.19.5\n"
    assert run("dependencies", {"Requirements": table}).outcome is Outcome.PASS
    result = run("dependencies-pinned", {"Requirements": table})
    assert result.outcome is Outcome.PASS and "3 of 3" in result.message


def test_name_equals_version_lines_are_read_as_the_exact_versions_they_name():
    written = "python = 3.8.18\ntorch = 2.1.0\ntimm = 0.9.12\ntqdm = 4.66.1\n"
    result = run("dependencies-pinned", {"requirements.txt": written})
    assert result.outcome is Outcome.PASS and "3 of 3" in result.message


DESCRIPTION = """Package: learnr3
Version: 1.0.0
Depends:
    R (>= 3.5.0)
Imports:
    R6 (>= 2.4.1),
    data.table (== 1.15.0),
    cli
"""


def test_an_r_packages_description_declares_its_dependencies_and_their_pins():
    assert (
        run("dependencies", {"DESCRIPTION": DESCRIPTION, "R/learner.R": "f <- function(x) x\n" * 5}).outcome
        is Outcome.PASS
    )
    result = run("dependencies-pinned", {"DESCRIPTION": DESCRIPTION})
    assert result.outcome is Outcome.FAIL and "1 of 3" in result.message


def test_a_conda_export_saved_as_requirements_txt_is_pinned():
    exported = "# platform: linux-64\n_libgcc_mutex=0.1=main\nnumpy=1.26.3=py310h5f9d8c6_0\ntorch=2.1.0=py3.10_cuda11.8\n"
    result = run("dependencies-pinned", {"requirements.txt": exported})
    assert result.outcome is Outcome.PASS and "3 of 3" in result.message


def test_a_conda_export_saved_as_yml_is_pinned_though_it_is_no_environment_yaml():
    exported = "# $ conda create --name <env> --file <this file>\n# platform: linux-64\n"
    exported += "_openmp_mutex=4.5=2_gnu\nnumpy=1.24.4=py38h59b608b_0\nopencv-python=4.9.0.80=pypi_0\n"
    result = run("dependencies-pinned", {"env/lab-env.yml": exported})
    assert result.outcome is Outcome.PASS and "3 of 3" in result.message
    assert (result.evidence[0].path, result.evidence[0].line) == ("env/lab-env.yml", 3)


def test_dockerfile_comments_files_and_index_urls_are_not_packages():
    dockerfile = (
        "FROM pytorch/pytorch:2.1.0\n# RUN pip install jupyterlab\n"
        "RUN pip install -r requirements.txt --extra-index-url https://download.pytorch.org/whl/cu118\n"
        "RUN pip install monai==1.3.0 nibabel==5.2.0\n"
    )
    files = {"Dockerfile": dockerfile, "requirements.txt": REQUIREMENTS_PINNED}
    result = run("dependencies-pinned", files)
    assert result.outcome is Outcome.PASS and "6 of 6" in result.message


def test_a_dockerfile_pip_install_over_continued_lines_is_measured():
    """One package a line, the instruction going on with `\\`: each line is a package, the
    index URL and pip's own upgrade are not."""
    dockerfile = (
        "FROM nvidia/cuda:12.4.1-runtime-ubuntu22.04\n"
        "RUN --mount=type=cache,target=/root/.cache/pip \\\n"
        "    python3 -m pip install --upgrade pip setuptools && \\\n"
        "    python3 -m pip install \\\n"
        "        --index-url https://download.pytorch.org/whl/cu124 \\\n"
        "        torch==2.4.1 \\\n"
        "        torchvision==0.19.1 && \\\n"
        "    python3 -m pip install \\\n"
        "        numpy==1.26.4 \\\n"
        "# pinned: 2.x changed its API\n"
        "        albumentations==1.4.14 \\\n"
        "        opencv-python-headless>=4.6.0.66\n"
        "RUN useradd -m runner && apt-get install -y curl\n"
    )
    result = run("dependencies-pinned", {"Dockerfile": dockerfile})
    assert result.outcome is Outcome.PASS and "4 of 5" in result.message
    loose = dockerfile.replace("numpy==1.26.4", "numpy").replace(
        "albumentations==1.4.14", "'scikit-image<0.15'"
    )
    result = run("dependencies-pinned", {"docker/web/Dockerfile": loose})
    assert result.outcome is Outcome.FAIL and "2 of 5" in result.message
    assert ("docker/web/Dockerfile", 9) in [(e.path, e.line) for e in result.evidence]


def test_a_javascript_lock_file_pins_a_web_part():
    files = {
        "web/package.json": '{"name": "app"}\n',
        "web/package-lock.json": "{}\n",
        "requirements.txt": "torch\n",
    }
    assert run("dependencies-pinned", files).outcome is Outcome.PASS


def test_a_requirements_file_named_for_its_installer_is_a_dependency_file():
    """`conda_requirements.txt`, `dev-requirements.txt`: requirements under a prefix."""
    exported = "# platform: linux-64\nnumpy=1.24.4=py38h59b608b_0\ntorch=2.1.0=py3.8_cuda11.8_0\n"
    assert run("dependencies", {"conda_requirements.txt": exported}).outcome is Outcome.PASS
    assert run("dependencies-pinned", {"conda_requirements.txt": exported}).outcome is Outcome.PASS
    assert run("dependencies", {"dev-requirements.txt": "pytest\n"}).outcome is Outcome.PASS


def test_the_lock_files_of_other_ecosystems_pin_their_dependencies():
    """pnpm, Cargo, Go modules, cabal freeze files and Nix flakes lock what they install."""
    cases = {
        "pnpm-lock.yaml": {
            "package.json": '{"dependencies": {"next": "^14.2.0"}}\n',
            "pnpm-lock.yaml": "lockfileVersion: '9.0'\n",
        },
        "Cargo.lock": {"Cargo.toml": '[dependencies]\nndarray = "0.15"\n', "Cargo.lock": "version = 3\n"},
        "go.sum": {
            "go.mod": "module x\n\nrequire gonum.org/v1/gonum v0.14.0\n",
            "go.sum": "gonum.org/v1/gonum v0.14.0 h1:abc=\n",
        },
        "pdm.lock": {
            "pyproject.toml": '[project]\nname = "x"\ndependencies = ["torch>=2.0"]\n',
            "pdm.lock": "[metadata]\n",
        },
        "flake.lock": {
            "bench.cabal": "executable bench\n  build-depends: base\n",
            "flake.nix": "{ }\n",
            "flake.lock": "{}\n",
        },
    }
    for lock, files in cases.items():
        assert run("dependencies", files).outcome is Outcome.PASS, lock
        result = run("dependencies-pinned", files)
        assert result.outcome is Outcome.PASS and lock in [e.path for e in result.evidence], lock
    # a cabal file alone declares the dependencies, with no versions to measure
    assert run("dependencies", {"bench.cabal": "executable bench\n"}).outcome is Outcome.PASS


def test_conda_export_with_builds_is_pinned():
    exported = "name: x\ndependencies:\n  - numpy=1.26.3=py310h5f9d8c6_0\n  - scipy=1.11.4\n  - pip:\n    - monai==1.3.0\n"
    assert run("dependencies-pinned", {"environment.yml": exported}).outcome is Outcome.PASS
    assert run("dependencies-pinned", {"environment.yml": ENVIRONMENT_YML}).outcome is Outcome.PASS


def test_setup_py_requirements_are_read_without_running_it():
    result = run("dependencies-pinned", {"setup.py": SETUP_PY})
    assert result.outcome is Outcome.FAIL and "0 of 3" in result.message


def test_lock_file_pins_everything():
    result = run(
        "dependencies-pinned", {"pyproject.toml": '[project]\nname="x"\n', "uv.lock": "version = 1\n"}
    )
    assert result.outcome is Outcome.PASS and result.evidence[0].path == "uv.lock"


def test_nested_requirement_files_are_followed():
    files = {"requirements.txt": "-r requirements/base.txt\n", "requirements/base.txt": REQUIREMENTS_PINNED}
    assert "6 of 6" in run("dependencies-pinned", files).message


def test_nothing_to_pin_fails_and_unparsable_is_unknown():
    assert run("dependencies-pinned", {"README.md": "# x\n"}).outcome is Outcome.FAIL
    result = run("dependencies-pinned", {"install.R": 'install.packages("oro.nifti")\n'})
    assert result.outcome is Outcome.UNKNOWN


def test_partial_tree_without_an_environment_file_is_unknown():
    assert run("dependencies", {"README.md": "# x\n"}, truncated=True).outcome is Outcome.UNKNOWN
