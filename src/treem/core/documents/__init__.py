"""Vietnamese administrative documents (Nghị định 30/2020/NĐ-CP) rendered as PDF and DOCX; see docs/documents.md."""

from treem.core.documents.model import (
    AdminDocument,
    Row,
    RowKind,
    Section,
    Signature,
    Table,
    date_words,
    place_date_line,
    recipient_lines,
)
from treem.core.documents.pdf import render_html, render_pdf
from treem.core.documents.word import render_docx

__all__ = [
    "AdminDocument",
    "Row",
    "RowKind",
    "Section",
    "Signature",
    "Table",
    "date_words",
    "place_date_line",
    "recipient_lines",
    "render_docx",
    "render_html",
    "render_pdf",
]
