"""Footer rows: what communes write under the table of children (totals, "Người lập biểu", titles and signatures,
"Khun Há, ngày … tháng … năm …"). They are skipped, never counted as errors.

A row is a footer row when it cannot be a child (it fails cleaning and has no date of birth) and either one of its
cells reads like a footer line, or a footer line came earlier in the file (the names under the signatures). A row
with a date of birth is always a data row: a child's row with mistakes stays an error to fix."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from treem.core.repair import repair_text

from .cleaning import RowResult

# Lower-case Vietnamese with its diacritics ("cộng" is a total, "công" a name), after the font repair.
FOOTER_LINE = re.compile(
    r"người lập|lập biểu|ghi rõ họ|ký tên|\(ký|đóng dấu|thủ trưởng|chủ tịch|t/?m\.? ?ubnd|kt\.? ?chủ tịch"
    r"|xác nhận của|^tổng cộng|^tổng số|^cộng\b"
    r"|ngày\s*\S{0,4}\s*tháng\s*\S{0,4}\s*năm"
)


def is_footer_line(values: Iterable[Any]) -> bool:
    """Does a cell of the row read like a line under the table (a total, a signature title, the date line)?"""
    for value in values:
        if isinstance(value, str) and value.strip():
            text = repair_text(value)[0].lower()
            if FOOTER_LINE.search(text):
                return True
    return False


class FooterRule:
    """Decides row by row, in file order, which failed rows are footer rows (see the module's docstring)."""

    def __init__(self) -> None:
        self.seen = False

    def is_footer(self, values: list[Any], result: RowResult) -> bool:
        """Is this row (its original cells, and what cleaning made of it) a footer row?"""
        if result.status != "error" or "date_of_birth" in result.values:
            return False
        if is_footer_line(values):
            self.seen = True
        return self.seen
