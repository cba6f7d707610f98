"""Pretrained weights: links, weight files (Git LFS included), release assets, and the traps."""

from repos import LFS_POINTER, MODEL_PY, TRAIN_PY, complete_repo, notebook, readme
from snapshots import LARGE, facts

from auditor.checks.base import registry
from auditor.models import Artifact, ArtifactKind, ArtifactStatus, Outcome, Release, ReleaseAsset


def run(files: dict, **kwargs):
    return registry()["pretrained-weights"](facts({"train.py": TRAIN_PY, **files}, **kwargs))


def with_readme(section: str, **files) -> dict:
    return {"README.md": readme(section), **files}


def test_hugging_face_model_link_passes():
    result = run(complete_repo())
    assert result.outcome is Outcome.PASS
    assert result.evidence[0].url == "https://huggingface.co/lab/segtool/resolve/main/segtool_acdc.pth"


def test_a_hugging_face_organisation_said_to_hold_the_models_is_where_they_are():
    section = (
        "## Download\n\nThe checkpoints are also on [Hugging Face](https://huggingface.co/biglab): "
        "request access to the models there.\n"
    )
    result = run(with_readme(section))
    assert result.outcome is Outcome.PASS and result.evidence[0].url == "https://huggingface.co/biglab"
    thanks = "## Acknowledgements\n\nWe thank [Ann](https://huggingface.co/ann) for her help.\n"
    assert run(with_readme(thanks)).outcome is Outcome.FAIL


def test_a_library_its_users_train_with_releases_no_weights_of_its_own():
    """A package whose code trains (a neural embedding, an ODE solver's examples) is a tool: with no
    experiments of its own and no word of a model, weights are not its deliverable. A package that
    reports results of its own models is asked for them."""
    readme_text = "# embedkit\n\nNeural embeddings for tabular data.\n\n```bash\npip install embedkit\n```\n"
    files = {
        "README.md": readme_text,
        "pyproject.toml": '[project]\nname = "embedkit"\n',
        "embedkit/fit.py": TRAIN_PY,
    }
    result = run(files)
    assert result.outcome is Outcome.NOT_APPLICABLE and "software package" in result.message
    reported = readme_text + "\n## Results\n\n| dataset | accuracy |\n| --- | --- |\n| adult | 85.1 |\n"
    assert run({**files, "README.md": reported}).outcome is Outcome.FAIL


def test_weights_and_biases_is_a_logger_and_withheld_weights_fail():
    section = (
        "## Pretrained model\n\nThe trained weights cannot be shared: the data is confidential.\n\n"
        "## Logging\n\nI log training with [Weights & Biases](https://wandb.ai/site).\n"
    )
    result = run(with_readme(section))
    assert result.outcome is Outcome.FAIL and "cannot be shared" in result.message


def test_weights_downloaded_from_google_drive_are_not_googles():
    """ "from Google Drive" names the file host, not Google as the model's publisher."""
    text = (
        "## List of Pretrained Models\n\nHere we provide the models pretrained by our method.\n"
        "The pretrained weights can be downloaded from [Google Drive](https://drive.google.com/drive/folders/abc).\n"
    )
    assert run(with_readme(text)).outcome is Outcome.PASS
    base = text.replace(
        "downloaded from [Google Drive]",
        "downloaded from Google: [ViT-B](https://drive.google.com/drive/folders/abc)",
    )
    assert run(with_readme(base)).outcome is not Outcome.PASS


def test_file_host_link_said_to_be_weights_passes():
    section = "## Checkpoints\n\nOur fine-tuned model can be downloaded [here](https://drive.google.com/file/d/1AbC/view).\n"
    result = run(with_readme(section))
    assert result.outcome is Outcome.PASS
    assert result.evidence[0].line == readme(section).splitlines().index(section.splitlines()[2]) + 1


def test_model_table_column_says_what_a_drive_link_is():
    section = (
        "## Model card\n\n| Data | Patch size | Model |\n| --- | --- | --- |\n"
        "| CT-RATE | 8, 24, 24 | [ViT-Base](https://drive.google.com/file/d/1muu/view) |\n"
    )
    assert run(with_readme(section)).outcome is Outcome.PASS


