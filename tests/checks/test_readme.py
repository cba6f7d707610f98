"""README install steps, run commands and paths, checked against the tree."""

from repos import (
    EVAL_PY,
    MIT_LICENSE,
    README_INSTALL,
    README_TRAIN,
    REQUIREMENTS_PINNED,
    SETUP_PY,
    TRAIN_PY,
    complete_repo,
    readme,
)
from snapshots import facts

from auditor.checks.base import registry
from auditor.models import Outcome


def run(check_id: str, files: dict, **kwargs):
    return registry()[check_id](facts(files, **kwargs))


def test_readme_present_and_missing():
    assert run("readme", {"README.md": "# SegTool\n\nSegmentation.\n"}).outcome is Outcome.PASS
    assert run("readme", {"readme.rst": "Tool\n====\n"}).outcome is Outcome.PASS
    assert run("readme", {"train.py": TRAIN_PY}).outcome is Outcome.FAIL
    assert run("readme", {"README.md": "  \n"}).outcome is Outcome.FAIL


def test_readme_lines_are_counted_as_an_editor_counts_them():
    assert run("readme", {"README.md": "# SegTool\n"}).message == "README with 1 line"
    assert run("readme", {"README.md": "# SegTool\n\nSegmentation.\n"}).message == "README with 3 lines"
    assert run("readme", {"README.md": "# SegTool\nno final newline"}).message == "README with 2 lines"


def test_readme_symlink_is_not_followed():
    result = run("readme", {"train.py": TRAIN_PY}, symlinks=("README.md",))
    assert result.outcome is Outcome.FAIL and "symbolic link" in result.message


def test_binary_readme_is_unknown():
    assert run("readme", {"README.md": b"\x00\x01binary"}).outcome is Outcome.UNKNOWN


def test_subfolder_link_audits_that_folders_readme():
    files = {
        "README.md": "# Monorepo\n",
        "vista3d/README.md": "# VISTA3D\n\n```bash\npip install -r requirements.txt\n```\n",
        "vista3d/requirements.txt": REQUIREMENTS_PINNED,
        "vista3d/train.py": TRAIN_PY,
    }
    result = run("readme-install", files, subpath="/vista3d")
    assert result.outcome is Outcome.PASS and result.evidence[0].path == "vista3d/README.md"


# --- install steps -------------------------------------------------------------------------------


def test_install_steps_that_name_existing_files_pass():
    result = run("readme-install", complete_repo())
    assert result.outcome is Outcome.PASS
    assert "pip install -r requirements.txt" in result.evidence[0].note


def test_install_step_that_needs_a_missing_requirements_file_fails():
    files = complete_repo()
    del files["requirements.txt"]
    result = run("readme-install", files)
    assert result.outcome is Outcome.FAIL
    assert "requirements.txt" in result.message
    assert result.evidence[0].note.startswith("missing requirements.txt")


def test_installing_only_tools_into_an_empty_environment_is_no_install_step():
    text = readme(
        "## Setup\n\n```sh\nconda create --name sss python=3.7\nconda activate sss\nconda install ipython\nconda install pip\n```\n"
    )
    result = run("readme-install", {"README.md": text, "train.py": TRAIN_PY})
    assert result.outcome is Outcome.FAIL
    assert "installs no dependencies" in result.message


def test_cd_into_a_subfolder_is_followed():
    text = readme(
        "## Install\n\n```bash\ncd segment-anything\npip install -e .\ncd ..\npip install -r requirements.txt\n```\n"
    )
    files = {
        "README.md": text,
        "segment-anything/setup.py": SETUP_PY,
        "requirements.txt": REQUIREMENTS_PINNED,
    }
    result = run("readme-install", files)
    assert result.outcome is Outcome.PASS
    assert "2 install step(s)" in result.message


def test_clone_of_another_repository_is_not_checked_against_this_tree():
    text = readme(
        "## Install\n\n```bash\ngit clone https://github.com/facebookresearch/sam2.git\ncd sam2\npip install -e .\ncd ..\npip install torch==2.3.0\n```\n"
    )
    result = run("readme-install", {"README.md": text, "train.py": TRAIN_PY})
    assert result.outcome is Outcome.PASS


def test_no_install_commands_fails():
    text = readme("## Installation\n\nPython >= 3.8 and PyTorch >= 1.10 are required.\n")
    assert run("readme-install", {"README.md": text, "train.py": TRAIN_PY}).outcome is Outcome.FAIL


def test_missing_file_in_a_partial_tree_is_unknown():
    files = complete_repo()
    del files["requirements.txt"]
    assert run("readme-install", files, truncated=True).outcome is Outcome.UNKNOWN


# --- run commands --------------------------------------------------------------------------------


def test_commands_that_run_existing_scripts_pass():
    result = run("readme-commands", complete_repo())
    assert result.outcome is Outcome.PASS
    assert [e.note.split()[1] for e in result.evidence] == ["train.py", "evaluate.py"]


