"""Corpus readers: the scraped listing, JSONL and CSV; bad records are reported and skipped."""

import json
from pathlib import Path

from auditor.data import default_corpus
from auditor.models import LinkOrigin, Paper, Passage, SourceRef
from auditor.papers.corpus import carry_over, merge, read_corpus, read_records, to_jsonl

ABSTRACT = (
    "Medical images vary. We propose a method that adapts to them. It works well on two "
    "datasets and beats the baselines by a wide margin in every experiment we ran. "
) * 3


def test_bundled_corpus_reads_every_paper_without_problems():
    corpus = read_corpus(default_corpus())
    assert len(corpus.papers) == 119
    assert corpus.problems == []
    first = corpus.papers[0]
    assert first.title.startswith("HyDA: Hypernetworks")  # "Subscribe" glued to it is removed
    assert first.source.line == 3
    assert len({p.id for p in corpus.papers}) == 119


def test_listing_reports_a_title_without_abstract_and_keeps_the_rest(tmp_path: Path):
    path = tmp_path / "papers.txt"
    path.write_text(
        "Get trending papers in your email inbox!\n"
        f"SubscribeFirst: a paper\n{ABSTRACT}\n"
        "Orphan: a title whose abstract is missing\n"
        f"Third: another paper\n{ABSTRACT}\n"
        "Last: a title at the end of the file\n",
        encoding="utf-8",
    )
    corpus = read_corpus(path)
    assert [p.title for p in corpus.papers] == ["First: a paper", "Third: another paper"]
    assert [(p.source.line, p.message) for p in corpus.problems] == [
        (4, "title without an abstract line"),
        (7, "title without an abstract line at end of file"),
    ]


def test_jsonl_reports_malformed_lines_by_number(tmp_path: Path):
    path = tmp_path / "papers.jsonl"
    path.write_text(
        '{"title": "A", "abstract": "Code at https://github.com/a/b."}\n'
        "{not json\n"
        '{"abstract": "no title"}\n'
        '["a list"]\n'
        '{"title": "B", "url": "https://github.com/c/d"}\n',
        encoding="utf-8",
    )
    corpus = read_corpus(path)
    assert [(p.title, p.url) for p in corpus.papers] == [("A", None), ("B", "https://github.com/c/d")]
    assert [p.source.line for p in corpus.problems] == [2, 3, 4]
    assert corpus.problems[0].message.startswith("not valid JSON")


def test_the_page_and_passages_of_a_jsonl_record_are_read_without_their_secrets(tmp_path: Path):
    """A corpus.jsonl written by hand, or by an older version, holds tokens: they are not kept."""
    record = {
        "title": "Kept: a paper",
        "page": "https://u:pw-111@papers.example.org/abs/1?token=tok-222",
        "passages": [
            {
                "origin": "paper-page",
                "text": "https://github.com/lab/x?access_token=tok-333",
                "field": "code",
            },
            {"origin": "full-text", "text": "Code at https://v:pw-444@lab.example.org/c.", "page": 2},
        ],
    }
    path = tmp_path / "papers.jsonl"
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    [paper] = read_corpus(path).papers
    assert paper.page == "https://papers.example.org/abs/1?token=***"
    assert paper.passages == (
        Passage(origin=LinkOrigin.PAPER_PAGE, text="https://github.com/lab/x?access_token=***", field="code"),
        Passage(origin=LinkOrigin.FULL_TEXT, text="Code at https://lab.example.org/c.", page=2),
    )
    assert not [s for s in ("pw-111", "tok-222", "tok-333", "pw-444") if s in to_jsonl([paper])]


def test_csv_with_title_abstract_and_url_columns(tmp_path: Path):
    path = tmp_path / "papers.csv"
    path.write_text(
        'Title,Abstract,URL\n"A, with comma","text",https://github.com/a/b\n,"x",\n', encoding="utf-8"
    )
    corpus = read_corpus(path)
    assert [(p.title, p.url) for p in corpus.papers] == [("A, with comma", "https://github.com/a/b")]
    assert [(p.source.line, p.message) for p in corpus.problems] == [(3, "record has no title")]


