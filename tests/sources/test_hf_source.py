"""Hugging Face Papers against a local fake built from the documented answer shapes: search, daily
papers, one paper, the paper-page fields as links marked with their origin, and errors."""

from __future__ import annotations

from datetime import date

import pytest
from paperservers import Fault, hf_item, hf_record

from auditor.data import default_corpus
from auditor.models import LinkKind, LinkOrigin
from auditor.papers.corpus import read_corpus
from auditor.papers.extract import analyze_paper
from auditor.sources.hf import HfPapers

ABSTRACT = "We segment organs. Code is available at https://github.com/lab/Organ."


@pytest.fixture
def hub(services, source_client):
    """Hugging Face Papers on the services; keyword arguments go to its client."""
    return lambda **kwargs: HfPapers(
        source_client(**kwargs), endpoint=services.hf, arxiv_site=services.arxiv_site
    )


def test_a_search_built_from_the_bundled_corpus_gives_its_links_plus_the_paper_page_fields(services, hub):
    """The issue's check: the same papers served as a Hugging Face search answer give every link
    auditing the bundled listing gives, and the paper-page fields' links besides, marked so."""
    bundled = read_corpus(default_corpus()).papers
    extra = {
        0: ("https://github.com/hf-added/first", "https://first.github.io"),
        5: ("https://github.com/hf-added/sixth", None),
        9: (None, "https://lab.example.org/ninth"),
    }
    items = []
    for n, paper in enumerate(bundled):
        github, project = extra.get(n, (None, None))
        items.append(hf_item(f"2506.{n:05d}", paper.title, paper.abstract, github=github, project=project))
    services.hf_search["medical imaging"] = items

    listing = hub().search("medical imaging", max_papers=500)

    assert listing.problems == [] and len(listing.papers) == len(bundled) == 119
    for n, (listed, original) in enumerate(zip(listing.papers, bundled, strict=True)):
        assert listed.paper.id == original.id
        sourced, scraped = analyze_paper(listed.paper), analyze_paper(original)
        from_abstract = [link for link in sourced.links if link.origin is LinkOrigin.ABSTRACT]
        assert from_abstract == scraped.links
        assert sourced.statements == scraped.statements
        page_links = {(link.url, link.field, link.kind) for link in sourced.links} - {
            (link.url, link.field, link.kind) for link in scraped.links
        }
        github, project = extra.get(n, (None, None))
        expected = set()
        if github:
            expected.add((github, "githubRepo", LinkKind.GITHUB_REPO))
        if project:
            expected.add((project, "projectPage", LinkKind.PROJECT_PAGE))
        assert page_links == expected, listed.paper.title
        assert all(link.origin is LinkOrigin.PAPER_PAGE for link in sourced.links if link.field is not None)
    assert services.paths() == ["/hf/api/papers/search"]
    assert services.hits[0].query == {"q": "medical imaging", "limit": "120"}


def test_a_repository_both_in_the_abstract_and_on_the_page_is_one_link_from_the_abstract(services, hub):
    services.hf_search["q"] = [
        hf_item("2506.00001", "Organ: a model", ABSTRACT, github="https://github.com/LAB/organ")
    ]
    [listed] = hub().search("q", max_papers=10).papers
    links = analyze_paper(listed.paper).links
    assert [(link.url, link.origin) for link in links] == [
        ("https://github.com/lab/Organ", LinkOrigin.ABSTRACT)
    ]
    assert listed.paper.page == f"{services.hf}/papers/2506.00001"
    assert listed.paper.date == "2025-06-12"
    assert listed.pdf is not None and listed.pdf.locator == f"{services.arxiv_site}/pdf/2506.00001"


