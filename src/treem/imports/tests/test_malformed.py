"""Malformed files give one clear Vietnamese error and store nothing; outputs never hand a formula to a spreadsheet.

Every file goes through `treem import` (call_command), as a commune officer's file would go through the upload.
"""

from __future__ import annotations

import base64
import csv
import io
import os
import struct
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
import xlsxwriter
from django.core.management import CommandError, call_command
from python_calamine import CalamineWorkbook

from treem.core.spreadsheet import FORMULA_PREFIXES
from treem.imports.mapping import issue_messages
from treem.imports.models import ImportIssue, ImportJob, JobStatus
from treem.imports.outputs import PREVIEW_COLUMNS, write_error_workbook, write_preview_csv
from treem.imports.readers import MAX_CELL_READ, MAX_DATA_ROWS
from treem.imports.services import import_validate, job_create
from treem.registry.models import Child, Household, Person
from treem.units.models import Level, Unit

pytestmark = pytest.mark.django_db

HEADER = ["Họ và tên", "Ngày sinh", "Giới tính", "Thôn"]
ROW = ["Sùng Thị Sua", "02/05/2013", "Nữ", "Bản Hon"]
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000") + b"\x00" * 64


def xlsx(path: Path, rows: list[list[object]], write: Callable | None = None) -> Path:
    book = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False})
    sheet = book.add_worksheet("DS")
    for r, row in enumerate(rows):
        sheet.write_row(r, 0, row)
    if write:
        write(book, sheet)
    book.close()
    return path


def csv_file(path: Path, rows: list[list[object]]) -> Path:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def zip_bomb(path: Path) -> Path:
    """A workbook-looking zip whose sheet inflates from ~20 KB to 20 MB of zeros (ratio ~1000)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
        z.writestr("xl/worksheets/sheet1.xml", b"\0" * (20 << 20))
    return path


def lying_zip_bomb(path: Path) -> Path:
    """A real workbook whose sheet holds 100,000 rows but declares 60 KB: the size check alone would let it in."""
    base = xlsx(path.with_name("base.xlsx"), [HEADER, ROW])
    with zipfile.ZipFile(base) as src:
        parts = {info.filename: src.read(info.filename) for info in src.infolist()}
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    head, _, rest = sheet.partition("</sheetData>")
    rows = "".join(f'<row r="{i}"><c r="A{i}" t="inlineStr"><is><t>Sua</t></is></c></row>' for i in range(3, 100_003))
    big = (head + rows + "</sheetData>" + rest).encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, big if name == "xl/worksheets/sheet1.xml" else data)
    data = bytearray(path.read_bytes())
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):  # local header, central directory
        i = data.find(signature)
        while i != -1:
            if struct.unpack_from("<I", data, i + offset)[0] == len(big):
                struct.pack_into("<I", data, i + offset, 60_000)
            i = data.find(signature, i + 1)
    path.write_bytes(bytes(data))
    return path


def huge_cell_xlsx(path: Path) -> Path:
    """A 1 MB cell: xlsxwriter cuts strings at Excel's 32,767 characters, so the shared string is written by hand."""
    base = xlsx(path.with_name("base.xlsx"), [HEADER, ["PLACEHOLDER", "02/05/2013", "Nữ", "Bản Hon"]])
    with zipfile.ZipFile(base) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "xl/sharedStrings.xml":
                data = data.replace(b"PLACEHOLDER", base64.b64encode(os.urandom(3 << 18)))  # 1 MB, incompressible
            out.writestr(info.filename, data)
    return path


def formulas_xlsx(path: Path) -> Path:
    def write(book: xlsxwriter.Workbook, sheet: xlsxwriter.worksheet.Worksheet) -> None:
        sheet.write_formula(1, 0, '=CONCATENATE("=cmd|"," /C calc")', None, "=cmd| /C calc")
        sheet.write_formula(2, 0, "=1+1", None, 2)
        sheet.write_formula(3, 0, '=HYPERLINK("http://x.example","Sua")')  # cached value: xlsxwriter's 0

    return xlsx(path, [HEADER, ["", *ROW[1:]], ["", *ROW[1:]], ["", *ROW[1:]], ["=cmd|' /C calc'!A0", *ROW[1:]]], write)


