"""Files an import produces: the preview CSV, the error workbook, and the template workbook."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path
from typing import IO, Any, BinaryIO

import xlsxwriter
from django.utils import translation

from treem.core.spreadsheet import safe_text, write_text

from .cleaning import RowResult
from .mapping import FIELD_LABELS_VI
from .models import ImportJob, RowStatus
from .pipeline import clean_rows

PREVIEW_COLUMNS = ("source_row", "status", "message", "full_name", "date_of_birth", "sex", "ethnicity", "personal_id",
                   "guardian_name", "village")  # fmt: skip
STATUS_HEADER = "Trạng thái"
MESSAGE_HEADER = "Nội dung cần sửa"
TEMPLATE_FIELDS = ("full_name", "date_of_birth", "sex", "ethnicity", "personal_id", "father_name", "mother_name",
                   "guardian_name", "village", "household_code", "head_name", "address", "special_groups",
                   "note")  # fmt: skip
TEMPLATE_EXAMPLE = {
    "full_name": "Sùng Thị Sua", "date_of_birth": "02/05/2013", "sex": "Nữ", "ethnicity": "Mông",
    "personal_id": "012313000123", "father_name": "Sùng A Páo", "mother_name": "Vàng Thị Mỷ", "guardian_name": "",
    "village": "Bản Hon", "household_code": "KH-001", "head_name": "Sùng A Páo", "address": "",
    "special_groups": "h", "note": "Ví dụ — xóa dòng này trước khi nhập",
}  # fmt: skip


def preview_line(result: RowResult) -> list[str]:
    v = result.values
    dob = v.get("date_of_birth")
    guardian = v.get("guardian_name") or v.get("father_name") or v.get("mother_name") or ""
    return [
        str(result.source_row), result.status, result.message_text(), v.get("full_name", ""),
        dob.isoformat() if isinstance(dob, dt.date) else "", v.get("sex", ""), v.get("ethnicity", ""),
        v.get("personal_id") or "", guardian, v.get("village", ""),
    ]  # fmt: skip


def write_preview_csv(job: ImportJob, out: IO[str]) -> int:
    """One line per data row of the source: the cleaned values and what is wrong (formula-safe cells)."""
    writer = csv.writer(out)
    writer.writerow(PREVIEW_COLUMNS)
    n = 0
    for result, _values in clean_rows(job):
        writer.writerow([safe_text(cell) for cell in preview_line(result)])
        n += 1
    return n


def _target(path: Path | str | BinaryIO) -> str | BinaryIO:
    """A file name, or an open binary file (a web response streams one; xlsxwriter writes either)."""
    return str(path) if isinstance(path, Path | str) else path


def write_error_workbook(job: ImportJob, path: Path | str | BinaryIO) -> int:
    """The original rows, each with its status and what to fix, ready to correct and upload again.

    The workbook goes back to the commune: it is in Vietnamese whatever the language of the page that asked."""
    with translation.override("vi"):
        return _write_error_workbook(job, path)


def _write_error_workbook(job: ImportJob, path: Path | str | BinaryIO) -> int:
    book = xlsxwriter.Workbook(_target(path), {"constant_memory": True, "strings_to_formulas": False})
    sheet = book.add_worksheet("Kết quả kiểm tra")
    bold = book.add_format({"bold": True, "bg_color": "#E8F4EF", "border": 1})
    styles = {
        "error": book.add_format({"bg_color": "#FDECEA"}),
        "duplicate": book.add_format({"bg_color": "#FFF4E5"}),
        "warning": book.add_format({"bg_color": "#FFFBE6"}),
    }
    headers = [str(h) for h in job.headers]
    width = len(headers)
    for col, label in enumerate([*headers, STATUS_HEADER, MESSAGE_HEADER]):
        write_text(sheet, 0, col, label, bold)
    n = 0
    for n, (result, values) in enumerate(clean_rows(job), start=1):
        style = styles.get(result.status)
        for col in range(width):
            _write_original(sheet, n, col, values[col] if col < len(values) else None, style)
        write_text(sheet, n, width, str(RowStatus(result.status).label), style)
        write_text(sheet, n, width + 1, result.message_text(), style)
    sheet.freeze_panes(1, 0)
    sheet.set_column(width + 1, width + 1, 80)
    book.close()
    return n


def _write_original(sheet: Any, row: int, col: int, value: Any, style: Any) -> None:
    if value is None or value == "":
        sheet.write_blank(row, col, None, style)
    elif isinstance(value, bool):
        sheet.write_boolean(row, col, value, style)
    elif isinstance(value, int | float):
        sheet.write_number(row, col, value, style)
    elif isinstance(value, dt.datetime | dt.date):
        write_text(sheet, row, col, value.strftime("%d/%m/%Y"), style)
    else:
        write_text(sheet, row, col, str(value), style)


def write_template(path: Path | str | BinaryIO) -> None:
    """The standard workbook: headers communes recognise, a filled example row, a sheet of explanations."""
    book = xlsxwriter.Workbook(_target(path))
    sheet = book.add_worksheet("Danh sách trẻ em")
    bold = book.add_format({"bold": True, "bg_color": "#E8F4EF", "border": 1, "text_wrap": True})
    text = book.add_format({"num_format": "@"})
    for col, field in enumerate(TEMPLATE_FIELDS):
        write_text(sheet, 0, col, FIELD_LABELS_VI[field], bold)
        write_text(sheet, 1, col, TEMPLATE_EXAMPLE[field], text)
        sheet.set_column(col, col, 20, text)
    sheet.freeze_panes(1, 0)
    notes = book.add_worksheet("Hướng dẫn")
    lines = [
        "Mỗi dòng là một trẻ. Bắt buộc: Họ và tên, Ngày sinh, Giới tính.",
        "Ngày sinh ghi ngày/tháng/năm (ví dụ 02/05/2013); chỉ biết năm thì ghi năm.",
        "Giới tính: Nam hoặc Nữ. Dân tộc: tên trong danh mục 54 dân tộc (Mông, Thái, Dao…).",
        "Số định danh cá nhân: 12 chữ số; định dạng cột là Văn bản để giữ số 0 ở đầu.",
        "Hoàn cảnh đặc biệt: chữ cái của nhóm theo Điều 10 Luật Trẻ em, cách nhau bằng dấu ; (ví dụ a; d).",
        "Thôn/bản chưa có trong danh mục của xã sẽ được đề nghị tạo mới.",
    ]
    for row, line in enumerate(lines):
        write_text(notes, row, 0, line)
    notes.set_column(0, 0, 110)
    book.close()
