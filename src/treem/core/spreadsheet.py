"""Spreadsheet helpers shared by exports and imports: text cells that a spreadsheet never runs as formulas.

A cell whose text starts with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return, which some programs strip
before looking) is read as a formula by Excel and LibreOffice when the file is re-saved or copied as CSV, so a
child named ``=HYPERLINK(...)`` could run code on a commune officer's machine (CSV/formula injection, OWASP).
Exports write every text cell with ``write_string`` *and* prefix such values with an apostrophe.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import IO, Any

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
QUOTE = "'"


def safe_text(value: Any) -> str:
    """The text to write into a spreadsheet cell: ``None`` is empty; formula-like text gets a leading apostrophe."""
    if value is None:
        return ""
    text = str(value)
    if text.startswith(FORMULA_PREFIXES):
        return QUOTE + text
    return text


def unquote_text(value: str) -> str:
    """Undo `safe_text` when reading back a workbook Treem wrote (an apostrophe before a formula character)."""
    if value.startswith(QUOTE) and value[1:].startswith(FORMULA_PREFIXES):
        return value[1:]
    return value


class SafeCsvWriter:
    """`csv.writer` whose every text cell goes through `safe_text` (numbers stay numbers): the one CSV writer of
    exports, so a name typed as ``=HYPERLINK(...)`` reaches the file as text."""

    def __init__(self, out: IO[str], **kwargs: Any) -> None:
        self._writer = csv.writer(out, **kwargs)

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow([safe_text(v) if isinstance(v, str) else v for v in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def write_text(worksheet: Any, row: int, col: int, value: Any, cell_format: Any = None) -> None:
    """Write `value` as a string cell (never a formula, number or URL), neutralised with `safe_text`."""
    worksheet.write_string(row, col, safe_text(value), cell_format)


def write_merged_text(
    worksheet: Any, first_row: int, first_col: int, last_row: int, last_col: int, value: Any, cell_format: Any = None
) -> None:
    """`write_text` over a merged range (one cell: no merge). xlsxwriter's `merge_range()` would write its value with
    `write()` (a formula for "=…"), so the range is merged blank and the text written explicitly."""
    if (first_row, first_col) != (last_row, last_col):
        worksheet.merge_range(first_row, first_col, last_row, last_col, "", cell_format)
    write_text(worksheet, first_row, first_col, value, cell_format)
