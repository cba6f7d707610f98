"""One symbol per outcome, shared by the Markdown, terminal and HTML views."""

from auditor.models import CheckResult, Outcome

SYMBOLS = {
    Outcome.PASS: "✅",
    Outcome.FAIL: "❌",
    Outcome.UNKNOWN: "❔",
    Outcome.NOT_APPLICABLE: "➖",
    Outcome.ERROR: "⚠️",
}
# An item the author waived, with a reason: never shown as passed.
WAIVED = "🏳️"

LEGEND = ", ".join(f"{symbol} {outcome.value}" for outcome, symbol in SYMBOLS.items()) + f", {WAIVED} waived"


def result_symbol(result: CheckResult) -> str:
    """The outcome's symbol, or the waiver's for a waived item that did not pass."""
    return WAIVED if result.waived else SYMBOLS[result.outcome]


def score_text(score: float | None) -> str:
    return "–" if score is None else f"{round(score * 100)}%"
