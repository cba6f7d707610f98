"""PDFs made in the tests: pages of text lines (Helvetica), link annotations, metadata, encryption.

Written with pypdf alone, so the tests need no PDF toolkit: each line is drawn with `Tj` at its
own height, as LaTeX output is, so that text extraction sees real line breaks.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from pypdf import PdfWriter
from pypdf.annotations import Link
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject


@dataclass
class Page:
    lines: list[str]
    links: list[str] = field(default_factory=list)  # URIs of link annotations on the page


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def make_pdf(pages: list[Page], *, title: str | None = None, password: str | None = None) -> bytes:
    writer = PdfWriter()
    font = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
            NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
        }
    )
    for spec in pages:
        page = writer.add_blank_page(width=612, height=792)
        page[NameObject("/Resources")] = DictionaryObject(
            {NameObject("/Font"): DictionaryObject({NameObject("/F1"): writer._add_object(font)})}
        )
        ops = ["BT", "/F1 10 Tf"]
        for number, line in enumerate(spec.lines):
            ops.append(f"1 0 0 1 72 {740 - 14 * number} Tm ({_escape(line)}) Tj")
        ops.append("ET")
        stream = DecodedStreamObject()
        stream.set_data("\n".join(ops).encode("cp1252"))
        page[NameObject("/Contents")] = writer._add_object(stream)
        index = len(writer.pages) - 1
        for number, uri in enumerate(spec.links):
            writer.add_annotation(index, Link(rect=(72, 100 + 20 * number, 300, 112 + 20 * number), url=uri))
    if title:
        writer.add_metadata({"/Title": title})
    if password:
        writer.encrypt(user_password=password, owner_password=password, algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
