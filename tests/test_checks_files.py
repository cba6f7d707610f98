"""The file-presence checks: one passing and one failing case each, from realistic trees."""

from snapshots import snapshot

from auditor.checks import REGISTRY
from auditor.models import Outcome

README = "# SegTool\n\nInstall with `pip install -r requirements.txt`.\n"


def run(check_id: str, files: dict, **kwargs):
    return REGISTRY[check_id](snapshot(files, **kwargs))


def test_code_present_in_a_research_repository():
    result = run("code", {"README.md": README, "train.py": "import torch\n", "models/unet.py": ""})
    assert result.outcome is Outcome.PASS
    assert {e.path for e in result.evidence} == {"train.py", "models/unet.py"}


def test_readme_only_repository_is_a_placeholder_even_with_a_detailed_readme():
    readme = (
        "# SegDT\n\n## Installation\n\n```bash\npip install -r requirements.txt\n"
        "python train.py --config configs/segdt.yaml\n```\n\nCode coming soon!\n"
    )
    result = run("code", {"README.md": readme, "LICENSE": "MIT License\n", "figs/arch.png": b"\x89PNG"})
    assert result.outcome is Outcome.FAIL
    assert "placeholder" in result.message
    assert any(e.path == "README.md" and e.line == 10 for e in result.evidence)


def test_vendored_code_alone_does_not_count_as_the_projects_code():
    result = run("code", {"README.md": README, "third_party/lib/setup.py": "", "external/x.py": ""})
    assert result.outcome is Outcome.FAIL


def test_readme_present_and_missing():
    assert run("readme", {"README.md": README}).outcome is Outcome.PASS
    assert run("readme", {"readme.rst": "Tool\n====\n"}).outcome is Outcome.PASS
    assert run("readme", {"train.py": ""}).outcome is Outcome.FAIL
    assert run("readme", {"README.md": "  \n"}).outcome is Outcome.FAIL


def test_readme_symlink_is_not_followed():
    result = run("readme", {"train.py": ""}, symlinks=("README.md",))
    assert result.outcome is Outcome.FAIL
    assert "symbolic link" in result.message


def test_binary_readme_is_unknown():
    assert run("readme", {"README.md": b"\x00\x01binary"}).outcome is Outcome.UNKNOWN


def test_license_file_variants():
    for name in ("LICENSE", "LICENSE.md", "licence.txt", "COPYING", "LICENSES/MIT.txt"):
        assert run("license", {name: "text", "a.py": ""}).outcome is Outcome.PASS, name
    result = run("license", {"README.md": README, "docs/LICENSE": "x"})
    assert result.outcome is Outcome.FAIL


def test_dependency_files_of_the_project_count_and_vendored_ones_do_not():
    assert run("dependencies", {"requirements.txt": "torch==2.1\n"}).outcome is Outcome.PASS
    assert run("dependencies", {"env/environment.yml": "name: x\n"}).outcome is Outcome.PASS
    assert run("dependencies", {"Dockerfile": "FROM python\n"}).outcome is Outcome.PASS
    vendored = {"train.py": "", "third_party/mmseg/requirements.txt": "x", "a.egg-info/requires.txt": ""}
    assert run("dependencies", vendored).outcome is Outcome.FAIL
