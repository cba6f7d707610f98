"""Markdown as GitHub shows it: rendered to HTML (tables, raw HTML allowed as GitHub's parser
does), then read back as tables, tags, links and headings, so tests can check what a reader sees."""

from html.parser import HTMLParser

from markdown_it import MarkdownIt


class Page(HTMLParser):
    """Tables (rows of cell texts), tags seen, and link targets of rendered HTML."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[list[list[str]]] = []
        self.tags: set[str] = set()
        self.hrefs: list[str] = []
        self.images: list[str] = []
        self.text: list[str] = []
        self.headings: list[str] = []
        self.codes: list[str] = []
        self._code: list[str] | None = None
        self._cell: list[str] | None = None
        self._heading: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        if tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self.tables[-1].append([])
        elif tag in ("td", "th"):
            self._cell = []
        elif tag in ("h1", "h2", "h3"):
            self._heading = []
        elif tag == "a" and dict(attrs).get("href"):
            self.hrefs.append(dict(attrs)["href"])
        elif tag == "img":
            self.images.append(dict(attrs)["src"])
        elif tag == "code":
            self._code = []

    def handle_endtag(self, tag):
        if tag == "code" and self._code is not None:
            self.codes.append("".join(self._code))
            self._code = None
        if tag in ("h1", "h2", "h3") and self._heading is not None:
            self.headings.append("".join(self._heading))
            self._heading = None
        if tag in ("td", "th") and self._cell is not None:
            self.tables[-1][-1].append("".join(self._cell).strip())
            self._cell = None

    def handle_data(self, data):
        self.text.append(data)
        if self._code is not None:
            self._code.append(data)
        if self._heading is not None:
            self._heading.append(data)
        if self._cell is not None:
            self._cell.append(data)


def table(page: Page, first_header: str, *, nth: int = 0) -> list[list[str]]:
    """The `nth` table of a page whose first column is headed `first_header`."""
    return [t for t in page.tables if t and t[0] and t[0][0] == first_header][nth]


def html(text: str) -> Page:
    """GitHub-flavoured Markdown (tables, raw HTML allowed as GitHub's parser does) → parsed page."""
    page = Page()
    page.feed(MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"]).render(text))
    return page
