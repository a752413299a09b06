"""Reading tables: the header below title rows or over two merged rows, CSV encodings and delimiters, limits."""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import tempfile
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import xlsxwriter
from hypothesis import given, settings
from hypothesis import strategies as st

from treem.core.text import nfc
from treem.imports.mapping import guess_mapping, header_score
from treem.imports.readers import (
    HEADER_SCAN_ROWS,
    MAX_CELL_READ,
    ReadError,
    Table,
    cell_text,
    find_header,
    is_blank,
    open_table,
)

HEADER = ["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Dân tộc", "Thôn"]
ROW = [1, "Sùng Thị Sua", "02/05/2013", "Nữ", "Mông", "Bản Hon"]
TITLE = ["DANH SÁCH TRẺ EM CÓ HOÀN CẢNH ĐẶC BIỆT", None, None, None, None, None]
BLANK = [None, "", " ", None, None, None]


@dataclass
class Rows:
    """A table given as rows, for find_header (which only iterates rows)."""

    data: list[list[Any]]

    def rows(self) -> Iterator[tuple[int, list[Any]]]:
        yield from enumerate(self.data, start=1)


def mapped(labels: list[str]) -> dict[str, str]:
    return {field: labels[i] for i, field in guess_mapping(labels).items()}


# --- find_header -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rows", "header_row", "fields"),
    [
        pytest.param([HEADER, ROW], 1, {"full_name", "date_of_birth", "sex", "ethnicity", "village"}, id="plain"),
        pytest.param(
            [TITLE, ["Xã Khun Há, năm 2025", None], BLANK, HEADER, ROW], 4, {"full_name", "village"}, id="title rows"
        ),
        pytest.param([HEADER[1:4], ROW[1:4]], 1, {"full_name", "date_of_birth", "sex"}, id="only required"),
        pytest.param([HEADER, ["(1)", "(2)", "(3)", "(4)", "(5)", "(6)"], ROW], 2, {"full_name"}, id="numbered cols"),
        pytest.param([HEADER, [1, 2, 3, 4, 5, 6], ROW], 2, {"full_name"}, id="numbered cols as numbers"),
        pytest.param(
            [["Họ và tên", "Ngày sinh", "Giới tính", "Địa chỉ", None], [None, None, None, "Thôn", "Xã"], ROW[1:]],
            2,
            {"full_name", "date_of_birth", "sex", "village", "commune"},
            id="two-row header",
        ),
        pytest.param(
            [["Full name", "Date of birth", "Sex", "Village"], ["Sùng Thị Sua", "2013-05-02", "F", "Hon"]],
            1,
            {"full_name", "date_of_birth", "sex", "village"},
            id="english",
        ),
        pytest.param([[*HEADER, "Ghi chú", "Cột lạ"], ROW], 1, {"full_name", "note"}, id="extra columns"),
    ],
)
def test_find_header(rows: list[list[Any]], header_row: int, fields: set[str]) -> None:
    header = find_header(Rows(rows), header_score)
    assert header.row_number == header_row
    assert fields <= set(mapped(header.labels))


def test_two_row_header_keeps_the_group_title_in_brackets() -> None:
    rows = [
        ["STT", "Họ và tên trẻ", "Ngày sinh", "Giới tính", "Cha mẹ", None, "Địa chỉ", None],
        [None, None, None, None, "Họ tên cha", "Họ tên mẹ", "Thôn", "Xã"],
        [1, "Sùng Thị Sua", "02/05/2013", "Nữ", "Sùng A Páo", "Vàng Thị Mỷ", "Bản Hon", "Khun Há"],
    ]
    header = find_header(Rows(rows), header_score)
    assert header.row_number == 2
    assert header.labels == [
        "STT", "Họ và tên trẻ", "Ngày sinh", "Giới tính", "Họ tên cha (Cha mẹ)", "Họ tên mẹ (Cha mẹ)", "Thôn (Địa chỉ)",
        "Xã (Địa chỉ)",
    ]  # fmt: skip
    assert mapped(header.labels) == {
        "full_name": "Họ và tên trẻ", "date_of_birth": "Ngày sinh", "sex": "Giới tính",
        "father_name": "Họ tên cha (Cha mẹ)", "mother_name": "Họ tên mẹ (Cha mẹ)", "village": "Thôn (Địa chỉ)",
        "commune": "Xã (Địa chỉ)",
    }  # fmt: skip


