from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
import zipfile

import pytest
from django.urls import reverse
from python_calamine import CalamineWorkbook

from treem.accounts import roles
from treem.core.dates import today_vn
from treem.core.spreadsheet import safe_text, unquote_text
from treem.registry import services
from treem.registry.exports import BOOK_COLUMNS, BOOK_TITLE, CHILD_LIST_COLUMNS, CHILD_LIST_TITLE, HEADER_ROW
from treem.registry.models import CircumstanceType

BACKEND = "django.contrib.auth.backends.ModelBackend"
PDF_TOOLS = shutil.which("pdfinfo") and shutil.which("pdftotext")


# --- helpers ------------------------------------------------------------------------------------------------


def _household(actor, commune, village=None, head="Sùng A Páo", code="", poverty=None):
    household = services.household_create(actor=actor, commune=commune, village=village, head_name=head, code=code)
    if poverty:
        services.household_set_poverty(actor=actor, household=household, status=poverty, since=dt.date(2025, 1, 1))
    return household


def _child(actor, household, name, *, sex="F", dob=dt.date(2015, 3, 4), pid=None, father="Sùng A Páo", **extra):
    data = services.ChildInput(
        full_name=name, sex=sex, date_of_birth=dob, ethnicity="Mông", personal_id=pid, extra=extra
    )
    guardians = [services.GuardianInput(father, "father")] if father else []
    return services.child_register(actor=actor, household=household, data=data, guardians=guardians)


def _special(actor, child, code, since=dt.date(2024, 1, 1), until=None):
    kind_type = CircumstanceType.objects.get(kind="special", code=code)
    return services.circumstance_add(actor=actor, child=child, type=kind_type, valid_from=since, valid_to=until)


def _content(response) -> bytes:
    # Consuming streaming_content closes the response through the test client (never call close() here: it
    # would fire request_finished and close the PostgreSQL connection inside the test transaction).
    return b"".join(response.streaming_content) if response.streaming else response.content


def _rows(content: bytes) -> list[list]:
    return CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0).to_python()


def _body(rows: list[list]) -> list[dict]:
    header = rows[HEADER_ROW]
    return [dict(zip(header, row, strict=False)) for row in rows[HEADER_ROW + 1 :]]


@pytest.fixture
def officer(tree, make_user):
    return make_user(roles.COMMUNE_OFFICER, tree.commune)


@pytest.fixture
def family(tree, officer):
    """A household in Bản Hon with two children: a girl in group d and a boy."""
    household = _household(officer, tree.commune, tree.village, code="HK-001", poverty="poor")
    girl = _child(officer, household, "Sùng Thị Mai", pid="012315001234", school_status="primary", note="Ở với bà")
    services.guardian_add(
        actor=officer,
        child=girl,
        guardian=services.GuardianInput("Giàng Thị Dở", "grandparent", is_primary_caregiver=True),
    )
    _special(officer, girl, "d")
    _special(officer, girl, "a", since=dt.date(2020, 1, 1), until=dt.date(2021, 1, 1))  # ended: not listed
    boy = _child(officer, household, "Sùng A Lử", sex="M", dob=dt.date(2012, 9, 1), father="")
    return household, girl, boy