def test_a_shortened_link_is_judged_as_a_file_hosts_by_what_its_context_says():
    # COVID-Net: the README links docs/models.md, a table of checkpoints behind bit.ly links
    models = (
        "# Pretrained Models\n\n| Type | Input Resolution | Accuracy | Model |\n| --- | --- | --- | --- |\n"
        "| ckpt | 480x480 | 98.3 | [Net-CXR-3](https://bit.ly/Net-CXR-3) |\n"
    )
    files = with_readme(
        "## Models\n\n[Links to pretrained models](docs/models.md)\n", **{"docs/models.md": models}
    )
    result = run(files)
    assert result.outcome is Outcome.PASS and result.evidence[0].url == "https://bit.ly/Net-CXR-3"
    # a shortened link that says nothing of a model is no weights
    slides = with_readme("## Talk\n\nThe slides of our talk are [here](https://bit.ly/talk-slides).\n")
    assert run(slides).outcome is not Outcome.PASS


def test_an_archive_on_the_projects_server_said_to_hold_the_trained_models_is_weights():
    # GraSP's TAPIS: "our preprocessed data files, region proposals, and pre-trained models"
    line = (
        "In this [link](http://157.253.243.19/tapis/TAPIS.tar.gz) you will find our preprocessed data "
        "files, region proposals and pre-trained models.\n"
    )
    result = run(with_readme("## Data Preparation\n\n" + line))
    assert result.outcome is Outcome.PASS and result.evidence[0].url.endswith("TAPIS.tar.gz")
    # an archive named for data is the data, whatever the line says of models
    named = line.replace("TAPIS.tar.gz", "conll14-test-data.tar.gz")
    assert run(with_readme("## Data Preparation\n\n" + named)).outcome is not Outcome.PASS


def test_a_drive_link_to_extracted_features_is_not_weights():
    # isbi2025_ps3c: "#### Extract features [Google Drive link]", then which model made each set
    section = (
        "## Extracting features from the model\n\n```bash\npython extract.py --ckpt ckpt/best.ckpt\n```\n\n"
        "Without a ckpt file, the pretrained model is used.\n\n"
        "#### Extract features [Google Drive link](https://drive.google.com/drive/folders/1tFF)\n\n"
        "+ eva02_base: features from the model overfit on the training set.\n"
        "+ PreTrained_eva02_base: features from the ImageNet pretrained model.\n"
    )
    assert run(with_readme(section)).outcome is not Outcome.PASS


def test_drive_link_for_data_is_not_weights():
    section = "## Data\n\nDownload the preprocessed dataset from [Google Drive](https://drive.google.com/file/d/1xyz/view).\n"
    result = run(with_readme(section))
    assert result.outcome is Outcome.FAIL
    assert result.message.startswith("no weights")


def test_weight_files_in_the_tree_pass_including_large_and_lfs():
    result = run({"ckpt/busi.pth": LARGE, "weights/model_final.pth": LFS_POINTER})
    assert result.outcome is Outcome.PASS
    notes = {e.path: e.note for e in result.evidence}
    assert "too large" in notes["ckpt/busi.pth"]
    assert "Git LFS" in notes["weights/model_final.pth"]


def test_empty_weight_file_is_a_stand_in():
    result = run({"checkpoints/best.pth": "placeholder\n"})
    assert result.outcome is Outcome.FAIL and "stand-ins" in result.message


def test_tensors_of_sample_data_are_not_weights():
    result = run({"docs/BraTS-00459/t1c.pt": LARGE, "docs/BraTS-00459/t2f.pt": LARGE})
    assert result.outcome is Outcome.FAIL
    # a toolkit's test fixtures: MNIST as torchvision saves it (`processed/training.pt`)
    fixtures = {"pymic/test/mnist/processed/training.pt": LARGE, "pymic/test/mnist/processed/test.pt": LARGE}
    assert run(fixtures).outcome is Outcome.FAIL
    # a model among sample data is still named one
    assert run({**fixtures, "examples/checkpoints/unet_best.pth": LARGE}).outcome is Outcome.PASS
    # but a test suite's model, whatever its name, is a stand-in a test builds or leaves behind
    smoke = {"test_outputs/checkpoints/best_model.pth": LARGE, "tests/fixtures/tiny_model.pt": LARGE}
    assert run({**fixtures, **smoke}).outcome is Outcome.FAIL


