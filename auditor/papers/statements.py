"""Classify what an abstract says about its code: available, promised, claimed with no link, or a
survey's reading list (the works it reviews, which is not the paper's own code).

The patterns are data (`data/statements.yaml`); this module only applies them sentence by
sentence, so a reviewer can read why a sentence was classified the way it was.
"""

from __future__ import annotations

import re
from functools import cache
from typing import NamedTuple

from auditor.data import load_yaml
from auditor.models import CodeStatement, LinkKind, StatementKind
from auditor.papers.links import extract_links

# A sentence ends at . ! ? followed by space and an uppercase letter or a digit; URLs keep their dots
# because a dot inside a URL is not followed by a space.
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\[(\"'])")
# "will" may stand a few words before the verb it governs ("We will release our code").
_AUXILIARY_REACH = 25
_CODE_KINDS = (LinkKind.GITHUB_REPO, LinkKind.CODE_HOST)


class _Patterns(NamedTuple):
    code_subject: re.Pattern[str]
    not_a_claim: re.Pattern[str]
    host_claim: re.Pattern[str]
    availability: re.Pattern[str]
    future: re.Pattern[str]
    reading_list: re.Pattern[str]


@cache
def _patterns() -> _Patterns:
    data = load_yaml("statements.yaml")

    def union(key: str) -> re.Pattern[str]:
        return re.compile("|".join(f"(?:{p})" for p in data[key]), re.IGNORECASE)

    return _Patterns(**{k: union(k) for k in _Patterns._fields})


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.split(text) if s.strip()]


def classify_sentence(sentence: str) -> CodeStatement | None:
    """The code statement a sentence makes, or None if it makes none."""
    p = _patterns()
    links = extract_links(sentence)
    names_code = bool(p.code_subject.search(sentence)) and not p.not_a_claim.search(sentence)
    host_claim = bool(p.host_claim.search(sentence))
    code_link = any(link.kind in _CODE_KINDS for link in links)
    if not p.availability.search(sentence) or not (names_code or host_claim or code_link):
        return None
    urls = [link.url for link in links]
    if p.reading_list.search(sentence):
        kind = StatementKind.READING_LIST
    elif p.future.search(_code_phrase(sentence, p)):
        kind = StatementKind.PROMISED
    elif not urls:
        kind = StatementKind.CLAIMED_NO_LINK
    else:
        kind = StatementKind.AVAILABLE
    return CodeStatement(kind=kind, text=sentence, links=urls)


def _code_phrase(sentence: str, p: _Patterns) -> str:
    """The words from the code subject to its nearest availability verb, where tense is read.

    A sentence can speak of several things in different tenses ("the code is available at …, and
    the labels will be made available …"); only the phrase about the code decides.
    """
    subject = p.code_subject.search(sentence)
    if subject is None:
        return sentence
    verb = min(
        p.availability.finditer(sentence),
        key=lambda m: min(abs(m.start() - subject.end()), abs(subject.start() - m.end())),
    )
    start = max(0, min(subject.start(), verb.start()) - _AUXILIARY_REACH)
    return sentence[start : max(subject.end(), verb.end())]


def find_statements(text: str) -> list[CodeStatement]:
    return [s for s in map(classify_sentence, sentences(text)) if s is not None]
