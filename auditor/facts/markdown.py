"""README structure from a real Markdown parser: sections, tables, code blocks, links, text.

Checks ask questions of a `Document` ("which code blocks sit under an Installation heading?",
"which links point to Hugging Face?") instead of running regular expressions over raw text, so a
URL inside a code block, a heading inside a fenced block or a table written in HTML are all seen
for what they are. Each document is parsed once per repository, however many checks ask: the facts
of the repository keep it (auditor.facts.documents).
"""

from __future__ import annotations

import re
import threading
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import cached_property
from html.parser import HTMLParser
from typing import NamedTuple
from urllib.parse import unquote, urlsplit

from markdown_it import MarkdownIt
from markdown_it.token import Token

from auditor.data.redact import redact_url

_URL = re.compile(r"https?://[^\s<>()\[\]{}\"'`|]+")
# A web address written without its scheme, which GitHub renders as a link (`www.kaggle.com/…`).
_WWW = re.compile(r"(?<![\w@/.:-])www\.[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+[^\s<>()\[\]{}\"'`|]*")


def bare_urls(text: str) -> list[str]:
    """The web addresses of plain text: with their scheme, or starting with `www.`."""
    found = [(m.start(), _clean(m.group())) for m in _URL.finditer(text)]
    found += [(m.start(), "https://" + _clean(m.group())) for m in _WWW.finditer(text)]
    return [url for _, url in sorted(found)]


_TRAILING = ".,;:!?*_~"


class Heading(NamedTuple):
    level: int
    title: str
    line: int  # 1-based line of the heading


# What a document holds, each with its 1-based line and the titles of its enclosing headings
# (`sections`, outermost first). Named tuples: a README yields thousands of them, and a named tuple
# is made (its class, and each instance) several times faster than a frozen dataclass.


def section_of(sections: tuple[str, ...]) -> str:
    """The title of the innermost heading of `sections` ("" before the first heading)."""
    return sections[-1] if sections else ""


class Link(NamedTuple):
    """A link, an image or a bare URL. Its URL is redacted where it is found (`_link`):
    credentials and tokens never go further than the README."""

    line: int
    sections: tuple[str, ...]
    url: str
    text: str
    image: bool = False
    in_table: bool = False
    column: str = ""  # header of its table column, for a link in a Markdown table
    badge: bool = False  # a link made of an image only (a badge, a button): its text is the alt text


class CodeBlock(NamedTuple):
    line: int
    sections: tuple[str, ...]
    info: str
    text: str


class InlineCode(NamedTuple):
    line: int
    sections: tuple[str, ...]
    text: str
    linked: bool = False  # the text of a link (`[`scripts/`](./scripts)`): the link says where


class Text(NamedTuple):
    """The plain text of one paragraph, list item line or table cell (markup removed)."""

    line: int
    sections: tuple[str, ...]
    text: str
    in_table: bool = False


class Table(NamedTuple):
    line: int
    sections: tuple[str, ...]
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    links: int = 0  # how many links its cells hold


# Inline code that is one web address and nothing else.
_URL_ALONE = re.compile(r"https?://[^\s`<>]+")


def picture_words(src: str) -> str:
    """The words an image without alt text shows, as far as its URL tells: a badge names its label
    and message in its path (`img.shields.io/badge/docs-latest-blue.svg`), a button its file name."""
    name = unquote(urlsplit(src).path).rstrip("/").rpartition("/")[2]
    return " ".join(re.split(r"[-_\s]+", name.rpartition(".")[0] or name)).strip()


def _link(
    line: int,
    sections: tuple[str, ...],
    url: str,
    text: str,
    image: bool = False,
    in_table: bool = False,
    column: str = "",
    badge: bool = False,
) -> Link:
    return Link(line, sections, redact_url(url), text, image, in_table, column, badge)


