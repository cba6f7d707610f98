"""README install steps, run commands and paths, checked against the tree."""

from repos import (
    EVAL_PY,
    MIT_LICENSE,
    MODEL_PY,
    README_INSTALL,
    README_TRAIN,
    REQUIREMENTS_PINNED,
    SETUP_PY,
    TRAIN_NOTEBOOK,
    TRAIN_PY,
    complete_repo,
    readme,
)
from snapshots import facts

from auditor.checks.base import registry
from auditor.facts.commands import readme_commands
from auditor.facts.documents import root_readme
from auditor.models import Outcome


def run(check_id: str, files: dict, **kwargs):
    return registry()[check_id](facts(files, **kwargs))


def test_readme_present_and_missing():
    assert run("readme", complete_repo()).outcome is Outcome.PASS
    assert run("readme", {"train.py": TRAIN_PY}).outcome is Outcome.FAIL
    assert run("readme", {"README.md": "  \n"}).outcome is Outcome.FAIL


def test_a_title_alone_is_not_a_readme():
    result = run("readme", {"README.md": "# VesselNet\n", "train.py": TRAIN_PY})
    assert result.outcome is Outcome.FAIL and "a title and 0 word(s)" in result.message


def test_a_description_with_a_code_promise_and_nothing_to_use_fails():
    text = (
        "# VesselNet\n\nVesselNet segments coronary vessels in angiograms with a topology-aware loss "
        "(paper under review).\n\n## Code\n\nThe code will be released upon acceptance.\n"
    )
    result = run("readme", {"README.md": text, "figure.png": b"\x89PNG"})
    assert result.outcome is Outcome.FAIL
    assert "does not say how to use it" in result.message
    assert result.evidence[0].line == 7  # the promise


def test_install_steps_for_code_still_to_come_are_no_way_in():
    text = (
        "# BC-Net\n\nBoundary-aware segmentation of breast ultrasound.\n\n"
        "The source code will be released to the public in the near future.\n\n"
        "## Installation\n\n```\nconda create -n bcnet python=3.10\npip install torch timm\n```\n"
        "## Datasets\n\n[BUSI](https://lab.example.edu/busi)\n"
    )
    files = {"README.md": text, "blocks.py": MODEL_PY}
    result = run("readme", files)
    assert result.outcome is Outcome.FAIL and "does not say how to use it" in result.message
    # once the code is there, the same steps set it up
    files["train.py"] = TRAIN_PY
    assert run("readme", files).outcome is Outcome.PASS


def test_a_readme_is_read_for_its_ways_in():
    about = "# VesselNet\n\nVesselNet segments coronary vessels in angiograms with a topology-aware loss.\n\n"
    cases = {
        "install command": about + "```bash\npip install -r requirements.txt\n```\n",
        "a usage section naming a file of the repository": about
        + "## Usage\n\nRunning demo.m reproduces the first figure of the paper.\n",
        "a link to documentation": about
        + "See the [documentation](https://vesselnet.readthedocs.io) for more.\n",
        "a link that opens a notebook to run": about
        + "[Open in Colab](https://colab.research.google.com/github/lab/segtool/blob/main/demo.ipynb)\n",
        "links documents of the repository": about + "Details are in [the guide](docs/GUIDE.md).\n",
        # no heading, no command: prose that says which script to start from and what it takes
        "it names the script to start from": about
        + "The main script demo.m takes a cell array of training scans and a test scan.\n",
    }
    files = {"demo.m": "x = 1;\n" * 10, "demo.ipynb": TRAIN_NOTEBOOK, "requirements.txt": REQUIREMENTS_PINNED}
    files["docs/GUIDE.md"] = "# Guide\n"
    for way, text in cases.items():
        result = run("readme", {**files, "README.md": text})
        assert result.outcome is Outcome.PASS, way
        assert result.message.endswith(way), (way, result.message)


def test_a_script_named_without_being_started_from_is_no_way_in():
    text = "# VesselNet\n\nVesselNet segments coronary vessels; its topology loss is written in loss.py.\n"
    result = run("readme", {"README.md": text, "loss.py": "def loss():\n    return 0\n" * 5})
    assert result.outcome is Outcome.FAIL and "does not say how to use it" in result.message


def test_where_the_data_is_tells_how_to_use_a_dataset_but_not_code():
    about = "# IXI-Reg\n\nA registration network, with weights trained on two public datasets.\n\n"
    links = "Weights trained on [IXI](https://github.com/lab/Preprocessed_IXI_Dataset): [here](https://drive.google.com/uc?id=1a).\n"
    result = run("readme", {"README.md": about + links, "models/net.py": MODEL_PY})
    assert result.outcome is Outcome.FAIL and "does not say how to use it" in result.message
    release = "# IXI-Reg data\n\nPreprocessed brain MRI volumes for registration research.\n\n"
    result = run(
        "readme",
        {"README.md": release + "Get them from [IXI](https://github.com/lab/Preprocessed_IXI_Dataset).\n"},
    )
    assert result.outcome is Outcome.PASS and result.message.endswith("where to obtain the data")


def test_a_link_to_a_notebook_of_the_repository_is_a_way_in():
    text = "# Prompt edits\n\nEditing images by editing the prompt's cross-attention.\n\nStart with [the notebook][nb].\n\n[nb]: edit_ldm.ipynb\n"
    result = run("readme", {"README.md": text, "edit_ldm.ipynb": TRAIN_NOTEBOOK})
    assert result.outcome is Outcome.PASS and result.message.endswith("a link that opens a notebook to run")


def test_a_placeholders_command_of_a_script_still_to_come_is_no_way_in():
    text = (
        "# DDM\n\nDiffusion for recommendation. The code will be released after acceptance.\n\n"
        "```\npython Main.py --data amazon\n```\n"
    )
    result = run("readme", {"README.md": text, "DataHandler.py": "import numpy as np\n" * 20})
    assert result.outcome is Outcome.FAIL and "does not say how to use it" in result.message


def test_a_notebook_viewer_link_or_a_link_to_another_project_is_no_way_in():
    text = (
        "# parkinson-replication\n\nThis repository holds a notebook that replicates a published "
        "cohort study on a public dataset.\n\n[view](https://nbviewer.org/github/lab/segtool/blob/main/study.ipynb)\n\n"
        "## Training and testing\n\nFor the baselines, see [this project](https://github.com/other/baselines).\n"
    )
    result = run("readme", {"README.md": text, "study.ipynb": TRAIN_NOTEBOOK})
    assert result.outcome is Outcome.FAIL


def test_a_page_templates_own_readme_is_not_the_projects():
    text = (
        "# Academic Project Page Template\n\nA responsive template for the web page of a paper, "
        "with a teaser, a carousel and a BibTeX box.\n\n## Start using the template\n\n"
        "Edit `index.html` and replace the images under `static/images/`.\n"
    )
    files = {"README.md": text, "index.html": "<html></html>", "static/images/teaser.png": b"\x89PNG"}
    result = run("readme", files)
    assert result.outcome is Outcome.FAIL and "template" in result.message


