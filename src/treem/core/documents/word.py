"""The document as DOCX (python-docx), so that a commune can edit it in Word: the same parts in the same order as
the PDF, Times New Roman, A4 with the decree's margins, the two-column header and footer as borderless tables.

The fixed words (the national name, the motto, "Số:", "Nơi nhận:") are prescribed in Vietnamese by Nghị định
30/2020/NĐ-CP whatever the user's language: the model's constants, not translated through gettext.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any

from treem.core.documents.model import (
    MOTTO,
    NATIONAL_NAME,
    RECIPIENTS_TITLE,
    AdminDocument,
    Table,
    body_blocks,
    recipient_lines,
    row_views,
)

if TYPE_CHECKING:
    from docx.table import _Cell
    from docx.text.paragraph import Paragraph

__all__ = ["FONT", "render_docx"]

FONT = "Times New Roman"
PAGE_WIDTH_MM, PAGE_HEIGHT_MM = 210, 297
MARGIN_TOP_MM, MARGIN_BOTTOM_MM, MARGIN_LEFT_MM, MARGIN_RIGHT_MM = 20, 20, 30, 15
TEXT_WIDTH_MM = PAGE_WIDTH_MM - MARGIN_LEFT_MM - MARGIN_RIGHT_MM
HEAD_LEFT_MM = TEXT_WIDTH_MM * 0.40
FOOT_LEFT_MM = TEXT_WIDTH_MM * 0.45
BODY_PT, TABLE_PT = 14, 12


def _set_fonts(rpr: Any, size: float | None = None) -> None:
    """Times New Roman for every script (Latin, complex, East Asian) and Vietnamese as the language."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attribute), FONT)
    if size is not None:
        for tag in ("w:sz", "w:szCs"):
            element = rpr.find(qn(tag))
            if element is None:
                element = OxmlElement(tag)
                rpr.append(element)
            element.set(qn("w:val"), str(int(size * 2)))


def _text(paragraph: Paragraph, text: str, *, size: float, bold: bool = False, italic: bool = False) -> None:
    """Runs in `paragraph` for `text`, a "\\n" becoming a line break."""
    from docx.shared import Pt

    for i, line in enumerate(text.split("\n")):
        run = paragraph.add_run()
        if i:
            run.add_break()
        run.text = line
        run.font.name = FONT
        run.font.size = Pt(size)
        run.font.bold = bold or None
        run.font.italic = italic or None
        _set_fonts(run._r.get_or_add_rPr())


def _paragraph(
    container: Any, text: str = "", *, size: float = BODY_PT, bold: bool = False, italic: bool = False,
    align: str = "center", first: bool = False, after: float = 0, keep: bool = False,
) -> Paragraph:  # fmt: skip
    """A paragraph in `container` (the document or a cell); `first` reuses the cell's empty first paragraph."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    paragraph = container.paragraphs[0] if first else container.add_paragraph()
    paragraph.alignment = {
        "center": WD_ALIGN_PARAGRAPH.CENTER, "left": WD_ALIGN_PARAGRAPH.LEFT,
        "right": WD_ALIGN_PARAGRAPH.RIGHT, "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
    }[align]  # fmt: skip
    fmt = paragraph.paragraph_format
    fmt.space_before, fmt.space_after = Pt(0), Pt(after)
    if keep:
        fmt.keep_with_next = True
    if text:
        _text(paragraph, text, size=size, bold=bold, italic=italic)
    return paragraph


def _rule(container: Any, *, width_mm: float, within_mm: float, after: float = 0) -> None:
    """A short centred horizontal line (a bottom border of an empty paragraph narrowed by indents)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    paragraph = container.add_paragraph()
    ppr = paragraph._p.get_or_add_pPr()
    borders, bottom = OxmlElement("w:pBdr"), OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    ppr.append(borders)  # before the spacing and indents python-docx adds next, as the schema orders them
    fmt = paragraph.paragraph_format
    side = max((within_mm - width_mm) / 2, 0)
    fmt.left_indent, fmt.right_indent = Mm(side), Mm(side)
    fmt.space_before, fmt.space_after = Pt(0), Pt(after)
    fmt.line_spacing = Pt(2)  # exactly: the line itself, not an empty line of text


def _borderless(document: Any, rows: int, widths_mm: tuple[float, float]) -> Any:
    from docx.shared import Mm

    table = document.add_table(rows=rows, cols=2)  # no style: "Normal Table", without borders
    table.autofit = False
    for row in table.rows:
        _cant_split(row)
        for cell, width in zip(row.cells, widths_mm, strict=True):
            cell.width = Mm(width)
    return table


def _cant_split(row: Any, *, header: bool = False) -> None:
    from docx.oxml import OxmlElement

    trpr = row._tr.get_or_add_trPr()
    trpr.append(OxmlElement("w:cantSplit"))
    if header:
        trpr.append(OxmlElement("w:tblHeader"))  # repeated at the top of every page


def _cell(cell: _Cell, text: str, *, bold: bool = False, align: str = "left") -> None:
    _paragraph(cell, text, size=TABLE_PT, bold=bold, align=align, first=True)


