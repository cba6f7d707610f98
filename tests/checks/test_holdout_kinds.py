"""Kinds of miss found on repositories labelled after the checks' last change (the hold-out set),
each as the general rule it is, on fixture text of our own."""

from repos import MODEL_PY, TRAIN_PY
from snapshots import facts

from auditor.checks.base import registry
from auditor.models import Outcome

ABOUT = "CoronaSeg segments coronary arteries in CT angiography with a topology-aware loss.\n\n"


def run(check_id: str, files: dict):
    return registry()[check_id](facts(files))


# --- what kind of repository -----------------------------------------------------------------------


def test_a_dataset_titled_so_whose_readme_gives_a_users_page_on_a_data_host_is_a_dataset_release():
    text = (
        "# AortaCT: a large-scale dataset of 900 contrast CT scans\n\n"
        "Each scan comes with a voxel mask of the aorta and an official split.\n\n"
        "The data is on Kaggle: https://www.kaggle.com/somelab/datasets and the split is in split.xlsx.\n"
    )
    files = {"README.md": text, "split.xlsx": b"PK\x03\x04" + b"\x00" * 100}
    code = run("code", files)
    assert code.outcome is Outcome.NOT_APPLICABLE and "dataset release" in code.message
    assert run("dependencies", files).outcome is Outcome.NOT_APPLICABLE


def test_a_dataset_paper_that_also_proposes_a_method_without_its_code_is_a_placeholder():
    text = (
        "# AortaCT: a large-scale benchmark of 900 contrast CT scans\n\n"
        "We also propose a strong baseline network for aorta segmentation on it.\n\n"
        "Download the data from https://www.kaggle.com/somelab/datasets.\n"
    )
    code = run("code", {"README.md": text})
    assert code.outcome is Outcome.FAIL and code.message.startswith("placeholder")


def test_the_baselines_a_paper_compares_against_are_not_its_code():
    text = "# DeformNet\n\nOur code and pre-trained models will be released in the future.\n"
    files = {
        "README.md": text,
        "Baselines/VoxelMorph/train_vm.py": TRAIN_PY,
        "Baselines/VoxelMorph/model.py": MODEL_PY,
        "plots/draw_grid.py": "import matplotlib.pyplot as plt\n" + "plt.plot([1, 2])\n" * 10,
    }
    code = run("code", files)
    assert code.outcome is Outcome.FAIL and "placeholder" in code.message
    training = run("training-code", files)
    assert training.outcome is Outcome.FAIL and "weights are promised" in training.message
    assert run("pretrained-weights", files).outcome is Outcome.FAIL


def test_tensorflow_1_training_ops_are_training_code():
    model = (
        "import tensorflow as tf\n\n\nclass Net:\n    def build(self, loss):\n"
        "        optimizer = tf.train.AdamOptimizer(learning_rate=1e-4)\n"
        "        self.train_op = optimizer.minimize(loss)\n"
    )
    result = run("training-code", {"README.md": "# OrganNet\n", "model/net.py": model})
    assert result.outcome is Outcome.PASS and result.evidence[0].path == "model/net.py"


# --- weights -------------------------------------------------------------------------------------------


def test_a_link_to_a_report_under_a_model_architecture_heading_is_not_weights():
    text = (
        f"# CoronaSeg\n\n{ABOUT}## Model architecture\n\n"
        "For the details, see the [report](https://drive.google.com/file/d/1AbCdEf/view).\n"
    )
    result = run("pretrained-weights", {"README.md": text, "train.py": TRAIN_PY})
    assert result.outcome is Outcome.FAIL and "no weights" in result.message


def test_a_link_named_with_underscores_is_read_word_by_word():
    text = (
        f"# CoronaSeg\n\n{ABOUT}## Downloads\n\n"
        "[Data/Pretrained_model/Predictions](https://www.dropbox.com/sh/abc123/xyz?dl=0)\n\n"
        "The default evaluation uses the `unet_base model` of that folder.\n"
    )
    result = run("pretrained-weights", {"README.md": text, "train.py": TRAIN_PY})
    assert result.outcome is Outcome.PASS


# --- data ----------------------------------------------------------------------------------------------


def test_a_title_that_starts_with_data_does_not_make_the_readme_a_data_section():
    text = (
        "# Data-Driven Regularization for Lung Registration\n\n"
        "The network learns tissue-specific elasticity.\n\n## Contents\n\n"
        "Parts of the code follow [VoxelMorph](https://github.com/voxelmorph/voxelmorph).\n"
    )
    result = run("data-instructions", {"README.md": text, "train.py": TRAIN_PY})
    assert result.outcome is Outcome.FAIL


