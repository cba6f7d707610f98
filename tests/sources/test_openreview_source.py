"""OpenReview API v2 against a local fake: a venue's accepted papers by `content.venueid`, its
submissions by invitation, URL fields as paper-page links, pages of 1,000 notes, errors."""

from __future__ import annotations

import time

import pytest
from paperservers import Fault, openreview_note

from auditor.models import LinkKind, LinkOrigin
from auditor.papers.extract import analyze_paper
from auditor.sources.base import day_of_millis
from auditor.sources.openreview import OpenReview

VENUE = "MIDL.io/2025/Conference"


@pytest.fixture
def venues(services, source_client):
    return lambda: OpenReview(source_client(), api=services.openreview_api)


def test_accepted_papers_with_their_code_and_supplementary_fields(services, venues):
    services.openreview[VENUE] = [
        openreview_note(
            "abcXYZ",
            "MIDLNet: segmentation",
            "We segment. Our code will be released.",
            code="https://github.com/lab/MIDLNet",
            supplementary_material="/attachment/abc.zip",
            TLDR="A net; demo at https://midlnet.github.io",
        ),
        openreview_note("plain1", "Plain: no links", "Nothing."),
    ]
    listing = venues().venue(VENUE, max_papers=100)
    assert listing.problems == []
    first, second = listing.papers
    assert services.hits[0].query == {"content.venueid": VENUE, "limit": "100", "offset": "0"}
    assert first.key == "abcXYZ" and first.paper.page == "https://openreview.net/forum?id=abcXYZ"
    assert first.paper.date == "2025-06-12"
    assert first.pdf is not None and first.pdf.locator == f"{services.openreview_api}/pdf?id=abcXYZ"
    found = analyze_paper(first.paper)
    assert [(link.url, link.kind, link.origin, link.field) for link in found.links] == [
        ("https://github.com/lab/MIDLNet", LinkKind.GITHUB_REPO, LinkOrigin.PAPER_PAGE, "code"),
        (
            "https://openreview.net/attachment/abc.zip",
            LinkKind.OTHER,
            LinkOrigin.PAPER_PAGE,
            "supplementary_material",
        ),
        ("https://midlnet.github.io", LinkKind.PROJECT_PAGE, LinkOrigin.PAPER_PAGE, "TLDR"),
    ]
    assert analyze_paper(second.paper).links == []  # the bibtex's forum link is not the paper's


def test_submissions_by_invitation_read_in_pages(services, venues):
    invitation = f"{VENUE}/-/Submission"
    services.openreview[invitation] = [openreview_note(f"n{i}", f"Paper {i}", "x") for i in range(1001)]
    listing = venues().venue(invitation, max_papers=5000)
    assert len(listing.papers) == 1001
    assert [(h.query["invitation"], h.query["offset"]) for h in services.hits] == [
        (invitation, "0"),
        (invitation, "1000"),
    ]


def test_an_unknown_venue_and_errors_are_problems(services, venues):
    empty = venues().venue("Nope/2025", max_papers=10)
    assert empty.papers == [] and "no public notes" in empty.problems[0].message
    services.fail("/openreview/notes", Fault(403, b'{"name": "ForbiddenError", "message": "Forbidden"}'))
    forbidden = venues().venue(VENUE, max_papers=10)
    assert [p.message for p in forbidden.problems] == ["the OpenReview API answered 403: Forbidden"]
    services.fail("/openreview/notes", Fault(200, b'{"notes": "nope"}'))
    assert "without a list of notes" in venues().venue(VENUE, max_papers=10).problems[0].message
    services.openreview[VENUE] = [{"id": "x", "content": "flat"}, openreview_note("ok", "Fine", "x")]
    mixed = venues().venue(VENUE, max_papers=10)
    assert [item.paper.title for item in mixed.papers] == ["Fine"]
    assert [(p.source.line, p.message) for p in mixed.problems] == [(1, "note without content; skipped")]


@pytest.fixture
def los_angeles(monkeypatch):
    """The machine's time zone eight hours behind UTC, set back afterwards."""
    monkeypatch.setenv("TZ", "America/Los_Angeles")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_a_date_is_the_utc_day_whatever_the_machines_time_zone(services, venues, los_angeles):
    midnight = 1_749_686_400_000  # 2025-06-12T00:00:00Z, still 2025-06-11 in Los Angeles
    assert time.localtime(midnight / 1000).tm_mday == 11  # the zone took effect
    assert day_of_millis(midnight) == "2025-06-12"
    services.openreview[VENUE] = [openreview_note("late1", "Late: a paper", "x", pdate=midnight)]
    [listed] = venues().venue(VENUE, max_papers=10).papers
    assert listed.paper.date == "2025-06-12"


def test_an_error_answer_nested_past_what_json_can_follow_is_still_that_error(services, venues):
    services.fail("/openreview/notes", Fault(403, b'{"a":' * 100_000))
    forbidden = venues().venue(VENUE, max_papers=10)
    assert [p.message for p in forbidden.problems] == ["the OpenReview API answered 403"]
