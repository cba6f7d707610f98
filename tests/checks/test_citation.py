"""Citation: the repository's own, in its README, a valid CITATION.cff, or a page the README points to."""

from repos import BIBTEX, README_CITATION, readme
from snapshots import LARGE, facts

from auditor.checks.base import registry
from auditor.checks.citation import validate_cff
from auditor.models import Outcome

VALID_CFF = """cff-version: 1.2.0
message: "If you use this software, please cite it as below."
title: "SegTool"
authors:
  - family-names: Doe
    given-names: Jane
"""


def run(files: dict):
    return registry()["citation"](facts(files))


def test_bibtex_in_the_readme_passes():
    text = readme(README_CITATION)
    result = run({"README.md": text})
    assert result.outcome is Outcome.PASS
    assert text.splitlines()[result.evidence[0].line - 1].startswith("@inproceedings{doe2024boundary")


def test_valid_citation_cff_passes():
    result = run({"README.md": "# T\n", "CITATION.cff": VALID_CFF})
    assert result.outcome is Outcome.PASS and result.evidence[0].path == "CITATION.cff"


def test_invalid_citation_cff_fails_with_the_reason():
    result = run({"README.md": "# T\n", "CITATION.cff": "cff-version: 1.2.0\ntitle: SegTool\n"})
    assert result.outcome is Outcome.FAIL
    assert "message" in result.message
    assert validate_cff("authors: [a, b]\ncff-version: 1.2.0\nmessage: m\ntitle: t\n") is not None
    assert validate_cff(VALID_CFF) is None


def test_bibtex_of_other_works_under_acknowledgements_does_not_count():
    text = readme(
        "## Acknowledgements\n\nWe build on SAM:\n\n"
        + BIBTEX.replace("doe2024boundary", "kirillov2023segment")
    )
    assert run({"README.md": text}).outcome is Outcome.FAIL


def test_a_references_section_listing_others_works_is_no_citation_of_this_one():
    """ "# References" over several papers the work draws on is a bibliography; one reference
    there, or a request to cite among them, is this work's own."""
    papers = [
        "[Generative Adversarial Networks (Goodfellow et al., 2014)](https://arxiv.org/pdf/1406.2661.pdf)",
        "[Conditional Generative Adversarial Nets (Mirza et al., 2014)](https://arxiv.org/pdf/1411.1784.pdf)",
        "[Rethinking the Inception Architecture (Szegedy et al., 2015)](https://arxiv.org/pdf/1512.00567.pdf)",
    ]
    text = (
        "# COVID GANs\n\nAugmenting chest X-rays with GANs.\n\n# References\n\n" + "\n\n".join(papers) + "\n"
    )
    assert run({"README.md": text}).outcome is Outcome.FAIL
    own = "# COVID GANs\n\nAugmenting X-rays.\n\n# References\n\nRossi M, Bianchi L. COVID GANs. MIDL 2023, pp. 1-12.\n"
    assert run({"README.md": own}).outcome is Outcome.PASS
    asked = text.replace(
        "# References\n\n",
        "# References\n\nIf you use this code, please cite our paper (Rossi et al., 2023).\n\n",
    )
    assert run({"README.md": asked}).outcome is Outcome.PASS


def test_promised_citation_fails():
    assert run({"README.md": readme("## Citation\n\nComing soon.\n")}).outcome is Outcome.FAIL


def test_a_request_to_cite_that_links_the_paper_by_its_identifier_passes():
    """ "Please cite us! The citation can be exported from [the paper](https://arxiv.org/abs/…)":
    the paper's identifier is the reference, though not written out."""
    asked = (
        "# Citation\n\nIf you use GenLib in your research, please cite us! The citation can be exported from "
    )
    text = readme(asked + "[the paper](https://arxiv.org/abs/2307.15208).\n")
    result = run({"README.md": text})
    assert result.outcome is Outcome.PASS and result.evidence[0].url == "https://arxiv.org/abs/2307.15208"
    # a link that is no paper's identifier, or a paper linked without a request, is not enough
    assert (
        run({"README.md": readme(asked + "[our website](https://genlib.org/cite).\n")}).outcome
        is Outcome.FAIL
    )
    linked = readme("Read [the paper](https://arxiv.org/abs/2307.15208) for details.\n")
    assert run({"README.md": linked}).outcome is Outcome.FAIL