@dataclass
class Document:
    path: str
    lines: list[str]
    headings: list[Heading] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    code_blocks: list[CodeBlock] = field(default_factory=list)
    inline_code: list[InlineCode] = field(default_factory=list)
    texts: list[Text] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)

    @property
    def title(self) -> str:
        return self.headings[0].title if self.headings else ""

    def body_sections(self, sections: tuple[str, ...]) -> tuple[str, ...]:
        """`sections` without the document's title (its one level-1 heading, first): a README
        titled "Data-Driven …" or "…: A Benchmark" is not one data or results section."""
        title = self.headings[0] if self.headings and self.headings[0].level == 1 else None
        if title is not None and sections and sections[0] == title.title:
            return sections[1:]
        return sections

    def sections_at(self, line: int) -> tuple[str, ...]:
        """Titles of the headings that enclose `line`, outermost first."""
        starts, sections = self._section_index
        at = bisect_right(starts, line)
        return sections[at - 1] if at else ()

    @cached_property
    def _section_index(self) -> tuple[list[int], list[tuple[str, ...]]]:
        """The line of each heading (they are in order) and the sections from it on: every piece of
        text asks, so they are worked out once, not again for each."""
        starts: list[int] = []
        sections: list[tuple[str, ...]] = []
        stack: list[Heading] = []
        for h in self.headings:
            while stack and stack[-1].level >= h.level:
                stack.pop()
            stack.append(h)
            starts.append(h.line)
            sections.append(tuple(s.title for s in stack))
        return starts, sections

    def around(self, link: Link) -> str:
        """What a reader sees around a link: its text and the words of its line, with the line
        before when the link stands alone on its own (a plain-text README puts a URL under the
        sentence about it)."""
        lines = self._line_texts
        text = "" if link.text.strip() == link.url else link.text  # an autolink's text is its URL
        here = lines.get(link.line, "").replace(link.url, " ")
        if len(f"{text} {here}".strip(" <>:.-*()[]")) < 4:
            # the sentence above, over at most two lines ("… is available / on Google Drive:")
            here += " " + " ".join(lines[n] for n in range(link.line - 2, link.line) if n in lines)
        return f"{text} {here}"

    def texts_within(self, first: int, last: int) -> list[Text]:
        """The texts of lines `first` to `last`, line by line (looked up, not searched for)."""
        return [t for n in range(first, last + 1) for t in self._texts_by_line.get(n, ())]

    def text_on(self, line: int) -> str:
        """The words of one line, its texts joined by spaces (looked up, not searched for)."""
        return self._line_texts.get(line, "")

    @cached_property
    def _texts_by_line(self) -> dict[int, list[Text]]:
        by_line: dict[int, list[Text]] = {}
        for t in self.texts:
            by_line.setdefault(t.line, []).append(t)
        return by_line

    @cached_property
    def _line_texts(self) -> dict[int, str]:
        return {line: " ".join(t.text for t in texts) for line, texts in self._texts_by_line.items()}


_PARSERS = threading.local()


def _markdown() -> MarkdownIt:
    """This thread's parser: building one costs more than parsing a README with it."""
    md: MarkdownIt | None = getattr(_PARSERS, "md", None)
    if md is None:
        md = _PARSERS.md = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
    return md


def parse(path: str, text: str) -> Document:
    tokens = _markdown().parse(text)
    doc = Document(path=path, lines=text.splitlines())
    # Headings first, so every later element can name its enclosing sections.
    for i, tok in enumerate(tokens):
        if tok.type == "heading_open" and tok.map:
            inline = tokens[i + 1]
            title = _plain(inline.children or [])
            doc.headings.append(Heading(int(tok.tag[1]), title.strip(), tok.map[0] + 1))
        elif tok.type == "html_block" and tok.map:
            for level, title in _HtmlScan.headings(tok.content):
                doc.headings.append(Heading(level, title, tok.map[0] + 1))
    doc.headings.sort(key=lambda h: h.line)
    _Walker(doc).walk(tokens)
    return doc


_CODE_TAG = re.compile(r"<(/?)(?:pre|code|kbd)\b[^>]*>", re.IGNORECASE)


def _plain(children: list[Token]) -> str:
    return "".join(c.content for c in children if c.type in ("text", "code_inline", "softbreak"))


