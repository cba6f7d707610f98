"""README results: a table of numbers, or a results figure; teasers and qualitative figures are not."""

from repos import README_RESULTS, TRAIN_PY, readme
from snapshots import LARGE, facts

from auditor.checks.base import registry
from auditor.models import Outcome


def run(text: str):
    return registry()["readme-results"](facts({"README.md": text, "train.py": TRAIN_PY}))


def test_markdown_results_table_passes():
    text = readme(README_RESULTS)
    result = run(text)
    assert result.outcome is Outcome.PASS
    assert text.splitlines()[result.evidence[0].line - 1].startswith("| Method | Dice")


def test_a_table_with_a_row_of_this_works_scores_is_results_wherever_it_stands():
    # Endo-FM: datasets across, "Our Paper" and "Released Model" down, under a weights heading
    text = readme(
        "## Fine-tuned weights\n\n| Dataset | PolypDiag | CVC-12k | KUMC |\n| --- | --- | --- | --- |\n"
        "| Our Paper | 90.7 | 73.9 | 84.1 |\n| Released Model | 91.5 | 76.6 | 84.0 |\n"
        "| Weights | [link](https://zenodo.org/records/1) | [link](https://zenodo.org/records/2) | - |\n"
    )
    assert run(text).outcome is Outcome.PASS
    # the same sizes of other works' datasets are not this work's scores
    sizes = text.replace("Our Paper", "Volumes (GB)").replace("Released Model", "Frames (k)")
    assert run(sizes).outcome is Outcome.FAIL


def test_a_table_of_scores_written_in_math_is_results():
    # EUNet: "| $l2$ (mm) | Tshirt | Top | … |" then "| MGN+EUNet | $51.68\pm19.86$ | … |"
    text = readme(
        "## Inference\n\n| $l2$ (mm) | Tshirt | Top | Dress |\n| --- | --- | --- | --- |\n"
        "| MGN+Ours | $51.68\\pm19.86$ | $37.65\\pm12.64$ | $103.28\\pm67.49$ |\n"
    )
    assert run(text).outcome is Outcome.PASS


def test_a_model_list_with_a_metric_per_model_is_results():
    table = "## Model list\n\n| Model | Avg. STS |\n| --- | --- |\n| base | 76.25 |\n| large | 78.41 |\n| sup-base | 81.57 |\n"
    assert run(readme(table)).outcome is Outcome.PASS


def test_html_results_table_passes():
    html = (
        "## Main results\n\n<table>\n<tr><th>Method</th><th>DSC</th><th>NSD</th></tr>\n"
        "<tr><td>nnU-Net</td><td>85.2</td><td>88.1</td></tr>\n<tr><td>Ours</td><td>87.9</td><td>90.4</td></tr>\n</table>\n"
    )
    assert run(readme(html)).outcome is Outcome.PASS


def test_numbers_listed_under_a_results_heading_pass():
    text = readme("## Results\n\n- ACDC: Dice 91.85%, HD95 2.10 mm\n- M&Ms: Dice 88.02%, HD95 3.71 mm\n")
    assert run(text).outcome is Outcome.PASS


def test_a_results_image_the_copy_does_not_hold_is_unknown():
    text = readme("## Results\n\n![Quantitative comparison](assets/table2.png)\n")
    result = run(text)
    assert result.outcome is Outcome.UNKNOWN
    assert result.evidence[0].note == "assets/table2.png"
    held = {"README.md": text, "train.py": TRAIN_PY, "assets/table2.png": LARGE}
    assert registry()["readme-results"](facts(held)).outcome is Outcome.UNKNOWN


def images(text: str, *paths: str):
    files = {"README.md": text, "train.py": TRAIN_PY, **{p: b"\x89PNG" + bytes(30) for p in paths}}
    return registry()["readme-results"](facts(files))


def test_an_image_under_a_results_heading_or_named_for_results_is_results_shown():
    result = images(readme("## Main Results\n\n![](assets/abdomen_ct.png)\n"), "assets/abdomen_ct.png")
    assert result.outcome is Outcome.PASS and "as an image" in result.message
    result = images(
        readme("## Comparison with the state of the art\n\n![](figs/fig3.png)\n"), "figs/fig3.png"
    )
    assert result.outcome is Outcome.PASS
    findings = readme("## Evaluation and Findings\n\nKey findings:\n\n![Brain MRI](assets/fig1.png)\n")
    assert images(findings, "assets/fig1.png").outcome is Outcome.PASS
    evaluation = readme("## Evaluation\n\n![](img/Evaluation.png)\n")  # the metrics of four networks
    assert images(evaluation, "img/Evaluation.png").outcome is Outcome.PASS
    pareto = readme("### Better trade-off (memory vs. accuracy)\n\n![](figures/pareto_mcunet.png)\n")
    assert images(pareto, "figures/pareto_mcunet.png").outcome is Outcome.PASS  # a Pareto front
    # named for results anywhere; hosted elsewhere, the alt text says what it is
    assert (
        images(readme("![](docs/benchmark_table.png)\n"), "docs/benchmark_table.png").outcome is Outcome.PASS
    )
    external = readme(
        '<img src="https://github.com/user-attachments/assets/1e6" alt="Table 2: Dice on BTCV">\n'
    )
    assert images(external).outcome is Outcome.PASS


