"""Tables of results in a README: numbers of metrics, as a reader checks a reproduction against.

A table counts when its header or first column names metrics (Dice, AUC, Top-1 …) over decimal
numbers, or when it sits in a results section; tables of settings, hyper-parameters, versions or
of what the data is are not results.
"""

from __future__ import annotations

import re
from functools import cache

from auditor.data import data_table
from auditor.facts.documents import root_document
from auditor.facts.markdown import Table, Text, section_of
from auditor.facts.repository import Facts, fact

_NUMBER = re.compile(r"^[~≈<>±+\-\u2212]?\s*\d{1,3}(?:[.,]\d+)?\s*(?:%|±\s*\d+(?:[.,]\d+)?%?)?$")
_DECIMAL = re.compile(r"\d[.,]\d|\d\s*%")
METRIC = re.compile(
    r"\b(dice|dsc|iou|miou|jaccard|auc|auroc|roc|acc(uracy)?|f1|precision|recall|sensitivity|specificity|"
    r"hd95|hd|hausdorff|asd|assd|nsd|mae|mse|rmse|psnr|ssim|lpips|fid|bleu|rouge|meteor|cider|bertscore|"
    r"map|ap\d*|top-?1|top-?5|kappa|c-?index|ece|error|loss|score|r2|pcc|srcc|ncc|sts|spearman|pearson|"
    r"wer|cer|perplexity|ppl|bpd|nll|ndcg|mrr|hits@\d+|l[12])\b",
    re.IGNORECASE,
)
# Tables of the setup, which are not results wherever they stand; with what the data is, headings
# that say something other than results ("Dataset statistics").
_SETUP = re.compile(
    r"\b(hyper-?parameters?|parameters?|settings?|config(uration)?|implementation details?|training details?|"
    r"statistics|license|requirements?|versions?)\b",
    re.IGNORECASE,
)
# A row of this work's own scores ("Ours", "Our paper", "Released model"): a table comparing it is
# results, whatever its header names (datasets, tasks) and wherever it stands.
_OWN_ROW = re.compile(
    r"^(ours|our (method|model|paper|approach|results?)|(the )?proposed( method| model)?|this (work|paper)|"
    r"(paper|reported|reproduced|released)( model| results?)?)\W*$",
    re.IGNORECASE,
)
NOT_RESULTS = re.compile(r"\b(dataset|data ?sets?|modalit(y|ies)|classes)\b|" + _SETUP.pattern, re.IGNORECASE)
MIN_NUMBERS = 3


def _clean(cell: str) -> str:
    # GitHub renders math: `$51.68\pm19.86$` is 51.68 ± 19.86
    cell = cell.replace("\\pm", "±").replace("$", "")
    return re.sub(r"[*_`↑↓]|\\", "", cell).strip()


def _numeric(cell: str) -> bool:
    cell = _clean(cell)
    return bool(_NUMBER.match(cell)) and bool(_DECIMAL.search(cell))


def _results_table(table: Table, results_section: bool) -> bool:
    numbers = sum(1 for row in table.rows for cell in row if _numeric(cell))
    # a header of two rows (groups, then metrics) puts the metric names in the first body row
    header = " ".join(table.header) + " " + " ".join(table.rows[0] if table.rows else ())
    metric_header = bool(METRIC.search(header))
    if numbers < MIN_NUMBERS and not (metric_header and numbers >= 2 and results_section):
        return False
    first_column = " ".join(row[0] for row in table.rows if row)
    if _SETUP.search(" ".join(table.header)) and not metric_header:
        return False
    if metric_header or METRIC.search(first_column):
        return True
    own = (row for row in table.rows if row and _OWN_ROW.match(_clean(row[0])))
    if any(any(_numeric(cell) for cell in row[1:]) for row in own):
        return True
    return results_section and not _SETUP.search(section_of(table.sections))


@cache
def _results_section() -> re.Pattern[str]:
    return re.compile(data_table("readme")["sections"]["results"], re.IGNORECASE)


def in_results(sections: tuple[str, ...]) -> bool:
    """Whether any of these section titles announces results."""
    return any(_results_section().search(s) for s in sections)


@fact
def results_tables(facts: Facts) -> list[Table]:
    """The README's tables of results."""
    doc = root_document(facts)
    if doc is None:
        return []
    return [t for t in doc.tables if _results_table(t, in_results(t.sections))]


@fact
def results_lines(facts: Facts) -> list[Text]:
    """Lines of the README's results sections that give a metric with a number ("Dice: 0.91",
    "AUC of 87 %"): results listed rather than tabulated."""
    doc = root_document(facts)
    if doc is None:
        return []
    return [
        t for t in doc.texts if in_results(t.sections) and METRIC.search(t.text) and _DECIMAL.search(t.text)
    ]