def test_a_dataset_readme_says_where_to_get_the_data():
    text = (
        "# DentalXray benchmark\n\nA benchmark of 3,000 panoramic radiographs annotated for apical "
        "lesions, released with our MICCAI paper.\n\n### Download\n\n```\n"
        "https://huggingface.co/datasets/lab/dentalxray\n```\n"
    )
    result = run("readme", {"README.md": text, "framework.png": b"\x89PNG"})
    assert result.outcome is Outcome.PASS and "data" in result.message


def test_a_readme_that_is_a_symlink_is_read_as_the_file_of_the_tree_it_leads_to():
    # deepmedic: `README.md -> documentation/README.md`, which GitHub shows on the repository page
    guide = (
        "# LesionNet\n\nA multi-scale 3D network that segments brain lesions in multi-modal MRI.\n\n"
        "```bash\npip install .\npython run.py\n```\n"
    )
    files = {"run.py": TRAIN_PY, "setup.py": "setup()\n", "documentation/README.md": guide}
    linked = {"README.md": "documentation/README.md"}
    for item in ("readme", "readme-install", "readme-commands"):
        assert run(item, files, symlinks=linked).outcome is Outcome.PASS, item
    # one that leads out of the tree is not read: what it says is unknown, not absent
    out = {"README.md": "../../etc/passwd"}
    result = run("readme", files, symlinks=out)
    assert result.outcome is Outcome.UNKNOWN and "symbolic link" in result.message
    assert result.evidence[0].path == "README.md"
    for item in ("readme-install", "readme-commands", "readme-results", "data-instructions", "citation"):
        assert run(item, files, symlinks=out).outcome is Outcome.UNKNOWN, item


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


def test_a_requirements_file_in_a_folder_is_not_the_one_a_root_install_names():
    """A script named without its folder is often meant in it (`cd src` left out), but `pip
    install -r requirements.txt` run where the README says fails when the file is
    `app/requirements.txt`: the install step and the path are broken."""
    text = (
        "# AutoQC\n\n## Setup\n\n```bash\ngit clone <repo_url>\ncd segtool\n"
        "pip install -r requirements.txt\nuvicorn app.main:app\n```\n"
    )
    files = {"README.md": text, "app/requirements.txt": "fastapi\n", "app/main.py": "app = 1\n"}
    assert run("readme-install", files).outcome is Outcome.FAIL
    result = run("readme-references", files)
    assert result.outcome is Outcome.FAIL and "requirements.txt" in result.message
    # at the root, where the clone of this repository (its address left to fill) leads, it is found
    files = {"README.md": text, "requirements.txt": "fastapi\n", "app/main.py": "app = 1\n"}
    assert run("readme-install", files).outcome is Outcome.PASS


def test_a_sentence_installing_the_requirements_file_is_an_install_step():
    """ "To install all dependencies, install `requirements.txt`": the command is left to the
    reader's installer, the file is the repository's. Naming the file without installing it is
    not, nor is installing a file the tree lacks."""
    text = "# Tau detection\n\nTraining and evaluation scripts.\n\nTo install all dependencies, install `requirements.txt`.\n"
    files = {"README.md": text, "requirements.txt": "torch\nultralytics\n", "train.py": TRAIN_PY}
    result = run("readme-install", files)
    assert result.outcome is Outcome.PASS and result.evidence[0].line == 5
    named = text.replace(
        "To install all dependencies, install `requirements.txt`.", "Versions are in `requirements.txt`."
    )
    assert run("readme-install", {**files, "README.md": named}).outcome is Outcome.FAIL
    assert run("readme-install", {"README.md": text, "train.py": TRAIN_PY}).outcome is Outcome.FAIL


def test_install_step_that_needs_a_missing_requirements_file_fails():
    files = complete_repo()
    del files["requirements.txt"]
    result = run("readme-install", files)
    assert result.outcome is Outcome.FAIL
    assert "requirements.txt" in result.message
    assert result.evidence[0].note.startswith("missing requirements.txt")


def test_an_example_documents_broken_step_does_not_undo_the_readmes_own_working_install():
    # fastMRI: the README installs the package; an example's README, linked from a list of
    # papers, asks for a requirements file of its own that is not there
    readme = (
        "# mrikit\n\n## Installation\n\n```bash\npip install -e .\n```\n\n"
        "## Papers\n\n* [Feature VarNet](examples/fvn/README.md)\n"
    )
    example = "# Feature VarNet\n\n```bash\npip install -r examples/fvn/requirements.txt\n```\n"
    files = {
        "README.md": readme,
        "setup.py": "setup()\n",
        "examples/fvn/README.md": example,
        "mrikit/a.py": TRAIN_PY,
    }
    assert run("readme-install", files).outcome is Outcome.PASS
    # with no working step of its own, the README sends the reader to the example's broken one
    files["README.md"] = readme.replace("pip install -e .", "conda create -n mri python=3.10")
    result = run("readme-install", files)
    assert result.outcome is Outcome.FAIL and "examples/fvn/requirements.txt" in result.message


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
    assert [e.note.split()[1] for e in result.evidence] == ["tools/preprocess.py", "train.py", "evaluate.py"]


def test_a_setup_script_the_readme_points_to_is_an_install_step():
    text = "# VPT-like\n\n## Environment settings\n\nSee `env_setup.sh`\n"
    setup = "conda create -n vfpt python=3.9 -y\nconda activate vfpt\npip install -r requirements.txt\n"
    result = run("readme-install", {"README.md": text, "env_setup.sh": setup, "train.py": TRAIN_PY})
    assert result.outcome is Outcome.PASS and "env_setup.sh" in result.message
    # a script that installs nothing (it downloads data) is no install step
    fetch = "wget https://example.org/data.zip\nunzip data.zip\n"
    result = run("readme-install", {"README.md": text, "env_setup.sh": fetch, "train.py": TRAIN_PY})
    assert result.outcome is Outcome.FAIL


def test_system_packages_a_compiled_project_needs_are_an_install_step():
    text = "# CellDetect\n\n## Build\n\n```\nsudo apt-get install -y libeigen3-dev libboost-all-dev\n```\n"
    files = {"README.md": text, "src/forest.cpp": "int main() { return 0; }\n" * 20}
    result = run("readme-install", files)
    assert result.outcome is Outcome.PASS and "1 install step" in result.message
    # they are the system's, not Python requirements named only in the README
    assert "named only in the README" not in run("dependencies", files).message