def test_csv_without_title_column_is_one_clear_problem(tmp_path: Path):
    path = tmp_path / "papers.csv"
    path.write_text("name,text\nx,y\n", encoding="utf-8")
    corpus = read_corpus(path)
    assert corpus.papers == []
    assert "title" in corpus.problems[0].message


def test_binary_and_missing_files_are_problems_not_crashes(tmp_path: Path):
    binary = tmp_path / "weights.txt"
    binary.write_bytes(b"\x00\x01\x02" * 100)
    assert read_corpus(binary).problems[0].message == "binary file, not a corpus"
    assert "cannot read" in read_corpus(tmp_path / "absent.txt").problems[0].message


def test_latin1_file_is_read_with_a_note(tmp_path: Path):
    path = tmp_path / "papers.jsonl"
    path.write_bytes('{"title": "Segmentation à la carte"}\n'.encode("latin-1"))
    corpus = read_corpus(path)
    assert corpus.papers[0].title == "Segmentation à la carte"
    assert "Latin-1" in corpus.problems[0].message


def test_duplicate_papers_across_corpora_are_kept_once(tmp_path: Path):
    one, two = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    one.write_text('{"title": "Same Paper"}\n', encoding="utf-8")
    two.write_text('{"title": "Same  paper"}\n{"title": "Other"}\n', encoding="utf-8")
    problems: list = []
    papers = list(merge([read_records(one), read_records(two)], problems))
    assert [p.title for p in papers] == ["Same Paper", "Other"]
    assert [(p.source.file, p.source.line, p.message) for p in problems] == [
        (str(two), 1, f"duplicate of the paper at {one}:1; skipped")
    ]


def test_merged_problems_are_each_corpus_problems_then_its_duplicates(tmp_path: Path):
    one, two = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    one.write_text('{"title": "A"}\n{"title": "A"}\n{not json\n', encoding="utf-8")
    two.write_text('{"title": "B"}\n[]\n', encoding="utf-8")
    problems: list = []
    assert [p.title for p in merge([read_records(one), read_records(two)], problems)] == ["A", "B"]
    assert [(Path(p.source.file).name, p.source.line) for p in problems] == [
        ("one.jsonl", 3),  # malformed
        ("one.jsonl", 2),  # the duplicate, after the file's problems
        ("two.jsonl", 2),
    ]


def test_a_corpus_file_is_read_a_record_at_a_time(tmp_path: Path):
    """The reader hands each paper on as it reads it: the first comes before the file's end is
    parsed, so a run holds one paper, not the corpus."""
    path = tmp_path / "papers.jsonl"
    path.write_text(
        "".join(f'{{"title": "Paper {i}"}}\n' for i in range(1000)) + "{broken\n", encoding="utf-8"
    )
    records = read_records(path)
    assert next(records).title == "Paper 0"
    path.unlink()  # open already: still read to its end
    rest = list(records)
    assert (
        len(rest) == 1000 and rest[-1].message.startswith("not valid JSON") and rest[-1].source.line == 1001
    )


def test_a_latin1_byte_far_into_the_file_makes_all_of_it_latin1(tmp_path: Path):
    """As when the file was decoded whole: a byte past the reader's first chunks decides for the
    lines before it too, and the note names its offset as decoding it whole did."""
    path = tmp_path / "papers.jsonl"
    lines = [f'{{"title": "Paper {i} ü"}}\n'.encode() for i in range(20_000)]
    lines[15_000] = '{"title": "Latin à"}\n'.encode("latin-1")
    data = b"\xef\xbb\xbf" + b"".join(lines)  # a UTF-8 byte-order mark, Latin-1 for the rest
    path.write_bytes(data)
    try:
        data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        at = err.start
    corpus = read_corpus(path)
    assert [(p.source.line, p.message) for p in corpus.problems] == [
        (0, f"not UTF-8 (byte {at}); read as Latin-1"),
        (1, "not valid JSON (Expecting value: line 1 column 1 (char 0))"),  # the mark, read as Latin-1
    ]
    assert len(corpus.papers) == 19_999 and corpus.papers[0].title == "Paper 1 Ã¼"
    assert corpus.papers[14_999].title == "Latin à"