def test_a_request_to_cite_the_softwares_zenodo_doi_passes():
    # medicaltorch: "Please cite this work …, use the [DOI provided](zenodo latestdoi) by Zenodo"
    text = readme(
        "## Citing VolKit\n\nPlease cite this work if you found it useful, use the "
        "[DOI provided](https://zenodo.org/badge/latestdoi/123063153) by Zenodo to cite this work.\n"
    )
    result = run({"README.md": text})
    assert result.outcome is Outcome.PASS and "zenodo.org/badge/latestdoi" in (result.evidence[0].url or "")
    # Zenodo holding the data, linked without a request to cite, is no citation
    data = readme("## Data\n\nThe volumes are on [Zenodo](https://zenodo.org/records/7654321).\n")
    assert run({"README.md": data}).outcome is Outcome.FAIL


def test_plain_text_reference_passes_with_a_note():
    text = readme(
        "## Citation\n\nJ. Doe and R. Roe. Boundary-aware segmentation of cardiac MRI. MICCAI 2024.\n"
    )
    result = run({"README.md": text})
    assert result.outcome is Outcome.PASS and "plain-text" in result.message


def test_a_request_to_acknowledge_the_work_by_citing_it_with_its_reference_passes():
    text = (
        "# Slide classification\n\nIf you leverage this code in your work, we would appreciate if you "
        "acknowledge it by citing this paper:\n\n> Doe, J. & Roe, R. Reproducible pathology pipelines. "
        "J. Digit. Pathol. 12 (2023). doi:[10.1000/jdp.2023.12](https://doi.org/10.1000/jdp.2023.12)\n"
    )
    result = run({"README.md": text})
    assert result.outcome is Outcome.PASS and "plain-text" in result.message
    # others' work named in passing is still no citation of this one
    assert run({"README.md": "# T\n\nWe use the loss of Doe et al. (2023).\n"}).outcome is Outcome.FAIL


def test_a_request_to_cite_just_below_the_reference_points_back_to_it():
    text = (
        "# SeqRec\n\nThis is our implementation for the paper:\n\n"
        "A. Doe, B. Roe (2018). *Sequential recommendation by attention.* In Proc. ICDM'18.\n\n"
        "Please cite our paper if you use the code or datasets.\n"
    )
    result = run({"README.md": text})
    assert result.outcome is Outcome.PASS and result.evidence[0].line == 5
    far = text.replace("\n\nPlease cite", "\n\nIt runs on TF 1.12.\n\nIt needs a GPU.\n\nPlease cite")
    assert run({"README.md": far}).outcome is Outcome.FAIL  # a request far below says nothing of it


def test_reference_set_in_a_code_block_under_citation_passes():
    text = readme(
        "## Citation\n\n```\nDoe, J. et al. Boundary-aware segmentation of cardiac MRI. Nat. Mach. Intell. (2024).\n```\n"
    )
    assert run({"README.md": text}).outcome is Outcome.PASS


def test_only_the_repositorys_own_citation_counts_and_the_message_names_its_file():
    other = "# Dataset X\n\nA public CT dataset.\n\n" + BIBTEX
    files = {
        "README.md": "# Medical datasets\n\nSee [Dataset X](resources/dataset_x.md).\n",
        "resources/dataset_x.md": other,
    }
    assert run(files).outcome is Outcome.FAIL  # a description page citing others
    unlinked = {"README.md": "# Monorepo\n\nTwo tools.\n", "tool_a/README.md": "# Tool A\n\n" + BIBTEX}
    assert run(unlinked).outcome is Outcome.FAIL  # a subfolder's README, not linked for citing
    pointed = {
        "README.md": "# SegTool\n\nTo cite this work, see [CITING.md](CITING.md).\n",
        "CITING.md": BIBTEX,
    }
    result = run(pointed)
    assert result.outcome is Outcome.PASS and "CITING.md" in result.message
    assert run({"README.md": readme(README_CITATION)}).message.endswith("(README.md)")