def test_a_command_on_a_line_of_its_own_without_a_fence_is_a_command():
    text = (
        "# BrainNet\n\n# Setup\n\nClone the repository, then install the dependencies:\n\n"
        "pip install -r requirements.txt\n\nPython 3.11 is needed.\n"
    )
    result = run("readme-install", {"README.md": text, "requirements.txt": "torch==2.1.0\n"})
    assert result.outcome is Outcome.PASS and result.evidence[0].line == 7
    prose = text.replace("pip install -r requirements.txt", "pip is what we used to install it")
    assert (
        run("readme-install", {"README.md": prose, "requirements.txt": "torch==2.1.0\n"}).outcome
        is Outcome.FAIL
    )


def test_pip_install_of_a_folder_path_needs_its_package_there():
    """pip reads an argument with a slash as a folder: `pip install models/csrc/` needs that
    folder's setup; `pip install segtool/` after cloning segtool is this repository."""
    text = "# SegTool\n\n```bash\npip install models/csrc/\n```\n"
    files = {"README.md": text, "setup.py": SETUP_PY}
    result = run("readme-install", files)
    assert result.outcome is Outcome.FAIL and "models/csrc/setup.py" in result.message
    cloned = "# SegTool\n\n```bash\ngit clone https://github.com/lab/segtool.git\npip install segtool/\n```\n"
    assert run("readme-install", {**files, "README.md": cloned}).outcome is Outcome.PASS


def test_pip_install_of_a_requirements_file_without_r_cannot_work():
    text = "# LearnSim\n\n```\npip install requirements.txt\n```\n"
    result = run("readme-install", {"README.md": text, "requirements.txt": REQUIREMENTS_PINNED})
    assert result.outcome is Outcome.FAIL and "requirements.txt as a package (no -r)" in result.message


def test_a_requirements_file_whose_include_is_missing_cannot_be_installed():
    """pip reads `-r base.txt` inside requirements.txt relative to that file: if the include is not
    in the repository the install fails. The README did not name it, so it is no missing reference."""
    text = "# SymNet\n\n```\npip install -r requirements.txt\n```\n"
    files = {"README.md": text, "requirements.txt": "-r requirements-base.txt\nmonai==1.3.0\n"}
    result = run("readme-install", files)
    assert result.outcome is Outcome.FAIL and "requirements-base.txt" in result.message
    assert run("readme-references", files).outcome is not Outcome.FAIL
    complete = {**files, "requirements-base.txt": "torch==2.1.0\n"}
    assert run("readme-install", complete).outcome is Outcome.PASS


def test_conda_env_create_of_a_conda_list_export_cannot_work():
    """`conda env create` reads an environment YAML; an export of `conda list` (for `conda create
    --file`) saved as .yml makes it fail, whatever the file's name."""
    export = "# platform: linux-64\nnumpy=1.24.4=py38h59b608b_0\ntorch=2.0.1=py3.8_cuda11.7_0\n"
    text = "# AnomalyNet\n\n```\nconda env create --name anet --file anet-env.yml\n```\n"
    result = run("readme-install", {"README.md": text, "anet-env.yml": export})
    assert result.outcome is Outcome.FAIL and "anet-env.yml is a `conda list --export`" in result.message
    text = text.replace("conda env create --name anet --file", "conda create --name anet --file")
    assert run("readme-install", {"README.md": text, "anet-env.yml": export}).outcome is Outcome.PASS


def test_loading_the_image_the_readme_ships_is_an_install_step():
    text = "# Airway\n\n```\ngzip -d -c [docker_path] | docker load\n```\n"
    result = run("readme-install", {"README.md": text, "infer.py": EVAL_PY})
    assert result.outcome is Outcome.PASS and "1 install step" in result.message


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


def test_commands_only_in_a_linked_document_are_not_the_readmes():
    text = readme("## Usage\n\nPre-training is described in [PRETRAIN.md](PRETRAIN.md).\n")
    files = {
        "README.md": text,
        "PRETRAIN.md": "# Pre-training\n\n```bash\npython train.py --config configs/base.yaml\n```\n",
        "train.py": TRAIN_PY,
        "configs/base.yaml": "lr: 0.1\n",
    }
    assert run("readme-commands", files).outcome is Outcome.FAIL
    assert run("readme", files).outcome is Outcome.PASS  # the README points to how to use it


def test_template_commands_are_not_concrete():
    text = readme(
        "## Usage\n\n```bash\npython train_xx.py --config configs/xx.yaml\n"
        "python search.py --model [model] --epochs [epochs]\n```\n"
    )
    files = {"README.md": text, "test.py": EVAL_PY, "search.py": TRAIN_PY}
    result = run("readme-commands", files)
    assert result.outcome is Outcome.FAIL
    assert "template" in result.message
    assert "[model]" in result.message and "train_xx.py" in result.message
    # slots for the reader's own files leave a concrete command of an existing script
    text = readme("## Usage\n\n```bash\npython test.py --data <path> --out /path/to/predictions\n```\n")
    assert run("readme-commands", {**files, "README.md": text}).outcome is Outcome.PASS


def test_a_slot_whose_values_the_readme_lists_is_a_choice():
    text = readme(
        "## Training\n\n```bash\nbash scripts/train_ct.sh MODEL_NAME\n```\n\n"
        "Here `MODEL_NAME` can be:\n\n- `TrainerMamba`: with pretraining\n- `TrainerMambaScratch`: without\n"
    )
    files = {"README.md": text, "scripts/train_ct.sh": "python train.py --trainer $1\n", "train.py": TRAIN_PY}
    assert run("readme-commands", files).outcome is Outcome.PASS
    # a slot inside a word, whose values a sentence gives
    inside = readme(
        "## Training\n\n```bash\npython train.py demo/{NET_NAME}_scratch.cfg\n```\n\n"
        "where `NET_NAME` could be `fmunet` or `pctnet`.\n"
    )
    configs = {"demo/fmunet_scratch.cfg": "[net]\n", "demo/pctnet_scratch.cfg": "[net]\n"}
    assert run("readme-commands", {**files, **configs, "README.md": inside}).outcome is Outcome.PASS
    unexplained = inside.replace("where `NET_NAME` could be `fmunet` or `pctnet`.", "")
    assert run("readme-commands", {**files, **configs, "README.md": unexplained}).outcome is Outcome.FAIL


def test_prose_naming_a_script_or_notebook_to_run_is_no_command_but_a_matlab_demo_is():
    python = "# OrganSeg\n\nTo train, run main.py after editing the paths in config.py.\n"
    files = {"README.md": python, "main.py": TRAIN_PY, "config.py": "ROOT = '/data'\n"}
    assert run("readme-commands", files).outcome is Outcome.FAIL
    notebooks = "# NucleiSeg\n\n05-Train_Model.ipynb trains the U-Net and evaluates the results.\n"
    assert (
        run("readme-commands", {"README.md": notebooks, "05-Train_Model.ipynb": TRAIN_NOTEBOOK}).outcome
        is Outcome.FAIL
    )
    # in MATLAB a script runs by its name at the prompt
    matlab = "# GCPD\n\nRunning Example.m gives Fig. 1 of the paper.\n"
    result = run("readme-commands", {"README.md": matlab, "Example.m": "x = 1;\n" * 10})
    assert result.outcome is Outcome.PASS and "which of its scripts to run" in result.message