def test_a_data_row_is_not_taken_for_a_second_header_row() -> None:
    header = find_header(Rows([HEADER, ROW, ROW]), header_score)
    assert (header.row_number, header.labels) == (1, HEADER)


@pytest.mark.parametrize(
    ("rows", "code"),
    [
        pytest.param([], "file_empty", id="empty"),
        pytest.param([BLANK, BLANK], "file_empty", id="blank rows"),
        pytest.param([TITLE, ROW, ROW], "header_missing", id="no header"),
        pytest.param([["Tên"], ["Sua"]], "header_missing", id="one recognised column"),
        pytest.param([*[TITLE] * HEADER_SCAN_ROWS, HEADER, ROW], "header_missing", id="header too far down"),
    ],
)
def test_find_header_refuses(rows: list[list[Any]], code: str) -> None:
    with pytest.raises(ReadError) as info:
        find_header(Rows(rows), header_score)
    assert info.value.code == code
    assert info.value.message


def test_merged_two_row_header_in_a_real_workbook(tmp_path: Path) -> None:
    """calamine puts a merged cell's value in its first cell: the header is found the same way."""
    path = tmp_path / "merged.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("DS")
    sheet.merge_range(0, 0, 0, 6, "DANH SÁCH TRẺ EM XÃ KHUN HÁ")
    for col, label in enumerate(["STT", "Họ và tên", "Ngày sinh", "Giới tính"]):
        sheet.merge_range(2, col, 3, col, label)
    sheet.merge_range(2, 4, 2, 5, "Địa chỉ")
    sheet.write_row(3, 4, ["Thôn", "Xã"])
    sheet.merge_range(2, 6, 3, 6, "Số định danh")
    sheet.write_row(4, 0, [1, "Sùng Thị Sua", dt.date(2013, 5, 2), "Nữ", "Bản Hon", "Khun Há", "012313000123"])
    sheet.write_datetime(4, 2, dt.datetime(2013, 5, 2), book.add_format({"num_format": "dd/mm/yyyy"}))
    book.close()
    table = open_table(path)
    header = find_header(table, header_score)
    assert header.row_number == 4
    assert set(mapped(header.labels)) == {"full_name", "date_of_birth", "sex", "village", "commune", "personal_id"}
    data = [values for number, values in table.rows() if number > header.row_number]
    assert data == [[1.0, "Sùng Thị Sua", dt.date(2013, 5, 2), "Nữ", "Bản Hon", "Khun Há", "012313000123"]]


# --- CSV: encodings and delimiters ----------------------------------------------------------------------------------

_TONES = "\u0300\u0301\u0303\u0309\u0323"


def to_cp1258(text: str) -> bytes:
    """Windows-1258 as Vietnamese Windows writes it: precomposed base letters, tone marks as combining characters."""
    out = []
    for ch in unicodedata.normalize("NFC", text):
        try:
            out.append(ch.encode("cp1258"))
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", ch)
            base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in _TONES))
            out.append((base + "".join(c for c in parts if c in _TONES)).encode("cp1258"))
    return b"".join(out)


def encode(text: str, encoding: str) -> bytes:
    if encoding == "cp1258":
        return to_cp1258(text)
    if encoding == "utf-8-sig":
        return codecs.BOM_UTF8 + text.encode("utf-8")
    return text.encode(encoding)


