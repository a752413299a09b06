"""A very wide workbook: empty columns are left out of the mapping, and more than 200 used columns are refused."""

from __future__ import annotations

import io

import pytest
import xlsxwriter
from django.urls import reverse

from treem.imports.models import ImportJob, JobStatus
from treem.imports.readers import MAX_COLUMNS

pytestmark = pytest.mark.django_db
HEADER = ["Họ và tên", "Ngày sinh", "Giới tính", "Thôn"]
DATA = [["Sùng Thị Sua", "02/05/2013", "Nữ", "Bản Hon"], ["Lò Văn Minh", "2016", "Nam", "Bản Lầm"]]
LAST = 16_383  # column XFD, the last one a sheet has


def wide_xlsx(used: int = 0) -> bytes:
    """Four columns, an empty one, one with data and no header, then nothing but a blank cell in XFD
    (or, with `used`, that many columns with a header and data)."""
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    sheet = book.add_worksheet("Danh sách")
    sheet.write_row(0, 0, [*HEADER, "", ""])
    for r, values in enumerate(DATA, start=1):
        sheet.write_row(r, 0, [*values, "", "ghi chú"])
    for c in range(used):
        sheet.write(0, 10 + c, f"Cột {c}")
        sheet.write(1, 10 + c, c)
    sheet.write_string(0, LAST, " ")
    sheet.write_string(2, LAST, " ")
    book.close()
    return out.getvalue()


def wide_csv(used: int = 0) -> bytes:
    extra = [f"Cột {c}" for c in range(used)]
    width = LAST + 1
    lines = [[*HEADER, "", "", *extra]] + [[*values, "", "ghi chú", *map(str, range(used))] for values in DATA]
    return "\n".join(",".join(line + [""] * (width - len(line))) for line in lines).encode()


@pytest.mark.parametrize(("name", "make"), [("rong.xlsx", wide_xlsx), ("rong.csv", wide_csv)])
def test_empty_columns_are_left_out_of_the_mapping(client, officer, name: str, make) -> None:  # noqa: ANN001
    client.force_login(officer)
    content = io.BytesIO(make())
    content.name = name
    response = client.post(reverse("imports:list"), {"file": content})
    assert response.status_code == 302, response.text[:3000]
    job = ImportJob.objects.get()
    assert job.column_indexes == [0, 1, 2, 3, 5]  # E has no header and no data; F has data; XFD only a blank
    assert len(job.headers) == 6
    page = client.get(reverse("imports:mapping", args=[job.pk]))
    assert len(page.content) < 200_000
    assert [c.letter for c in page.context["columns"]] == ["A", "B", "C", "D", "F"]
    data = {f"col_{i}": f for i, f in job.mapping.items()}
    response = client.post(reverse("imports:mapping", args=[job.pk]), data)
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == JobStatus.VALIDATED and job.counts.get("ok", 0) + job.counts.get("warning", 0) == 2


@pytest.mark.parametrize(("name", "make"), [("rong.xlsx", wide_xlsx), ("rong.csv", wide_csv)])
def test_more_than_the_column_limit_is_refused_in_vietnamese(client, officer, name: str, make) -> None:  # noqa: ANN001
    client.force_login(officer)
    content = io.BytesIO(make(used=MAX_COLUMNS))
    content.name = name
    response = client.post(reverse("imports:list"), {"file": content})
    assert response.status_code == 200
    assert f"tối đa {MAX_COLUMNS} cột" in response.text
    assert not ImportJob.objects.exists()
