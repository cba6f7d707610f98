"""Code links and code statements in a paper's PDF, with their page: what `--pdf` and
`--full-text` read (pypdf, BSD-licensed: text and link annotations).

A PDF cites other people's code too, in its body and above all in its references, so not every
URL in it is the paper's own: what is kept is the sentences that make a code statement ("our code
is available at …", "code will be released"), with the URL their footnote or link annotation
gives when the sentence itself shows none. Text after the "References" heading is not read.

The usual traps of PDF text are undone first: a URL broken across lines (LaTeX breaks `\\url`
after `/`, `-`, `.`) is joined again, and checked against the page's link annotations, which
hold the whole address; a footnote marker glued to a URL ("1https://…") is dropped; an address
written without its scheme ("github.com/lab/tool") gets one.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from typing import Any

from auditor.models import LinkOrigin, Passage
from auditor.papers.links import find_urls
from auditor.papers.statements import classify_sentence, sentences

MAX_PAGES = 60
MAX_PASSAGES = 100
MAX_PASSAGE_CHARS = 1_500
_CODE_HOSTS = r"(?:github\.com|gitlab\.com|bitbucket\.org|huggingface\.co|zenodo\.org)"
_MARKERS = "¹²³⁴⁵⁶⁷⁸⁹⁰*†‡§¶"
_FOOTNOTE_MARK = re.compile(
    rf"(?<![\w/])(?:\d{{1,2}}|[{_MARKERS}]{{1,3}})(?=(?:https?://|www\.|{_CODE_HOSTS}/))"
)
_BARE_HOST = re.compile(rf"(?<![\w./@:-]){_CODE_HOSTS}/[\w.~%-]+")
_FOOTNOTE_LINE = re.compile(rf"^\s*(\d{{1,2}}|[{_MARKERS}]{{1,3}})\s*(\S.*)$")
_REFERENCES = re.compile(r"^\s*(?:\d+\.?\s*)?(?:references|bibliography)\s*$", re.IGNORECASE)
# A URL cut at the end of a line ends with one of these (LaTeX's \url breaks after them).
_URL_TAIL = re.compile(r"(?:https?://|www\.|" + _CODE_HOSTS + r"/)\S*[/\-_.~=&?#%:]$")
_URL_PIECE = re.compile(r"^[\w/\-.~=&?#%:+]+")
_CODE_HOST_URL = re.compile(rf"https?://(?:www\.)?{_CODE_HOSTS}/", re.IGNORECASE)


class PdfError(Exception):
    """This file cannot be read as a paper; the message says why."""


@dataclass(frozen=True)
class Extracted:
    title: str | None
    pages: int
    passages: tuple[Passage, ...]
    note: str | None = None  # what was left unread, if anything


def extract(data: bytes) -> Extracted:
    """The code statements of a PDF, page by page. Raises PdfError for what is not a readable PDF."""
    if b"%PDF-" not in data[:1024]:
        start = data[:16].decode("latin-1").strip() or "nothing"
        raise PdfError(f"not a PDF (it starts with {start!r})")
    from pypdf import PasswordType, PdfReader  # loaded only by a run that reads full text
    from pypdf.errors import DependencyError

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            try:
                opened = reader.decrypt("")
            except DependencyError:
                raise PdfError("encrypted PDF (AES), not read") from None
            if opened == PasswordType.NOT_DECRYPTED:
                raise PdfError("encrypted PDF that needs a password; not read")
        pages = list(reader.pages)
        title = _title(reader.metadata)
    except PdfError:
        raise
    except Exception as err:  # pypdf raises many kinds of error on a damaged or hostile file
        raise PdfError(f"unreadable PDF ({type(err).__name__})") from None
    passages: list[Passage] = []
    for number, page in enumerate(pages[:MAX_PAGES], start=1):
        try:
            text = page.extract_text() or ""
            uris = _annotation_uris(page)
        except Exception:  # one damaged page: the others are still read
            continue
        if title is None and number == 1:
            title = next((line.strip()[:300] for line in text.splitlines() if line.strip()), None)
        kept, ended = _references_cut(text)
        passages.extend(page_passages(kept, [] if ended else uris, number))
        if ended:
            break
    note = f"read the first {MAX_PAGES} of {len(pages)} pages" if len(pages) > MAX_PAGES else None
    return Extracted(title=title, pages=len(pages), passages=tuple(passages[:MAX_PASSAGES]), note=note)


def page_passages(text: str, uris: list[str], page: int) -> list[Passage]:
    """The code statements of one page's text, each with the URL its footnote or link annotation
    gives when the sentence shows none."""
    repaired = repair(text, uris)
    body, footnotes = _split_footnotes(repaired.splitlines())
    paragraph = re.sub(r"(\w)-\s*\n\s*(?=[a-z])", r"\1", "\n".join(body))  # words hyphenated at line ends
    paragraph = _mark_footnotes(" ".join(paragraph.split()), footnotes)
    in_text = {u.lower() for u in find_urls(repaired)}
    unshown = [u for u in uris if u.lower() not in in_text]
    out = []
    for sentence in sentences(paragraph):
        statement = classify_sentence(_MARK.sub("", sentence))
        if statement is None:
            continue
        if not statement.links:
            sentence = " ".join([sentence, *_pointed_to(sentence, footnotes, unshown)])
        text = _MARK.sub("", sentence)
        out.append(Passage(origin=LinkOrigin.FULL_TEXT, text=text[:MAX_PASSAGE_CHARS], page=page))
    return out


_MARK = re.compile(r"⁽([^⁾]{1,3})⁾")


def _mark_footnotes(paragraph: str, footnotes: dict[str, list[str]]) -> str:
    """Footnote markers of this page's footnotes, glued to a word ("available.1 It"), written as
    `⁽1⁾` before the punctuation, so that sentences split where they end."""
    if not footnotes:
        return paragraph
    markers = "|".join(re.escape(m) for m in sorted(footnotes, key=len, reverse=True))
    glued = re.compile(rf"([A-Za-z)])([.,;:]?)({markers})([.,;:]?)(?=\s|$)")
    return glued.sub(lambda m: f"{m.group(1)}⁽{m.group(3)}⁾{m.group(2)}{m.group(4)}", paragraph)


def repair(text: str, uris: list[str]) -> str:
    """Page text with URLs whole again: joined across line breaks, footnote markers glued to
    them dropped, a scheme given to bare code-host addresses, and a URL cut short replaced by the
    link annotation it is the start of."""
    lines = text.splitlines()
    joined: list[str] = []
    for line in lines:
        if joined and _URL_TAIL.search(joined[-1].rstrip()) and (piece := _URL_PIECE.match(line.strip())):
            joined[-1] = joined[-1].rstrip() + piece.group(0)
            rest = line.strip()[piece.end() :].strip()
            if rest:
                joined.append(rest)
            continue
        joined.append(line)
    out = _FOOTNOTE_MARK.sub("", "\n".join(joined))
    out = _BARE_HOST.sub(lambda m: "https://" + m.group(0), out)
    for url in find_urls(out):
        whole = _completed(url, uris)
        if whole != url:
            out = out.replace(url, whole)
    return out


def _completed(url: str, uris: list[str]) -> str:
    """The link annotation `url` is a strict beginning of, if there is exactly one."""
    stem = url.rstrip("/").lower()
    longer = {u for u in uris if u.lower().startswith(stem) and len(u.rstrip("/")) > len(stem)}
    return longer.pop() if len(longer) == 1 else url


def _split_footnotes(lines: list[str]) -> tuple[list[str], dict[str, list[str]]]:
    """Body lines, and the URLs of footnote lines by their marker ("1", "*")."""
    body: list[str] = []
    notes: dict[str, list[str]] = {}
    for line in lines:
        match = _FOOTNOTE_LINE.match(line)
        urls = find_urls(match.group(2)) if match else []
        if match and urls and len(match.group(2)) <= 200:
            notes.setdefault(match.group(1), []).extend(urls)
        else:
            body.append(line)
    return body, notes


def _pointed_to(sentence: str, footnotes: dict[str, list[str]], unshown: list[str]) -> list[str]:
    """URLs a statement without a link points to: its footnote's, by marker; else the page's
    code-host link annotations not shown in the text ("available here", linked); else the page's
    code-host footnotes."""
    for marker in _MARK.findall(sentence):
        if marker in footnotes:
            return footnotes[marker][:3]
    annotated = [u for u in unshown if _CODE_HOST_URL.match(u)]
    if annotated:
        return annotated[:3]
    return [u for urls in footnotes.values() for u in urls if _CODE_HOST_URL.match(u)][:3]


def _references_cut(text: str) -> tuple[str, bool]:
    """The text before a References heading, and whether there was one."""
    lines = text.splitlines()
    for index, line in enumerate(lines):
        if _REFERENCES.match(line):
            return "\n".join(lines[:index]), True
    return text, False


def _annotation_uris(page: Any) -> list[str]:
    out = []
    for ref in page.get("/Annots") or []:
        annot = ref.get_object()
        action = annot.get("/A") if annot.get("/Subtype") == "/Link" else None
        uri = action.get_object().get("/URI") if action is not None else None
        if isinstance(uri, str | bytes):
            text = uri.decode("latin-1") if isinstance(uri, bytes) else str(uri)
            if text.startswith(("http://", "https://")):
                out.append(text.strip())
    return out


def _title(metadata: Any) -> str | None:
    title = getattr(metadata, "title", None) if metadata is not None else None
    if not isinstance(title, str):
        return None
    title = " ".join(title.split())
    return title if len(title) >= 8 and not title.lower().startswith("microsoft word") else None
