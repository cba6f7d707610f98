"""One symbol per outcome, shared by the Markdown and terminal views."""

from auditor.models import Outcome

SYMBOLS = {
    Outcome.PASS: "✅",
    Outcome.FAIL: "❌",
    Outcome.UNKNOWN: "❔",
    Outcome.NOT_APPLICABLE: "➖",
    Outcome.ERROR: "⚠️",
}

LEGEND = ", ".join(f"{symbol} {outcome.value}" for outcome, symbol in SYMBOLS.items())


def score_text(score: float | None) -> str:
    return "–" if score is None else f"{round(score * 100)}%"
