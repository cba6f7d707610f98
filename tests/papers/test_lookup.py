"""Paper matching for `auditor run --paper QUERY`, on the bundled corpus."""

import pytest

from auditor.data import default_corpus
from auditor.models import Paper, SourceRef
from auditor.papers.corpus import read_corpus
from auditor.papers.lookup import PaperNotFoundError, find_paper

PAPERS = read_corpus(default_corpus()).papers


@pytest.mark.parametrize(
    ("query", "title_start"),
    [
        ("SegDT", "SegDT: A Diffusion Transformer"),
        ("segdt", "SegDT: A Diffusion Transformer"),
        ("KonfAI", "KonfAI: A Modular"),
        ("Generative Medical Segmentation", "Generative Medical Segmentation"),
        ("hypernetworks for test time", "HyDA: Hypernetworks"),
        ("KonfIA", "KonfAI: A Modular"),  # a typo: one close match
    ],
)
def test_query_finds_one_paper(query, title_start):
    assert find_paper(query, PAPERS).title.startswith(title_start)


def test_acronym_wins_over_substring():
    papers = [_paper("GMS: Generative Medical Segmentation"), _paper("Beyond GMS: a study")]
    assert find_paper("gms", papers).title == "GMS: Generative Medical Segmentation"


def _paper(title: str) -> Paper:
    return Paper(id=title, title=title, source=SourceRef(file="t", line=1))


def test_ambiguous_query_lists_candidates():
    with pytest.raises(PaperNotFoundError) as err:
        find_paper("segment anything", PAPERS)
    assert err.value.ambiguous
    assert len(err.value.candidates) > 1
    assert all("segment anything" in p.title.lower() for p in err.value.candidates)


def test_unknown_query_is_not_ambiguous():
    with pytest.raises(PaperNotFoundError) as err:
        find_paper("quantum chromodynamics on lattices", PAPERS)
    assert not err.value.ambiguous
