"""Data instructions: where to obtain the data and how to prepare it."""

from repos import README_DATA, TRAIN_PY, complete_repo, readme
from snapshots import facts

from auditor.checks.base import registry
from auditor.models import Artifact, ArtifactKind, ArtifactStatus, Outcome


def run(files: dict):
    return registry()["data-instructions"](facts({"train.py": TRAIN_PY, **files}))


def test_dataset_link_and_preparation_pass():
    result = run(complete_repo())
    assert result.outcome is Outcome.PASS
    assert result.evidence[0].url.startswith("https://www.creatis.insa-lyon.fr")
    assert "with preparation steps" in result.message


def test_data_host_anywhere_in_the_readme_passes():
    text = readme("We evaluate on [BraTS 2021](https://www.synapse.org/#!Synapse:syn25829067).\n")
    assert run({"README.md": text}).outcome is Outcome.PASS
    portal = "https://portal.imaging.datacommons.cancer.gov/"
    text = readme(f"We show how the [Imaging Data Commons]({portal}) serves reproducible pathology.\n")
    assert run({"README.md": text}).evidence[0].url == portal


def test_links_under_a_heading_naming_the_kind_of_dataset_are_sources():
    listed = (
        "### Ultrasound datasets:\n\n(1)[BUSI:](https://lab.example.edu/pages/busi) Breast images, 2020.\n\n"
        "(2)[Thyroid set:](https://www.example.org/thyroid.php) Nodule images, 2015.\n"
    )
    result = run({"README.md": readme(listed)})
    assert result.outcome is Outcome.PASS
    assert [e.url for e in result.evidence[:2]] == [
        "https://lab.example.edu/pages/busi",
        "https://www.example.org/thyroid.php",
    ]
    # a longer heading that only mentions data is not a data section
    other = "### Results on the three public datasets\n\n[Leaderboard](https://www.example.org/board.php)\n"
    assert run({"README.md": readme(other)}).outcome is Outcome.FAIL


def test_a_datasets_own_repository_is_where_to_get_it_whatever_the_line_says():
    text = readme(
        "Weights trained on [IXI](https://github.com/lab/Preprocessed_IXI_Dataset): [download](https://drive.google.com/uc?id=1a).\n"
    )
    result = run({"README.md": text})
    assert result.outcome is Outcome.PASS
    assert result.evidence[0].url == "https://github.com/lab/Preprocessed_IXI_Dataset"
    # a code repository named for what it does with data is not a dataset
    other = readme("Weights trained with [DataAug](https://github.com/lab/data-augment-tool).\n")
    assert run({"README.md": other}).outcome is Outcome.FAIL


def test_a_paper_linked_in_a_data_section_is_not_where_to_get_the_data():
    text = readme(
        "## Training data\n\nThe data is described in [the paper](https://arxiv.org/abs/2212.04356).\n"
    )
    assert run({"README.md": text}).outcome is Outcome.FAIL
    # a DOI may be the dataset's own record
    text = readme("## Training data\n\nImages and masks: <https://doi.org/10.7937/K9/TCIA.2015.7GO2GSKS>.\n")
    assert run({"README.md": text}).outcome is Outcome.PASS


def test_an_archive_of_the_data_in_the_tree_that_the_readme_unpacks_is_the_data():
    text = readme("## Test run\n\nUnzip the dataset file\n\n```\nunzip dataset.zip\n```\n")
    result = run({"README.md": text, "dataset.zip": b"PK\x03\x04" + bytes(100)})
    assert result.outcome is Outcome.PASS and "dataset.zip" in result.evidence[0].note
    assert run({"README.md": text}).outcome is Outcome.FAIL  # not in the tree: nothing ships


def test_a_download_command_in_inline_code_of_a_data_section_is_a_source():
    text = readme(
        "## Data\n\n1. Download the data: `wget https://files.example.org/tabular.tar.gz -O tab.tar.gz`\n"
        "2. Unpack it: `tar -xvf tab.tar.gz`\n"
    )
    result = run({"README.md": text})
    assert result.outcome is Outcome.PASS and result.evidence[0].note.startswith(
        "wget https://files.example.org"
    )
    weights = text.replace("Download the data", "Download the weights").replace("tabular", "model_weights")
    assert run({"README.md": weights.replace("## Data", "## Models")}).outcome is Outcome.FAIL