# --- child list workbook ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_child_list_xlsx_headers_rows_and_values(client, officer, family):
    client.force_login(officer, backend=BACKEND)
    response = client.get(reverse("registry:child_list_xlsx"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    assert f"danh-sach-tre-em-{today_vn():%Y%m%d}.xlsx" in response["Content-Disposition"]
    rows = _rows(_content(response))
    assert rows[0][0] == CHILD_LIST_TITLE
    assert rows[HEADER_ROW] == CHILD_LIST_COLUMNS
    body = {r["Họ và tên"]: r for r in _body(rows)}
    assert set(body) == {"Sùng Thị Mai", "Sùng A Lử"}
    mai = body["Sùng Thị Mai"]
    assert mai["Số định danh cá nhân"] == "012315001234"
    assert mai["Ngày sinh"] == dt.date(2015, 3, 4)
    assert mai["Giới tính"] == "Nữ"
    assert mai["Dân tộc"] == "Mông"
    assert mai["Họ tên cha"] == "Sùng A Páo"
    assert mai["Người chăm sóc/giám hộ"] == "Giàng Thị Dở (ông/bà)"
    assert mai["Thôn/Bản/Tổ dân phố"] == "Bản Hon"
    assert mai["Xã/Phường"] == "Xã Khun Há"
    assert mai["Mã hộ"] == "HK-001"
    assert mai["Chủ hộ"] == "Sùng A Páo"
    assert mai["Hoàn cảnh đặc biệt"] == "d. Trẻ em khuyết tật"
    assert mai["Tình trạng học tập"] == "Tiểu học"
    assert mai["Ghi chú"] == "Ở với bà"
    assert body["Sùng A Lử"]["Giới tính"] == "Nam"
    assert sorted(r["STT"] for r in body.values()) == [1, 2]


@pytest.mark.django_db
def test_child_list_xlsx_law_letters_of_several_groups(client, officer, family):
    _household_, girl, _boy = family
    _special(officer, girl, "a", since=dt.date(2022, 1, 1))
    client.force_login(officer, backend=BACKEND)
    body = _body(_rows(_content(client.get(reverse("registry:child_list_xlsx")))))
    assert next(r for r in body if r["Họ và tên"] == "Sùng Thị Mai")["Hoàn cảnh đặc biệt"] == (
        "a. Trẻ em mồ côi cả cha và mẹ; d. Trẻ em khuyết tật"
    )


@pytest.mark.django_db
def test_child_list_xlsx_applies_list_filters(client, officer, family):
    client.force_login(officer, backend=BACKEND)
    girls = _body(_rows(_content(client.get(reverse("registry:child_list_xlsx"), {"sex": "F"}))))
    assert [r["Họ và tên"] for r in girls] == ["Sùng Thị Mai"]
    in_group = _body(_rows(_content(client.get(reverse("registry:child_list_xlsx"), {"group": "d"}))))
    assert [r["Họ và tên"] for r in in_group] == ["Sùng Thị Mai"]


@pytest.mark.django_db
def test_child_list_xlsx_stays_in_scope(client, tree, make_user, officer, family):
    neighbour = make_user(roles.COMMUNE_OFFICER, tree.sibling)
    _child(neighbour, _household(neighbour, tree.sibling, head="Lò Văn Ánh"), "Lò Thị Xa", pid="012316009999")
    client.force_login(officer, backend=BACKEND)
    names = {r["Họ và tên"] for r in _body(_rows(_content(client.get(reverse("registry:child_list_xlsx")))))}
    assert names == {"Sùng Thị Mai", "Sùng A Lử"}
    # An out-of-scope unit in the filter shows no one rather than everyone.
    other = _body(_rows(_content(client.get(reverse("registry:child_list_xlsx"), {"unit": tree.sibling.pk}))))
    assert other == []
    province = make_user(roles.PROVINCE_SPECIALIST, tree.province)
    client.force_login(province, backend=BACKEND)
    names = {r["Họ và tên"] for r in _body(_rows(_content(client.get(reverse("registry:child_list_xlsx")))))}
    assert names == {"Sùng Thị Mai", "Sùng A Lử", "Lò Thị Xa"}


@pytest.mark.django_db
def test_child_list_xlsx_never_writes_formulas(client, tree, officer):
    household = _household(officer, tree.commune, tree.village, head='=HYPERLINK("http://evil.example","x")')
    _child(officer, household, '=HYPERLINK("x")', father="+1", note="@SUM(A1)")
    _child(officer, household, "-2+3", sex="M", father="")
    client.force_login(officer, backend=BACKEND)
    content = _content(client.get(reverse("registry:child_list_xlsx")))
    with zipfile.ZipFile(io.BytesIO(content)) as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet
    assert "<f " not in sheet
    body = {r["Họ và tên"]: r for r in _body(_rows(content))}
    assert set(body) == {'\'=HYPERLINK("x")', "'-2+3"}
    row = body['\'=HYPERLINK("x")']
    assert row["Họ tên cha"] == "'+1"
    assert row["Ghi chú"] == "'@SUM(A1)"
    assert row["Chủ hộ"].startswith("'=HYPERLINK")


@pytest.mark.django_db
def test_child_list_xlsx_needs_the_export_capability(client, tree, make_user, family):
    collaborator = make_user(roles.VILLAGE_COLLABORATOR, tree.village)
    client.force_login(collaborator, backend=BACKEND)
    assert client.get(reverse("registry:child_list_xlsx")).status_code == 403


@pytest.mark.django_db
def test_child_list_xlsx_needs_login(client, family):
    response = client.get(reverse("registry:child_list_xlsx"))
    assert response.status_code == 302


@pytest.mark.django_db
def test_child_list_xlsx_query_count_does_not_grow(client, tree, officer, django_assert_max_num_queries):
    for i in range(12):
        household = _household(officer, tree.commune, tree.village, head=f"Chủ hộ {i}")
        for j in range(3):
            child = _child(officer, household, f"Trẻ {i} {j}", pid=f"0123150{i:02d}{j:03d}")
            _special(officer, child, "d")
    client.force_login(officer, backend=BACKEND)
    # session, user, role; children, guardians, circumstances (one each per chunk of 2,000)
    with django_assert_max_num_queries(7):
        content = _content(client.get(reverse("registry:child_list_xlsx")))
    assert len(_body(_rows(content))) == 36


# --- household book -----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_household_book_xlsx_groups_children_under_households(client, tree, officer, family):
    other = _household(officer, tree.commune, tree.village, head="Vàng A Dơ", code="HK-002", poverty="near_poor")
    _child(officer, other, "Vàng Thị Say", pid="012317000001", father="Vàng A Dơ")
    elsewhere = _household(officer, tree.commune, tree.sibling_village, head="Lý A Chảo")
    _child(officer, elsewhere, "Lý Thị Mỷ")
    client.force_login(officer, backend=BACKEND)
    response = client.get(reverse("registry:village_book_xlsx", args=[tree.village.pk]))
    assert response.status_code == 200
    rows = _rows(_content(response))
    assert rows[0][0] == BOOK_TITLE
    assert rows[HEADER_ROW] == BOOK_COLUMNS
    body = rows[HEADER_ROW + 1 :]
    firsts = [r[0] for r in body]
    assert firsts[0].startswith("Hộ HK-001 – Chủ hộ: Sùng A Páo")
    assert "Hộ nghèo" in firsts[0]
    assert [r[1] for r in body[1:3]] == ["Sùng A Lử", "Sùng Thị Mai"]  # oldest first
    assert body[2][5] == "012315001234"
    assert body[2][9] == "d. Trẻ em khuyết tật"
    assert firsts[3].startswith("Hộ HK-002")
    assert "Hộ cận nghèo" in firsts[3]
    assert body[4][1] == "Vàng Thị Say"
    assert len(body) == 5  # the household of Bản Lầm is not in Bản Hon's book


@pytest.mark.django_db
def test_household_book_xlsx_of_a_commune_has_every_village(client, tree, officer, family):
    _child(officer, _household(officer, tree.commune, tree.sibling_village, head="Lý A Chảo"), "Lý Thị Mỷ")
    client.force_login(officer, backend=BACKEND)
    rows = _rows(_content(client.get(reverse("registry:village_book_xlsx", args=[tree.commune.pk]))))
    names = {r[1] for r in rows[HEADER_ROW + 1 :]}
    assert {"Sùng Thị Mai", "Sùng A Lử", "Lý Thị Mỷ"} <= names


@pytest.mark.django_db
def test_household_book_query_count_does_not_grow_with_households(client, tree, officer, django_assert_max_num_queries):
    for i in range(15):
        household = _household(officer, tree.commune, tree.village, head=f"Chủ hộ {i}", poverty="poor")
        for j in range(2):
            _special(officer, _child(officer, household, f"Trẻ {i} {j}"), "d")
    client.force_login(officer, backend=BACKEND)
    # session, user, role, user's unit, book unit; households, children, guardians, circumstances, poverty
    with django_assert_max_num_queries(10):
        rows = _rows(_content(client.get(reverse("registry:village_book_xlsx", args=[tree.village.pk]))))
    assert len(rows) - HEADER_ROW - 1 == 15 * 3
    with django_assert_max_num_queries(11):  # + the commune's province, named in the subtitle
        response = client.get(reverse("registry:village_book_pdf", args=[tree.village.pk]))
    assert response.status_code == 200


@pytest.mark.django_db
def test_household_book_out_of_scope_is_404(client, tree, make_user, family):
    neighbour = make_user(roles.COMMUNE_OFFICER, tree.sibling)
    client.force_login(neighbour, backend=BACKEND)
    assert client.get(reverse("registry:village_book_xlsx", args=[tree.village.pk])).status_code == 404
    assert client.get(reverse("registry:village_book_pdf", args=[tree.village.pk])).status_code == 404


@pytest.mark.django_db
def test_household_book_of_a_province_is_404(client, tree, make_user):
    province = make_user(roles.PROVINCE_SPECIALIST, tree.province)
    client.force_login(province, backend=BACKEND)
    assert client.get(reverse("registry:village_book_pdf", args=[tree.province.pk])).status_code == 404


@pytest.mark.django_db
def test_household_book_is_open_to_the_village_collaborator(client, tree, make_user, family):
    collaborator = make_user(roles.VILLAGE_COLLABORATOR, tree.village)
    client.force_login(collaborator, backend=BACKEND)
    assert client.get(reverse("registry:village_book_xlsx", args=[tree.village.pk])).status_code == 200
    # Their scope is the village: the commune's book is out of reach.
    assert client.get(reverse("registry:village_book_xlsx", args=[tree.commune.pk])).status_code == 404


@pytest.mark.django_db
def test_household_book_pdf(client, tree, officer, family):
    client.force_login(officer, backend=BACKEND)
    response = client.get(reverse("registry:village_book_pdf", args=[tree.village.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert ".pdf" in response["Content-Disposition"]


@pytest.mark.django_db
@pytest.mark.skipif(not PDF_TOOLS, reason="poppler-utils (pdfinfo, pdftotext) is not installed")
def test_household_book_pdf_text_and_pages(client, tree, officer, tmp_path):
    for i in range(40):
        household = _household(officer, tree.commune, tree.village, head=f"Giàng A Chủ {i}", code=f"HK-{i:03d}")
        _child(officer, household, f"Giàng Thị Con {i}", pid=f"01231500{i:04d}")
    client.force_login(officer, backend=BACKEND)
    response = client.get(reverse("registry:village_book_pdf", args=[tree.village.pk]))
    pdf = tmp_path / "book.pdf"
    pdf.write_bytes(response.content)
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout  # noqa: S603,S607
    pages = int(next(line for line in info.splitlines() if line.startswith("Pages:")).split()[1])
    assert pages > 1
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout  # noqa: S603,S607
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Độc lập - Tự do - Hạnh phúc" in text
    assert BOOK_TITLE in text
    assert "Hon" in text
    assert "Khun Há" in text
    assert "Giàng Thị Con 39" in text
    assert "012315000039" in text
    assert f"Trang {pages}/{pages}" in text


# --- safe_text ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Sùng Thị Mai", "Sùng Thị Mai"),
        ("012315001234", "012315001234"),
        ("=1+1", "'=1+1"),
        ("+84912345678", "'+84912345678"),
        ("-5", "'-5"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("'quoted", "'quoted"),
        (None, ""),
        (12, "12"),
    ],
)
def test_safe_text(value, expected):
    assert safe_text(value) == expected


@pytest.mark.parametrize("value", ["=1+1", "-5", "'quoted", "Mai", "@x"])
def test_unquote_text_reverses_safe_text(value):
    assert unquote_text(safe_text(value)) == value
