"""Full text: PDFs generated here (a repository only in a footnote, a link broken across lines, a
link annotation behind "here", references), and the PDFs that are not papers: each a problem of
its paper while the others are read."""

from __future__ import annotations

import itertools

import pytest
from paperservers import Fault
from pdfs import Page, make_pdf

from auditor.models import LinkKind, LinkOrigin, Paper, SourceRef, StatementKind
from auditor.papers.extract import analyze_paper
from auditor.sources.base import FullTextRef
from auditor.sources.collect import with_full_text
from auditor.sources.fulltext import FullTextReader
from auditor.sources.pdf import PdfError, extract, repair

BODY = "We propose a model for organ segmentation that is fast and accurate on three datasets."

PAPER = make_pdf(
    [
        Page(["FootNet: footnotes are where code hides", BODY, "It needs little memory."]),
        Page(
            [
                "Our code is publicly available.2 We compare with nnU-Net (https://github.com/MIC-DKFZ/nnUNet).",
                "The results are in Table 2.",
                "2 https://github.com/lab/FootNet",
            ]
        ),
        Page(
            [
                "The trained weights are available at https://github.com/lab/",
                "FootNet-weights and the data is public.",
                "Our training code is available here.",
            ],
            links=["https://github.com/lab/FootNet-weights", "https://gitlab.com/lab/scripts"],
        ),
        Page(
            [
                "References",
                "[1] Isensee et al. https://github.com/MIC-DKFZ/nnUNet",
                "[2] Code is available at https://github.com/other/cited.",
            ]
        ),
    ],
    title="FootNet: footnotes are where code hides",
)


def passages_of(data: bytes) -> list[tuple[int | None, str]]:
    return [(p.page, p.text) for p in extract(data).passages]


def test_a_repository_only_in_a_footnote_is_found_with_its_page():
    found = extract(PAPER)
    assert found.title == "FootNet: footnotes are where code hides" and found.pages == 4
    paper = Paper(id="footnet", title=found.title, passages=found.passages, source=SourceRef(file="t.pdf"))
    links = analyze_paper(paper).links
    footnote = next(link for link in links if link.url == "https://github.com/lab/FootNet")
    assert (footnote.kind, footnote.origin, footnote.page) == (LinkKind.GITHUB_REPO, LinkOrigin.FULL_TEXT, 2)
    statements = analyze_paper(paper).statements
    assert [(s.kind, s.page) for s in statements if "publicly" in s.text] == [(StatementKind.AVAILABLE, 2)]


def test_a_link_broken_across_lines_is_joined_and_a_linked_here_is_followed():
    links = {
        (link.url, link.page)
        for link in analyze_paper(
            Paper(id="f", title="F", passages=extract(PAPER).passages, source=SourceRef(file="t"))
        ).links
    }
    assert ("https://github.com/lab/FootNet-weights", 3) in links
    assert ("https://gitlab.com/lab/scripts", 3) in links
    assert not any(
        url in ("https://github.com/lab", "https://github.com/lab/FootNet-weights-and") for url, _ in links
    )


def test_other_peoples_code_and_the_references_are_not_the_papers():
    urls = {
        link.url
        for link in analyze_paper(
            Paper(id="f", title="F", passages=extract(PAPER).passages, source=SourceRef(file="t"))
        ).links
    }
    assert "https://github.com/other/cited" not in urls  # after the References heading
    # nnU-Net's link stands in the sentence that says the paper's code is available: kept, as in
    # an abstract; a sentence that only uses it ("we compare with …") would not be read.
    assert (
        extract(make_pdf([Page(["We compare with nnU-Net (https://github.com/MIC-DKFZ/nnUNet)."])])).passages
        == ()
    )