def test_a_fetch_script_run_in_inline_code_of_a_data_section_is_a_source():
    text = readme(
        "## Perceptual dataset\n\nRun `bash ./scripts/download_dataset.sh` to fetch it into `./dataset`.\n"
    )
    result = run(
        {"README.md": text, "scripts/download_dataset.sh": "wget -q https://x.example.org/d.tar.gz\n"}
    )
    assert result.outcome is Outcome.PASS and "a script that fetches the data" in result.evidence[0].note


def test_a_fetch_script_behind_a_shell_prompt_is_a_source():
    text = readme("### Data Preparation\n\n```\n$ python get_data.py --dataset omniglot\n```\n")
    result = run({"README.md": text, "get_data.py": "import urllib.request\n" * 3})
    assert result.outcome is Outcome.PASS and result.evidence[0].note.endswith(
        "$ python get_data.py --dataset omniglot"
    )


def test_dataset_download_command_passes():
    text = readme(
        "## Quick start\n\n```bash\nhf download lab/demo-ct \\\n  --repo-type dataset --local-dir Dataset\n```\n"
    )
    assert run({"README.md": text}).outcome is Outcome.PASS


def test_drive_link_for_weights_is_not_data():
    text = readme(
        "## Weights\n\nDownload the pretrained weights from [Google Drive](https://drive.google.com/file/d/1x/view).\n"
    )
    assert run({"README.md": text}).outcome is Outcome.FAIL


def test_a_tool_to_build_your_own_data_is_no_source_where_the_data_is_closed():
    closed = (
        "## Dataset\n\nThe dataset belongs to the hospital and we cannot share it. To build your own, "
        "the free labelling [webtool](https://label.example.org/) helps.\n"
    )
    result = run({"README.md": readme(closed)})
    assert result.outcome is Outcome.FAIL and "not obtainable" in result.message
    on_application = (
        "## Data\n\nWe cannot share the processed data; the datasets are available upon application:\n\n"
        "- [Aging brain dataset](https://opendata.example.ac.uk/aging/)\n"
    )
    result = run({"README.md": readme(on_application)})
    assert (
        result.outcome is Outcome.PASS and result.evidence[0].url == "https://opendata.example.ac.uk/aging/"
    )


def test_private_data_only_fails():
    text = readme(
        "## Dataset\n\nThe in-house dataset cannot be shared due to patient privacy; it is available upon reasonable request.\n"
    )
    result = run({"README.md": text})
    assert result.outcome is Outcome.FAIL
    assert "not obtainable" in result.message


def test_data_section_naming_no_source_fails():
    text = readme("## Dataset\n\nWe use the cardiac cine MRI scans described in the paper.\n")
    result = run({"README.md": text})
    assert result.outcome is Outcome.FAIL and "names no source" in result.message


def test_preparation_without_source_fails():
    text = readme(
        README_DATA.replace(
            "[challenge website](https://www.creatis.insa-lyon.fr/Challenge/acdc/databases.html)",
            "challenge website",
        )
    )
    result = run({"README.md": text, "tools/preprocess.py": TRAIN_PY})
    assert result.outcome is Outcome.FAIL and "preparation steps, but no source" in result.message


def test_a_guide_to_preprocessing_in_another_repository_is_no_source():
    text = readme(
        "## Data Preprocessing\n\n- Please follow [this reference](https://github.com/other/toolkit) for "
        "resampling, cropping and padding of your datasets.\n"
    )
    assert run({"README.md": text}).outcome is Outcome.FAIL


def test_example_files_alone_are_no_source():
    files = {f"examples/case_{i}.png": b"\x89PNG" + bytes(20) for i in range(8)}
    text = readme("## Demo\n\nThe `examples/` folder holds a few slices to try the model on.\n")
    result = run({"README.md": text, **files})
    assert result.outcome is Outcome.FAIL and "only example data" in result.message