def test_the_splits_and_plans_a_training_keeps_are_not_weights():
    """nnU-Net keeps its cross-validation splits (`splits_final.pkl`) and plans beside the models; a
    repository that ships only those (a study of loss functions run with nnU-Net) has no model in its
    tree, though `final` in a pickle's name hints at one."""
    splits = {
        "test/data_splits/liver_splits_final.pkl": bytes(24_000),
        "test/data_splits/pancreas_splits_final.pkl": bytes(87_000),
        "nnunet/nnUNetPlansv2.1_plans_3D.pkl": bytes(9_000),
        "nnunet/dataset_properties.pkl": bytes(5_000),
    }
    assert run({"README.md": "# Losses\n", **splits}).outcome is Outcome.FAIL
    # beside them, the models themselves are weights in the tree
    models = {
        "nnunet/fold_0/model_final_checkpoint.model": bytes(20_000),
        "ckpt/model_fold1.pkl": bytes(20_000),
    }
    result = run({"README.md": "# Losses\n", **splits, **models})
    assert result.outcome is Outcome.PASS and sorted(e.path for e in result.evidence) == sorted(models)


def test_release_assets_count():
    releases = [
        Release(
            tag="v1.0",
            assets=[
                ReleaseAsset(
                    name="segtool_acdc.pth",
                    url="https://github.com/lab/segtool/releases/download/v1.0/segtool_acdc.pth",
                )
            ],
        )
    ]
    result = run({"README.md": "# T\n"}, releases=releases)
    assert result.outcome is Outcome.PASS and "release" in result.message


def test_promised_weights_are_not_available():
    section = "## Pre-trained weights\n\nThe 3D weights will be released on HuggingFace soon.\n"
    result = run(with_readme(section))
    assert result.outcome is Outcome.FAIL
    assert "promised" in result.message
    assert "will be released" in result.evidence[0].note


def test_bare_host_home_page_is_not_a_model():
    section = "## Weights\n\nThe weights are on [HuggingFace](https://huggingface.co).\n"
    result = run(with_readme(section))
    assert result.outcome is Outcome.FAIL
    assert "home page" in result.message


def test_model_zoo_without_links_is_not_available():
    section = (
        "## Model Zoo\n\n| Model | Dataset | Accuracy |\n| --- | --- | --- |\n| ResNet-50 | Eye | 91.60% |\n"
    )
    result = run(with_readme(section))
    assert result.outcome is Outcome.FAIL
    assert "model-zoo table" in result.message


def test_weights_on_request_are_not_available():
    section = "## Pretrained models\n\nThe trained checkpoints are available upon reasonable request to the authors.\n"
    result = run(with_readme(section))
    assert result.outcome is Outcome.FAIL
    assert "on request" in result.message


def test_base_model_of_another_publisher_is_not_the_papers_weights():
    section = "## Setup\n\nDownload the [SAM ViT-B checkpoint](https://dl.fbaipublicfiles.com/segment_anything/sam_vit_b_01ec64.pth).\n"
    result = run(with_readme(section))
    assert result.outcome is Outcome.FAIL
    assert "base models published by others" in result.message


def test_only_base_models_and_no_training_code_is_unknown():
    section = "## Setup\n\nDownload the [SAM ViT-B checkpoint](https://dl.fbaipublicfiles.com/segment_anything/sam_vit_b_01ec64.pth).\n"
    snap_files = {"README.md": readme(section), "zero_shot.py": MODEL_PY + "\nimport torch\n"}
    result = registry()["pretrained-weights"](facts(snap_files))
    assert result.outcome is Outcome.UNKNOWN


def test_undescribed_file_host_link_is_unknown():
    section = "## Resources\n\n[link](https://drive.google.com/drive/folders/1Nk7)\n"
    assert run(with_readme(section)).outcome is Outcome.UNKNOWN


def test_weights_linked_from_a_subfolder_readme_count():
    files = {
        "README.md": "# Mono\n",
        "seg3d/README.md": "# Seg3D\n\n[weights](https://zenodo.org/records/123456)\n",
        "seg3d/train.py": TRAIN_PY,
    }
    assert run(files).outcome is Outcome.PASS


def test_no_weights_anywhere_fails():
    result = run({"README.md": "# T\n", "models/unet.py": MODEL_PY})
    assert result.outcome is Outcome.FAIL


