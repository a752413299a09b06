"""Read the tables communes keep: xlsx, xls, ods (python-calamine) and csv (UTF-8, UTF-8-BOM, Windows-1258).

Rows are streamed as (sheet row number, values). The header row is found below any title rows; a header split
over two rows by merged cells is joined. Nothing here knows about children: `mapping` turns headers into fields.
"""

from __future__ import annotations

import codecs
import csv
import re
import zipfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from python_calamine import CalamineSheet, CalamineWorkbook

from treem.core.errors import CleanError, Message, gettext_noop
from treem.core.money import vnd

MAX_UNCOMPRESSED_BYTES = 600 * 1024 * 1024  # a workbook that inflates beyond this is refused (zip bomb)
MAX_COMPRESSION_RATIO = 200
MAX_CELL_CHARS = 2000
MAX_CELL_READ = MAX_CELL_CHARS * 4  # a longer cell is not data someone typed: the file is refused
MAX_DATA_ROWS = 1_000_000  # rows below the header; a bigger file is refused before any row is cleaned
HEADER_SCAN_ROWS = 30
MAX_COLUMNS = 200  # columns with a header or data; a wider table is refused (the mapping page lists each one)
COLUMN_SCAN_ROWS = 1000  # rows below the header looked at to find the columns with data
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .xls
CSV_ENCODINGS = ("utf-8-sig", "cp1258", "cp1252")
UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)  # Excel's "Unicode text" export: UTF-16, tab-separated


class ReadError(CleanError):
    """The file cannot be read as a table; the message says why."""


@dataclass(frozen=True, slots=True)
class Table:
    kind: str  # "xlsx" | "xls" | "ods" | "csv"
    sheet_names: list[str]
    path: Path
    sheet: str
    encoding: str = ""
    # the loaded sheet, kept while this Table is used: the pipeline reads a sample, then every row (calamine
    # always loads a whole sheet, so reading it once saves a full read of the file)
    loaded: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def rows(self, *, max_rows: int | None = None, data_rows: int | None = None) -> Iterator[tuple[int, list[Any]]]:
        """(sheet row number starting at 1, cell values) for every row, streamed.

        A table with more than `max_rows` rows is refused (ReadError "file_too_big", which names `data_rows`, the
        limit below the header) before its first row is returned when the size is known up front (CSV lines, the
        sheet's height), else at the row after the limit.
        """
        if self.kind == "csv":
            if max_rows is not None and _count_lines(self.path) > max_rows:
                raise too_many_rows(data_rows or max_rows)
            rows = _csv_rows(self.path, self.encoding)
        else:
            if "sheet" not in self.loaded:
                self.loaded["sheet"] = load_sheet(self.path, self.sheet)
            rows = _calamine_rows(self.loaded["sheet"], max_rows, data_rows)
        for number, values in rows:
            if max_rows is not None and number > max_rows:
                raise too_many_rows(data_rows or max_rows)
            yield number, values


def max_data_rows() -> int:
    """The most data rows one file may have: settings.TREEM_IMPORT_MAX_ROWS, else MAX_DATA_ROWS."""
    return getattr(settings, "TREEM_IMPORT_MAX_ROWS", MAX_DATA_ROWS)


def too_many_rows(limit: int) -> ReadError:
    shown = vnd(limit)
    return ReadError(
        "file_too_big",
        Message(gettext_noop("The file has more than %(limit)s data rows; split it into smaller files"), limit=shown),
    )


def _count_lines(path: Path) -> int:
    """Lines of a text file (a last line without a newline counts), read in 1 MB blocks."""
    lines, last = 0, b"\n"
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            lines += block.count(b"\n")
            last = block[-1:]
    return lines + (last != b"\n")


def _check_zip(path: Path) -> str:
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
            total = sum(info.file_size for info in archive.infolist())
            packed = sum(info.compress_size for info in archive.infolist()) or 1
    except zipfile.BadZipFile as exc:
        raise ReadError(
            "file_corrupt", Message(gettext_noop("The file is damaged or is not an Excel workbook"))
        ) from exc
    if total > MAX_UNCOMPRESSED_BYTES or total / packed > MAX_COMPRESSION_RATIO:
        raise ReadError(
            "file_bomb", Message(gettext_noop("The file inflates to an unusually large size; it cannot be read safely"))
        )
    if any(n.startswith("xl/") for n in names):
        return "xlsx"
    if "content.xml" in names:
        return "ods"
    raise ReadError("file_type", Message(gettext_noop("The compressed file is not an Excel or OpenDocument workbook")))


