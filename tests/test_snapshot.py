"""The snapshot's name test: shell patterns, case-insensitive, as fnmatch reads them."""

import fnmatch

import pytest

from auditor.acquire.snapshot import name_matcher

PATTERNS = (
    "requirements*.txt",
    "*env.yml",
    "dockerfile",
    "dockerfile.*",
    "[mM]akefile",
    "a?c",
    "x[0-9].lock",
)
NAMES = [
    "requirements.txt",
    "Requirements-Dev.TXT",
    "requirements.txt.bak",
    "my_env.yml",
    "env.yml.orig",
    "Dockerfile",
    "dockerfile.gpu",
    "dockerfiles",
    "MAKEFILE",
    "akefile",
    "abc",
    "abbc",
    "x7.lock",
    "xa.lock",
    "train.py",
    "",
]


@pytest.mark.parametrize("name", NAMES)
def test_matches_exactly_what_fnmatch_matches_ignoring_case(name):
    expected = any(fnmatch.fnmatchcase(name.lower(), p.lower()) for p in PATTERNS)
    assert name_matcher(PATTERNS)(name) is expected


def test_a_pattern_without_literal_head_or_tail_matches_any_name():
    assert name_matcher(("*.txt", "*"))("train.py")
    assert not name_matcher(("*.txt",))("train.py")
