"""arXiv's Atom API against a local fake: paging, arXiv's 3 s spacing measured on the server's
clock (the client sleeps on the same fake clock, so no test waits), ids, comments, errors."""

from __future__ import annotations

import itertools
from datetime import date

import pytest
from paperservers import ATOM_ERROR, Fault, PaperServices, atom_entry

from auditor.models import LinkOrigin
from auditor.papers.extract import analyze_paper
from auditor.sources.arxiv import Arxiv


@pytest.fixture
def archive(services, source_client):
    return lambda: Arxiv(source_client(), api=services.arxiv_api, site=services.arxiv_site)


def spacing(services: PaperServices) -> list[float]:
    times = [h.at for h in services.hits]
    return [b - a for a, b in itertools.pairwise(times)]


def test_a_query_is_paged_and_requests_are_three_seconds_apart_on_the_servers_clock(services, archive):
    services.arxiv_entries = [atom_entry(f"2506.{n:05d}v1", f"Paper {n}", "An abstract.") for n in range(250)]
    listing = archive().query(
        "cat:eess.IV AND abs:segmentation", dates=(date(2025, 6, 1), date(2025, 6, 30)), max_papers=1000
    )
    assert len(listing.papers) == 250 and listing.problems == []
    assert [h.query["start"] for h in services.hits] == ["0", "100", "200"]
    assert services.hits[0].query["search_query"] == (
        "(cat:eess.IV AND abs:segmentation) AND submittedDate:[202506010000 TO 202506302359]"
    )
    assert min(spacing(services)) >= 3.0


def test_retries_keep_the_spacing_too(services, archive):
    services.arxiv_entries = [atom_entry("2506.00001v2", "One", "An abstract.")]
    services.fail("/arxiv/api/query", Fault(503), Fault(500))
    listing = archive().query("all:one", dates=None, max_papers=10)
    assert len(listing.papers) == 1 and len(services.hits) == 3
    assert min(spacing(services)) >= 3.0


def test_ids_and_the_comment_field_as_a_paper_page_passage(services, archive):
    services.arxiv_entries = [
        atom_entry(
            "2506.00002v3",
            "Commented: a\n   wrapped title",
            "We segment.\n  Nothing more.",
            comment="MICCAI 2025. Code: https://github.com/lab/Commented",
        ),
        atom_entry("2506.00003v1", "Other", "x"),
    ]
    listing = archive().ids(["2506.00002", "2506.00099"])
    [listed] = listing.papers
    assert listed.key == "2506.00002"
    paper = listed.paper
    assert (paper.title, paper.abstract, paper.date) == (
        "Commented: a wrapped title",
        "We segment. Nothing more.",
        "2025-06-12",
    )
    assert paper.page == f"{services.arxiv_site}/abs/2506.00002v3"
    assert listed.pdf is not None and listed.pdf.locator == f"{services.arxiv_site}/pdf/2506.00002v3"
    [link] = analyze_paper(paper).links
    assert (link.url, link.origin, link.field) == (
        "https://github.com/lab/Commented",
        LinkOrigin.PAPER_PAGE,
        "comment",
    )
    assert services.hits[0].query["id_list"] == "2506.00002,2506.00099"


@pytest.mark.parametrize(
    ("fault", "message"),
    [
        (Fault(400, ATOM_ERROR.encode()), "the arXiv API says: incorrect id format for 1234.12345"),
        (Fault(200, ATOM_ERROR.encode()), "the arXiv API says: incorrect id format for 1234.12345"),
        (Fault(200, b"<feed><entry>cut"), "the arXiv API answered malformed XML"),
        (
            Fault(200, b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><feed/>'),
            "XML with a DTD; refused",
        ),
        (Fault(200, b"<html>maintenance</html>"), "not an Atom feed"),
        (Fault(404, b"gone"), "the arXiv API answered 404"),
    ],
)
def test_errors_are_a_problem_of_the_query(services, archive, fault, message):
    services.fail("/arxiv/api/query", fault)
    listing = archive().ids(["1234.12345"])
    assert listing.papers == []
    assert message in listing.problems[0].message