def test_weights_withheld_in_words_fail_even_next_to_a_backbone_link():
    section = (
        "## 1. Download the pre-trained Swin-T backbone\n\n[Get the ImageNet model](https://drive.google.com/drive/folders/1UC3)\n\n"
        "## Reproducibility\n\nOur trained model weights are stored on an internal cloud; I cannot share them.\n"
    )
    result = run(with_readme(section))
    assert result.outcome is Outcome.FAIL
    assert "cannot be shared" in result.message


def test_weights_a_readme_says_it_does_not_make_public_are_withheld():
    """ "We do not make our pre-trained model weights or training code public": the work trains a
    model whose weights and training are withheld, though no training code is here to see."""
    text = (
        "# Speaker unlearning\n\n## Installation\n\nFor training, prepare your pre-trained TTS model. "
        "We do not make our pre-trained model weights or training code public, following the "
        "original authors' ethics statement.\n\n```bash\npython inference.py\n```\n"
    )
    files = {"README.md": text, "inference.py": "import torch\nmodel = torch.load('m.pt')\n"}
    result = registry()["pretrained-weights"](facts(files))
    assert result.outcome is Outcome.FAIL and "cannot be shared" in result.message
    assert registry()["training-code"](facts(files)).outcome is Outcome.FAIL


def test_partial_tree_without_weights_is_unknown():
    assert run({"README.md": "# T\n"}, truncated=True).outcome is Outcome.UNKNOWN


def test_releases_the_api_could_not_list_leave_missing_weights_unknown():
    unlisted = run({"README.md": "# T\n"}, source="api", releases=None)
    assert unlisted.outcome is Outcome.UNKNOWN and "releases could not be listed" in unlisted.message
    assert run({"README.md": "# T\n"}, source="api", releases=[]).outcome is Outcome.FAIL


# --- with the statuses the artifact stage found -----------------------------------------------------

HF_WEIGHTS = "https://huggingface.co/lab/segtool/resolve/main/segtool_acdc.pth"


def probed(url: str, status: ArtifactStatus, detail: str = "", http_status: int | None = None) -> Artifact:
    return Artifact(url=url, kind=ArtifactKind.WEIGHTS, status=status, detail=detail, http_status=http_status)


def test_a_weights_link_that_is_gone_is_not_weights_available():
    gone = probed(HF_WEIGHTS, ArtifactStatus.GONE, "not found (404)", 404)
    result = run(complete_repo(), artifacts=[gone])
    assert result.outcome is Outcome.FAIL
    assert result.message == f"weights link gone (404): {HF_WEIGHTS}"
    assert [(e.url, e.note) for e in result.evidence] == [(HF_WEIGHTS, "gone (404)")]


def test_a_weights_link_behind_a_sign_in_page_is_not_available_either():
    link = "https://drive.google.com/file/d/1AbCdEfGhIjK/view"
    section = f"## Checkpoints\n\nOur trained model can be downloaded [here]({link}).\n"
    restricted = probed(
        link,
        ArtifactStatus.RESTRICTED,
        "Google Drive file: redirects to a sign-in page (accounts.google.com)",
    )
    result = run(with_readme(section), artifacts=[restricted])
    assert result.outcome is Outcome.FAIL
    assert result.message.startswith(
        "weights link restricted: Google Drive file: redirects to a sign-in page"
    )


def test_one_dead_link_among_live_ones_is_reported_but_does_not_fail():
    other = "https://zenodo.org/records/123456/files/segtool_mnms.pth"
    section = f"## Pretrained weights\n\n- [ACDC]({HF_WEIGHTS})\n- [M&Ms]({other})\n"
    artifacts = [probed(HF_WEIGHTS, ArtifactStatus.AVAILABLE), probed(other, ArtifactStatus.GONE, "", 404)]
    result = run(with_readme(section), artifacts=artifacts)
    assert result.outcome is Outcome.PASS
    assert (
        result.message
        == f"weights available: 1 link(s) to trained models (1 checked); weights link gone (404): {other}"
    )
    assert [e.note for e in result.evidence][-1] == "gone (404)"


def test_links_not_checked_or_without_an_answer_keep_the_readme_verdict():
    for status in (ArtifactStatus.NOT_CHECKED, ArtifactStatus.UNKNOWN):
        result = run(complete_repo(), artifacts=[probed(HF_WEIGHTS, status)])
        assert (
            result.outcome is Outcome.PASS
            and result.message == "weights available: 1 link(s) to trained models"
        )


