"""Reading a rendered document back, for tests: the text of a PDF (pypdf, a development dependency) or of a DOCX,
the parts a document must show in reading order, and a check of that order."""

from __future__ import annotations

import io
from collections.abc import Sequence

from treem.core.documents.model import (
    MOTTO,
    NATIONAL_NAME,
    RECIPIENTS_TITLE,
    AdminDocument,
    body_blocks,
    recipient_lines,
)

__all__ = ["document_parts", "first_out_of_order", "pdf_page_count", "text_of_docx", "text_of_pdf"]


def text_of_pdf(data: bytes) -> str:
    """The text of every page in reading order, pages separated by a form feed."""
    from pypdf import PdfReader

    return "\f".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)


def pdf_page_count(data: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(data)).pages)


def text_of_docx(data: bytes) -> str:
    """The text of the DOCX body (tables included) in document order, one paragraph a line."""
    from docx import Document
    from docx.oxml.ns import qn

    body = Document(io.BytesIO(data)).element.body
    lines = []
    for paragraph in body.iter(qn("w:p")):
        lines.append("".join(t.text or "" for t in paragraph.iter(qn("w:t"))))
    return "\n".join(lines)


def document_parts(doc: AdminDocument) -> list[str]:
    """What the rendered document shows, in reading order (left column before right, row by row): governing body,
    issuing body, national name, motto, number, place and date, title, summary, headings, paragraphs, every
    table's columns and cells, "Nơi nhận:", the recipients, authority line, position, full name."""
    parts = [
        doc.governing_body, doc.issuing_body, NATIONAL_NAME, MOTTO, doc.number_line, doc.place_date, doc.kind_title,
        doc.summary,
    ]  # fmt: skip
    for block in body_blocks(doc.sections):
        if block.table is not None:
            parts += [block.table.caption, *block.table.columns]
            parts += [cell for row in block.table.rows for cell in row.cells]
            parts += block.table.notes
        else:
            parts.append(block.line)
    lines = recipient_lines(doc.recipients)
    parts += [RECIPIENTS_TITLE, *lines] if lines else []
    parts += [doc.signature.authority_line, doc.signature.position, doc.signature.full_name]
    return [p for p in parts if p.strip()]


def first_out_of_order(text: str, parts: Sequence[str]) -> str | None:
    """The first of `parts` not found in `text` after the one before it (None when all are there, in order).
    Whitespace is compared collapsed, since lines wrap differently in each format."""
    flat = " ".join(text.split())
    position = 0
    for part in parts:
        wanted = " ".join(part.split())
        found = flat.find(wanted, position)
        if found < 0:
            return part
        position = found + len(wanted)
    return None
