"""The source flags end to end, as a user types them: `run` and `links` alike, combined with
--corpus and --repo, the corpus written beside the report and read back offline, --since last."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from paperservers import atom_entry, hf_item, openreview_note
from pdfs import Page, make_pdf
from repos import complete_repo

import auditor.cli.run
from auditor.cli import main
from auditor.report.files import read_report
from auditor.sources.collect import Spec

ABSTRACT = "We propose a segmentation model for medical images that is fast and accurate on three datasets. "


@pytest.fixture
def services(services, monkeypatch):
    """The services, where the command line finds them: its environment names their URLs."""
    for name, value in services.env().items():
        monkeypatch.setenv(name, value)
    return services


@pytest.fixture
def today(monkeypatch) -> date:
    """The day the command line takes for today, pinned: a test that runs across midnight UTC
    sees one day throughout."""
    day = date(2026, 11, 22)
    for module in (auditor.cli, auditor.cli.run):  # run holds its own name for it
        monkeypatch.setattr(module, "_today", lambda: day)
    return day


@pytest.fixture
def mirror_url(mirror) -> str:
    root, add = mirror
    add("lab", "SegTool", complete_repo())
    add("lab", "PageOnly", {"README.md": "# PageOnly\n", "train.py": "import torch\n"})
    add("lab", "Direct", {"README.md": "# Direct\n"})
    return f"file://{root}/{{owner}}/{{name}}"


def run(*args: str) -> int:
    return main(list(args))


def test_run_combines_a_source_a_corpus_file_and_a_repo_and_writes_the_corpus_it_used(
    services, mirror_url, tmp_path, capsys
):
    services.hf_search["medical imaging"] = [
        hf_item(
            "2506.00001", "SegTool: fast segmentation", ABSTRACT + "Code: https://github.com/lab/SegTool."
        ),
        hf_item("2506.00002", "PageOnly: a paper", ABSTRACT, github="https://github.com/lab/PageOnly"),
    ]
    listing = tmp_path / "mine.jsonl"
    listing.write_text(
        json.dumps({"title": "Mine: my own paper", "abstract": ABSTRACT}) + "\n", encoding="utf-8"
    )
    out = tmp_path / "out"
    args = [
        "--clone-url",
        mirror_url,
        "--cache-dir",
        str(tmp_path / "cache"),
        "--no-network-checks",
        "--quiet",
    ]
    code = run(
        "run",
        "--hf-papers",
        "medical imaging",
        "--openreview",
        "Nope/2025",
        "--corpus",
        str(listing),
        "--repo",
        "https://github.com/lab/Direct",
        "--out",
        str(out),
        *args,
    )
    assert code == 0
    report = read_report(out / "report.json")
    assert [p.paper.title for p in report.papers] == [
        "Mine: my own paper",
        "SegTool: fast segmentation",
        "PageOnly: a paper",
    ]
    assert [a.repo.key for a in report.repos] == [
        "github.com/lab/segtool",
        "github.com/lab/pageonly",
        "github.com/lab/direct",
    ]
    page_only = report.papers[2]
    assert [(link.url, link.origin.value, link.field) for link in page_only.links] == [
        ("https://github.com/lab/PageOnly", "paper-page", "githubRepo")
    ]
    assert [p.message for p in report.problems] == [
        "no public notes for 'Nope/2025' (is the venue id right, and public?)"
    ]
    assert f"wrote {out / 'corpus.jsonl'}" in capsys.readouterr().out

    # The corpus beside the report repeats the run offline: same papers, same links.
    services.hits.clear()
    again = tmp_path / "again"
    assert run("run", "--corpus", str(out / "corpus.jsonl"), "--out", str(again), *args) == 0
    offline = read_report(again / "report.json")
    assert services.hits == []
    assert [(p.paper.title, p.links) for p in offline.papers] == [
        (p.paper.title, p.links) for p in report.papers
    ]


def test_links_takes_the_same_flags_and_marks_each_links_origin(services, tmp_path, capsys):
    services.arxiv_entries = [
        atom_entry("2506.00005v2", "Noted: a paper", ABSTRACT, comment="Code: https://github.com/lab/Noted")
    ]
    services.openreview["MIDL.io/2025/Conference"] = [
        openreview_note("or1", "Venue: a paper", ABSTRACT, code="https://gitlab.com/lab/venue")
    ]
    pdf = tmp_path / "paper.pdf"
    pdf.write_bytes(
        make_pdf(
            [
                Page(
                    ["Local: a PDF paper", ABSTRACT, "Our code is available at https://github.com/lab/Local."]
                )
            ],
            title="Local: a PDF paper",
        )
    )
    code = run(
        "links",
        "--arxiv-id",
        "2506.00005",
        "--openreview",
        "MIDL.io/2025/Conference",
        "--pdf",
        str(pdf),
        "--cache-dir",
        str(tmp_path / "cache"),
        "--json",
    )
    assert code == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [
        (
            r["paper"]["title"],
            [(link["url"], link["origin"], link["field"], link["page"]) for link in r["links"]],
        )
        for r in records
    ] == [
        ("Noted: a paper", [("https://github.com/lab/Noted", "paper-page", "comment", None)]),
        ("Venue: a paper", [("https://gitlab.com/lab/venue", "paper-page", "code", None)]),
        ("Local: a PDF paper", [("https://github.com/lab/Local", "full-text", None, 1)]),
    ]
    run("links", "--arxiv-id", "2506.00005", "--cache-dir", str(tmp_path / "cache"))
    assert "https://github.com/lab/Noted  (paper page: comment)" in capsys.readouterr().out


def test_since_last_reads_only_the_new_days_and_the_report_still_covers_every_paper(
    services, mirror_url, tmp_path, today
):
    yesterday = today - timedelta(days=1)
    services.hf_daily[yesterday.isoformat()] = [hf_item("2611.00001", "Old: yesterday's paper", ABSTRACT)]
    services.hf_daily[today.isoformat()] = [hf_item("2611.00002", "New: today's paper", ABSTRACT)]
    services.files["/arxiv/pdf/2611.00001"] = make_pdf(
        [Page(["Old", "Our code is publicly available.1", "1 https://github.com/lab/SegTool"])]
    )
    services.files["/arxiv/pdf/2611.00002"] = make_pdf(
        [Page(["New", "Code is available at https://github.com/lab/PageOnly."])]
    )
    out = tmp_path / "daily"
    args = [
        "--out",
        str(out),
        "--clone-url",
        mirror_url,
        "--cache-dir",
        str(tmp_path / "cache"),
        "--no-network-checks",
        "--quiet",
        "--full-text",
    ]

    assert run("run", "--hf-daily", yesterday.isoformat(), *args) == 0
    first = read_report(out / "report.json")
    assert [p.paper.title for p in first.papers] == ["Old: yesterday's paper"]
    seen = json.loads((tmp_path / "cache" / "sources" / "seen.json").read_text())
    assert seen["hf-daily"] == {"last": today.isoformat(), "ids": ["2611.00001"]}

    services.hits.clear()
    assert run("run", "--hf-daily", "today", "--since", "last", *args) == 0
    second = read_report(out / "report.json")
    assert [p.paper.title for p in second.papers] == ["Old: yesterday's paper", "New: today's paper"]
    assert [(link.url, link.origin.value, link.page) for link in second.papers[0].links] == [
        ("https://github.com/lab/SegTool", "full-text", 1)
    ]
    assert [a.repo.key for a in second.repos] == ["github.com/lab/segtool", "github.com/lab/pageonly"]
    asked = [(h.path, h.query.get("date")) for h in services.hits]
    assert asked == [("/hf/api/daily_papers", today.isoformat()), ("/arxiv/pdf/2611.00002", None)]


def test_since_last_needs_a_source(tmp_path, capsys):
    assert run("links", "--since", "last", "--cache-dir", str(tmp_path)) == 2
    assert "--since last needs a paper source" in capsys.readouterr().err


def test_since_last_does_not_go_with_one_paper(services, tmp_path, today, capsys):
    """It marked every listed paper seen, kept the one chosen, and read the previous corpus from
    the corpus's report folder while writing the paper's."""
    services.hf_daily[today.isoformat()] = [hf_item("2611.00001", "Seg: a method", ABSTRACT)]
    args = ["--hf-daily", "today", "--since", "last", "--paper", "Seg", "--cache-dir", str(tmp_path)]
    assert run("links", *args) == 2
    assert "does not go with --paper" in capsys.readouterr().err
    assert services.hits == []  # refused before any source was asked


def test_links_save_corpus_collects_once_and_since_last_moves_the_arxiv_window(services, tmp_path, today):
    services.arxiv_entries = [
        atom_entry("2506.00009v1", "Kept: a paper", ABSTRACT + "Code: https://github.com/lab/Kept.")
    ]
    cache, saved = tmp_path / "cache", tmp_path / "corpus.jsonl"
    assert run("links", "--arxiv", "all:kept", "--save-corpus", str(saved), "--cache-dir", str(cache)) == 0
    assert [json.loads(line)["title"] for line in saved.read_text().splitlines()] == ["Kept: a paper"]
    seen = json.loads((cache / "sources" / "seen.json").read_text())
    assert seen["arxiv:all:kept"] == {"last": today.isoformat(), "ids": ["2506.00009"]}

    services.hits.clear()
    services.arxiv_entries = []  # nothing new: the saved corpus still holds the paper
    code = run(
        "links",
        "--arxiv",
        "all:kept",
        "--since",
        "last",
        "--save-corpus",
        str(saved),
        "--cache-dir",
        str(cache),
    )
    assert code == 0
    start = today - timedelta(days=3)
    assert services.hits[0].query["search_query"] == (
        f"(all:kept) AND submittedDate:[{start:%Y%m%d}0000 TO {today:%Y%m%d}2359]"
    )
    assert [json.loads(line)["title"] for line in saved.read_text().splitlines()] == ["Kept: a paper"]


LEAKS = ["hunter2", "tok-123", "tok-456", "pa55word", "tok-789", "pw-000", "sig-111", "tok-222"]


def test_no_credential_or_token_a_source_gives_reaches_the_saved_corpus(services, tmp_path, capsys):
    """Tokens and passwords in the URLs of a listed paper's title, abstract, page fields and PDF
    are stripped before anything is written or shown, from every source alike."""
    services.hf_search["leaky"] = [
        hf_item(
            "2506.00011",
            "Leaky: a paper https://lab.example.org/demo?sig=sig-111",
            ABSTRACT + "Weights: https://bob:hunter2@example.org/w.pth?token=tok-123&dl=1.",
            github="https://github.com/lab/Leaky?access_token=tok-456",
            project="https://carol:pa55word@leaky.github.io",
        )
    ]
    services.files["/arxiv/pdf/2506.00011"] = make_pdf(
        [Page(["Leaky", "Our code is available at https://github.com/lab/Leaky?token=tok-789."])]
    )
    services.arxiv_entries = [
        atom_entry(
            "2506.00012v1",
            "Commented: a paper",
            ABSTRACT,
            comment="Code: https://github.com/lab/C?private_token=tok-222",
        )
    ]
    services.openreview["MIDL.io/2025/Conference"] = [
        openreview_note("or2", "Venue: leaky", ABSTRACT, code="https://dave:pw-000@gitlab.com/lab/venue")
    ]
    saved = tmp_path / "corpus.jsonl"
    code = run(
        "links",
        "--hf-papers",
        "leaky",
        "--arxiv-id",
        "2506.00012",
        "--openreview",
        "MIDL.io/2025/Conference",
        "--full-text",
        "--save-corpus",
        str(saved),
        "--cache-dir",
        str(tmp_path / "cache"),
        "--json",
    )
    assert code == 0
    written, shown = saved.read_text(encoding="utf-8"), capsys.readouterr()
    for text in (written, shown.out, shown.err):
        assert [s for s in LEAKS if s in text] == []
    hf, arxiv, venue = (json.loads(line) for line in written.splitlines())
    assert hf["title"] == "Leaky: a paper https://lab.example.org/demo?sig=***"
    assert "https://example.org/w.pth?token=***&dl=1." in hf["abstract"]
    assert [(p["origin"], p["text"]) for p in hf["passages"]] == [
        ("paper-page", "https://github.com/lab/Leaky?access_token=***"),
        ("paper-page", "https://leaky.github.io"),
        ("full-text", "Leaky Our code is available at https://github.com/lab/Leaky?token=***"),
    ]
    assert [p["text"] for p in arxiv["passages"]] == ["Code: https://github.com/lab/C?private_token=***"]
    assert [p["text"] for p in venue["passages"]] == ["https://gitlab.com/lab/venue"]
    assert [r["paper"]["id"] for r in map(json.loads, shown.out.splitlines())] == [
        "leaky-a-paper-https-lab-example-org-demo-sig",
        "commented-a-paper",
        "venue-leaky",
    ]


def test_a_token_in_a_pdfs_url_is_in_no_problem_seen_state_or_folder_name(services, tmp_path, capsys):
    services.files["/papers/ok.pdf"] = make_pdf(
        [Page(["Signed: a PDF paper", ABSTRACT, "Our code is available at https://github.com/lab/Signed."])],
        title="Signed: a PDF paper",
    )
    ok, gone = f"{services.url}/papers/ok.pdf?token=tok-001", f"{services.url}/papers/gone.pdf?token=tok-002"
    cache = tmp_path / "cache"
    args = ["--pdf", ok, "--pdf", gone, "--save-corpus", str(tmp_path / "c.jsonl"), "--cache-dir", str(cache)]
    assert run("links", *args, "--json") == 0
    shown = capsys.readouterr()
    seen = (cache / "sources" / "seen.json").read_text(encoding="utf-8")
    [stored] = [p.read_text(encoding="utf-8") for p in (cache / "fulltext").iterdir()]
    for text in (shown.out, shown.err, seen, stored):
        assert "tok-00" not in text
    [record] = [json.loads(line) for line in shown.out.splitlines()]
    assert record["paper"]["source"]["file"] == f"{services.url}/papers/ok.pdf?token=***"
    assert f"input {services.url}/papers/gone.pdf?token=***:" in shown.err
    assert "answered 404 for" in shown.err
    assert json.loads(seen)[f"pdf:{services.url}/papers/ok.pdf?token=***"]["ids"] == [
        f"{services.url}/papers/ok.pdf?token=***"
    ]
    assert Spec("pdf", ok).name.endswith("-papers-ok-pdf-token")  # the default folder: no tok-001
