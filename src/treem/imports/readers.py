"""Read the tables communes keep: xlsx, xls, ods (python-calamine) and csv (UTF-8, UTF-8-BOM, Windows-1258).

Rows are streamed as (sheet row number, values). The header row is found below any title rows; a header split
over two rows by merged cells is joined. Nothing here knows about children: `mapping` turns headers into fields.
"""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from python_calamine import CalamineWorkbook

from treem.core.errors import CleanError

MAX_UNCOMPRESSED_BYTES = 600 * 1024 * 1024  # a workbook that inflates beyond this is refused (zip bomb)
MAX_COMPRESSION_RATIO = 200
MAX_CELL_CHARS = 2000
HEADER_SCAN_ROWS = 30
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .xls
CSV_ENCODINGS = ("utf-8-sig", "cp1258", "cp1252")


class ReadError(CleanError):
    """The file cannot be read as a table; the message says why, in Vietnamese."""


@dataclass(frozen=True, slots=True)
class Table:
    kind: str  # "xlsx" | "xls" | "ods" | "csv"
    sheet_names: list[str]
    path: Path
    sheet: str
    encoding: str = ""

    def rows(self) -> Iterator[tuple[int, list[Any]]]:
        """(sheet row number starting at 1, cell values) for every row, streamed."""
        if self.kind == "csv":
            yield from _csv_rows(self.path, self.encoding)
        else:
            yield from _calamine_rows(self.path, self.sheet)


def _check_zip(path: Path) -> str:
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
            total = sum(info.file_size for info in archive.infolist())
            packed = sum(info.compress_size for info in archive.infolist()) or 1
    except zipfile.BadZipFile as exc:
        raise ReadError("file_corrupt", "Tệp bị hỏng hoặc không phải bảng tính Excel") from exc
    if total > MAX_UNCOMPRESSED_BYTES or total / packed > MAX_COMPRESSION_RATIO:
        raise ReadError("file_bomb", "Tệp giải nén quá lớn bất thường; không thể đọc an toàn")
    if any(n.startswith("xl/") for n in names):
        return "xlsx"
    if "content.xml" in names:
        return "ods"
    raise ReadError("file_type", "Tệp nén không phải bảng tính Excel hay OpenDocument")


def _sniff_csv(path: Path) -> str:
    raw = path.read_bytes()[:1_000_000]
    if b"\x00" in raw:
        raise ReadError("file_type", "Tệp không phải bảng tính (xlsx, xls, ods) hay CSV")
    for encoding in CSV_ENCODINGS:
        try:
            codecs.decode(raw, encoding)
        except UnicodeDecodeError:
            continue
        return encoding
    raise ReadError("file_encoding", "Không đọc được bảng mã của tệp CSV")


def open_table(path: Path | str, *, sheet: str | None = None) -> Table:
    """Open a spreadsheet or CSV file by its content (not its name); ReadError if it is not one."""
    path = Path(path)
    if not path.exists() or path.stat().st_size == 0:
        raise ReadError("file_empty", "Tệp rỗng")
    head = path.open("rb").read(8)
    if head.startswith(ZIP_MAGIC):
        kind = _check_zip(path)
    elif head.startswith(OLE_MAGIC):
        kind = "xls"
    else:
        encoding = _sniff_csv(path)
        return Table("csv", [path.stem], path, path.stem, encoding)
    try:
        workbook = CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises its own error types for broken files
        raise ReadError("file_corrupt", "Tệp bị hỏng hoặc không đọc được") from exc
    names = list(workbook.sheet_names)
    if not names:
        raise ReadError("file_empty", "Bảng tính không có trang nào")
    if sheet and sheet not in names:
        raise ReadError("sheet_missing", f"Không có trang tính {sheet!r}")
    return Table(kind, names, path, sheet or names[0])


def _calamine_rows(path: Path, sheet: str) -> Iterator[tuple[int, list[Any]]]:
    workbook = CalamineWorkbook.from_path(str(path))
    data = workbook.get_sheet_by_name(sheet)
    start = data.start[0] if data.start else 0  # calamine skips leading empty rows
    for offset, row in enumerate(data.iter_rows()):
        yield start + offset + 1, list(row)


def _csv_rows(path: Path, encoding: str) -> Iterator[tuple[int, list[Any]]]:
    with path.open(encoding=encoding, newline="") as fh:
        sample = fh.read(64_000)
        fh.seek(0)
        try:
            dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t")
        except csv.Error:
            dialect = csv.excel
        csv.field_size_limit(MAX_CELL_CHARS * 4)
        reader = csv.reader(fh, dialect)
        try:
            for number, row in enumerate(reader, start=1):
                yield number, row
        except csv.Error as exc:
            raise ReadError(
                "cell_too_long", f"Tệp CSV có ô quá dài hoặc sai định dạng (dòng {reader.line_num})"
            ) from exc


def is_blank(values: list[Any]) -> bool:
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in values)


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return " ".join(str(value).split())


@dataclass(frozen=True, slots=True)
class Header:
    row_number: int  # the sheet row of the (last) header row
    labels: list[str]  # one label per column, joined over a two-row merged header


def find_header(table: Table, score: Any) -> Header:
    """The header is the row among the first rows whose labels `score` best recognises as Treem fields."""
    rows: list[tuple[int, list[Any]]] = []
    for number, values in table.rows():
        rows.append((number, values))
        if len(rows) >= HEADER_SCAN_ROWS:
            break
    rows = [(n, v) for n, v in rows if not is_blank(v)]
    if not rows:
        raise ReadError("file_empty", "Bảng tính không có dữ liệu")
    best: Header | None = None
    best_score = 0
    for i, (number, values) in enumerate(rows):
        labels = [cell_text(v) for v in values]
        candidates = [Header(number, labels)]
        if i > 0:  # a two-row header: group titles above (merged), details below
            above = [cell_text(v) for v in rows[i - 1][1]]
            filled, last = [], ""
            for label in above + [""] * (len(labels) - len(above)):
                last = label or last
                filled.append(last)
            joined = [
                f"{a} {b}".strip() if b and a and a != b else (b or a) for a, b in zip(filled, labels, strict=False)
            ]
            candidates.append(Header(number, joined))
        for candidate in candidates:
            s = score(candidate.labels)
            if s > best_score:
                best, best_score = candidate, s
    if best is None:
        raise ReadError(
            "header_missing",
            "Không tìm thấy dòng tiêu đề (ví dụ: Họ và tên, Ngày sinh, Giới tính…) trong 30 dòng đầu",
        )
    return best


def read_csv_text(text: str) -> list[list[str]]:
    """Parse CSV text (used by tests and the preview round trip)."""
    return list(csv.reader(io.StringIO(text)))