def test_an_r_example_that_loads_the_repositorys_own_package_runs_it():
    text = "# learnr3\n\n``` r\nlibrary(learnr3)\ntask = as_task(iris)\nlearner$train(task)\n```\n"
    files = {
        "README.md": text,
        "DESCRIPTION": "Package: learnr3\nVersion: 1.0\n",
        "R/task.R": "f <- function(x) x\n",
    }
    result = run("readme-commands", files)
    assert result.outcome is Outcome.PASS and "an R example" in result.message
    other = text.replace("library(learnr3)", "library(ggplot2)")
    assert run("readme-commands", {**files, "README.md": other}).outcome is Outcome.FAIL


def test_a_list_saying_what_each_file_does_tells_how_to_use_them():
    """ "- `approx_*.ipynb`: gives the results of appendix B" / "- main.R builds the job registry":
    a guide to the files, item by item, is how a reader uses a paper's experiment code."""
    text = (
        "# Variance propagation\n\nThe code of the experiments of our paper, with their logs.\n\n## Code\n\n"
        "- approx_*.ipynb: gives the results of appendix B.\n- *main.R* builds the registry of all jobs.\n"
    )
    files = {"README.md": text, "approx_relu.ipynb": "{}", "analysis/bench/main.R": "x <- 1\n" * 9}
    result = run("readme", files)
    assert result.outcome is Outcome.PASS and "what its files do" in result.message
    one = text.replace("- *main.R* builds the registry of all jobs.\n", "")
    assert run("readme", {**files, "README.md": one}).outcome is Outcome.FAIL  # one item is no guide


def test_a_guidelines_section_linking_the_repositorys_files_is_a_way_in():
    text = (
        "# Spine registration\n\nThe official implementation of our MICCAI paper on CT/MR registration of the "
        "spine.\n\n## Guidelines\n\n1. Check the config files for [training](/configs/train_cfg.py).\n"
        "2. Train the model with the similarity loss first.\n"
    )
    result = run("readme", {"README.md": text, "configs/train_cfg.py": "lr = 1e-4\n" * 5})
    assert result.outcome is Outcome.PASS and "linking files of the repository" in result.message


def test_an_r_package_installed_by_devtools_is_a_way_to_use_it():
    text = (
        "Implements the estimators of the paper on Wasserstein bounds.\n\n"
        'The package can be installed with `devtools`:\n\n```\ndevtools::install_github("someone/wbound")\n```\n'
    )
    files = {"README.md": text, "DESCRIPTION": "Package: wbound\n", "R/bound.R": "f <- function(x) x\n" * 5}
    result = run("readme", files)
    assert result.outcome is Outcome.PASS and "an install statement" in result.message


def test_a_matlab_toolbox_is_used_through_its_functions_and_set_up_by_addpath():
    """A MATLAB toolbox's functions are its files (`rbmtrain.m`); an example calling them is how
    to use it, and `addpath(genpath(...))`, even as a line of a numbered list, sets it up."""
    text = (
        "# NetToolbox\n\nA MATLAB toolbox of shallow networks for teaching.\n\n## Setup\n\n"
        "1. Download.\n2. addpath(genpath('NetToolbox'));\n\n## Example\n\n```matlab\nload digits;\n"
        "net = rbmsetup(sizes, x, opts);\nnet = rbmtrain(net, x, opts);\n```\n"
    )
    body = "function net = f(net, x, opts)\n  net.W = net.W - opts.alpha * net.dW;\nend\n"
    files = {"README.md": text, "RBM/rbmsetup.m": body, "RBM/rbmtrain.m": body}
    assert run("readme", files).outcome is Outcome.PASS
    result = run("readme-commands", files)
    assert "a MATLAB example runs the repository's own functions" in result.message
    assert result.evidence[0].note.startswith("net = rbmsetup(")
    install = run("readme-install", files)
    assert (
        install.outcome is Outcome.PASS
        and install.evidence[0].line == text.splitlines().index("2. addpath(genpath('NetToolbox'));") + 1
    )
    other = text.replace("rbmsetup(", "trainNetwork(").replace("rbmtrain(", "predict(")
    assert run("readme-commands", {**files, "README.md": other}).outcome is Outcome.FAIL


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


def test_folder_readmes_count_when_the_readme_names_their_folders():
    folder = {
        "tokenizer/README.md": "# Tokenizer\n\n```bash\npip install -r requirements.txt\n```\n",
        "tokenizer/requirements.txt": REQUIREMENTS_PINNED,
        "tokenizer/train.py": TRAIN_PY,
    }
    pointed = "# BrainTok\n\nA tokenizer of CT volumes. Each folder (`tokenizer/`) has its own README.\n"
    readmes = [
        (pointed, Outcome.PASS),
        # a product named like its folder is not a pointer to that folder
        ("# BrainTok\n\nThis is the repository of the Tokenizer and its successors.\n", Outcome.FAIL),
        # a list of implementations, each a folder written as one
        ("# BrainTok\n\n## Available implementations\n\n- tokenizer/\n- decoder/\n", Outcome.PASS),
        # a sentence that sends the reader to the folder (MedicalZooPytorch's installation folder)
        (
            "# BrainTok\n\nA tokenizer of CT volumes. Check the tokenizer folder for more instructions.\n",
            Outcome.PASS,
        ),
        # one that says where a file is made does not
        (
            "# BrainTok\n\nA tokenizer of CT volumes. Its codes are written under the tokenizer folder.\n",
            Outcome.FAIL,
        ),
        # one that says every folder has its own README, naming none
        (
            "# BrainTok\n\nEach experiment has a folder with its scripts (see the folder-level README).\n",
            Outcome.PASS,
        ),
    ]
    for text, outcome in readmes:
        assert run("readme-install", {**folder, "README.md": text}).outcome is outcome, text
    # a folder's README named for the folder (`gym/readme-gym.md`)
    folder["tokenizer/readme-tokenizer.md"] = folder.pop("tokenizer/README.md")
    assert run("readme-install", {**folder, "README.md": pointed}).outcome is Outcome.PASS


# --- paths the README names ------------------------------------------------------------------------


def test_a_folder_the_run_saves_its_results_to_is_no_missing_path():
    text = (
        "# Insufflation\n\n## Run\n\n```bash\npython main.py\n```\n\n"
        "It trains each model, then saves the metrics of the evaluation to the `results` directory.\n"
    )
    result = run("readme-references", {"README.md": text, "main.py": "print(1)\n" * 20})
    assert result.outcome is Outcome.PASS