@pytest.mark.parametrize(
    ("text", "annotations", "expected"),
    [
        ("at https://github.com/lab/\nSegTool and more", [], "at https://github.com/lab/SegTool\nand more"),
        ("at https://github.com/lab/Seg-\nTool.", [], "at https://github.com/lab/Seg-Tool."),
        ("see 1https://github.com/lab/SegTool", [], "see https://github.com/lab/SegTool"),
        ("see ¹github.com/lab/SegTool", [], "see https://github.com/lab/SegTool"),
        (
            "at https://github.com/lab/Seg\nTool",
            ["https://github.com/lab/SegTool"],
            "at https://github.com/lab/SegTool\nTool",
        ),
        ("email me@github.com/x", [], "email me@github.com/x"),
    ],
)
def test_repair_of_urls_in_pdf_text(text, annotations, expected):
    assert repair(text, annotations) == expected


def test_what_is_not_a_readable_paper_says_why():
    with pytest.raises(PdfError, match="not a PDF"):
        extract(b"<html><body>Sign in</body></html>")
    with pytest.raises(PdfError, match="encrypted PDF that needs a password"):
        extract(make_pdf([Page(["Our code is available at https://github.com/a/b."])], password="secret"))
    with pytest.raises(PdfError, match="unreadable PDF"):
        extract(b"%PDF-1.7\n" + b"\x00garbage" * 100)


def test_full_text_is_read_per_paper_cached_and_a_bad_pdf_is_that_papers_problem(
    services, source_client, tmp_path
):
    services.files["/arxiv/pdf/2506.00001"] = PAPER
    services.files["/arxiv/pdf/2506.00002"] = b"<!doctype html><title>Just a moment...</title>"
    services.files["/arxiv/pdf/2506.00003"] = make_pdf([Page(["x"])], password="secret")
    # A 500 MB "PDF": the transport refuses it from its declared length, without reading it.
    endless = itertools.repeat(b"\0" * 65536, 8000)
    services.fail(
        "/arxiv/pdf/2506.00004",
        Fault(200, endless, {"Content-Length": str(500 * 1024 * 1024), "Content-Type": "application/pdf"}),
    )
    reader = FullTextReader(source_client(), tmp_path / "cache")
    papers = [Paper(id=f"p{n}", title=f"Paper {n}", source=SourceRef(file="listing")) for n in range(1, 6)]
    pdfs = {
        f"p{n}": FullTextRef(f"{services.arxiv_site}/pdf/2506.0000{n}", "arxiv.org", "arXiv")
        for n in range(1, 5)
    }

    read, problems = with_full_text(papers, pdfs, reader)

    assert [p.id for p in read] == ["p1", "p2", "p3", "p4", "p5"]
    assert {link.url for link in analyze_paper(read[0]).links} >= {"https://github.com/lab/FootNet"}
    assert [p.passages for p in read[1:]] == [(), (), (), ()]
    messages = sorted(p.message for p in problems)
    assert len(messages) == 3
    assert "not a PDF" in messages[0] and "'Paper 2'" in messages[0]
    assert "encrypted PDF that needs a password" in messages[1]
    assert "answer of 524288000 bytes is over the 52428800-byte cap; not read" in messages[2]
    spaced = [h.at for h in services.hits]
    assert all(b - a >= 3.0 for a, b in zip(sorted(spaced), sorted(spaced)[1:], strict=False))  # arXiv's pace

    services.hits.clear()
    again, _ = with_full_text(papers[:1], pdfs, reader)
    assert again == read[:1] and services.hits == []  # the extracted passages came from the cache


def test_a_cache_entry_that_cannot_be_written_leaves_no_temporary_file(services, source_client, tmp_path):
    services.files["/arxiv/pdf/2506.00001"] = PAPER
    reader = FullTextReader(source_client(), tmp_path / "cache")
    ref = FullTextRef(f"{services.arxiv_site}/pdf/2506.00001", "arxiv.org", "arXiv")
    blocked = reader._path(ref.locator)
    assert blocked is not None
    (blocked / "in-the-way").mkdir(parents=True)  # a folder where the entry goes: the rename fails
    with pytest.raises(OSError):
        reader.read(ref)
    assert [p.name for p in blocked.parent.iterdir()] == [blocked.name]