class _Walker:
    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.table_depth = 0
        self.table_start = 0
        self.table_rows: list[list[str]] = []
        self.table_links = 0

    def at(self, line: int) -> tuple[str, ...]:
        return self.doc.sections_at(line)

    def walk(self, tokens: list[Token]) -> None:
        doc = self.doc
        for tok in tokens:
            line = (tok.map[0] + 1) if tok.map else 0
            if tok.type == "table_open":
                self.table_depth += 1
                self.table_start, self.table_rows, self.table_links = line, [], 0
            elif tok.type == "table_close":
                self.table_depth -= 1
                self._add_table(self.table_start, self.table_rows, self.table_links)
            elif tok.type == "tr_open":
                self.table_rows.append([])
            elif tok.type in ("fence", "code_block"):
                doc.code_blocks.append(
                    CodeBlock(
                        line + 1 if tok.type == "fence" else line,
                        self.at(line),
                        tok.info.strip(),
                        tok.content,
                    )
                )
            elif tok.type == "html_block":
                self._html(tok.content, line)
            elif tok.type == "inline":
                self._inline(tok, line)

    def _add_table(self, line: int, rows: list[list[str]], links: int) -> None:
        if not rows:
            return
        header, body = rows[0], rows[1:]
        self.doc.tables.append(
            Table(line, self.at(line), tuple(header), tuple(tuple(r) for r in body), links)
        )

    def _inline(self, tok: Token, line: int) -> None:
        doc, in_table = self.doc, self.table_depth > 0
        sections = self.at(line)
        column = ""
        if in_table and len(self.table_rows) > 1:
            index, header = len(self.table_rows[-1]), self.table_rows[0]
            column = header[index] if index < len(header) else ""
        parts: list[str] = []
        current = line
        href: str | None = None
        link_text: list[str] = []
        worded = pictured = False  # whether the current link holds words, an image
        # text between inline <pre>/<code> tags ("run <pre>pip install x</pre>"): inline code
        tagged: list[str] | None = None
        for child in tok.children or []:
            if child.type in ("softbreak", "hardbreak"):
                parts.append("\n")
                current += 1
            elif child.type == "text" and tagged is not None:
                parts.append(child.content)
                tagged.append(child.content)
            elif child.type == "text":
                parts.append(child.content)
                if href is not None:
                    link_text.append(child.content)
                    worded = worded or bool(child.content.strip())
                for url in bare_urls(child.content) if href is None else []:
                    # a bare URL; the text of a link is its own
                    doc.links.append(_link(current, sections, url, "", False, in_table, column))
            elif child.type == "code_inline":
                parts.append(child.content)
                doc.inline_code.append(InlineCode(current, sections, child.content, href is not None))
                if href is not None:
                    link_text.append(child.content)
                elif _URL_ALONE.fullmatch(child.content.strip()):
                    # "Download PMC-OA from `https://github.com/…/PMC-CLIP/`": a URL to copy is a link
                    doc.links.append(
                        _link(current, sections, child.content.strip(), "", False, in_table, column)
                    )
            elif child.type == "link_open":
                href, link_text, worded, pictured = str(child.attrs.get("href", "")), [], False, False
            elif child.type == "link_close":
                if href:
                    text = "".join(link_text).strip()
                    badge = pictured and not worded
                    doc.links.append(_link(current, sections, href, text, False, in_table, column, badge))
                href = None
            elif child.type == "image":
                src = str(child.attrs.get("src", ""))
                doc.links.append(_link(current, sections, src, child.content, True, in_table, column))
                if href is not None:
                    link_text.append(child.content or picture_words(src))
                    pictured = True
            elif child.type == "html_inline":
                for url, image in _HtmlScan.urls(child.content):
                    doc.links.append(_link(current, sections, url, "", image, in_table, column))
                tag = _CODE_TAG.match(child.content)
                if tag and not tag.group(1) and tagged is None:
                    tagged = []
                elif tag and tag.group(1) and tagged is not None:
                    if "".join(tagged).strip():
                        doc.inline_code.append(InlineCode(current, sections, "".join(tagged).strip()))
                    tagged = None
        text = "".join(parts).strip()
        if in_table and self.table_rows:
            self.table_rows[-1].append(text)
            self.table_links += sum(1 for c in tok.children or [] if c.type == "link_open")
        if text:
            for offset, piece in enumerate(text.split("\n")):
                if piece.strip():
                    doc.texts.append(Text(line + offset, sections, piece.strip(), in_table))

    def _html(self, html: str, line: int) -> None:
        scan = _HtmlScan()
        scan.feed(html)
        scan.close()
        sections = self.at(line)
        for url, image, text, offset in scan.found:
            badge = not image and url in scan.badges
            self.doc.links.append(
                _link(line + offset, sections, url, text, image, scan.in_table_at(offset), badge=badge)
            )
        for table, offset, links in scan.tables:
            if table:
                self._add_table(line + offset, table, links)
        for text, offset in scan.texts:
            self.doc.texts.append(Text(line + offset, sections, text))
        for text, offset in scan.pre:
            self.doc.code_blocks.append(CodeBlock(line + offset, sections, "", text))