def test_a_dotted_module_name_of_the_package_is_no_file_with_an_extension():
    # fastMRI: "`fastmri.data`: data utilities", "`fastmri.models`: the networks"
    text = (
        "# mrikit\n\n## Package layout\n\n* `mrikit.data`: loading k-space\n* `mrikit.models`: the networks\n"
        "* `mrikit.losses`: the losses\n\nSee `configs/base.yaml` for the defaults.\n"
    )
    files = {
        "README.md": text,
        "mrikit/data/__init__.py": TRAIN_PY,
        "mrikit/models.py": TRAIN_PY,
        "mrikit/losses.py": TRAIN_PY,
        "configs/base.yaml": "lr: 0.1\n",
    }
    assert run("readme-references", files).outcome is Outcome.PASS
    # a dotted name the tree holds no module of is read as a path, as before
    del files["mrikit/losses.py"]
    result = run("readme-references", files)
    assert result.outcome is Outcome.FAIL and result.message.endswith("mrikit.losses")


def test_the_steps_of_a_section_titled_for_a_folder_name_its_files():
    # BCDU-Net: "## Run Demo / #### Skin Lesion Segmentation / 3- Run `train_isic18.py` …", the
    # script being Skin Lesion Segmentation/train_isic18.py
    about = "# BCNet\n\nA bidirectional ConvLSTM U-Net for medical image segmentation.\n\n"
    text = (
        about
        + "## Run Demo\n\n#### Skin Lesion Segmentation\n\n1- Run `train_isic18.py` to train the model.\n"
    )
    files = {"README.md": text, "Skin Lesion Segmentation/train_isic18.py": TRAIN_PY}
    result = run("readme", files)
    assert result.outcome is Outcome.PASS and result.evidence[0].note.endswith("train_isic18.py")
    # under a title that is no folder's, the bare name is not found, and nothing says how to use it
    other = {"README.md": text.replace("Skin Lesion Segmentation", "Skin lesions"), **files}
    del other["Skin Lesion Segmentation/train_isic18.py"]
    other["Skin/train_isic18.py"] = TRAIN_PY
    assert run("readme", other).outcome is Outcome.FAIL
    # two folders of that name: which one the section means is not said
    twice = {"README.md": text, "a/Skin Lesion Segmentation/train_isic18.py": TRAIN_PY}
    twice["b/skin_lesion_segmentation/train_isic18.py"] = TRAIN_PY
    assert run("readme", twice).outcome is Outcome.FAIL


def test_a_code_block_that_lists_documents_points_at_them():
    # NeuTRENO: "Instructions for running the experiments are given in the following files:"
    # over a block of `wikitext103/README.md`, `deit/README.md` (the folder is `DeiT/readme.md`)
    text = (
        "The theory behind our code is explained in our paper. Instructions for running the "
        "experiments are given in the following files:\n\n```\nwikitext103/README.md\n\ndeit/README.md\n```\n"
    )
    guide = "# WikiText-103\n\n```bash\npip install -r requirements.txt\npython train.py\n```\n"
    files = {"README.md": text, "wikitext103/README.md": guide, "DeiT/readme.md": guide, "train.py": TRAIN_PY}
    assert run("readme", files).outcome is Outcome.PASS
    result = run("readme-references", files)
    assert result.outcome is Outcome.FAIL and result.message.endswith("deit/README.md")


def test_words_inside_a_file_name_are_not_what_the_sentence_says():
    # "This code will use `lib/normalize.py` and `lib/extract_patches.py` for patch extraction":
    # the files are this repository's, named by a sentence that says nothing of extracting
    text = readme(
        "## Patches\n\nThis code will use `lib/normalize.py` and `lib/extract_patches.py` for data "
        "normalization and patch extraction.\n"
    )
    files = {"README.md": text, "lib/extract_patches.py": TRAIN_PY, "assets/overview.png": b"\x89PNG"}
    result = run("readme-references", files)
    assert result.outcome is Outcome.FAIL and result.message.endswith("lib/normalize.py")
    # told to extract an archive there, the folder is the reader's to make
    made = readme("## Data\n\nExtract the archive to `data/volumes/` before training.\n")
    files = {"README.md": made, "assets/overview.png": b"\x89PNG"}
    assert run("readme-references", files).outcome is not Outcome.FAIL


def test_a_script_a_numbered_step_says_to_run_must_be_there():
    text = (
        "# Dynamic MRI\n\nTo generate Table 3:\n\n1. Run the toolbox/setup.m: it adds the toolbox.\n\n"
        "2. Run compare_all.m: it runs all five algorithms.\n"
    )
    files = {"README.md": text, "compare_all.m": "x = 1;\n" * 20}
    result = run("readme-references", files)
    assert result.outcome is Outcome.FAIL and "toolbox/setup.m" in result.message
    # a file of another project named in passing is not this README's step
    passing = "# Dynamic MRI\n\nOur loss follows the one in their recon_loss.m.\n"
    assert (
        run("readme-references", {"README.md": passing, "compare_all.m": "x = 1;\n" * 20}).outcome
        is not Outcome.FAIL
    )


def test_a_folder_said_to_hold_the_readers_images_is_no_missing_path():
    text = (
        "# Mammo MIL\n\n## Data\n\nThe code assumes that `data_dir` is the root of the dataset, with the "
        "`img_dir` folder containing the input mammograms.\n\n## Arguments\n\n- `img-dir`: directory "
        "containing images\n"
    )
    result = run("readme-references", {"README.md": text, "train.py": "print(1)\n" * 20})
    assert result.outcome is not Outcome.FAIL
    ours = "# Tool\n\nThe `configs/` folder of this repository contains the settings.\n"
    assert (
        run("readme-references", {"README.md": ours, "train.py": "print(1)\n" * 20}).outcome is Outcome.FAIL
    )


def test_without_a_readme_no_path_is_named_so_references_are_not_applicable():
    files = {"train.py": "import torch\n" * 5}
    assert run("readme", files).outcome is Outcome.FAIL  # the missing README fails there
    result = run("readme-references", files)
    assert result.outcome is Outcome.NOT_APPLICABLE and "no README" in result.message


def test_notebook_links_and_prose_file_names_are_references():
    colab = "[Open in Colab](https://colab.research.google.com/github/lab/segtool/blob/main/demo.ipynb)"
    text = f"# SegTool\n\n{colab}\n\nRunning Example.m reproduces Fig. 1.\n"
    files = {"README.md": text, "demo.ipynb": TRAIN_NOTEBOOK, "Example.m": "x = 1;\n"}
    result = run("readme-references", files)
    assert result.outcome is Outcome.PASS and "2 repository path(s)" in result.message
    # the same repository under its new owner (a transferred repository links itself so)
    moved = "# SegTool\n\nSee [the tutorials](https://github.com/segtool-org/segtool/blob/main/tutorials/README.md).\n"
    files = {"README.md": moved, "tutorials/README.md": "# Tutorials\n"}
    assert run("readme-references", files).outcome is Outcome.PASS