def test_an_image_whose_alt_text_names_a_metric_is_a_results_figure():
    text = readme(
        "## Available models\n\n![WER breakdown by language](https://example.org/assets/f4619d66)\n"
    )
    result = registry()["readme-results"](facts({"README.md": text, "train.py": TRAIN_PY}))
    assert result.outcome is Outcome.PASS and "as an image" in result.message


def test_teaser_architecture_and_qualitative_figures_are_not_results():
    cases = [
        ("## Results\n\n![](assets/teaser.png)\n", "assets/teaser.png"),
        ("## Qualitative Results\n\n![](assets/results.png)\n", "assets/results.png"),
        ("## Results\n\n![Synthetic samples](assets/generations.png)\n", "assets/generations.png"),
        ("## Results\n\n![](assets/segmentation_examples.png)\n", "assets/segmentation_examples.png"),
        # the output of the framework's demo, kept beside the demo's inputs
        ("## Get started\n\n![image](demo/result.jpg)\n", "demo/result.jpg"),
        # an architecture figure whose alt text was copied from a results image
        ('<img src="figures/Architecture.png" alt="Results">\n', "figures/Architecture.png"),
    ]
    for section, path in cases:
        result = images(readme(section), path)
        assert result.outcome is Outcome.FAIL, section
    # a title that names a benchmark does not make the framework figure a result
    titled = "# PerioX: A Panoramic Radiograph Benchmark\n\n![](framework.png)\n"
    assert images(titled, "framework.png").outcome is Outcome.FAIL


def test_a_results_table_with_a_two_row_header_and_task_columns_passes():
    two_rows = (
        "## Results\n\n| Method | Validation | | Test | |\n| --- | --- | --- | --- | --- |\n"
        "| | DSC(%) | NSD(%) | DSC(%) | NSD(%) |\n| Ours | 53.48 ± 38.06 | 43.84 ± 35.29 | - | - |\n"
    )
    assert run(readme(two_rows)).outcome is Outcome.PASS
    tasks = (
        "### ROI Benchmarks\n\n| Model | CRC-100K (9 classes) | TCGA (32 classes) |\n| --- | --- | --- |\n"
        "| ResNet-50 | 0.797 | 0.541 |\n| Ours | 0.925 | 0.595 |\n"
    )
    assert run(readme(tasks)).outcome is Outcome.PASS


def test_results_only_in_a_linked_document_are_not_in_the_readme():
    text = readme("## Performance\n\nSee [the results](docs/performance.md).\n")
    files = {"README.md": text, "train.py": TRAIN_PY, "docs/performance.md": README_RESULTS}
    assert registry()["readme-results"](facts(files)).outcome is Outcome.FAIL


def test_a_software_package_or_a_dataset_release_reports_no_experiments():
    package = "# volkit\n\nResampling for volumes.\n\n```bash\npip install volkit\n```\n"
    files = {
        "README.md": package,
        "pyproject.toml": '[project]\nname = "volkit"\n',
        "volkit/ops.py": TRAIN_PY,
    }
    result = registry()["readme-results"](facts(files))
    assert result.outcome is Outcome.NOT_APPLICABLE and "software package" in result.message
    # how to submit to a challenge's leaderboard (fastMRI) is no experiment the README reports
    files["README.md"] = package + "\n## Submitting to the Leaderboard\n\nSee the challenge's page.\n"
    assert registry()["readme-results"](facts(files)).outcome is Outcome.NOT_APPLICABLE
    release = (
        "# CT-VQA dataset\n\nA dataset of question-answer pairs on CT slices.\n\n"
        "Download it from [Hugging Face](https://huggingface.co/datasets/lab/segtool-vqa).\n"
    )
    result = registry()["readme-results"](facts({"README.md": release, "overview.png": b"\x89PNG"}))
    assert result.outcome is Outcome.NOT_APPLICABLE


def test_a_package_whose_documentation_site_only_a_badge_links_reports_no_experiments():
    # A badge without alt text still shows its words: shields.io writes them in the image's path.
    badge = "[![](https://img.shields.io/badge/docs-latest-blue.svg)](https://acme-lab.github.io/Voxkit.jl/latest/)"
    package = f"# Voxkit.jl\n\n{badge}\n\nReconstruction of undersampled volumes.\n"
    files = {
        "README.md": package,
        "Project.toml": 'name = "Voxkit"\n',
        "src/Voxkit.jl": "module Voxkit\nend\n",
    }
    url = "https://github.com/acme-lab/Voxkit.jl"
    result = registry()["readme-results"](facts(files, url=url))
    assert result.outcome is Outcome.NOT_APPLICABLE and "software package" in result.message
    unlabelled = package.replace("badge/docs-latest-blue.svg", "badge/build-passing-green.svg")
    result = registry()["readme-results"](facts({**files, "README.md": unlabelled}, url=url))
    assert result.outcome is Outcome.FAIL


def test_dataset_statistics_and_hyperparameters_are_not_results():
    text = readme(
        "## Datasets\n\n| Dataset | Modality | Cases | Spacing |\n| --- | --- | --- | --- |\n"
        "| ACDC | MRI | 150 | 1.5 |\n| LiTS | CT | 131 | 0.8 |\n",
        "## Training details\n\n| Hyperparameter | Value |\n| --- | --- |\n| learning rate | 0.0003 |\n"
        "| weight decay | 0.05 |\n| warmup ratio | 0.1 |\n",
    )
    assert run(text).outcome is Outcome.FAIL


def test_no_results_fails():
    assert run(readme("## Usage\n\n```bash\npython train.py\n```\n")).outcome is Outcome.FAIL