class _HtmlScan(HTMLParser):
    """Links, images, tables, headings and text inside raw HTML blocks (READMEs use a lot of it)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, bool, str, int]] = []
        self.tables: list[tuple[list[list[str]], int, int]] = []
        self.texts: list[tuple[str, int]] = []
        self.pre: list[tuple[str, int]] = []
        self.heads: list[tuple[int, str]] = []
        self.badges: set[str] = set()  # links made of an image
        self._stack: list[tuple[list[list[str]], int, int]] = []
        self._cell: list[str] | None = None
        self._anchor: int | None = None
        self._heading: tuple[int, list[str]] | None = None
        self._pre: tuple[list[str], int] | None = None
        self._table_lines: list[tuple[int, int]] = []

    @classmethod
    def headings(cls, html: str) -> list[tuple[int, str]]:
        scan = cls()
        scan.feed(html)
        scan.close()
        return scan.heads

    @classmethod
    def urls(cls, html: str) -> list[tuple[str, bool]]:
        scan = cls()
        scan.feed(html)
        scan.close()
        return [(u, img) for u, img, _t, _o in scan.found]

    def _offset(self) -> int:
        return self.getpos()[0] - 1

    def in_table_at(self, offset: int) -> bool:
        return any(a <= offset <= b for a, b in self._table_lines)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag == "a" and values.get("href"):
            self.found.append((values["href"], False, "", self._offset()))
            self._anchor = len(self.found) - 1
        elif tag == "img" and values.get("src"):
            self.found.append((values["src"], True, values.get("alt", ""), self._offset()))
            if self._anchor is not None:  # an image inside a link: a badge unless words follow
                url, image, text, offset = self.found[self._anchor]
                if not text:
                    words = values.get("alt", "") or picture_words(values["src"])
                    self.found[self._anchor] = (url, image, words, offset)
                    self.badges.add(url)
        elif tag == "table":
            self._stack.append(([], self._offset(), 0))
        elif tag == "tr" and self._stack:
            self._stack[-1][0].append([])
        elif tag in ("td", "th") and self._stack:
            self._cell = []
        elif re.fullmatch(r"h[1-6]", tag):
            self._heading = (int(tag[1]), [])
        elif tag == "pre":
            self._pre = ([], self._offset())

    def handle_endtag(self, tag: str) -> None:
        if tag == "a":
            self._anchor = None
            if self._stack:
                rows, start, links = self._stack[-1]
                self._stack[-1] = (rows, start, links + 1)
        elif tag in ("td", "th") and self._stack and self._cell is not None:
            rows = self._stack[-1][0]
            if rows:
                rows[-1].append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "table" and self._stack:
            rows, start, links = self._stack.pop()
            self.tables.append((rows, start, links))
            self._table_lines.append((start, self._offset()))
        elif re.fullmatch(r"h[1-6]", tag) and self._heading:
            level, parts = self._heading
            title = " ".join("".join(parts).split())
            if title:
                self.heads.append((level, title))
            self._heading = None
        elif tag == "pre" and self._pre:
            parts, start = self._pre
            self.pre.append(("".join(parts), start))
            self._pre = None

    def handle_data(self, data: str) -> None:
        if self._pre is not None:
            self._pre[0].append(data)
            return
        if self._cell is not None:
            self._cell.append(data)
        if self._heading is not None:
            self._heading[1].append(data)
        if self._anchor is not None:
            url, image, text, offset = self.found[self._anchor]
            self.found[self._anchor] = (url, image, (text + data).strip(), offset)
            if data.strip():
                self.badges.discard(url)
        stripped = " ".join(data.split())
        if stripped:
            self.texts.append((stripped, self._offset()))
            for url in bare_urls(stripped):
                self.found.append((url, False, "", self._offset()))


def _clean(url: str) -> str:
    return url.rstrip(_TRAILING)