def _sniff_csv(path: Path) -> str:
    with path.open("rb") as fh:
        raw = fh.read(1_000_000)
    if raw.startswith(UTF16_BOMS):
        return "utf-16"
    if b"\x00" in raw:
        raise ReadError("file_type", Message(gettext_noop("The file is not a spreadsheet (xlsx, xls, ods) or CSV")))
    for encoding in CSV_ENCODINGS:
        try:  # incremental: the sample may end inside a character
            codecs.getincrementaldecoder(encoding)().decode(raw, final=False)
        except UnicodeDecodeError:
            continue
        return encoding
    raise ReadError("file_encoding", Message(gettext_noop("Cannot tell the character encoding of the CSV file")))


def open_table(path: Path | str, *, sheet: str | None = None) -> Table:
    """Open a spreadsheet or CSV file by its content (not its name); ReadError if it is not one."""
    path = Path(path)
    if not path.exists() or path.stat().st_size == 0:
        raise ReadError("file_empty", Message(gettext_noop("The file is empty")))
    with path.open("rb") as fh:
        head = fh.read(8)
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
        raise ReadError("file_corrupt", Message(gettext_noop("The file is damaged or cannot be read"))) from exc
    names = list(workbook.sheet_names)
    if not names:
        raise ReadError("file_empty", Message(gettext_noop("The workbook has no sheet")))
    if sheet and sheet not in names:
        raise ReadError("sheet_missing", Message(gettext_noop("There is no sheet %(sheet)s"), sheet=repr(sheet)))
    sheet = sheet or names[0]
    if kind == "xlsx":  # refuse a sheet that declares too many rows before calamine loads it whole
        limit = max_data_rows()
        last = sheet_last_row(path, sheet)
        if last is not None and last > limit + HEADER_SCAN_ROWS:
            raise too_many_rows(limit)
    return Table(kind, names, path, sheet)


_SHEET_TAG = re.compile(rb"<(?:\w+:)?sheet\b[^>]*>")
_ATTR = re.compile(rb'([\w:]+)\s*=\s*"([^"]*)"')
_RELATIONSHIP = re.compile(rb"<(?:\w+:)?Relationship\b[^>]*>")
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\b[^>]*\bref\s*=\s*"[A-Z]*\d*:?[A-Z]*(\d+)"')
_SHEET_DATA = re.compile(rb"<(?:\w+:)?sheetData\b")
XML_PART_LIMIT = 4 * 1024 * 1024  # workbook.xml and its relationships are small; a sheet's head is read in blocks


def _attrs(tag: bytes) -> dict[str, str]:
    return {k.decode().rsplit(":", 1)[-1]: v.decode("utf-8", "replace") for k, v in _ATTR.findall(tag)}


def sheet_last_row(path: Path, sheet: str) -> int | None:
    """The last row an xlsx sheet declares in its `<dimension ref="A1:C1048576">` (read from the head of the
    sheet's XML without loading its rows), or None when the workbook does not say."""
    try:
        with zipfile.ZipFile(path) as archive:
            book = archive.open("xl/workbook.xml").read(XML_PART_LIMIT)
            rels = archive.open("xl/_rels/workbook.xml.rels").read(XML_PART_LIMIT)
            rel_id = next(
                (a.get("id") for tag in _SHEET_TAG.findall(book) if (a := _attrs(tag)).get("name") == sheet), None
            )
            target = next(
                (a.get("Target") for tag in _RELATIONSHIP.findall(rels) if (a := _attrs(tag)).get("Id") == rel_id),
                None,
            )
            if not target:
                return None
            part = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
            head = b""
            with archive.open(part) as fh:
                while len(head) < XML_PART_LIMIT and (block := fh.read(64 * 1024)):
                    head += block
                    if match := _DIMENSION.search(head):
                        return int(match[1])
                    if _SHEET_DATA.search(head):
                        return None  # the dimension comes before the rows, or not at all
    except (KeyError, zipfile.BadZipFile, ValueError, OSError):
        return None
    return None


def load_sheet(path: Path, sheet: str) -> CalamineSheet:
    try:
        return CalamineWorkbook.from_path(str(path)).get_sheet_by_name(sheet)
    except Exception as exc:  # calamine raises its own error types for broken sheets
        raise ReadError(
            "file_corrupt",
            Message(gettext_noop("Cannot read the sheet %(sheet)s: the file is damaged"), sheet=repr(sheet)),
        ) from exc


def _calamine_rows(
    data: CalamineSheet, max_rows: int | None = None, data_rows: int | None = None
) -> Iterator[tuple[int, list[Any]]]:
    last = data.end[0] + 1 if data.end else 0  # the sheet row number of the last row
    if max_rows is not None and last > max_rows:
        raise too_many_rows(data_rows or max_rows)
    start = data.start[0] if data.start else 0  # calamine skips leading empty rows
    for offset, row in enumerate(data.iter_rows()):
        number = start + offset + 1
        for value in row:
            if value.__class__ is str and len(value) > MAX_CELL_READ:
                raise ReadError(
                    "cell_too_long",
                    Message(
                        gettext_noop("Row %(row)s has a cell %(length)s characters long; this file is not read"),
                        row=number, length=f"{len(value):,}",
                    ),
                )  # fmt: skip
        yield number, list(row)


