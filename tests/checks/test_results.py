"""README results: a table of numbers; figures alone are unknown, not a pass."""

from repos import README_RESULTS, TRAIN_PY, readme
from snapshots import facts

from auditor.checks.base import registry
from auditor.models import Outcome


def run(text: str):
    return registry()["readme-results"](facts({"README.md": text, "train.py": TRAIN_PY}))


def test_markdown_results_table_passes():
    text = readme(README_RESULTS)
    result = run(text)
    assert result.outcome is Outcome.PASS
    assert text.splitlines()[result.evidence[0].line - 1].startswith("| Method | Dice")


def test_html_results_table_passes():
    html = (
        "## Main results\n\n<table>\n<tr><th>Method</th><th>DSC</th><th>NSD</th></tr>\n"
        "<tr><td>nnU-Net</td><td>85.2</td><td>88.1</td></tr>\n<tr><td>Ours</td><td>87.9</td><td>90.4</td></tr>\n</table>\n"
    )
    assert run(readme(html)).outcome is Outcome.PASS


def test_numbers_listed_under_a_results_heading_pass():
    text = readme("## Results\n\n- ACDC: Dice 91.85%, HD95 2.10 mm\n- M&Ms: Dice 88.02%, HD95 3.71 mm\n")
    assert run(text).outcome is Outcome.PASS


def test_results_heading_over_images_only_is_unknown():
    text = readme("## Results\n\n![Quantitative comparison](assets/table2.png)\n")
    result = run(text)
    assert result.outcome is Outcome.UNKNOWN
    assert result.evidence[0].note == "assets/table2.png"


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
