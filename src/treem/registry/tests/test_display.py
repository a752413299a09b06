"""How the registry shows places and groups: one address formatter, and group names in the list export."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from python_calamine import CalamineWorkbook

from treem.core.text import format_address
from treem.registry import services
from treem.registry.exports import HEADER_ROW
from treem.registry.models import CircumstanceType

BACKEND = "django.contrib.auth.backends.ModelBackend"


@pytest.mark.parametrize(
    ("parts", "expected"),
    [
        (("Bản Hon", "Bản Hon", "Xã Khun Há"), "Bản Hon, Xã Khun Há"),
        (("", "Bản Hon", "Xã Khun Há"), "Bản Hon, Xã Khun Há"),
        (("—", "Bản Hon", "Xã Khun Há"), "Bản Hon, Xã Khun Há"),
        (("ban hon", "Bản Hon", "Xã Khun Há"), "ban hon, Xã Khun Há"),
        (("Hon", "Bản Hon", "Xã Khun Há"), "Hon, Xã Khun Há"),
        (("Số 12, Tổ 3, Phường Long Khánh", "", "Phường Long Khánh"), "Số 12, Tổ 3, Phường Long Khánh"),
        (("Nhà ông Páo, Bản Hoà", "Bản Hòa", "Xã Khun Há"), "Nhà ông Páo, Bản Hoà, Xã Khun Há"),
        (("Thôn 3", "Tổ 3", "Xã Khun Há"), "Thôn 3, Tổ 3, Xã Khun Há"),
        (("", None, ""), ""),
    ],
)
def test_format_address_drops_blanks_dashes_and_repeated_places(parts, expected) -> None:  # noqa: ANN001
    assert format_address(*parts) == expected


@pytest.mark.django_db
def test_household_page_shows_the_village_once(client, tree, officer) -> None:  # noqa: ANN001
    repeated = services.household_create(
        actor=officer, commune=tree.commune, village=tree.village, head_name="Sùng A Páo", address="Bản Hon"
    )
    empty = services.household_create(actor=officer, commune=tree.commune, village=tree.village, head_name="Lò A Dơ")
    client.force_login(officer, backend=BACKEND)
    page = client.get(reverse("registry:household_detail", args=[repeated.pk])).text
    assert "Bản Hon, Xã Khun Há" in page
    assert "Bản Hon, Bản Hon" not in page
    page = client.get(reverse("registry:household_detail", args=[empty.pk])).text
    assert "Bản Hon, Xã Khun Há" in page
    assert "—, " not in page


@pytest.mark.django_db
def test_child_list_export_names_the_groups(client, tree, officer) -> None:  # noqa: ANN001
    household = services.household_create(actor=officer, commune=tree.commune, village=tree.village, head_name="A")
    child = services.child_register(
        actor=officer, household=household,
        data=services.ChildInput(full_name="Sùng Thị Mai", sex="F", date_of_birth=dt.date(2015, 3, 4)),
    )  # fmt: skip
    for code in ("d", "a"):
        kind = CircumstanceType.objects.get(kind="special", code=code)
        services.circumstance_add(actor=officer, child=child, type=kind, valid_from=dt.date(2024, 1, 1))
    client.force_login(officer, backend=BACKEND)
    response = client.get(reverse("registry:child_list_xlsx"))
    content = b"".join(response.streaming_content)
    rows = CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0).to_python()
    row = dict(zip(rows[HEADER_ROW], rows[HEADER_ROW + 1], strict=False))
    assert row["Hoàn cảnh đặc biệt"] == "a. Trẻ em mồ côi cả cha và mẹ; d. Trẻ em khuyết tật"