def big_csv(path: Path, rows: int) -> Path:
    line = "Sùng Thị Sua,02/05/2013,Nữ,Bản Hon\n".encode()
    path.write_bytes(",".join(HEADER).encode() + b"\n" + line * rows)
    return path


MALFORMED: list[tuple[str, Callable[[Path], Path], str]] = [
    ("random.xlsx", lambda p: (p.write_bytes(os.urandom(4096)), p)[1], "không phải bảng tính"),
    ("random.csv", lambda p: (p.write_bytes(bytes(range(1, 256)) * 40), p)[1], "Không đọc được bảng mã"),
    ("text.csv", lambda p: (p.write_bytes(bytes(range(32, 127)) * 40), p)[1], "Không tìm thấy dòng tiêu đề"),
    ("picture.xlsx", lambda p: (p.write_bytes(PNG), p)[1], "không phải bảng tính"),
    ("empty.xlsx", lambda p: (p.write_bytes(b""), p)[1], "Tệp rỗng"),
    ("blank.csv", lambda p: (p.write_text("\n\n ,, \n"), p)[1], "không có dữ liệu"),
    ("header-only.xlsx", lambda p: xlsx(p, [["DANH SÁCH TRẺ EM"], [], HEADER]), "Không có dòng dữ liệu nào"),
    ("header-only.csv", lambda p: csv_file(p, [HEADER]), "Không có dòng dữ liệu nào"),
    ("no-header.xlsx", lambda p: xlsx(p, [ROW, ROW]), "Không tìm thấy dòng tiêu đề"),
    ("not-a-workbook.zip", lambda p: (zipfile.ZipFile(p, "w").writestr("a.txt", "x"), p)[1], "không phải bảng tính"),
    ("broken.xlsx", lambda p: (p.write_bytes(b"PK\x03\x04" + os.urandom(2000)), p)[1], "bị hỏng"),
    ("bomb.xlsx", zip_bomb, "giải nén quá lớn"),
    ("lying-bomb.xlsx", lying_zip_bomb, "bị hỏng"),
    ("huge-cell.xlsx", huge_cell_xlsx, "ký tự; không đọc tệp này"),
    ("huge-cell.csv", lambda p: csv_file(p, [HEADER, ["A" * (1 << 20), *ROW[1:]]]), "ô quá dài"),
    ("1048576-rows.csv", lambda p: big_csv(p, 1_048_576), "Tệp có hơn 1.000.000 dòng dữ liệu"),
]


def assert_nothing_stored(commune: Unit) -> None:
    assert Child.objects.count() == 0
    assert Household.objects.count() == 0
    assert Person.objects.count() == 0
    assert set(Unit.objects.filter(parent=commune, level=Level.VILLAGE).values_list("name", flat=True)) == {
        "Bản Hon",
        "Bản Lầm",
    }
    for job in ImportJob.objects.all():  # a job is not made, or failed and says why, or was only a dry run
        assert job.status in (JobStatus.FAILED, JobStatus.VALIDATED)
        assert job.error_message or job.status == JobStatus.VALIDATED
        assert not job.result
        assert job.committed_at is None


@pytest.mark.parametrize(("name", "make", "message"), MALFORMED, ids=[m[0] for m in MALFORMED])
def test_malformed_file_gives_a_clear_error_and_stores_nothing(
    tree, tmp_path: Path, name: str, make: Callable[[Path], Path], message: str
) -> None:  # noqa: ANN001
    path = make(tmp_path / name)
    with pytest.raises(CommandError) as info:
        call_command("import", str(path), unit=tree.commune.code, stdout=io.StringIO())
    assert message in str(info.value)
    assert "Traceback" not in str(info.value)
    assert_nothing_stored(tree.commune)


