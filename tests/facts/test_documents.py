"""Which documents a repository offers a reader: the README and what it links, within a cap."""

from snapshots import facts

from auditor.facts.commands import own_image
from auditor.facts.documents import (
    MAX_LINKED_DOCS,
    linked_documents,
    mentioned_paths,
    repo_name,
    root_document,
)
from auditor.facts.kind import software_package


def test_a_readme_that_links_hundreds_of_pages_is_read_up_to_the_cap_within_one_hop():
    """A curated list linking 1,400 pages of its own made the facts parse 374 of them: the cap
    was only checked between hops."""
    pages = {f"datasets/set{i:03d}.md": f"# Set {i}\n\nImages of organ {i}.\n" for i in range(120)}
    readme = "# Datasets\n\n" + "\n".join(f"- [Set {i}](datasets/set{i:03d}.md)" for i in range(120)) + "\n"
    docs = linked_documents(facts({"README.md": readme, **pages}))
    assert len(docs) == MAX_LINKED_DOCS and docs[0].path == "README.md"
    assert [d.path for d in docs[1:3]] == ["datasets/set000.md", "datasets/set001.md"]


def test_a_file_named_in_prose_with_its_folder_is_that_folders_file():
    text = "# DR\n\n## Training\n\nRun the **main.py** function in the Encoder folder to start training.\n"
    snap = facts({"README.md": text, "Encoder/main.py": "print(1)\n", "BFFN/main.py": "print(2)\n"})
    doc = root_document(snap)
    assert [m.target.path for m in mentioned_paths(snap, doc)] == ["Encoder/main.py"]


def test_a_folder_on_disk_is_named_by_its_folder_and_has_no_owner():
    """`auditor check /home/alice/code/segtool` audits a folder whose address is its path: its
    name is the folder's, its owner unknown (not `home`, `alice`): a base image such as `ubuntu`
    is no image of its owner's, and a package installed by the folder's name is its own."""

    local = facts({"README.md": "# SegTool\n"}, url="/home/alice/code/segtool")
    assert repo_name(local) == ("", "segtool")
    assert not own_image(local, "ubuntu:22.04") and own_image(local, "segtool:latest")
    windows = facts({"README.md": "# SegTool\n"}, url="C:\\Users\\alice\\segtool")
    assert repo_name(windows) == ("", "segtool")
    hosted = facts({"README.md": "# SegTool\n"}, url="https://github.com/Lab/SegTool")
    assert repo_name(hosted) == ("lab", "segtool") and own_image(hosted, "lab/anything")
    package = "# SegTool\n\nSegmentation of CT volumes.\n\n```bash\npip install segtool\n```\n"
    folder = facts({"README.md": package, "segtool/__init__.py": "x = 1\n"}, url="/home/alice/code/segtool")
    assert software_package(folder) is not None  # installed by its own name