def write_csv(rows: list[list[str]], delimiter: str, encoding: str) -> Path:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    path = Path(tempfile.mkdtemp(prefix="treem-csv-")) / "danh-sach.csv"
    path.write_bytes(encode(out.getvalue(), encoding))
    return path


VIETNAMESE = "aàáảãạăằắẳẵặâầấẩẫậbcdđeèéẻẽẹêềếểễệghiìíỉĩịklmnoòóỏõọôồốổỗộơờớởỡợpqrstuùúủũụưừứửữựvxyỳýỷỹỵ"
words = st.text(alphabet=VIETNAMESE + VIETNAMESE.upper(), min_size=1, max_size=8)
name_cells = st.lists(words, min_size=1, max_size=4).map(" ".join)
date_cells = st.dates(min_value=dt.date(2008, 1, 1), max_value=dt.date(2026, 1, 1)).map(lambda d: f"{d:%d/%m/%Y}")
data_rows = st.lists(
    st.tuples(
        name_cells, date_cells, st.sampled_from(["Nam", "Nữ"]), name_cells, st.from_regex(r"[0-9]{12}", fullmatch=True)
    ),
    min_size=1,
    max_size=12,
)
CSV_HEADER = ["Họ và tên", "Ngày sinh", "Giới tính", "Địa chỉ", "Số định danh"]


@settings(max_examples=60, deadline=None)
@given(data_rows, st.sampled_from([",", ";"]), st.sampled_from(["utf-8", "utf-8-sig", "cp1258"]), st.booleans())
def test_csv_round_trip(rows: list[tuple[str, ...]], delimiter: str, encoding: str, with_comma: bool) -> None:
    body = [[*row[:3], f"{row[3]}, Khun Há" if with_comma else row[3], row[4]] for row in rows]
    path = write_csv([CSV_HEADER, *body], delimiter, encoding)
    table = open_table(path)
    assert table.kind == "csv"
    assert table.encoding == ("cp1258" if encoding == "cp1258" and not path.read_bytes().isascii() else "utf-8-sig")
    read = [[nfc(cell) for cell in values] for _number, values in table.rows()]
    assert read == [[nfc(cell) for cell in row] for row in [CSV_HEADER, *body]]
    assert find_header(table, header_score).row_number == 1


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1258", "utf-16"])
@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_csv_encodings_and_delimiters(encoding: str, delimiter: str) -> None:
    rows = [["Danh sách trẻ em xã Khun Há"], [], CSV_HEADER, ["Sùng Thị Sua", "02/05/2013", "Nữ", "Bản Hon", ""]]
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter).writerows(rows)
    path = Path(tempfile.mkdtemp()) / "x.txt"
    path.write_bytes(encode(out.getvalue(), encoding))
    table = open_table(path)
    header = find_header(table, header_score)
    assert header.row_number == 3
    values = [v for n, v in table.rows() if n == 4][0]
    assert [nfc(v) for v in values] == ["Sùng Thị Sua", "02/05/2013", "Nữ", "Bản Hon", ""]