def _csv_rows(path: Path, encoding: str) -> Iterator[tuple[int, list[Any]]]:
    with path.open(encoding=encoding, newline="") as fh:
        sample = fh.read(64_000)
        fh.seek(0)
        csv.field_size_limit(MAX_CELL_READ)
        reader = csv.reader(fh, delimiter=guess_delimiter(sample))
        try:
            yield from enumerate(reader, start=1)
        except csv.Error as exc:
            raise ReadError(
                "cell_too_long",
                Message(
                    gettext_noop("The CSV file has a cell that is too long or malformed (line %(line)s)"),
                    line=reader.line_num,
                ),
            ) from exc


CSV_DELIMITERS = (",", ";", "\t")
_QUOTED = re.compile(r'"[^"]*"')


def guess_delimiter(sample: str) -> str:
    """The delimiter found the same number of times on the most lines (quoted text aside): title lines above the
    header and commas inside addresses of a ";" file do not mislead it as they do csv.Sniffer."""
    lines = [line for line in _QUOTED.sub("", sample).splitlines()[:500] if line.strip()]
    best, best_key = ",", (0, 0)
    for delimiter in CSV_DELIMITERS:
        counts = Counter(n for line in lines if (n := line.count(delimiter)))
        if counts:
            mode, lines_with_mode = counts.most_common(1)[0]
            if (lines_with_mode, mode) > best_key:
                best, best_key = delimiter, (lines_with_mode, mode)
    return best


def is_blank(values: list[Any]) -> bool:
    return not any(_filled(v) for v in values)


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
    rows = [(n, _trim(v)) for n, v in rows if not is_blank(v)]
    if not rows:
        raise ReadError("file_empty", Message(gettext_noop("The workbook has no data")))
    best: Header | None = None
    best_score = best_index = 0
    for i, (number, values) in enumerate(rows):
        labels = [cell_text(v) for v in values]
        candidates = [Header(number, labels)]
        if i > 0:  # a two-row header: group titles above (merged), details below
            above = [cell_text(v) for v in rows[i - 1][1]]
            width = max(len(above), len(labels))
            filled, last = [], ""
            for label in above + [""] * (width - len(above)):
                last = label or last
                filled.append(last)
            below = labels + [""] * (width - len(labels))
            # the detail leads, the group title follows in brackets (which header_key ignores): "Thôn (Địa chỉ)"
            joined = [f"{b} ({a})" if b and a and a != b else (b or a) for a, b in zip(filled, below, strict=True)]
            candidates.append(Header(number, joined))
        for candidate in candidates:
            s = score(candidate.labels)
            if s > best_score:
                best, best_score, best_index = candidate, s, i
    if best is None:
        raise ReadError(
            "header_missing",
            Message(gettext_noop("No header row (for example: Họ và tên, Ngày sinh, Giới tính…) in the first 30 rows")),
        )
    if best_index + 1 < len(rows) and _is_numbering(rows[best_index + 1][1]):
        best = Header(rows[best_index + 1][0], best.labels)  # data starts below the "(1) (2) (3)…" row
    return best


def _filled(value: Any) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


def _trim(values: list[Any]) -> list[Any]:
    """The row without its trailing empty cells (a sheet used up to column XFD gives rows of 16,384 cells)."""
    end = len(values)
    while end and not _filled(values[end - 1]):
        end -= 1
    return values[:end]


def used_columns(table: Table, header: Header) -> list[int]:
    """The columns that have a header or a value in the first rows below it; ReadError beyond MAX_COLUMNS."""
    used = {i for i, label in enumerate(header.labels) if label}
    for number, values in table.rows():
        if number <= header.row_number:
            continue
        used.update(i for i, value in enumerate(values) if _filled(value))
        if len(used) > MAX_COLUMNS or number > header.row_number + COLUMN_SCAN_ROWS:
            break
    if len(used) > MAX_COLUMNS:
        raise ReadError(
            "too_many_columns",
            Message(
                gettext_noop(
                    "The file has more than %(limit)s columns with data; Treem reads at most %(limit)s columns. "
                    "Delete the columns you do not need and upload the file again"
                ),
                limit=MAX_COLUMNS,
            ),
        )
    return sorted(used)


_COLUMN_NUMBER = re.compile(r"^\(?(\d{1,2})\)?$")


def _is_numbering(values: list[Any]) -> bool:
    """A row that numbers the columns, as official forms do below their header: 1 2 3… or (1) (2) (3)…."""
    numbers = []
    for value in values:
        text = cell_text(value)
        if not text:
            continue
        match = _COLUMN_NUMBER.match(text)
        if match is None:
            return False
        numbers.append(int(match[1]))
    return len(numbers) >= 3 and all(a < b for a, b in zip(numbers, numbers[1:], strict=False))
