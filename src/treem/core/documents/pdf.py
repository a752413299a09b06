"""The document as HTML (Django template) and as PDF (WeasyPrint), nothing fetched from outside."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string

from treem.core.documents.model import (
    MOTTO,
    NATIONAL_NAME,
    RECIPIENTS_TITLE,
    AdminDocument,
    body_blocks,
    recipient_lines,
    row_views,
)

__all__ = ["render_html", "render_pdf"]

TEMPLATE = "core/documents/admin_document.html"


def _context(doc: AdminDocument) -> dict[str, Any]:
    blocks: list[dict[str, Any]] = []
    widths: list[str] = []  # the column widths as CSS rules in the page's one <style> (no style= attributes)
    for block in body_blocks(doc.sections):
        item: dict[str, Any] = {"kind": block.kind, "depth": block.depth, "line": block.line, "text": block.text}
        if block.table is not None:
            t = block.table
            number = sum(1 for b in blocks if "table" in b) + 1
            item["table"] = {
                "id": f"t{number}", "caption": t.caption, "columns": t.columns, "rows": row_views(t), "notes": t.notes,
            }  # fmt: skip
            widths += [f"#t{number} col.c{i} {{ width: {p}%; }}" for i, p in enumerate(t.percentages)]
        blocks.append(item)
    fixed = {"national_name": NATIONAL_NAME, "motto": MOTTO, "recipients_title": RECIPIENTS_TITLE}
    return {
        "doc": doc,
        "blocks": blocks,
        "recipients": recipient_lines(doc.recipients),
        "column_widths": widths,
        **fixed,
    }


def render_html(doc: AdminDocument, *, csp_nonce: str = "") -> str:
    """The printable HTML page (user text escaped by the template engine); `csp_nonce` for showing it in a browser."""
    return render_to_string(TEMPLATE, {**_context(doc), "csp_nonce": csp_nonce})


def render_pdf(doc: AdminDocument) -> bytes:
    """The document as an A4 PDF with the fonts embedded."""
    import weasyprint  # heavy (cairo, pango): loaded only when a PDF is asked for

    nothing = weasyprint.urls.URLFetcher(allowed_protocols=())  # no scheme allowed: nothing fetched from outside
    pdf = weasyprint.HTML(string=render_html(doc), url_fetcher=nothing).write_pdf()
    assert pdf is not None  # noqa: S101 -- write_pdf without a target returns the bytes
    return pdf
