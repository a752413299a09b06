"""A workbook whose sheet declares more rows than the limit is refused from its <dimension>, before any row loads."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from treem.imports.models import ImportJob
from treem.imports.readers import ReadError, open_table, sheet_last_row

OOXML = "application/vnd.openxmlformats-officedocument.spreadsheetml"
RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006"
HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
CONTENT_TYPES = (
    f'{HEAD}<Types xmlns="{PKG}/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    f'<Override PartName="/xl/workbook.xml" ContentType="{OOXML}.sheet.main+xml"/>'
    f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{OOXML}.worksheet+xml"/>'
    f'<Override PartName="/xl/worksheets/sheet2.xml" ContentType="{OOXML}.worksheet+xml"/></Types>'
)
ROOT_RELS = (
    f'{HEAD}<Relationships xmlns="{PKG}/relationships">'
    f'<Relationship Id="rId1" Type="{RELS}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    f'{HEAD}<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="{RELS}">'
    '<sheets><sheet name="Khác" sheetId="2" r:id="rId7"/><sheet name="Danh sách" sheetId="1" r:id="rId3"/></sheets>'
    "</workbook>"
)
WORKBOOK_RELS = (
    f'{HEAD}<Relationships xmlns="{PKG}/relationships">'
    f'<Relationship Id="rId3" Type="{RELS}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId7" Type="{RELS}/worksheet" Target="/xl/worksheets/sheet2.xml"/></Relationships>'
)
ROWS = [["Họ và tên", "Ngày sinh", "Giới tính"], ["Sùng Thị Sua", "02/05/2013", "Nữ"], ["Lò Văn Minh", "2016", "Nam"]]


def _cells(row: int, values: list[str]) -> str:
    cells = "".join(f'<c r="{chr(65 + i)}{row}" t="inlineStr"><is><t>{v}</t></is></c>' for i, v in enumerate(values))
    return f'<row r="{row}">{cells}</row>'


def sheet(dimension: str) -> str:
    body = "".join(_cells(n, values) for n, values in enumerate(ROWS, start=1))
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<dimension ref="{dimension}"/><sheetData>{body}</sheetData></worksheet>'
    )


def handmade_xlsx(path: Path, first: str, second: str = "A1:C3") -> Path:
    """A tiny xlsx whose sheets declare the given dimensions ("Khác" is first in the book, "Danh sách" second)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as book:
        book.writestr("[Content_Types].xml", CONTENT_TYPES)
        book.writestr("_rels/.rels", ROOT_RELS)
        book.writestr("xl/workbook.xml", WORKBOOK)
        book.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        book.writestr("xl/worksheets/sheet2.xml", sheet(first))
        book.writestr("xl/worksheets/sheet1.xml", sheet(second))
    return path


def test_the_dimension_is_read_for_the_chosen_sheet(tmp_path: Path) -> None:
    path = handmade_xlsx(tmp_path / "a.xlsx", "A1:XFD1048576", "A1:C3")
    assert path.stat().st_size < 4000
    assert sheet_last_row(path, "Khác") == 1_048_576
    assert sheet_last_row(path, "Danh sách") == 3


def test_a_sheet_claiming_more_rows_than_the_limit_is_refused_on_open(tmp_path: Path, settings) -> None:  # noqa: ANN001
    path = handmade_xlsx(tmp_path / "a.xlsx", "A1:C1048576")
    with pytest.raises(ReadError) as caught:
        open_table(path)
    assert caught.value.code == "file_too_big"
    assert "1.000.000" in caught.value.message
    open_table(path, sheet="Danh sách")  # the other sheet is small
    settings.TREEM_IMPORT_MAX_ROWS = 10
    with pytest.raises(ReadError):
        open_table(handmade_xlsx(tmp_path / "b.xlsx", "A1:C100"))
    open_table(handmade_xlsx(tmp_path / "c.xlsx", "A1:C30"))  # header rows above the limit are allowed for


@pytest.mark.django_db
def test_the_cli_refuses_it_before_storing_anything(tree, tmp_path: Path) -> None:  # noqa: ANN001
    path = handmade_xlsx(tmp_path / "big.xlsx", "A1:C1048576")
    with pytest.raises(CommandError, match="dòng dữ liệu"):
        call_command("import", str(path), unit=tree.commune.code, dry_run=True, stdout=io.StringIO())
    assert not ImportJob.objects.exists()


@pytest.mark.django_db
def test_the_upload_refuses_it(client, officer, tmp_path: Path) -> None:  # noqa: ANN001
    client.force_login(officer)
    path = handmade_xlsx(tmp_path / "big.xlsx", "A1:C1048576")
    with path.open("rb") as fh:
        response = client.post("/imports/", {"file": fh})
    assert response.status_code == 200
    assert "dòng dữ liệu" in response.content.decode()
    assert not ImportJob.objects.exists()
