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


def test_private_data_only_fails():
    text = readme(
        "## Dataset\n\nThe in-house dataset cannot be shared due to patient privacy; it is available upon reasonable request.\n"
    )
    result = run({"README.md": text})
    assert result.outcome is Outcome.FAIL
    assert "not obtainable" in result.message


def test_data_section_naming_no_source_is_unknown():
    text = readme("## Dataset\n\nWe use the cardiac cine MRI scans described in the paper.\n")
    assert run({"README.md": text}).outcome is Outcome.UNKNOWN


def test_preparation_without_source_is_unknown():
    text = readme(
        README_DATA.replace(
            "[challenge website](https://www.creatis.insa-lyon.fr/Challenge/acdc/databases.html)",
            "challenge website",
        )
    )
    result = run({"README.md": text, "tools/preprocess.py": TRAIN_PY})
    assert result.outcome is Outcome.UNKNOWN


def test_data_shipped_in_the_repository_passes():
    files = {f"data/sample_{i:03d}.nii.gz": b"\x1f\x8b" + bytes(20) for i in range(60)}
    assert run({"README.md": readme(), **files}).outcome is Outcome.PASS


def test_nothing_about_data_fails():
    assert run({"README.md": readme("## Usage\n\nRun the notebook.\n")}).outcome is Outcome.FAIL


def test_a_tool_without_machine_learning_needs_no_data_instructions():
    app = "import streamlit as st\n\nst.title('PDF annotator')\n" + "st.write('page')\n" * 10
    files = {
        "README.md": "# Annotator\n\n## Installation\n\n```\ndocker build . -t app\n```\n",
        "Home.py": app,
        "Dockerfile": "FROM python:3.11\n",
    }
    result = registry()["data-instructions"](facts(files))
    assert result.outcome is Outcome.NOT_APPLICABLE
    assert registry()["readme-results"](facts(files)).outcome is Outcome.NOT_APPLICABLE


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