def test_bibtex_the_readme_asks_to_cite_counts_even_under_acknowledgements():
    text = readme(
        "## Acknowledgement\n\nIf you find SegTool useful, please cite using this BibTeX:\n\n" + BIBTEX
    )
    assert run({"README.md": text}).outcome is Outcome.PASS
    text = readme("## References and Acknowledgements\n\n" + BIBTEX)
    assert run({"README.md": text}).outcome is Outcome.PASS


def test_a_request_to_cite_followed_by_a_reference_in_words_passes():
    cases = [
        "## License\n\nIf you use this software, please cite us in your publications:\n\n"
        "[2018] A. Author and B. Author. SegTool: boundary-aware segmentation. arXiv:1806.00001, 2018.\n",
        "## Publication\n\nIf you find this repository useful, please cite:\n\n- **Boundary-aware segmentation**  \n"
        "A. Author, B. Author  \nMICCAI 2022. [arXiv](https://arxiv.org/abs/2206.00001)\n",
        "REFERENCES:\n\n[1] Author, A. et al. (2015). A radiomics model for lung metastases. Phys Med Biol, 60(14).\n",
        # "also" asks for this work's paper besides using the data
        "Please also cite this [paper](https://arxiv.org/abs/2105.00001) if you use the dataset.\n\n"
        "```\nA. Author, B. Author. SpineSet: a large CT dataset. arXiv:2105.00001 (2021).\n```\n",
    ]
    for text in cases:
        assert run({"README.md": readme(text)}).outcome is Outcome.PASS, text
    theirs = "Please also cite their work:\n\n```\nC. Other. The U-Net. MICCAI (2015).\n```\n"
    assert run({"README.md": readme(theirs)}).outcome is Outcome.FAIL


def test_a_bibtex_file_named_citation_at_the_root_is_the_citation():
    bib = "@manual{segtool,\n  author = {A. Author},\n  title = {SegTool},\n  year = {2024}\n}\n"
    result = run({"README.md": readme("A library.\n"), "CITATION": bib})
    assert result.outcome is Outcome.PASS and result.message == "BibTeX in CITATION"
    # the same file in a subfolder cites something else
    assert run({"README.md": readme("A library.\n"), "docs/CITATION": bib}).outcome is Outcome.FAIL


def test_a_readme_that_could_not_be_read_leaves_the_citation_unknown():
    # listed, over the clone's size limit: what it says is not known
    result = run({"README.md": LARGE})
    assert result.outcome is Outcome.UNKNOWN and "README.md could not be read" in result.message
    assert [e.path for e in result.evidence] == ["README.md"]
    # an invalid CITATION.cff beside it does not decide: the README may hold BibTeX
    result = run({"README.md": LARGE, "CITATION.cff": "cff-version: 1.2.0\n"})
    assert result.outcome is Outcome.UNKNOWN and "invalid" in result.message
    # nor does it when a valid citation is found elsewhere
    assert run({"README.md": LARGE, "CITATION.cff": VALID_CFF}).outcome is Outcome.PASS


def test_a_citation_cff_that_could_not_be_read_is_unknown_not_invalid():
    result = run({"README.md": "# T\n", "CITATION.cff": LARGE})
    assert result.outcome is Outcome.UNKNOWN and result.message == "CITATION.cff could not be read"
    # a citation in the README still passes
    assert run({"README.md": readme(README_CITATION), "CITATION.cff": LARGE}).outcome is Outcome.PASS