def test_a_web_address_without_its_scheme_is_a_link():
    section = "## Trained model\n\nThe fine-tuned checkpoint is on Kaggle: www.kaggle.com/someone/vessel-unet-weights\n"
    result = run(with_readme(section))
    assert result.outcome is Outcome.PASS
    assert result.evidence[0].url == "https://www.kaggle.com/someone/vessel-unet-weights"


def test_modelscope_and_docker_hub_pages_of_the_owner_are_model_hosts():
    for url in ("https://modelscope.cn/models/lab/segtool-base", "https://hub.docker.com/r/lab/segtool"):
        result = run(with_readme(f"## Release\n\nEverything is at [{url}]({url}).\n"))
        assert result.outcome is Outcome.PASS, url
        assert result.evidence[0].url == url


def test_a_kaggle_competition_is_data_not_weights():
    section = "## Data\n\nThe images come from [the challenge](https://www.kaggle.com/c/skin-lesions/data).\n"
    assert run(with_readme(section)).outcome is Outcome.FAIL


def test_a_container_image_of_the_method_holds_its_weights():
    section = "## Inference\n\n```bash\ndocker pull lab/segtool:1.0\ndocker run --gpus all -v $PWD/in:/in lab/segtool:1.0 /in\n```\n"
    result = run(with_readme(section))
    assert result.outcome is Outcome.PASS
    assert (
        "container image" in result.message and result.evidence[0].note == "container image lab/segtool:1.0"
    )
    # a base image of others, or an environment image, is not the model
    section = "## Setup\n\n```bash\ndocker pull pytorch/pytorch:2.1.0-cuda12.1\ndocker pull lab/segtool_env:1.0\n```\n"
    assert run(with_readme(section)).outcome is Outcome.FAIL
    # a file-host download said to be the container image
    section = "## Docker\n\n**Docker image**: [Baidu NetDisk](https://pan.baidu.com/s/1odx)\n"
    assert run(with_readme(section)).outcome is Outcome.PASS


def test_the_publishers_own_host_is_its_own_release():
    section = "## Checkpoints\n\n[ViT-B](https://dl.fbaipublicfiles.com/vmae/pretrain/vmae_vit_base.pth)\n"
    result = run(with_readme(section), url="https://github.com/facebookresearch/vmae")
    assert result.outcome is Outcome.PASS
    assert run(with_readme(section), url="https://github.com/lab/vmae").outcome is Outcome.FAIL


def test_checkpoint_downloads_written_in_the_code_are_weights():
    loader = (
        '_MODELS = {\n    "base": "https://models.lab.org/segtool/segtool_base.pt",\n}\n\n\n'
        "def load(name):\n    return download(_MODELS[name])\n"
    )
    notebook_cell = (
        '!wget "https://docs.google.com/uc?export=download&id=1fl3" -O trained_model.ckpt\n'
        "model = load_model('trained_model.ckpt')\n"
    )
    for files in ({"segtool/load.py": loader}, {"walkthrough.ipynb": notebook(notebook_cell)}):
        result = run({"README.md": "# SegTool\n", **files})
        assert result.outcome is Outcome.PASS, files
        assert "in the code" in result.message


def test_a_package_that_loads_its_models_in_its_init_releases_them():
    # `import segtool; segtool.load_model("base")`: the loader is the package's __init__.py
    loader = '_MODELS = {\n    "base": "https://models.lab.org/segtool/base.pt",\n}\n\n\n' + "".join(
        f"def helper_{i}(x):\n    return x + {i}  # the rest of the package's face\n\n\n" for i in range(40)
    )
    result = run({"README.md": "# SegTool\n", "segtool/__init__.py": loader})
    assert result.outcome is Outcome.PASS
    assert result.evidence[0].path == "segtool/__init__.py"
    # a small __init__.py is taken for the package's skeleton, as in a placeholder, and not read
    stub = '_MODELS = {"base": "https://models.lab.org/segtool/base.pt"}\n'
    assert run({"README.md": "# SegTool\n", "segtool/__init__.py": stub}).outcome is Outcome.FAIL