def test_a_utf8_character_cut_by_the_reader_chunks_is_not_mistaken_for_latin1(tmp_path: Path):
    path = tmp_path / "papers.jsonl"
    path.write_text(
        "".join(f'{{"title": "Paper {i} ü€\U0001f600"}}\n' for i in range(10_000)), encoding="utf-8"
    )
    corpus = read_corpus(path)
    assert corpus.problems == [] and corpus.papers[-1].title == "Paper 9999 ü€\U0001f600"


def test_a_corpus_from_a_pipe_is_read(tmp_path: Path):
    import os
    import threading

    fifo = tmp_path / "papers"
    os.mkfifo(fifo)
    text = f"First: a paper\n{ABSTRACT}\n"
    writer = threading.Thread(target=lambda: fifo.write_text(text, encoding="utf-8"))
    writer.start()
    assert [p.title for p in read_corpus(fifo).papers] == ["First: a paper"]
    writer.join()


def test_lines_are_split_as_str_splitlines_splits_them(tmp_path: Path):
    path = tmp_path / "papers.txt"
    path.write_bytes(f"First: a paper\r\n{ABSTRACT}\rSecond: a paper\x0b{ABSTRACT}\n".encode())
    corpus = read_corpus(path)
    assert [(p.title, p.source.line) for p in corpus.papers] == [
        ("First: a paper", 1),
        ("Second: a paper", 3),
    ]


def test_carry_over_reads_the_previous_corpus_as_it_comes(tmp_path: Path):
    previous = tmp_path / "corpus.jsonl"
    previous.write_text(
        '{"title": "Old"}\n{"title": "Again", "abstract": "before"}\nnot json\n', encoding="utf-8"
    )
    current = tmp_path / "new.jsonl"
    current.write_text('{"title": "Again", "abstract": "now"}\n{"title": "New"}\n', encoding="utf-8")
    problems: list = []
    papers = list(carry_over(read_records(previous), read_corpus(current).papers, problems))
    assert [(p.title, p.abstract) for p in papers] == [("Old", ""), ("Again", "now"), ("New", "")]
    assert [p.source.line for p in problems] == [3]


def test_empty_file_is_reported(tmp_path: Path):
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    corpus = read_corpus(path)
    assert corpus.papers == []
    assert corpus.problems[0].message == "no papers in this file"


def test_utf16_with_bom_is_read(tmp_path: Path):
    path = tmp_path / "papers.txt"
    path.write_bytes(f"Title: ünïcode\n{ABSTRACT}\n".encode("utf-16"))
    corpus = read_corpus(path)
    assert [p.title for p in corpus.papers] == ["Title: ünïcode"]
    assert corpus.problems == []


def test_a_50_megabyte_line_is_reported_and_the_next_paper_kept(tmp_path: Path):
    path = tmp_path / "papers.txt"
    with path.open("w", encoding="utf-8") as handle:
        handle.write("Huge: a paper\n" + "x" * 50_000_000 + f"\nNext: a paper\n{ABSTRACT}\n")
    corpus = read_corpus(path)
    assert [p.title for p in corpus.papers] == ["Next: a paper"]
    messages = [(p.source.line, p.message) for p in corpus.problems]
    assert messages[0] == (2, "line of 50,000,000 characters is too long for a paper; skipped")
    assert messages[1] == (1, "title without an abstract line")


def test_csv_with_an_oversized_field_keeps_what_came_before(tmp_path: Path):
    path = tmp_path / "papers.csv"
    path.write_text(f'title,abstract\nA,short\nB,"{"y" * 200_000}"\n', encoding="utf-8")
    corpus = read_corpus(path)
    assert [p.title for p in corpus.papers] == ["A"]
    assert "unreadable CSV" in corpus.problems[0].message


def test_a_saved_corpus_keeps_papers_whose_text_holds_unicode_line_separators(tmp_path: Path):
    # abstracts from live sources may hold U+2028, U+2029 or NEL; a line reader splits at them
    paper = Paper(
        id="p1",
        title="Seg\u2028Net",
        abstract="line\u2029two\x85three",
        source=SourceRef(file="c.txt", line=1),
    )
    saved = tmp_path / "corpus.jsonl"
    saved.write_text(to_jsonl([paper]), encoding="utf-8")
    (back,) = list(read_records(saved))
    assert isinstance(back, Paper)
    assert (back.title, back.abstract) == (paper.title, paper.abstract)