def test_a_folder_list_of_the_readme_places_the_files_listed_under_it():
    text = (
        "# GraphProp\n\nLabel propagation on citation graphs.\n\n### Files\n\n"
        "- `data/`\n  - `citeseer/`\n  - `coauthor_cs.npz`\n- `src/`: the implementation\n\n"
        "### Running\n\n```\n$ python src/main.py\n```\n"
    )
    files = {
        "README.md": text,
        "data/citeseer/graph.bin": b"\x01" * 64,
        "data/coauthor_cs.npz": b"PK" + b"\x00" * 64,
        "src/main.py": TRAIN_PY,
    }
    data = run("data-instructions", files)
    assert data.outcome is Outcome.PASS and "data/coauthor_cs.npz" in data.evidence[0].note
    assert run("readme-references", files).outcome is Outcome.PASS


def test_a_library_that_says_so_reports_no_experiments_and_asks_no_data():
    text = (
        "# Contour metrics\n\n## Summary\n\nThis library computes surface distances between two "
        "segmentations.\n\n## Installation\n\n```shell\npip install .\n```\n"
    )
    files = {"README.md": text, "contour_metrics/metrics.py": "import numpy as np\n" + "x = 1\n" * 30}
    assert run("readme-results", files).outcome is Outcome.NOT_APPLICABLE
    assert run("data-instructions", files).outcome is Outcome.NOT_APPLICABLE
    # "the VTK Python library needs a compiler": another project's library, not what this one is
    other = text.replace("This library computes", "We compute").replace(
        "## Installation", "The VTK Python library needs a C compiler.\n\n## Installation"
    )
    assert run("readme-results", {**files, "README.md": other}).outcome is Outcome.FAIL
    # nor is a library named in passing ("the theory behind our implementations in this library")
    passing = text.replace("This library computes", "The theory behind our code in this library computes")
    assert run("readme-results", {**files, "README.md": passing}).outcome is Outcome.FAIL
    # said of the repository ("SegKit is a Python toolbox for …"), it is one
    said = text.replace("This library computes", "Contour metrics is a Python toolbox that computes")
    assert run("readme-results", {**files, "README.md": said}).outcome is Outcome.NOT_APPLICABLE


def test_a_package_that_reports_results_still_says_where_its_data_comes_from():
    text = (
        "# Hierarchical ViT\n\nA vision transformer, installed with `pip install hierarchical-vit`.\n\n"
        "## Model zoo\n\n| Model | Top-1 (%) | Speed |\n| --- | --- | --- |\n"
        "| base | 84.5 | 1556.2 |\n| large | 86.1 | 531.7 |\n"
    )
    files = {"README.md": text, "hierarchical_vit/model.py": MODEL_PY}
    assert run("data-instructions", files).outcome is Outcome.FAIL


# --- commands, paths, citation, README ---------------------------------------------------------------


def test_cd_into_the_checkout_by_a_generic_name_keeps_the_commands_in_the_repository():
    text = f"# CoronaSeg\n\n{ABOUT}## Training\n\n```python\ncd rootdir\nsh scripts/train_drive.sh\n```\n"
    files = {
        "README.md": text,
        "scripts/train_drive.sh": "python train.py --data drive\n",
        "train.py": TRAIN_PY,
    }
    result = run("readme-commands", files)
    assert result.outcome is Outcome.PASS and "scripts/train_drive.sh" in result.evidence[0].note


def test_folders_a_tree_diagram_shows_that_runs_create_are_not_missing_files():
    text = (
        f"# CellDet\n\n{ABOUT}## Layout\n\n```\n.\n├── train.py\n├── model.py\n├── Outputs/\n"
        "│   └── Detector/\n│       └── step0/\n└── eval.py\n```\n"
    )
    files = {"README.md": text, "train.py": TRAIN_PY, "model.py": MODEL_PY, "eval.py": TRAIN_PY}
    assert run("readme-references", files).outcome is Outcome.PASS
    files.pop("eval.py")  # a file the diagram shows that is not there is still missing
    assert run("readme-references", files).outcome is Outcome.FAIL


def test_a_doi_under_a_citation_heading_is_a_reference_to_cite():
    text = f"# WM-Age\n\n{ABOUT}## Citation\n\nIf you use the script, please cite:\n - DOI 10.5281/zenodo.1234567\n"
    result = run("citation", {"README.md": text, "analysis.R": "x <- 1\n" * 30})
    assert result.outcome is Outcome.PASS


def test_a_request_to_cite_followed_by_an_indented_reference_is_a_citation():
    text = (
        "# BrainMask\n\nBrain extraction for MRI.\n\nIf you use BrainMask, please cite the following "
        "publication:\n\n    Doe J, Roe R. Automated brain extraction with neural networks.\n"
        "    Journal of Imaging. 2019; 1-13.\n\n## Installation\n\n```\npip install brainmask\n```\n"
    )
    result = run("citation", {"README.md": text, "brainmask/run.py": TRAIN_PY})
    assert result.outcome is Outcome.PASS and result.evidence[0].line == 7