def test_a_script_named_for_downloading_models_fetches_weights_from_any_host():
    # an institute's own cloud share: no model host, no weight extension in the URL
    fetch = (
        "import wget\n\n\ndef main():\n    target = 'weights/segnet.pth'\n"
        "    wget.download('https://cloud.lab.example.edu/s/Ab12/download', target)\n"
    )
    result = run({"README.md": "# SegNet\n", "tools/download_weights.py": fetch})
    assert result.outcome is Outcome.PASS
    assert result.evidence[0].url == "https://cloud.lab.example.edu/s/Ab12/download"
    assert result.evidence[0].note == "a link in a script that downloads trained models"
    # the same link in a file named for something else says nothing of what it fetches
    assert run({"README.md": "# SegNet\n", "tools/fetch.py": fetch}).outcome is Outcome.FAIL
    # the code a download script credits is not what it downloads
    credit = (
        "# adapted from https://github.com/other/lib\n# see https://stackoverflow.com/q/1669\nimport wget\n"
    )
    assert run({"README.md": "# SegNet\n", "download_models.py": credit}).outcome is Outcome.FAIL


def test_a_download_script_fetching_a_hub_repository_by_id_fetches_weights():
    """`snapshot_download(repo_id=...)` names no URL: the script named for downloading models
    fetches the work's models, unless all it names are another publisher's base models."""
    fetch = (
        "import os\nfrom huggingface_hub import snapshot_download\n\n"
        'REPO_ID = os.environ.get("HF_REPO_ID", "lab93/pathology-segmentation-models")\n\n\n'
        "def main(family):\n    snapshot_download(repo_id=REPO_ID, allow_patterns=[f'{family}/**'])\n"
    )
    text = "# WSI pipeline\n\n## Model weights\n\nHosted on the Hub: fetch them with `download_models.py`.\n"
    result = run({"README.md": text, "download_models.py": fetch})
    assert result.outcome is Outcome.PASS and result.evidence[0].path == "download_models.py"
    assert result.evidence[0].line == 8
    base = fetch.replace("lab93/pathology-segmentation-models", "facebook/sam-vit-base")
    assert run({"README.md": text, "download_models.py": base}).outcome is not Outcome.PASS


def test_a_readme_command_downloading_the_weights_is_a_link_to_them():
    """`wget …/segnet_best.pth` in a code block, or `gdown ID` under "Download the model weights":
    the README's own download of the weights, as a link would be. The same download under
    "Download the dataset" fetches data."""
    release = "https://github.com/lab/segtool/releases/download/v1/segnet_best.pth"
    text = f"# SegNet\n\n## Pretrained weights\n\n```bash\nwget {release}\n```\n"
    result = run({"README.md": text, "train.py": TRAIN_PY})
    assert result.outcome is Outcome.PASS and result.evidence[0].url == release
    assert result.evidence[0].line == 6
    drive = "1. Download the model weights:\n\n```bash\ngdown 1xj44hXRfNeCyPgyaA1bsbleHJCuAFh82\nmv frcnn.pt models/\n```\n"
    result = run({"README.md": f"# SegNet\n\n## Usage\n\n{drive}", "train.py": TRAIN_PY})
    assert result.outcome is Outcome.PASS
    assert result.evidence[0].url == "https://drive.google.com/uc?id=1xj44hXRfNeCyPgyaA1bsbleHJCuAFh82"
    # an address carrying a token is redacted, as a link's is
    signed = f"{release}?token=s3cr3t"
    result = run({"README.md": text.replace(release, signed), "train.py": TRAIN_PY})
    assert result.outcome is Outcome.PASS and "s3cr3t" not in repr(result)
    data = drive.replace("the model weights", "the dataset").replace("frcnn.pt models/", "data.zip data/")
    assert run({"README.md": f"# SegNet\n\n## Usage\n\n{data}", "train.py": TRAIN_PY}).outcome is Outcome.FAIL


def test_the_model_downloads_of_a_codebase_started_from_are_not_this_works():
    # the CycleGAN / pix2pix code many synthesis projects copy, with its download scripts
    script = "FILE=$1\nwget -N http://efrosgans.eecs.berkeley.edu/cyclegan/pretrained_models/$FILE.pth\n"
    files = {"README.md": "# MRI2CT\n", "scripts/download_cyclegan_model.sh": script}
    assert run(files).outcome is Outcome.FAIL


