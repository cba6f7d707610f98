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
    assert not [p for p in snap.snapshot._texts if p.startswith("configs/")]  # none of the 301 was read
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


def test_empty_requirements_file_is_no_specification():
    result = run("dependencies", {"requirements.txt": "# add your packages here\n\n"})
    assert result.outcome is Outcome.FAIL and "empty" in result.message


def test_readme_install_of_named_packages_is_a_specification():
    readme = "# X\n\n```bash\npip install torch==2.1.0 monai==1.3.0 nibabel\n```\n"
    result = run("dependencies", {"README.md": readme})
    assert result.outcome is Outcome.PASS and "README" in result.message
    pinned = run("dependencies-pinned", {"README.md": readme})
    assert pinned.outcome is Outcome.FAIL and "2 of 3" in pinned.message


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
    result = run("dependencies-pinned", {"DESCRIPTION": "Package: segR\nImports: oro.nifti\n"})
    assert result.outcome is Outcome.UNKNOWN


def test_partial_tree_without_an_environment_file_is_unknown():
    assert run("dependencies", {"README.md": "# x\n"}, truncated=True).outcome is Outcome.UNKNOWN
