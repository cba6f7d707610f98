"""README structure from the Markdown parser: sections, tables, code blocks, links, HTML."""

from auditor.facts.markdown import parse

README = """<h1 align="center">SegTool</h1>

<p align="center"><a href="https://arxiv.org/abs/2401.00001">Paper</a> <img src="assets/logo.png"></p>

## Installation

```bash
# not a heading: a comment in a code block
pip install -r requirements.txt
```

## Results

| Method | Dice |
| --- | --- |
| Ours | [91.8](https://example.org/log) |

### Weights

Download from https://huggingface.co/lab/segtool, then run `python demo.py`.
"""


def test_headings_include_html_headings_but_not_code_comments():
    doc = parse("README.md", README)
    assert [(h.level, h.title, h.line) for h in doc.headings] == [
        (1, "SegTool", 1),
        (2, "Installation", 5),
        (2, "Results", 12),
        (3, "Weights", 18),
    ]


def test_code_blocks_keep_their_language_first_line_and_section():
    (block,) = parse("README.md", README).code_blocks
    assert block.info == "bash" and block.line == 8
    assert block.sections == ("SegTool", "Installation")
    assert "pip install -r requirements.txt" in block.text


def test_tables_cells_and_links_with_their_column():
    doc = parse("README.md", README)
    (table,) = doc.tables
    assert table.header == ("Method", "Dice") and table.rows == (("Ours", "91.8"),) and table.links == 1
    link = next(link for link in doc.links if link.url == "https://example.org/log")
    assert link.in_table and link.column == "Dice" and link.line == 16


def test_links_from_html_markdown_and_bare_urls():
    doc = parse("README.md", README)
    urls = {(link.url, link.image, link.line) for link in doc.links}
    assert ("https://arxiv.org/abs/2401.00001", False, 3) in urls
    assert ("assets/logo.png", True, 3) in urls
    assert ("https://huggingface.co/lab/segtool", False, 20) in urls
    bare = next(link for link in doc.links if "huggingface" in link.url)
    assert bare.sections == ("SegTool", "Results", "Weights")


def test_inline_code_and_text_lines():
    doc = parse("README.md", README)
    assert [(c.text, c.line) for c in doc.inline_code] == [("python demo.py", 20)]
    assert any(t.text.startswith("Download from") and t.line == 20 for t in doc.texts)


def test_code_between_inline_html_tags_is_inline_code():
    text = "# BLIP-like\n\nTo install the dependencies, run <pre/>pip install -r requirements.txt</pre>\n"
    text += "Then <code>python demo.py</code> and <b>not bold text</b>.\n"
    doc = parse("README.md", text)
    assert [(c.text, c.line) for c in doc.inline_code] == [
        ("pip install -r requirements.txt", 3),
        ("python demo.py", 4),
    ]


def test_html_table_is_a_table():
    doc = parse(
        "R.md", "<table>\n<tr><th>Model</th><th>AUC</th></tr>\n<tr><td>A</td><td>0.91</td></tr>\n</table>\n"
    )
    (table,) = doc.tables
    assert table.header == ("Model", "AUC") and table.rows == (("A", "0.91"),)


def test_each_document_of_a_repository_is_parsed_once_however_many_facts_read_it(monkeypatch):
    from snapshots import facts

    from auditor.artifacts.choose import repo_links
    from auditor.checks.checklist import load
    from auditor.checks.evaluate import evaluate
    from auditor.facts import documents

    parsed: list[str] = []
    monkeypatch.setattr(documents, "parse", lambda path, text: parsed.append(path) or parse(path, text))
    readme = README + "\nInstall as told in [the guide](docs/INSTALL.md).\n"
    repo = facts({"README.md": readme, "docs/INSTALL.md": "# Install\n\n```bash\npip install -e .\n```\n"})
    repo_links(repo)
    evaluate(repo, load("midl"))
    assert documents.document(repo, "docs/INSTALL.md") is documents.document(repo, "docs/INSTALL.md")
    assert sorted(parsed) == ["README.md", "docs/INSTALL.md"]


def test_a_badge_without_alt_text_reads_as_the_words_its_image_shows():
    text = (
        "[![](https://img.shields.io/badge/docs-stable-blue.svg)](https://lab.github.io/tool/)\n\n"
        '<p align="center"><a href="https://zenodo.org/records/1"><img src="https://img.shields.io/badge/Checkpoints-blue"></a></p>\n\n'
        "[![Paper](https://img.shields.io/badge/arXiv-2401.00001-red.svg)](https://arxiv.org/abs/2401.00001)\n"
    )
    badges = [(link.url, link.text) for link in parse("README.md", text).links if link.badge]
    assert badges == [
        ("https://lab.github.io/tool/", "docs stable blue"),
        ("https://zenodo.org/records/1", "Checkpoints blue"),
        ("https://arxiv.org/abs/2401.00001", "Paper"),  # alt text, where there is one, is what it says
    ]


def test_a_url_alone_in_inline_code_is_a_link_to_copy():
    # MIRAGE: "1. Download PMC-OA from `https://github.com/WeixiongLin/PMC-CLIP/`, including …"
    text = "## Data\n\n1. Download the set from `https://github.com/lab/PMC-set/`, then unzip it.\n"
    links = [(link.url, link.line) for link in parse("README.md", text).links]
    assert links == [("https://github.com/lab/PMC-set/", 3)]
    # a command that holds a URL is a command, not a link
    assert parse("README.md", "Run `wget https://example.org/a.zip` first.\n").links == []