def _table(document: Any, table: Table) -> None:
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.shared import Mm

    if table.caption:
        _paragraph(document, table.caption, size=13, bold=True, after=3, keep=True)
    views = row_views(table)
    grid = document.add_table(rows=1 + len(views), cols=len(table.columns))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    grid.autofit = False
    widths = [Mm(TEXT_WIDTH_MM * p / 100) for p in table.percentages]
    for column, width in zip(grid.columns, widths, strict=True):
        column.width = width
    rows = grid.rows
    for row in rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width  # Word reads the cells' widths, LibreOffice the grid's
    _cant_split(rows[0], header=True)
    for cell, column in zip(rows[0].cells, table.columns, strict=True):
        _cell(cell, column, bold=True, align="center")
    for row, view in zip(rows[1:], views, strict=True):
        _cant_split(row)
        cells = row.cells
        bold = view.kind in ("heading", "total")
        if view.span:
            merged = cells[0].merge(cells[-1])
            _cell(merged, view.cells[0].text, bold=True)
            continue
        for cell, value in zip(cells, view.cells, strict=True):
            _cell(cell, value.text, bold=bold, align="right" if value.num else "left")
    for note in table.notes:
        _paragraph(document, note, size=11, italic=True, align="left")
    if not table.notes:
        _paragraph(document, "", size=6)  # a little space after the table


def _page_numbers(section: Any) -> None:
    """The page number centred in the top margin, not on the first page (NĐ 30/2020)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    section.different_first_page_header_footer = True
    paragraph = _paragraph(section.header, first=True)
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    rpr = OxmlElement("w:rPr")
    _set_fonts(rpr, size=13)
    run.append(rpr)
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def render_docx(doc: AdminDocument) -> bytes:
    """The document as a .docx file."""
    from docx import Document
    from docx.shared import Cm, Mm, Pt

    document = Document()
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(BODY_PT)
    _set_fonts(normal.element.get_or_add_rPr())
    document.core_properties.title = f"{doc.kind_title} {doc.summary}".strip()
    document.core_properties.language = "vi-VN"
    package_rels = document.part.package.rels
    for rid in [rid for rid, rel in package_rels.items() if rel.reltype.endswith("/thumbnail")]:
        package_rels.pop(rid)  # the template's picture of an empty page: a file manager would show it

    section = document.sections[0]
    section.page_width, section.page_height = Mm(PAGE_WIDTH_MM), Mm(PAGE_HEIGHT_MM)
    section.top_margin, section.bottom_margin = Mm(MARGIN_TOP_MM), Mm(MARGIN_BOTTOM_MM)
    section.left_margin, section.right_margin = Mm(MARGIN_LEFT_MM), Mm(MARGIN_RIGHT_MM)
    section.header_distance, section.footer_distance = Mm(10), Mm(10)
    _page_numbers(section)

    # Header: issuing body and number on the left, national name, motto and place/date on the right.
    head = _borderless(document, 2, (HEAD_LEFT_MM, TEXT_WIDTH_MM - HEAD_LEFT_MM))
    left, right = head.rows[0].cells
    first = True
    if doc.governing_body:
        _paragraph(left, doc.governing_body, size=12, first=True)
        first = False
    _paragraph(left, doc.issuing_body, size=13, bold=True, first=first)
    _rule(left, width_mm=HEAD_LEFT_MM * 0.35, within_mm=HEAD_LEFT_MM)
    _paragraph(right, NATIONAL_NAME, size=12, bold=True, first=True)
    motto = _paragraph(right)
    _text(motto, MOTTO, size=13, bold=True)
    for run in motto.runs:
        run.font.underline = True  # the rule under the motto is as long as the motto
    number, place_date = head.rows[1].cells
    _paragraph(number, doc.number_line, size=13, first=True).paragraph_format.space_before = Pt(12)
    dated = _paragraph(place_date, doc.place_date, size=13, italic=True, first=True)
    dated.paragraph_format.space_before = Pt(12)

    # Title and summary (trích yếu) with a short rule under it.
    _paragraph(document, doc.kind_title, size=14, bold=True, keep=True).paragraph_format.space_before = Pt(24)
    if doc.summary:
        _paragraph(document, doc.summary, size=14, bold=True, keep=True)
        _rule(document, width_mm=TEXT_WIDTH_MM * 0.30, within_mm=TEXT_WIDTH_MM, after=12)

    # Body.
    for block in body_blocks(doc.sections):
        if block.kind == "heading":
            paragraph = _paragraph(document, align="justify", after=6, keep=True)
            paragraph.paragraph_format.first_line_indent = Cm(1.27)
            emphasis = {"bold": True} if block.depth < 2 else {"italic": True}
            _text(paragraph, block.line, size=BODY_PT, **emphasis)
        elif block.kind == "paragraph":
            paragraph = _paragraph(document, block.text, align="justify", after=6)
            paragraph.paragraph_format.first_line_indent = Cm(1.27)
            paragraph.paragraph_format.line_spacing = 1.15
        elif block.table is not None:
            _table(document, block.table)

    # Footer: recipients on the left, the signature block on the right.
    foot = _borderless(document, 1, (FOOT_LEFT_MM, TEXT_WIDTH_MM - FOOT_LEFT_MM))
    recipients, signer = foot.rows[0].cells
    lines = recipient_lines(doc.recipients)
    if lines:
        _paragraph(recipients, RECIPIENTS_TITLE, size=12, bold=True, italic=True, align="left", first=True)
        for line in lines:
            _paragraph(recipients, line, size=11, align="left")
    first = True
    if doc.signature.authority_line:
        _paragraph(signer, doc.signature.authority_line, size=14, bold=True, first=True)
        first = False
    _paragraph(signer, doc.signature.position, size=14, bold=True, first=first)
    for _ in range(4):
        _paragraph(signer, "", size=14)  # room for the signature and the seal
    _paragraph(signer, doc.signature.full_name, size=14, bold=True)

    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