def test_in_this_example_speaks_of_the_readme_not_of_example_files():
    """ "In this example we load …" or "for example" is the README's prose; the links on that line
    still say where the data is (an example file is still no source: the test above)."""
    line = (
        "In this example, we use three citation graphs. The original data can be found at "
        "http://lab.example.edu/graphs.html; our splits come from https://github.com/someone/splits.\n"
    )
    result = run({"README.md": "# GraphNet\n\n## Data\n\n" + line})
    assert result.outcome is Outcome.PASS
    assert result.evidence[0].url.startswith("http://lab.example.edu/graphs.html")


def test_generated_samples_are_not_the_data_to_obtain():
    text = readme(
        "### [Synthetic Data](https://drive.google.com/drive/folders/1iw)\n\nWe release our generated samples.\n"
    )
    assert run({"README.md": text}).outcome is Outcome.FAIL


def test_a_data_badge_and_a_download_sentence_are_sources():
    badge = (
        "[![Data](https://img.shields.io/badge/Data-CT--Lesions-blue)](https://github.com/lab/ct-lesions)\n"
    )
    result = run({"README.md": readme(badge)})
    assert result.outcome is Outcome.PASS and result.evidence[0].url == "https://github.com/lab/ct-lesions"
    sentence = (
        "## Train\n\nStep 1: Download the registration dataset from https://www.example.org/reg-challenge/\n"
    )
    assert run({"README.md": readme(sentence)}).outcome is Outcome.PASS
    # a DOI badge of the software is not a data source
    doi = "[![DOI](https://zenodo.org/badge/DOI/10.5281/zenodo.1.svg)](https://doi.org/10.5281/zenodo.1)\n"
    assert run({"README.md": readme(doi)}).outcome is Outcome.FAIL


def test_data_repository_dois_and_plain_text_lines_are_sources():
    text = (
        "radiomics tools\n\n"
        "- STS study: imaging data is available on The Cancer Imaging Archive under the DOI\n"
        "  <http://dx.doi.org/10.7937/K9/TCIA.2015.7GO2GSKS>.\n"
        "- texture data (textures.zip) is available on Google Drive:\n"
        "  <https://drive.google.com/open?id=0B0fc>\n"
    )
    result = run({"README": text})
    assert result.outcome is Outcome.PASS
    assert {e.url for e in result.evidence} >= {"http://dx.doi.org/10.7937/K9/TCIA.2015.7GO2GSKS"}


def test_an_omics_archive_accession_is_where_to_get_the_data_a_pubmed_record_is_not():
    """Sequencing and expression data are deposited in archives (GEO, SRA, dbGaP): the
    accession's page is where to get them; NCBI's pages of papers are not."""
    geo = "https://www.ncbi.nlm.nih.gov/geo/query/acc.cgi?acc=GSE341918"
    text = readme(f"**Data availability:** the dataset is deposited in NCBI GEO under [GSE341918]({geo}).\n")
    result = run({"README.md": text})
    assert result.outcome is Outcome.PASS and result.evidence[0].url == geo
    paper = "https://pubmed.ncbi.nlm.nih.gov/36574421/"
    text = readme(f"## Data\n\nThe cohort is described in [the paper]({paper}).\n")
    assert run({"README.md": text}).outcome is Outcome.FAIL


def test_a_kaggle_notebook_is_no_data_a_kaggle_dataset_is():
    notebook = "https://www.kaggle.com/code/someone/audit-training-metrics"
    text = readme(f"The experiments on CIFAR-10 were run in [a Kaggle notebook]({notebook}).\n")
    assert run({"README.md": text}).outcome is Outcome.FAIL
    dataset = "https://www.kaggle.com/datasets/someone/chest-xray-pneumonia"
    text = readme(f"The experiments were run on [the chest X-rays]({dataset}).\n")
    assert run({"README.md": text}).outcome is Outcome.PASS