def test_commands_that_run_missing_scripts_do_not_count():
    text = readme(
        README_INSTALL,
        README_TRAIN,
        "## Evaluate\n\n```bash\npython evaluate.py --checkpoint ./checkpoints/vit_b.pt\n```\n",
    )
    files = {"README.md": text, "requirements.txt": REQUIREMENTS_PINNED, "Training/resnet50.ipynb": "{}"}
    result = run("readme-commands", files)
    assert result.outcome is Outcome.FAIL
    assert "evaluate.py" in result.message and "train.py" in result.message


def test_template_commands_are_not_concrete():
    text = readme(
        "## Usage\n\n```bash\npython train_xx.py --config configs/xx.yaml\npython test.py --data <path>\n"
        "python search.py --model [model] --epochs [epochs]\n```\n"
    )
    files = {"README.md": text, "test.py": EVAL_PY, "search.py": TRAIN_PY}
    result = run("readme-commands", files)
    assert result.outcome is Outcome.FAIL
    assert "template" in result.message
    assert "[model]" in result.message and "<path>" in result.message


def test_a_path_slot_next_to_concrete_settings_is_still_a_command():
    text = readme(
        "## Demo\n\n```bash\npython evaluate.py \\\n  --model vit_base \\\n  --checkpoint /path/to/vit_base.pth\n```\n"
    )
    result = run("readme-commands", {"README.md": text, "evaluate.py": EVAL_PY})
    assert result.outcome is Outcome.PASS
    assert result.evidence[0].line == text.splitlines().index("python evaluate.py \\") + 1


def test_script_in_the_folder_the_reader_is_told_to_use():
    text = readme("## Checkpoints\n\nDownload the SAM checkpoints:\n\n``bash download_ckpts.sh``\n")
    result = run(
        "readme-commands",
        {"README.md": text, "checkpoints/download_ckpts.sh": "wget https://x/sam.pt\n", "train.py": TRAIN_PY},
    )
    assert result.outcome is Outcome.PASS


def test_module_launchers_and_console_scripts_count():
    text = readme(
        "## Run\n\n```bash\ntorchrun --nproc_per_node 4 -m segtool.train --config configs/acdc.yaml\nsegtool-predict --input scans/\n```\n"
    )
    files = {
        "README.md": text,
        "segtool/train.py": TRAIN_PY,
        "configs/acdc.yaml": "lr: 0.1\n",
        "pyproject.toml": '[project]\nname = "segtool"\n[project.scripts]\nsegtool-predict = "segtool.predict:main"\n',
    }
    result = run("readme-commands", files)
    assert result.outcome is Outcome.PASS and "2 command(s)" in result.message


def test_no_commands_fails():
    text = readme("## Usage\n\nSee the paper for details.\n")
    assert run("readme-commands", {"README.md": text, "train.py": TRAIN_PY}).outcome is Outcome.FAIL


# --- paths the README names -----------------------------------------------------------------------


def test_all_referenced_paths_exist():
    result = run("readme-references", complete_repo())
    assert result.outcome is Outcome.PASS


def test_missing_config_and_linked_folder_are_reported():
    text = readme("See [the 3D version](seg3d/README.md).\n", README_TRAIN)
    result = run("readme-references", {"README.md": text, "train.py": TRAIN_PY, "LICENSE": MIT_LICENSE})
    assert result.outcome is Outcome.FAIL
    assert "configs/acdc.yaml" in result.message and "seg3d/README.md" in result.message
    assert "assets/overview.png" in result.message


def test_absolute_links_to_this_repository_are_checked_and_others_are_not():
    text = (
        "# T\n\n[notebook](https://github.com/lab/segtool/blob/main/Training%20model/resnet50.ipynb)\n"
        "[sam](https://github.com/facebookresearch/segment-anything/blob/main/README.md)\n"
    )
    files = {"README.md": text, "Training model/resnet50.ipynb": "{}"}
    assert run("readme-references", files).outcome is Outcome.PASS
    del files["Training model/resnet50.ipynb"]
    assert run("readme-references", files).outcome is Outcome.FAIL


def test_readme_without_repository_paths_is_not_applicable():
    text = "# T\n\n[paper](https://arxiv.org/abs/2401.00001)\n"
    assert run("readme-references", {"README.md": text}).outcome is Outcome.NOT_APPLICABLE


def test_install_command_quoted_in_prose_counts():
    text = readme(
        '## Environment\n\nPrepare python=3.7, then use the command "pip install -r requirements.txt".\n'
    )
    result = run(
        "readme-install", {"README.md": text, "requirements.txt": REQUIREMENTS_PINNED, "train.py": TRAIN_PY}
    )
    assert result.outcome is Outcome.PASS


def test_e_mail_written_as_a_link_is_not_a_path():
    text = "# T\n\nContact [the author](jane.doe@example.org) or see [train.py](train.py).\n"
    assert run("readme-references", {"README.md": text, "train.py": TRAIN_PY}).outcome is Outcome.PASS


def test_unreadable_readme_leaves_readme_claims_unknown():
    files = {"README.md": b"\x00\x01\x02binary", "train.py": TRAIN_PY}
    for check_id in ("readme-install", "readme-commands", "readme-results", "data-instructions"):
        assert run(check_id, files).outcome is Outcome.UNKNOWN, check_id
