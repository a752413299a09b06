"""A workbook waiting for its commit in Xã Khun Há, so that the import pages show a checked file on the demo's first
run: a list as communes send it, with rows the check refuses (an impossible date, a missing sex), an ID of the wrong
length (a warning), one row typed twice and the preparer's signature under the table. Written through the imports
services (upload, column guess, dry run), left in the "checked" state for the officer to review and commit. Added
once, known by its file name. Synthetic data only.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import xlsxwriter

from treem.accounts.models import User
from treem.imports.models import ImportJob
from treem.imports.services import import_validate, job_create
from treem.units.models import Level, Unit

FILE_NAME = "DS-tre-em-bo-sung-Khun-Ha.xlsx"
TITLE = "DANH SÁCH TRẺ EM BỔ SUNG — XÃ KHUN HÁ (dữ liệu mẫu)"
HEADERS = ["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Dân tộc", "Số định danh cá nhân", "Thôn, bản", "Họ tên mẹ"]
# (name, date of birth as typed, sex, ethnicity, ID, mother); the village is filled in per row
ROWS: tuple[tuple[str, str, str, str, str, str], ...] = (
    ("Lý A Chơ", "14/02/2015", "Nam", "Hà Nhì", "", "Lý Mé Pừ"),
    ("Lý Mé Xá", "03/09/2017", "Nữ", "Hà Nhì", "", "Lý Mé Pừ"),
    ("Chu Thị Dợ", "31/02/2016", "Nữ", "Hà Nhì", "", "Pờ Thị Già"),  # no 31 February: an error
    ("Pờ A Sáng", "22/11/2013", "", "Hà Nhì", "", "Chu Mé Lé"),  # no sex: an error
    ("Giàng Thị Mỷ", "07/06/2019", "Nữ", "Mông", "01221900034", "Vàng Thị Say"),  # 11 digits: a warning (ID not saved)
    ("Vàng A Lử", "18/01/2012", "Nam", "Mông", "", "Vàng Thị Say"),
    ("Tẩn Thị Phương", "25/12/2014", "Nữ", "Dao", "", "Lý Thị Kiều"),
    ("Tẩn A Sinh", "09/04/2018", "Nam", "Dao", "", "Lý Thị Kiều"),
    ("Vàng A Lử", "18/01/2012", "Nam", "Mông", "", "Vàng Thị Say"),  # typed twice: a duplicate row
    ("Lò Văn Khánh", "30/08/2016", "Nam", "Thái", "", "Lường Thị Ón"),
)
FOOTER = ("", "Người lập biểu: Lường Thị Mai (dữ liệu mẫu)")


@dataclass(frozen=True, slots=True)
class ImportStats:
    created: bool = False
    rows: int = 0
    counts: dict[str, int] | None = None


def write_workbook(path: Path, villages: list[str]) -> Path:
    """The demo's workbook: a title row, the header, the rows (villages in turn) and the preparer's footer."""
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Danh sách")
    text = book.add_format({"num_format": "@"})  # IDs and dates as typed, leading zeros kept
    sheet.write_row(0, 0, [TITLE])
    sheet.write_row(2, 0, HEADERS)
    for i, (name, dob, sex, ethnicity, pid, mother) in enumerate(ROWS):
        values: list[Any] = [i + 1, name, dob, sex, ethnicity, pid, villages[i % len(villages)], mother]
        sheet.write_number(3 + i, 0, values[0])
        for col, value in enumerate(values[1:], start=1):
            sheet.write_string(3 + i, col, value, text)
    sheet.write_row(3 + len(ROWS) + 1, 0, FOOTER)
    book.close()
    return path


def seed_import(*, commune: Unit, actor: User) -> ImportStats:
    """The checked, not yet committed workbook of `commune`, uploaded by `actor` (once)."""
    if ImportJob.objects.filter(unit=commune, original_name=FILE_NAME).exists():
        return ImportStats()
    villages = list(
        Unit.objects.filter(parent=commune, level=Level.VILLAGE).order_by("short_name").values_list("name", flat=True)
    )[:2] or [""]
    with tempfile.TemporaryDirectory(prefix="treem-demo-") as tmp:
        path = write_workbook(Path(tmp) / FILE_NAME, villages)
        job = job_create(actor=actor, unit=commune, path=path, original_name=FILE_NAME)
    job = import_validate(job)
    return ImportStats(created=True, rows=job.total_rows, counts=dict(job.counts))