def test_a_build_tool_running_the_repositorys_own_project_is_a_command():
    """`cabal run bench-scripts`, `cargo run --release`: the project the tree holds, run by its
    build tool; without such a project file the same words run nothing of the repository."""
    text = "# Contracts compared\n\n```\ncabal run bench-scripts\ncabal run measure-code-size\n```\n"
    files = {"README.md": text, "plinth-plutarch.cabal": "executable bench-scripts\n  main-is: Bench.hs\n"}
    files |= {"app/Bench.hs": "main :: IO ()\nmain = print 1\n"}
    result = run("readme-commands", files)
    assert result.outcome is Outcome.PASS and result.evidence[0].note == "cabal run bench-scripts"
    rust = {
        "README.md": "# Solver\n\n```\ncargo run --release -- data/a.txt\n```\n",
        "Cargo.toml": "[package]\n",
    }
    assert run("readme-commands", rust).outcome is Outcome.PASS
    del rust["Cargo.toml"]
    assert run("readme-commands", {**rust, "src/main.py": "print(1)\n"}).outcome is Outcome.FAIL


def test_a_web_app_served_from_its_module_and_a_script_run_by_its_path_are_commands():
    """`uvicorn app.main:app` runs app/main.py, `fastapi run …/api.py` that file, and a line
    that is a shell script's path (`scripts/run_fastapi.sh`) runs it, as `./` would."""
    files = {
        "app/main.py": "from fastapi import FastAPI\napp = FastAPI()\n",
        "scripts/serve.sh": "uvicorn app.main:app\n",
    }
    for command in ("uvicorn app.main:app --reload", "fastapi run app/main.py", "scripts/serve.sh"):
        text = f"# AutoQC\n\n## Run\n\n```bash\n{command}\n```\n"
        result = run("readme-commands", {**files, "README.md": text})
        assert result.outcome is Outcome.PASS and result.evidence[0].note == command, command
    text = "# AutoQC\n\n## Run\n\n```bash\nuvicorn server.api:app\n```\n"
    assert run("readme-commands", {**files, "README.md": text}).outcome is Outcome.FAIL


def test_scripts_listed_by_name_alone_are_the_files_of_that_name_in_the_tree():
    """A README listing its scripts by name (`annotate-peaks.R`, `/plot_bars.m`) while they live
    in a folder: each is the one file of that name, so the names are checked, and found. A name
    two files share says neither; a list of names says what each script does, not to run it."""
    text = (
        "# Histone study\n\nWhat each script in the analysis folder does:\n\n"
        "* `annotate-peaks.R`: adds nearby genes to the peaks\n* `common.R`: functions run by the others\n\n"
        "Figure 2:\n\n/plot_bars.m\n"
    )
    script = "x <- read.csv('peaks.csv')\n"
    files = {"README.md": text, "analysis/annotate-peaks.R": script, "analysis/common.R": script}
    files |= {"figures/plot_bars.m": "bar(x);\n"}
    result = run("readme-references", files)
    assert result.outcome is Outcome.PASS and "3 repository path(s)" in result.message
    assert run("readme-commands", files).outcome is Outcome.FAIL
    shared = {**files, "other/common.R": script}
    assert "2 repository path(s)" in run("readme-references", shared).message


def test_a_name_the_readme_mistypes_is_a_missing_path():
    """The tree holds a file of nearly the name the README writes: a typo, so the path the README
    names is not there. A variant's name (`_r`, `_rnd`) or a name the tree holds elsewhere is
    another file, not a typo."""

    def refs(text: str, *names: str):
        files = {"README.md": f"# IXI GAN\n\n{text}\n"} | {n: "x = 1\n" for n in names}
        return run("readme-references", files)

    result = refs("3. Run the script 'IXI_preproccing.py' to normalise the data.", "IXI_preprocessing.py")
    assert result.outcome is Outcome.FAIL
    assert "the tree has IXI_preprocessing.py" in result.evidence[0].note
    assert refs("The positions are set in `aks.py`.", "lung/ask.py").outcome is Outcome.FAIL
    assert refs("Then run `Reg_Model/train.py`.", "Reg_Model/Train.py").outcome is Outcome.FAIL
    assert refs("Then run `scripts/run_train.sh`.", "scripts/run_train.bash").outcome is Outcome.FAIL
    # other files: variants, and the right name in another folder
    assert refs("Install `requirements.txt`.", "fig1/requirements_r.txt").outcome is not Outcome.FAIL
    kept = refs("Run StoreMeasurements_all.sh after the others.", "pre/StoreMeasurements_rnd.sh")
    assert kept.outcome is not Outcome.FAIL
    assert refs("Run `./measure_all.sh`.", "pre/measure_all.sh", "pre/measure_al.sh").outcome is Outcome.PASS


def test_a_path_the_readme_says_it_provides_must_be_there():
    text = "# SegTool\n\nWe provide example images in `./datasets/example` to try the demo.\n"
    files = {"README.md": text, "datasets/examples/case1.png": b"\x89PNG"}
    result = run("readme-references", files)
    assert result.outcome is Outcome.FAIL and "datasets/example" in result.message
    # a folder the reader fills, or weights they download, are not expected in the tree
    text = (
        "# SegTool\n\nDownload the weights and place them under `checkpoints/segtool_base.pth`.\n\n"
        "Save your predictions to `outputs/predictions/`.\n"
    )
    assert run("readme-references", {"README.md": text}).outcome is Outcome.NOT_APPLICABLE


def test_a_script_the_prose_says_to_run_must_be_there():
    # renamed since: the README still sends the reader to the old name, in plain prose
    text = "# ReportGen\n\nStep 4: get the extra labels using (tools/count_phrases.py).\n"
    files = {"README.md": text, "tools/phrase_extractor.py": "print(1)\n", "train.py": TRAIN_PY}
    result = run("readme-references", files)
    assert result.outcome is Outcome.FAIL and "tools/count_phrases.py" in result.message
    # another project's script, in a folder this repository does not have, is not this one's
    other = "# ReportGen\n\nOur loader follows the one in (detectron2/data/build.py) of that project.\n"
    assert run("readme-references", {"README.md": other}).outcome is Outcome.NOT_APPLICABLE
    # a script the prose only mentions, without sending the reader to it
    said = "# ReportGen\n\nThe phrase counts come from (tools/count_phrases.py) in an earlier version.\n"
    files = {"README.md": said, "tools/phrase_extractor.py": "print(1)\n"}
    assert run("readme-references", files).outcome is Outcome.NOT_APPLICABLE


def test_a_tree_diagram_of_the_repository_is_checked_but_a_data_layout_is_not():
    diagram = "```\nsegtool/\n├── train.py\n├── configs/\n├── LICENSE\n└── README.md\n```\n"
    files = {
        "README.md": "# SegTool\n\n## Structure\n\n" + diagram,
        "train.py": TRAIN_PY,
        "configs/a.yaml": "a: 1\n",
    }
    result = run("readme-references", files)
    assert result.outcome is Outcome.FAIL and "LICENSE" in result.message
    layout = "```\nDataset/\n├── images/\n│   └── 0001.png\n└── masks/\n    └── 0001.png\n```\n"
    files = {"README.md": "# SegTool\n\n## Data preparation\n\n" + layout, "train.py": TRAIN_PY}
    assert run("readme-references", files).outcome is Outcome.NOT_APPLICABLE