def test_data_said_to_be_provided_in_a_folder_of_the_tree_ships_with_it():
    """ "The datasets are provided in `data/`" over a folder of data files (JSON lines here): the
    data ships with the repository. Example data there, or a folder the reader fills, is not."""
    shipped = {f"data/TMWPL_{s}.jsonl": '{"q": 1}\n' for s in ("train", "test")}
    text = readme("## Data\n\nThe datasets are provided in `data/`.\n")
    result = run({"README.md": text, **shipped})
    assert result.outcome is Outcome.PASS and "data/" in result.evidence[0].note
    examples = readme("## Data\n\nWe provide example data in `data/` to try the scripts.\n")
    assert run({"README.md": examples, **shipped}).outcome is Outcome.FAIL
    yours = readme("## Data\n\nPut your datasets in `data/` before training.\n")
    assert run({"README.md": yours, **shipped}).outcome is Outcome.FAIL
    listed = readme("## Data\n\n- `data/TMWPL_train.jsonl`: the training split\n")
    assert run({"README.md": listed, **shipped}).outcome is Outcome.PASS


def test_a_line_labelled_as_the_data_names_where_it_is():
    """ "Dataset: http://db.jsrt.or.jp/eng.php" says where the data is, as a data section would;
    "Paper: http://…" does not."""
    text = "# PartialSupLung\n\nLung segmentation.\n\nDataset: http://db.jsrt.or.jp/eng.php\nLabels: https://www.isi.uu.nl/Research/Databases/SCR/\n"
    result = run({"README.md": text})
    assert result.outcome is Outcome.PASS and result.evidence[0].url == "http://db.jsrt.or.jp/eng.php"
    paper = text.replace("Dataset: ", "Paper: ").replace("Labels: ", "Slides: ")
    assert run({"README.md": paper}).outcome is Outcome.FAIL


def test_scripts_that_fetch_the_data_and_data_shipped_by_name_are_sources():
    text = readme(
        "## Usage\n\nStart with the data collection:\n\n```\npython collect/request_papers.py\n```\n"
    )
    assert run({"README.md": text, "collect/request_papers.py": TRAIN_PY}).outcome is Outcome.PASS
    text = readme("## Data\n\nThe connectivity matrices are in `data/connectivity.zip`.\n")
    assert run({"README.md": text, "data/connectivity.zip": b"PK" + bytes(40)}).outcome is Outcome.PASS
    text = readme("## Zero-shot\n\n```python\ncifar = CIFAR100(root, download=True, train=False)\n```\n")
    assert run({"README.md": text}).outcome is Outcome.PASS


def test_an_array_a_sentence_calls_the_data_ships_with_the_repository_a_table_not():
    """ "I am using the cardiac k-space data kspace_cine.mat": that file is the data. A table named
    so is as often the labels or splits of data kept elsewhere."""
    text = "# LowRankMRI\n\nI am using the cardiac undersampled k-space data kspace_cine.mat for Table 3.\n"
    result = run({"README.md": text, "kspace_cine.mat": b"MATLAB 5.0" + bytes(50)})
    assert result.outcome is Outcome.PASS and result.evidence[0].note.endswith("kspace_cine.mat")
    labels = text.replace("kspace_cine.mat", "pneumothorax_cases.csv")
    assert run({"README.md": labels, "pneumothorax_cases.csv": "id,label\n1,0\n"}).outcome is Outcome.FAIL


def test_data_shipped_in_the_repository_passes():
    files = {f"data/sample_{i:03d}.nii.gz": b"\x1f\x8b" + bytes(20) for i in range(60)}
    assert run({"README.md": readme(), **files}).outcome is Outcome.PASS


def test_nothing_about_data_fails():
    assert run({"README.md": readme("## Usage\n\nRun the notebook.\n")}).outcome is Outcome.FAIL


def test_a_software_package_needs_no_data_instructions():
    app = "import streamlit as st\n\nst.title('PDF annotator')\n" + "st.write('page')\n" * 10
    text = (
        "# Annotator\n\n## Installation\n\n```\ndocker build . -t app\n```\n\n## User guide\n\nOpen a PDF.\n"
    )
    files = {"README.md": text, "Home.py": app, "Dockerfile": "FROM python:3.11\n"}
    result = registry()["data-instructions"](facts(files))
    assert result.outcome is Outcome.NOT_APPLICABLE and "software package" in result.message
    assert registry()["readme-results"](facts(files)).outcome is Outcome.NOT_APPLICABLE
    # a method that trains no model still says where its data comes from
    files["README.md"] = "# Harmonization\n\n## Usage\n\nRun `combat.m` on your feature matrix.\n"
    assert registry()["data-instructions"](facts(files)).outcome is Outcome.FAIL