def test_daily_papers_of_a_range_are_read_page_by_page(services, hub):
    services.hf_daily["2026-11-20"] = [
        hf_item(f"2611.{n:05d}", f"Paper {n}", "An abstract.") for n in range(150)
    ]
    services.hf_daily["2026-11-22"] = [hf_item("2611.90000", "Late paper", "Another abstract.")]
    listing = hub().daily([date(2026, 11, 20), date(2026, 11, 21), date(2026, 11, 22)], max_papers=500)
    assert len(listing.papers) == 151 and listing.problems == []
    asked = [(h.query["date"], h.query["p"]) for h in services.hits]
    assert asked == [("2026-11-20", "0"), ("2026-11-20", "1"), ("2026-11-21", "0"), ("2026-11-22", "0")]


def test_one_paper_by_arxiv_id_and_a_missing_one(services, hub):
    services.hf_papers["2506.00007"] = hf_record(
        "2506.00007", "Seven: a paper", "No link here.", project="https://seven.github.io"
    )
    found = hub().paper("2506.00007")
    [listed] = found.papers
    assert [(link.url, link.kind, link.origin, link.field) for link in analyze_paper(listed.paper).links] == [
        ("https://seven.github.io", LinkKind.PROJECT_PAGE, LinkOrigin.PAPER_PAGE, "projectPage")
    ]
    missing = hub().paper("2506.99999")
    assert missing.papers == []
    assert [p.message for p in missing.problems] == ["arXiv 2506.99999 is not on Hugging Face Papers (404)"]


def test_a_rate_limit_is_waited_out_on_the_clock_then_asked_again(services, hub):
    services.hf_search["q"] = [hf_item("2506.00001", "Organ: a model", ABSTRACT)]
    services.fail("/hf/api/papers/search", Fault(429, b"{}", {"RateLimit": '"api";r=0;t=42'}))
    listing = hub().search("q", max_papers=10)
    assert len(listing.papers) == 1 and listing.problems == []
    first, second = services.hits
    assert second.at - first.at >= 42


def test_a_rate_limit_is_waited_once_per_try_and_not_after_the_last(services, hub):
    """The asked wait came on top of the retry's backoff, and was waited after the last try too."""
    services.fail("/hf/api/papers/search", *[Fault(429, b"{}", {"Retry-After": "30"})] * 4)
    start = services.clock()
    listing = hub().search("q", max_papers=10)
    assert [p.message for p in listing.problems] == ["Hugging Face Papers answered 429 4 times"]
    assert len(services.hits) == 4
    assert services.clock() - start == 3 * 30  # three waits between four tries, nothing more


def test_errors_are_a_problem_of_the_source_and_nothing_is_invented(services, hub):
    services.fail("/hf/api/papers/search", Fault(200, b"{not json", {"Content-Type": "application/json"}))
    malformed = hub().search("q", max_papers=10)
    assert malformed.papers == [] and "malformed JSON" in malformed.problems[0].message
    services.fail("/hf/api/papers/search", *[Fault(502)] * 4)
    down = hub().search("q", max_papers=10)
    assert [p.message for p in down.problems] == ["Hugging Face Papers answered 502 4 times"]
    services.fail("/hf/api/papers/search", Fault(429, b"{}", {"Retry-After": "3600"}))
    limited = hub(max_wait=60).search("q", max_papers=10)
    assert "rate-limiting us for 3600 s" in limited.problems[0].message
    services.hf_search["odd"] = [
        {"paper": {"title": "no id"}},
        "not an object",
        hf_item("2506.1", "Fine", "x"),
    ]
    odd = hub().search("odd", max_papers=10)
    assert [item.paper.title for item in odd.papers] == ["Fine"]
    assert [(p.source.line, p.message) for p in odd.problems] == [
        (1, "paper without an id or a title; skipped"),
        (2, "item is not an object"),
    ]


def test_an_answer_nested_past_what_json_can_follow_is_malformed_not_a_crash(services, hub):
    services.fail("/hf/api/papers/search", Fault(200, b"[" * 100_000, {"Content-Type": "application/json"}))
    listing = hub().search("q", max_papers=10)
    assert [p.message for p in listing.problems] == ["Hugging Face Papers answered with malformed JSON"]