def test_a_list_of_the_repositorys_files_is_checked_like_a_tree_diagram():
    text = (
        "# VPT-like\n\n## Structure of this repo\n\n- `src/configs`: the settings\n"
        "  * `src/config/config.py`: the main settings\n- `train.py`: training\n"
        "- `train_xx.py`: a training script to write for your own data\n"
    )
    files = {"README.md": text, "src/configs/config.py": "a = 1\n", "train.py": TRAIN_PY}
    result = run("readme-references", files)
    assert result.outcome is Outcome.FAIL and result.message.endswith("src/config/config.py")
    # the same list items under another heading name things the reader makes
    elsewhere = text.replace("## Structure of this repo", "## After training you will have")
    assert run("readme-references", {**files, "README.md": elsewhere}).outcome is Outcome.PASS
    # a folder given by the name of its setting ("images in the `IMAGE_PATH` directory") is a slot
    slot = text.replace("src/config/config.py", "src/configs/config.py") + (
        "- Load the X-ray images located in the `IMAGE_PATH` directory\n"
    )
    assert run("readme-references", {**files, "README.md": slot}).outcome is Outcome.PASS


def test_the_readme_github_shows_from_docs_or_dot_github_is_the_readme():
    """GitHub shows the README of `.github/`, else the root's, else that of `docs/`: a repository
    whose only README is docs/README.md has one, with its links relative to docs/."""
    text = (
        "# WSI-Tool\n\nWeakly supervised slide classification.\n\nSee the [installation guide](INSTALLATION.md)."
        "\n\n```bash\npython main.py --data_root DATA_DIR\n```\n"
    )
    guide = "# Installation\n\n```bash\nconda env create -f env.yml\n```\n"
    files = {"docs/README.md": text, "docs/INSTALLATION.md": guide, "env.yml": "dependencies: [numpy]\n"}
    files["main.py"] = TRAIN_PY
    for check_id in ("readme", "readme-install", "readme-commands"):
        assert run(check_id, files).outcome is Outcome.PASS, check_id
    # the root's README comes before docs/'s, and .github/'s before the root's
    assert root_readme(facts({**files, "README.md": "# Root\n"})) == "README.md"
    assert (
        root_readme(facts({**files, "README.md": "# Root\n", ".github/README.md": text}))
        == ".github/README.md"
    )
    assert run("readme", {"main.py": TRAIN_PY}).message.endswith("in .github/ or in docs/")


def test_a_path_under_the_clones_own_folder_is_the_repositorys_file():
    """`git clone …/SegTool.git` then `pip install -r SegTool/requirements.txt`: run beside the
    clone, the path names the repository's own requirements file."""
    text = (
        "# SegTool\n\n## Installation\n\n1. Clone: `git clone https://github.com/lab/SegTool.git`\n\n"
        "2. Install the dependencies: `pip install -r SegTool/requirements.txt`\n"
    )
    files = {"README.md": text, "requirements.txt": "torch\n", "train.py": TRAIN_PY}
    assert run("readme-install", files).outcome is Outcome.PASS
    assert run("readme-references", files).outcome is not Outcome.FAIL
    # the file read is the root's; a folder of the same name inside the repository is that folder
    for tree, read in ((files, "requirements.txt"), ({**files, "SegTool/requirements.txt": "numpy\n"}, None)):
        [install] = readme_commands(facts(tree)).of_kind("install")
        assert [r.path for r in install.refs] == [read or "SegTool/requirements.txt"]
    # another name is still a missing file
    other = {**files, "README.md": text.replace("SegTool/requirements", "OtherTool/requirements")}
    assert run("readme-install", other).outcome is Outcome.FAIL


def test_a_script_named_xxx_for_a_dataset_is_a_template_not_a_missing_file():
    """`xxxdataset.py` stands for the conversion script of the reader's dataset (`acdc_3d.py`):
    a name to fill in, as `train_xx.py` is."""
    text = (
        "# CBIM\n\n## Data preparation\n\nEdit the `src_path` in `xxxdataset.py`, then run "
        "`python xxxdataset.py`.\n\n```bash\npython train.py --dataset acdc\n```\n"
    )
    files = {"README.md": text, "train.py": TRAIN_PY, "dataset_conversion/acdc_3d.py": TRAIN_PY}
    assert run("readme-references", files).outcome is Outcome.PASS
    assert (
        run("readme-references", {**files, "README.md": text.replace("xxx", "abd")}).outcome is Outcome.FAIL
    )


def test_paths_described_under_an_output_heading_are_made_by_the_run():
    text = (
        "# Fold\n\n### Fold output\n\n*   `msas/` - A directory containing the alignments.\n"
        "*   `distogram/logits` contains an array of shape [N, N, B].\n"
    )
    assert (
        run("readme-references", {"README.md": text, "run_fold.py": TRAIN_PY}).outcome
        is Outcome.NOT_APPLICABLE
    )
    # the same words under another heading describe files the repository provides
    provided = text.replace("### Fold output", "### Files")
    assert run("readme-references", {"README.md": provided, "run_fold.py": TRAIN_PY}).outcome is Outcome.FAIL


def test_an_example_path_in_prose_is_not_expected_in_the_tree():
    text = (
        "# Estimators\n\nThe config values used are part of the output of the experiments, e.g., "
        "`results/implicit/2021/1/config.gin`, which contains every setting.\n"
    )
    assert (
        run("readme-references", {"README.md": text, "train.py": TRAIN_PY}).outcome is Outcome.NOT_APPLICABLE
    )


def test_a_windows_path_to_an_image_is_the_file_it_names():
    text = "# Former\n\n![overview](.\\pic\\overview.png)\n"
    result = run(
        "readme-references", {"README.md": text, "pic/overview.png": b"\x89PNG", "train.py": TRAIN_PY}
    )
    assert result.outcome is Outcome.PASS


def test_inline_code_that_is_a_links_text_is_checked_as_the_link():
    text = "# MDLM\n\nSample launch scripts are in the [`scrips/`](./scripts) directory.\n"
    result = run(
        "readme-references", {"README.md": text, "scripts/train.sh": "python main.py\n", "main.py": TRAIN_PY}
    )
    assert result.outcome is Outcome.PASS


def test_slots_built_programs_and_implicit_files_are_no_missing_paths():
    text = readme(
        "## Run\n\n```bash\nmake\n./deeds -F fixed.nii.gz -M moving.nii.gz\n"
        "python main.py --config {DATASET}.yml\ndocker build . -t segtool\n```\n"
    )
    files = {
        "README.md": text,
        "Makefile": "all:\n\tg++ deeds.cpp -o deeds\n",
        "main.py": TRAIN_PY,
        "Dockerfile": "FROM x\n",
        "assets/overview.png": b"\x89PNG",
    }
    result = run("readme-references", files)
    assert result.outcome is Outcome.PASS and "Dockerfile" not in str(result.evidence)
    assert run("readme-commands", files).outcome is Outcome.PASS  # ./deeds is what make builds