def test_backbone_downloads_in_copied_model_code_are_not_this_works_weights():
    backbone = (
        "model_urls = {\n"
        "    'xception': 'http://data.example.fr/pretrainedmodels/xception-b5690688.pth',\n"
        "    'vit': 'https://github.com/other/image-models/releases/download/v0.1/jx_vit_large_p32_384.pth',\n"
        "}\n"
    )
    files = {"README.md": "# PolypSeg\n", "lib/backbone/xception.py": backbone}
    assert run(files, url="https://github.com/lab/polypseg").outcome is Outcome.FAIL
    # a repository named for the architecture publishes its own checkpoints of it
    own = "URLS = {'tiny': 'https://models.lab.org/convnext/convnext_tiny_1k_224.pth'}\n"
    files = {"README.md": "# ConvNeXt\n", "models/convnext.py": own + MODEL_PY}
    assert run(files, url="https://github.com/lab/ConvNeXt").outcome is Outcome.PASS


def test_a_placeholder_that_links_only_base_models_releases_no_weights_of_its_own():
    text = (
        "# BC-Net\n\nThe source code will be released in the near future.\n\n"
        "We use the ImageNet pretrained model from [ConvNeXt](https://github.com/facebookresearch/ConvNeXt); "
        "download its checkpoint into `pretrained_ckpt/`.\n"
    )
    result = registry()["pretrained-weights"](facts({"README.md": text, "blocks.py": MODEL_PY}))
    assert result.outcome is Outcome.FAIL and "still to come" in result.message
    assert result.evidence[0].line == 3  # the promise


def test_archives_in_a_pretrained_models_folder_are_weights_in_the_tree():
    files = {"README.md": "# Reg\n", "pretrained_models/lcc_learnt.tar.gz": b"\x1f\x8b" + bytes(20_000)}
    result = run(files)
    assert result.outcome is Outcome.PASS and result.evidence[0].path == "pretrained_models/lcc_learnt.tar.gz"
    # the same archive among the data is data
    assert (
        run({"README.md": "# Reg\n", "data/lcc_scans.tar.gz": b"\x1f\x8b" + bytes(20_000)}).outcome
        is Outcome.FAIL
    )


def test_a_host_home_page_says_nothing_of_weights_where_nothing_is_trained():
    sampler = (
        "import torch\nfrom diffusers import StableDiffusionPipeline\n\n\ndef sample(prompt):\n    return prompt\n"
        * 3
    )
    text = "# ParaSampler\n\nBase models are loaded from [Hugging Face](https://huggingface.co/).\n"
    result = registry()["pretrained-weights"](facts({"README.md": text, "sampler.py": sampler}))
    assert result.outcome is Outcome.NOT_APPLICABLE and "trains no model" in result.message


def test_a_tensorflow_checkpoint_in_the_tree_is_weights():
    files = {
        "README.md": "# MuscleView\n",
        "checkpoints/ss/checkpoint": 'model_checkpoint_path: "model"\n',
        "checkpoints/ss/model.index": bytes(8000),
        "checkpoints/ss/model.data-00000-of-00001": bytes(20_000),
    }
    result = run(files)
    assert result.outcome is Outcome.PASS and "checkpoints/ss/model.index" in [
        e.path for e in result.evidence
    ]


def test_a_project_that_trains_no_model_releases_no_weights():
    ask = (
        "import argparse\nfrom transformers import pipeline\n\nvqa = pipeline('visual-question-answering')\n"
        * 2
    )
    files = {"README.md": "# Zero-shot benchmark\n", "ask.py": ask}
    result = registry()["pretrained-weights"](facts(files))
    assert result.outcome is Outcome.NOT_APPLICABLE and "trains no model" in result.message


def test_a_readme_that_could_not_be_read_leaves_the_weights_unknown():
    result = run({"README.md": LARGE, "models/unet.py": MODEL_PY})
    assert result.outcome is Outcome.UNKNOWN and "README could not be read" in result.message
    assert [e.path for e in result.evidence] == ["README.md"]


def test_releases_never_listed_are_not_claimed_to_hold_no_asset():
    # a clone lists no releases: the verdict stands on the documents and the tree, and says so
    files = {"README.md": readme("## Training\n\n`python train.py`\n"), "models/unet.py": MODEL_PY}
    unlisted = run(files, source="git")
    assert unlisted.outcome is Outcome.FAIL
    assert "release asset" not in unlisted.message and "releases not listed" in unlisted.message
    listed = run(files, source="git", releases=[])
    assert listed.outcome is Outcome.FAIL and "no release asset" in listed.message