# --- with the statuses the artifact stage found -----------------------------------------------------

ACDC = "https://www.creatis.insa-lyon.fr/Challenge/acdc/databases.html"


def probed(url: str, status: ArtifactStatus, detail: str = "", http_status: int | None = None) -> Artifact:
    return Artifact(url=url, kind=ArtifactKind.DATA, status=status, detail=detail, http_status=http_status)


def run_probed(files: dict, *artifacts: Artifact):
    return registry()["data-instructions"](facts({"train.py": TRAIN_PY, **files}, artifacts=list(artifacts)))


def test_a_data_link_that_is_gone_is_no_source():
    result = run_probed(complete_repo(), probed(ACDC, ArtifactStatus.GONE, "not found (404)", 404))
    assert result.outcome is Outcome.FAIL
    assert result.message == f"data link gone (404): {ACDC}"


def test_a_dataset_portal_that_asks_readers_to_register_is_still_a_source():
    result = run_probed(
        complete_repo(), probed(ACDC, ArtifactStatus.RESTRICTED, "redirects to a sign-in page (x)")
    )
    assert result.outcome is Outcome.PASS
    assert "1 behind a sign-in or an access request" in result.message


def test_a_file_share_that_is_not_public_is_no_source():
    link = "https://drive.google.com/drive/folders/1gN3lzHQFECIJH1XqnY9"
    text = readme(f"## Dataset\n\nDownload the preprocessed data from [Google Drive]({link}).\n")
    result = run_probed(
        {"README.md": text},
        probed(
            link,
            ArtifactStatus.RESTRICTED,
            "Google Drive folder: redirects to a sign-in page (accounts.google.com)",
        ),
    )
    assert result.outcome is Outcome.FAIL
    assert result.message.startswith("data link restricted: Google Drive folder")


def test_a_download_said_to_hold_the_checkpoint_and_the_data_is_where_to_get_the_data():
    # DeCafNet: "1. Download model checkpoint and data from [here](Drive folder)"
    text = readme(
        "## Evaluation\n\n1. Download model checkpoint and data from [here](https://drive.google.com/drive/folders/1Dq9).\n"
    )
    assert run({"README.md": text, "train.py": TRAIN_PY}).outcome is Outcome.PASS
    # the checkpoint alone is not the data
    alone = text.replace("model checkpoint and data", "the model checkpoint")
    assert run({"README.md": alone, "train.py": TRAIN_PY}).outcome is Outcome.FAIL
    # "testsets" are data too (DMP-DUN: "our models and testsets can be downloaded on [Baidu]")
    sets = readme(
        "## Downloads\n\nOur testsets can be downloaded on [Baidu Netdisk](https://pan.baidu.com/s/1k7U).\n"
    )
    assert run({"README.md": sets, "train.py": TRAIN_PY}).outcome is Outcome.PASS


def test_the_repositorys_own_download_script_asked_for_data_is_where_to_get_it():
    # DMP-DUN: `python download.py --testset --testset-name Set11`; SimCSE: `bash download_dataset.sh`
    block = "## Downloads\n\n```bash\npython download.py --testset --testset-name Set11\n```\n"
    files = {"README.md": readme(block), "download.py": "import urllib\n", "train.py": TRAIN_PY}
    assert run(files).outcome is Outcome.PASS
    models = block.replace("--testset --testset-name Set11", "--model --model-name DMP_10step")
    assert run({**files, "README.md": readme(models)}).outcome is Outcome.FAIL
    script = "## Downloads\n\n```bash\nbash download_dataset.sh\n```\n"
    assert run(
        {"README.md": readme(script), "download_dataset.sh": "wget x\n", "train.py": TRAIN_PY}
    ).outcome is (Outcome.PASS)
