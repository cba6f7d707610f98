"""Vendored code: third-party folders, copies of well-known packages, build artefacts."""

from repos import MODEL_PY, TRAIN_PY
from snapshots import facts

from auditor.facts.kind import RepoKind, repo_kind
from auditor.facts.vendored import project_files, vendored_roots


def test_vendored_roots_and_reasons():
    snap = facts(
        {
            "train.py": TRAIN_PY,
            "third_party/mmseg/models/seg.py": MODEL_PY,
            "segment-anything/segment_anything/build_sam.py": MODEL_PY,
            "weak_seg/nnunetv2/training/trainer.py": TRAIN_PY,
            "SegTool.egg-info/SOURCES.txt": "train.py\n",
            "sam2_train/modeling/sam2_base.py": MODEL_PY,
        }
    )
    assert vendored_roots(snap) == {
        "SegTool.egg-info": "third-party or build folder",
        "segment-anything": "copy of the package segment-anything",
        "third_party": "third-party or build folder",
        "weak_seg/nnunetv2": "copy of the package nnunetv2",
    }
    assert project_files(snap) == ["sam2_train/modeling/sam2_base.py", "train.py"]


def test_a_framework_copy_holding_files_named_for_the_repository_is_a_fork_with_the_method_inside():
    # U-Mamba: umamba/nnunetv2/ is nnU-Net's tree, with nnUNetTrainerUMambaBot.py and UMambaBot.py
    files = {
        "umamba/setup.py": "setup(name='umamba')\n",
        "umamba/nnunetv2/training/nnUNetTrainer/nnUNetTrainer.py": TRAIN_PY,
        "umamba/nnunetv2/training/nnUNetTrainer/nnUNetTrainerUMambaBot.py": MODEL_PY,
        "umamba/nnunetv2/nets/UMambaBot_3d.py": MODEL_PY,
    }
    assert vendored_roots(facts(files, url="https://github.com/lab/U-Mamba")) == {}
    # the same copy in a repository of another name is someone else's package
    assert vendored_roots(facts(files, url="https://github.com/lab/CardiacSeg")) == {
        "umamba/nnunetv2": "copy of the package nnunetv2"
    }


def test_another_repository_unpacked_from_its_archive_is_a_copy():
    """`models/MedViTV2-main/` is how GitHub's archive of MedViTV2's main branch unpacks: another
    repository's code, its weights and requirements; a folder so named for this repository is its
    own (the repository as its author uploaded it)."""
    snap = facts(
        {
            "tools/train.sh": "python models/MedViTV2-main/main.py\n",
            "models/MedViTV2-main/main.py": TRAIN_PY,
            "models/MedViTV2-main/requirements.txt": "torch\n",
            "segtool-main/train.py": TRAIN_PY,
        },
        url="https://github.com/lab/segtool",
    )
    assert vendored_roots(snap) == {
        "models/MedViTV2-main": "copy of the repository MedViTV2, unpacked from its archive"
    }
    assert "segtool-main/train.py" in project_files(snap)


def test_a_folder_named_like_a_package_without_code_is_not_a_copy():
    snap = facts({"train.py": TRAIN_PY, "monai/README.md": "notes on MONAI\n"})
    assert vendored_roots(snap) == {}


def test_repository_kinds():
    links = "\n".join(f"- [P{i}](https://doi.org/10.1000/{i})" for i in range(30))
    assert repo_kind(facts({"README.md": f"# Survey companion\n\n{links}\n"})).kind == RepoKind.CURATED_LIST
    release = "# X\n\nOur data: https://huggingface.co/datasets/lab/segtool-qa\n"
    assert repo_kind(facts({"README.md": release})).kind == RepoKind.DATASET
    assert repo_kind(facts({"README.md": "# SegDT\n"})).kind == "no-code"
    assert repo_kind(facts({"README.md": "# X\n", "train.py": TRAIN_PY})).kind == "code"


def test_a_placeholder_that_cites_many_papers_is_not_a_curated_list():
    related = "\n".join(f"- [Prior work {i}](https://arxiv.org/abs/2301.{i:05d})" for i in range(40))
    text = f"# CardioSeg\n\nThe code will be released after acceptance.\n\n## Related work\n\n{related}\n"
    assert repo_kind(facts({"README.md": text})).kind == "no-code"