def test_big_utf8_csv_whose_sample_ends_inside_a_letter(tmp_path: Path) -> None:
    """The encoding is judged on the first 1 MB; a letter cut in two there does not make it Windows-1258."""
    line = "Nguyễn Thị Hương,02/05/2013,Nữ\n".encode()
    head = "Họ và tên,Ngày sinh,Giới tính\n".encode()
    body = head + line * (1_000_000 // len(line) + 10)
    cut = body[999_990:1_000_010]
    assert any(b >= 0x80 for b in cut)
    # shift the content until byte 1,000,000 is the second byte of a two- or three-byte letter
    for pad in range(8):
        data = b"x" * pad + b"\n" + body
        if 0x80 <= data[1_000_000] < 0xC0:
            break
    path = tmp_path / "big.csv"
    path.write_bytes(data)
    table = open_table(path)
    assert table.encoding == "utf-8-sig"
    assert [v for n, v in table.rows() if n == 3][0] == ["Nguyễn Thị Hương", "02/05/2013", "Nữ"]


def test_csv_cell_too_long(tmp_path: Path) -> None:
    path = tmp_path / "long.csv"
    path.write_text("Họ và tên,Ngày sinh,Giới tính\n" + "A" * (MAX_CELL_READ + 1) + ",02/05/2013,Nữ\n")
    table = open_table(path)
    with pytest.raises(ReadError) as info:
        list(table.rows())
    assert info.value.code == "cell_too_long"


@pytest.mark.parametrize("lines", [10, 11])
def test_row_limit_is_checked_before_the_first_row(tmp_path: Path, lines: int) -> None:
    path = tmp_path / "rows.csv"
    path.write_text("".join(f"Sua {i},02/05/2013,Nữ\n" for i in range(lines)))
    rows = Table("csv", ["rows"], path, "rows", "utf-8-sig").rows(max_rows=10, data_rows=9)
    if lines <= 10:
        assert len(list(rows)) == lines
    else:
        with pytest.raises(ReadError) as info:
            next(rows)
        assert info.value.code == "file_too_big"
        assert "hơn 9 dòng" in info.value.message


def test_row_limit_in_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "rows.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet()
    for row in range(12):
        sheet.write_row(row, 0, [f"Sua {row}", "02/05/2013", "Nữ"])
    book.close()
    table = open_table(path)
    assert len(list(table.rows(max_rows=12))) == 12
    with pytest.raises(ReadError) as info:
        next(table.rows(max_rows=11, data_rows=10))
    assert (info.value.code, info.value.message) == (
        "file_too_big",
        "Tệp có hơn 10 dòng dữ liệu; hãy chia thành nhiều tệp nhỏ hơn",
    )


def test_workbook_values_keep_their_types(tmp_path: Path) -> None:
    path = tmp_path / "types.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Trẻ em")
    date = book.add_format({"num_format": "dd/mm/yyyy"})
    sheet.write_row(0, 0, ["Họ và tên", "Ngày sinh", "Số định danh", "Số"])
    sheet.write_string(1, 0, "Sùng Thị Sua")
    sheet.write_datetime(1, 1, dt.datetime(2013, 5, 2), date)
    sheet.write_string(1, 2, "012313000123")
    sheet.write_number(1, 3, 12313000123)
    book.close()
    table = open_table(path)
    assert (table.kind, table.sheet_names, table.sheet) == ("xlsx", ["Trẻ em"], "Trẻ em")
    values = list(table.rows())[1][1]
    assert values[0] == "Sùng Thị Sua"
    assert values[1] in (dt.date(2013, 5, 2), dt.datetime(2013, 5, 2))
    assert values[2] == "012313000123"  # text keeps its leading zero
    assert values[3] == 12313000123.0  # a number cell comes back as float
    assert cell_text(values[3]) == "12313000123"


@pytest.mark.parametrize(
    ("value", "text"),
    [(None, ""), (3.0, "3"), (3.5, "3.5"), ("  Họ   và\ntên ", "Họ và tên"), (dt.date(2013, 5, 2), "2013-05-02")],
)
def test_cell_text(value: Any, text: str) -> None:
    assert cell_text(value) == text


@pytest.mark.parametrize(
    ("values", "blank"), [([], True), ([None, "", "  \t"], True), ([None, 0], False), (["x"], False)]
)
def test_is_blank(values: list[Any], blank: bool) -> None:
    assert is_blank(values) is blank


def test_unknown_sheet(tmp_path: Path) -> None:
    path = tmp_path / "a.xlsx"
    book = xlsxwriter.Workbook(str(path))
    book.add_worksheet("DS").write_row(0, 0, HEADER)
    book.close()
    with pytest.raises(ReadError) as info:
        open_table(path, sheet="Khác")
    assert info.value.code == "sheet_missing"
