"""`core.spreadsheet`: text cells never become formulas, merged ranges included."""

from __future__ import annotations

import io

import xlsxwriter
from python_calamine import CalamineWorkbook

from treem.core.spreadsheet import write_merged_text


def test_a_merged_range_holds_neutralised_text_not_a_formula():
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out)
    sheet = book.add_worksheet("s")
    write_merged_text(sheet, 0, 0, 1, 2, '=HYPERLINK("http://evil.example","x")')
    write_merged_text(sheet, 3, 0, 3, 0, "+1")  # one cell: written, not merged
    assert sheet.merge == [[0, 0, 1, 2]]  # the one range merged; the single cell not
    book.close()
    out.seek(0)
    rows = CalamineWorkbook.from_filelike(out).get_sheet_by_name("s").to_python()
    assert rows[0][0] == '\'=HYPERLINK("http://evil.example","x")'
    assert rows[3][0] == "'+1"