def test_the_folders_a_linter_is_run_on_must_exist():
    text = readme("## Development\n\n```bash\nuv run ruff check segtool/\n```\n")
    files = {"README.md": text, "src/segtool/train.py": TRAIN_PY}
    result = run("readme-references", files)
    assert result.outcome is Outcome.FAIL and "segtool" in result.message


def test_scripts_run_in_prose_matlab_make_and_python_examples_are_commands():
    files = {"Example.m": "x = load('a.txt');\n" * 5, "gcpd.m": "function y = gcpd(x)\ny = x;\n"}
    prose = "# GCPD\n\nPoint set registration.\n\n## Usage\n\nDirectly running Example.m gives Fig. 1 of the paper.\n"
    assert run("readme-commands", {**files, "README.md": prose}).outcome is Outcome.PASS
    for command in ("matlab -batch \"run('Example.m')\"", "matlab -r Example", "run Example.m"):
        text = f"# GCPD\n\n```matlab\n{command}\n```\n"
        assert run("readme-commands", {**files, "README.md": text}).outcome is Outcome.PASS, command
    # at MATLAB's prompt a script runs by its name alone; another name there shows a variable
    prompt = "# Pose\n\n## Run\n\n```matlab\ncd('D:/path/to/repo')\nmain_sanityCheck\n```\n"
    script = {"main_sanityCheck.m": "cfg = load_config(pwd);\n" * 5}
    result = run("readme-commands", {**script, "README.md": prompt})
    assert result.outcome is Outcome.PASS and result.evidence[0].note == "main_sanityCheck"
    shown = prompt.replace("main_sanityCheck\n```", "results\n```")
    assert run("readme-commands", {**script, "README.md": shown}).outcome is Outcome.FAIL
    assert run("readme-references", {**script, "README.md": shown}).outcome is not Outcome.FAIL
    # a script that needs arguments is not run by a sentence that gives none
    needs = 'import argparse\nparser = argparse.ArgumentParser()\nparser.add_argument("input")\n'
    prose = "# Tool\n\nData tools.\n\nRun the script normalize.py to window the CT images.\n"
    assert run("readme-commands", {"README.md": prose, "normalize.py": needs}).outcome is Outcome.FAIL
    make = {
        "README.md": "# Deeds\n\n```bash\nmake all\n./deeds -F a.nii -M b.nii\n```\n",
        "Makefile": "all:\n\tg++ -o deeds deeds.cpp\n",
    }
    assert run("readme-commands", make).outcome is Outcome.PASS
    example = "# Encoders\n\n```python\nimport segtool\nmodel = segtool.load('base')\n```\n"
    files = {
        "README.md": example,
        "segtool/__init__.py": "from .api import load\n",
        "segtool/api.py": TRAIN_PY,
    }
    result = run("readme-commands", files)
    assert result.outcome is Outcome.PASS and "Python example" in result.message


def test_a_script_name_that_differs_only_in_case_says_so():
    text = readme("## Demo\n\n```bash\npython inference_demo.py --image demo.png\n```\n")
    result = run("readme-commands", {"README.md": text, "Inference_demo.py": EVAL_PY})
    assert result.outcome is Outcome.FAIL
    assert "the tree has Inference_demo.py: the name differs only in case" in result.message


def test_install_steps_in_other_forms():
    labelled = readme(
        "## Installation\n\n```\n1. requirements: PyTorch 2.0\n2. env: conda env create -f environment.yaml\n```\n"
    )
    files = {"README.md": labelled, "environment.yaml": "name: x\ndependencies:\n  - numpy=1.26\n"}
    assert run("readme-install", files).outcome is Outcome.PASS
    matlab = {
        "README.md": "# ComBat\n\nSee the [MATLAB guide](Matlab/README.md).\n",
        "Matlab/README.md": "# Setup\n\n```\naddpath('Matlab/scripts');\n```\n",
    }
    assert run("readme-install", matlab).outcome is Outcome.PASS
    docs = (
        "# segtool\n\nSee the [installation](https://segtool.readthedocs.io/en/latest/install.html) guide.\n"
    )
    assert run("readme-install", {"README.md": docs}).outcome is Outcome.PASS
    prose = "# reglab\n\nRequires PyTorch, NumPy and SimpleITK. They can be installed with `pip`.\n"
    assert run("readme-install", {"README.md": prose}).outcome is Outcome.PASS
    # another project's installation is not this one's
    other = "# segtool\n\nInstallation follows the [base repository](https://github.com/other/basenet).\n"
    assert run("readme-install", {"README.md": other}).outcome is Outcome.FAIL


def test_a_copied_librarys_documents_are_not_the_projects():
    copied = {
        "mamba/README.md": "# Mamba\n\n```bash\npip install mamba-ssm\n```\n\n"
        + "```bibtex\n@article{gu2023mamba,\n  title={Mamba},\n  year={2023}\n}\n```\n",
        "mamba/setup.py": SETUP_PY,
        "mamba/mamba_ssm/modules.py": MODEL_PY,
        "model/CLIP/requirements.txt": "ftfy\nregex\ntqdm\ntorch\ntorchvision\n",
        "model/CLIP/clip/model.py": MODEL_PY,
    }
    readme_text = "# VesselMamba\n\nVessel segmentation with a state-space model built on `mamba/`.\n"
    files = {"README.md": readme_text, "train.py": TRAIN_PY, **copied}
    assert run("readme-install", files).outcome is Outcome.FAIL
    assert run("citation", files).outcome is Outcome.FAIL
    assert run("dependencies", files).outcome is Outcome.FAIL
    # the project's own conda export is what is pinned, not the copy's loose requirements
    files["requirements.txt"] = "# platform: linux-64\ntorch=2.1.0=py3.10_cuda11.8\nnumpy=1.26.3=py310_0\n"
    result = run("dependencies-pinned", files)
    assert result.outcome is Outcome.PASS and "2 of 2" in result.message


def test_running_the_methods_container_image_is_a_run_command():
    text = readme(
        "## Inference\n\n```bash\ndocker run --gpus all -v $PWD/scans:/in lab/segtool:1.0 /in /out\n```\n"
    )
    result = run("readme-commands", {"README.md": text, "train.py": TRAIN_PY})
    assert result.outcome is Outcome.PASS
    # a base image of others runs nothing of this repository
    text = readme(
        "## Inference\n\n```bash\ndocker run --gpus all pytorch/pytorch:2.1.0 python -c 'print(1)'\n```\n"
    )
    assert run("readme-commands", {"README.md": text, "train.py": TRAIN_PY}).outcome is Outcome.FAIL
