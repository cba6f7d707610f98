"""Results a README lists in words: lines of a results section that give a metric with a number."""

from __future__ import annotations

from snapshots import facts

from auditor.facts.results import results_lines


def test_numeric_lines_of_a_results_section_are_listed_results():
    readme = (
        "# SegTool\n\n## Results\n\n- Dice: 0.912 on ACDC\n- HD95 of 1,8 mm\n- accuracy 87 %\n"
        "- trained for 300 epochs\n- Dice improves over the baseline\n\n"
        "## Training\n\nWe reach a loss of 0.12 after 10 epochs.\n"
    )
    lines = results_lines(facts({"README.md": readme}))
    assert [t.text for t in lines] == ["Dice: 0.912 on ACDC", "HD95 of 1,8 mm", "accuracy 87 %"]
    assert results_lines(facts({"main.py": "print(1)\n" * 10})) == []