def test_row_limit_comes_from_settings(tree, tmp_path: Path, settings) -> None:  # noqa: ANN001
    settings.TREEM_IMPORT_MAX_ROWS = 5
    assert MAX_DATA_ROWS == 1_000_000
    five = csv_file(tmp_path / "five.csv", [["Danh sách"], HEADER, *[[f"Sùng Thị {n}", *ROW[1:]] for n in "ABCDE"]])
    call_command("import", str(five), unit=tree.commune.code, dry_run=True, stdout=io.StringIO())
    six = csv_file(tmp_path / "six.csv", [HEADER, *[[f"Sùng Thị {n}", *ROW[1:]] for n in "ABCDEG"]])
    with pytest.raises(CommandError, match="Tệp có hơn 5 dòng dữ liệu"):
        call_command("import", str(six), unit=tree.commune.code, stdout=io.StringIO())
    assert_nothing_stored(tree.commune)


def test_a_cell_just_under_the_limit_is_a_row_error_not_a_file_error(tree, tmp_path: Path) -> None:  # noqa: ANN001
    path = csv_file(tmp_path / "long.csv", [HEADER, ["A" * (MAX_CELL_READ - 1), *ROW[1:]], ROW])
    out = io.StringIO()
    call_command("import", str(path), unit=tree.commune.code, stdout=out)
    assert "ok 1" in out.getvalue()
    assert "error 1" in out.getvalue()
    assert list(Child.objects.values_list("full_name", flat=True)) == ["Sùng Thị Sua"]


def test_formulas_are_never_imported_as_formulas(tree, tmp_path: Path) -> None:  # noqa: ANN001
    """Formula cells give their value (or nothing); text that starts like a formula is an error; none is stored."""
    path = formulas_xlsx(tmp_path / "formulas.xlsx")
    out = io.StringIO()
    call_command("import", str(path), unit=tree.commune.code, stdout=out)
    assert "ok 0" in out.getvalue()
    assert "error 4" in out.getvalue()
    job = ImportJob.objects.get()
    messages = {
        i.source_row: " ".join(m for _col, m in issue_messages(i.messages)) for i in ImportIssue.objects.filter(job=job)
    }
    assert "công thức" in messages[2]  # the cached value "=cmd| /C calc" of a formula
    assert "không phải số" in messages[3]  # =1+1 cached as 2
    assert "không phải số" in messages[4]  # a formula cached as 0
    assert "công thức" in messages[5]  # text "=cmd|' /C calc'!A0"
    assert job.status == JobStatus.COMMITTED
    assert job.result["children_created"] == 0
    assert Child.objects.count() == Household.objects.count() == 0


# --- outputs neutralise formula injection ----------------------------------------------------------------------

INJECTIONS = ["=cmd|' /C calc'!A0", "+1+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0"]


@pytest.fixture
def injected_job(tree, tmp_path: Path) -> ImportJob:  # noqa: ANN001
    rows = [HEADER + ["Người chăm sóc"]]
    for text in INJECTIONS:
        rows += [[text, *ROW[1:], "Sùng A Páo"], [ROW[0], *ROW[1:3], text, "Sùng A Páo"], [*ROW, text]]
    path = csv_file(tmp_path / "injection.csv", rows)
    return import_validate(job_create(actor=None, unit=tree.commune, path=path, original_name=path.name))


def test_preview_csv_never_starts_a_cell_with_a_formula_character(injected_job: ImportJob) -> None:
    out = io.StringIO()
    assert write_preview_csv(injected_job, out) == 3 * len(INJECTIONS)
    lines = list(csv.reader(io.StringIO(out.getvalue())))
    assert tuple(lines[0]) == PREVIEW_COLUMNS
    for line in lines[1:]:
        for cell in line:
            assert not cell.startswith(FORMULA_PREFIXES), line
    # every injected cell made its row an error or was cleaned of its leading character
    assert all(line[1] in ("error", "warning") for line in lines[1:])


def test_error_workbook_writes_injected_text_as_text(injected_job: ImportJob, tmp_path: Path) -> None:
    path = tmp_path / "errors.xlsx"
    assert write_error_workbook(injected_job, path) == 3 * len(INJECTIONS)
    with zipfile.ZipFile(path) as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet  # no formula element anywhere
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    cells = [cell for row in rows[1:] for cell in row if isinstance(cell, str)]
    for text in INJECTIONS:
        assert "'" + text in cells  # the original value, as text with Excel's text prefix
    assert not any(cell.startswith(FORMULA_PREFIXES) for cell in cells)
