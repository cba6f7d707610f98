"""A table of patterns from the data files: each compiled, with the table's flags, when first used."""

import re

import pytest

from auditor.data import Patterns


def test_a_pattern_is_compiled_with_the_tables_flags_when_asked_for_and_kept():
    table = Patterns({"weights": r"\.pth?\b", "broken": r"(unclosed"}, re.IGNORECASE)
    assert list(table) == ["weights", "broken"] and len(table) == 2
    assert table["weights"].search("MODEL.PTH") is not None
    assert table["weights"] is table["weights"]
    with pytest.raises(re.error):  # a pattern no one asked for was never compiled
        table["broken"]
    with pytest.raises(KeyError):
        table["missing"]
