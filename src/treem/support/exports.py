"""The files of support lists: the beneficiary CSV of `treem support beneficiaries` (a contract) and a round's
workbook for signing.

CSV columns (a contract): `child_id,full_name,date_of_birth,sex,unit_code,village,groups,reason`:
- `child_id`: the registry's record number of the child (`Child.pk`). The registry has no other stable public code
  (the personal ID number is often missing); a merge keeps the surviving record's number.
- `unit_code`: the official code of the commune the child lived in on the date; `village`: the village's name.
- `groups`: the law letters of the groups that day joined by `;` (case-derived groups left out: case data);
  `reason`: the label of the rule that made the child eligible.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import IO

import xlsxwriter

from treem.core.spreadsheet import SafeCsvWriter, write_text
from treem.registry.models import Sex

from .models import Beneficiary, Round
from .selectors import Candidate

CSV_HEADER = ["child_id", "full_name", "date_of_birth", "sex", "unit_code", "village", "groups", "reason"]

# Printed in Vietnamese whatever the user's language, as the commune's paper lists are (data, not UI text).
SHEET_COLUMNS = [
    "STT", "Họ và tên", "Ngày sinh", "Giới tính", "Thôn/Bản/Tổ dân phố", "Nhóm hoàn cảnh", "Lý do",
    "Hỗ trợ", "Giá trị (đồng)", "Ký nhận",
]  # fmt: skip
WIDTHS = [5, 26, 11, 8, 20, 10, 34, 18, 13, 22]
SEX_VI: dict[str, str] = {Sex.MALE: "Nam", Sex.FEMALE: "Nữ"}
STATUS_VI = {"draft": "DỰ THẢO", "approved": "ĐÃ PHÊ DUYỆT"}


def write_candidates_csv(out: IO[str], candidates: Iterable[Candidate]) -> int:
    writer = SafeCsvWriter(out, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    n = 0
    for c in candidates:
        child = c.child
        writer.writerow([
            child.pk, child.full_name, child.date_of_birth.isoformat() if child.date_of_birth else "", child.sex,
            c.commune.code, c.village.name if c.village else "", ";".join(c.groups), c.reason,
        ])  # fmt: skip
        n += 1
    return n


def write_round_xlsx(out: IO[bytes], round_: Round, rows: Iterable[Beneficiary]) -> int:
    """The list for signing: title block, one row per child (excluded ones left out), a signature column, and the
    signature lines of who drew it up and who approved it."""
    book = xlsxwriter.Workbook(out, {"constant_memory": True})
    ws = book.add_worksheet("Danh sách ký nhận")
    title = book.add_format({"bold": True, "font_size": 14})
    header = book.add_format({"bold": True, "border": 1, "text_wrap": True, "align": "center", "valign": "vcenter"})
    cell = book.add_format({"border": 1, "valign": "vcenter"})
    date = book.add_format({"border": 1, "num_format": "dd/mm/yyyy", "align": "left"})
    money = book.add_format({"border": 1, "num_format": "#,##0"})
    bold = book.add_format({"bold": True, "align": "center"})
    for col, width in enumerate(WIDTHS):
        ws.set_column(col, col, width)
    write_text(ws, 0, 0, "DANH SÁCH TRẺ EM NHẬN HỖ TRỢ", title)
    write_text(ws, 1, 0, f"Chương trình: {round_.programme.name_vi}")
    write_text(ws, 2, 0, f"Đợt: {round_.name} · {round_.unit.name} · ngày {round_.on:%d/%m/%Y}")
    write_text(ws, 3, 0, f"Tình trạng: {STATUS_VI.get(round_.status, round_.status)}")
    head = 5
    for col, name in enumerate(SHEET_COLUMNS):
        write_text(ws, head, col, name, header)
    row = head + 1
    n = 0
    for b in rows:
        n += 1
        child = b.child
        ws.write_number(row, 0, n, cell)
        write_text(ws, row, 1, child.full_name, cell)
        if child.date_of_birth:
            ws.write_datetime(row, 2, child.date_of_birth, date)
        else:
            ws.write_blank(row, 2, None, date)
        write_text(ws, row, 3, SEX_VI.get(child.sex, ""), cell)
        write_text(ws, row, 4, b.village.name if b.village else b.commune.name, cell)
        write_text(ws, row, 5, ", ".join(b.group_letters), cell)
        write_text(ws, row, 6, b.reason, cell)
        write_text(ws, row, 7, round_.item, cell)
        if round_.value is not None:
            ws.write_number(row, 8, round_.value, money)
        else:
            ws.write_blank(row, 8, None, money)
        ws.write_blank(row, 9, None, cell)
        row += 1
    write_text(ws, row + 1, 1, f"Tổng số: {n} trẻ")
    write_text(ws, row + 3, 1, "NGƯỜI LẬP BIỂU", bold)
    write_text(ws, row + 3, 6, "CHỦ TỊCH UBND", bold)
    write_text(ws, row + 4, 1, "(Ký, ghi rõ họ tên)")
    write_text(ws, row + 4, 6, "(Ký, ghi rõ họ tên, đóng dấu)")
    book.close()
    return n
