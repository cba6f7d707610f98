"""Code statements, specified by sentences from the real corpus."""

import pytest

from auditor.models import StatementKind
from auditor.papers.statements import find_statements

AVAILABLE, PROMISED, NO_LINK, READING_LIST = (
    StatementKind.AVAILABLE,
    StatementKind.PROMISED,
    StatementKind.CLAIMED_NO_LINK,
    StatementKind.READING_LIST,
)

CASES = [
    ("Our code is available at https://github.com/Razaimam45/TCube.", AVAILABLE),
    ("Code will be available at https://github.com/AIGeeksGroup/MediAug.", PROMISED),
    ("We will release our code and model at https://github.com/Joey-S-Liu/MedSAM3.", PROMISED),
    (
        "Code, datasets, and models will be publicly available at https://github.com/apple1986/DD-SAM2.",
        PROMISED,
    ),
    ("Model and code will be made publicly available at: https://github.com/Masaaki-75/meditok.", PROMISED),
    (
        "The pre-trained models and the code are available at https://emmanuelleb985.github.io/ukbob , "
        "and the filtered labels will be made available with the UK Biobank.",
        AVAILABLE,
    ),
    ("Code is merged to a public medical imaging platform: https://github.com/wlsdzyzl/flemme.", AVAILABLE),
    ("Med-MAT is publicly available at https://github.com/FreedomIntelligence/Med-MAT.", AVAILABLE),
    ("Our code is available at TBD.", NO_LINK),
    ("The code will be available soon.", PROMISED),  # a promise, with a link or without
    ("The code is available in (will be available).", NO_LINK),  # the code's own clause is present
    (
        "Our dataset pipeline, model, and codebase will be released to foster further research in "
        "spatially-aware multimodal reasoning for medical applications.",
        PROMISED,
    ),
    ("Our code and dataset are publicly available at SiVar-Med.", NO_LINK),
    (
        "A comprehensive list of Mamba architectures applied in the medical field, reviewed in this "
        "work, is available at Github.",
        READING_LIST,  # a survey's list of what it reviews: not a promise of its own code
    ),
    (
        "In addition, we have compiled the studies discussed in this paper along with their "
        "open-source implementations on our GitHub repository.",
        READING_LIST,
    ),
    (
        "Finally, we gather the overviewed studies with their available open-source implementations "
        "at https://github.com/amirhossein-kz/Awesome-Diffusion-Models-in-Medical-Imaging.",
        READING_LIST,
    ),
    (
        "The project page of this survey can also be found on "
        "https://github.com/zhaozh10/Awesome-CLIP-in-Medical-Imaging.",
        READING_LIST,
    ),
    ("Accompanying code for self-supervised pretraining and finetuning is provided.", NO_LINK),
]


@pytest.mark.parametrize(("sentence", "kind"), CASES)
def test_code_statements(sentence, kind):
    (statement,) = find_statements(sentence)
    assert statement.kind is kind
    assert statement.text == sentence


@pytest.mark.parametrize(
    "sentence",
    [
        "The Medical Imaging with Deep Learning (MIDL) conference has made advancements in this "
        "direction by advocating open access, and recently also recommending authors to make their "
        "code public - both aspects being adopted by the majority of the conference submissions.",
        "We demonstrate the effectiveness of the proposed methods on two publicly available datasets.",
        "The dataset is available at https://flemme-docs.readthedocs.io/en/latest/medpoints.html.",
        "It enables users to define complete training workflows without modifying the underlying code.",
    ],
)
def test_sentences_that_make_no_code_statement(sentence):
    assert find_statements(sentence) == []


def test_each_sentence_of_an_abstract_is_judged_alone():
    abstract = (
        "We propose a method. It works on two publicly available datasets. "
        "Code is available at https://github.com/a/b. Models will be released later."
    )
    assert [s.kind for s in find_statements(abstract)] == [AVAILABLE]
