"""Work lists on the child list: children without a personal ID (Đề án 06 clean-up), children turning 16 this
month; and the village household book reachable from the village page and the child list filtered to a village."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from treem.accounts import roles
from treem.core.dates import today_vn
from treem.registry import services
from treem.registry.selectors import ChildFilter, child_list
from treem.registry.tests.test_exports import _body, _content, _rows

pytestmark = pytest.mark.django_db


def _login(client, user) -> None:  # noqa: ANN001
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")


def _child(actor, household, name: str, dob: dt.date, pid: str | None = None):  # noqa: ANN001, ANN202
    data = services.ChildInput(full_name=name, sex="F", date_of_birth=dob, personal_id=pid)
    return services.child_register(actor=actor, household=household, data=data)


@pytest.fixture
def children(tree, officer, sibling_officer):  # noqa: ANN001, ANN201
    home = services.household_create(actor=officer, commune=tree.commune, village=tree.village, head_name="Sùng A Páo")
    today = today_vn()
    sixteen = today.replace(year=today.year - 16, day=1)
    born_next_month = (today.replace(day=28) + dt.timedelta(days=5)).replace(year=today.year - 16)
    _child(officer, home, "Sùng Thị Có", dt.date(2015, 3, 4), pid="012315000123")
    _child(officer, home, "Sùng Thị Không", dt.date(2016, 6, 7))
    _child(officer, home, "Sùng Thị Mười Sáu", sixteen, pid="012310000456")
    _child(officer, home, "Sùng Thị Tháng Sau", born_next_month, pid="012310000789")
    other = services.household_create(actor=sibling_officer, commune=tree.sibling, head_name="Lò Văn Tâm")
    _child(sibling_officer, other, "Lò Thị Không", dt.date(2016, 6, 7))
    return home


def test_the_without_id_filter_lists_only_children_without_a_personal_id(officer, children) -> None:  # noqa: ANN001
    names = [c.full_name for c in child_list(officer, ChildFilter(no_id=True))]
    assert names == ["Sùng Thị Không"]


def test_the_ageing_out_filter_lists_the_children_turning_16_this_month(officer, children) -> None:  # noqa: ANN001
    names = [c.full_name for c in child_list(officer, ChildFilter(ageing_out=True))]
    assert names == ["Sùng Thị Mười Sáu"]


def test_the_child_list_page_and_its_export_honour_the_without_id_filter(client, officer, children) -> None:  # noqa: ANN001
    _login(client, officer)
    page = client.get(reverse("registry:child_list"), {"no_id": "1"})
    assert [c.full_name for c in page.context["page"].object_list] == ["Sùng Thị Không"]
    assert 'name="no_id"' in page.text and "checked" in page.text
    assert "no_id=1" in page.text  # the export link carries the filter
    export = client.get(reverse("registry:child_list_xlsx"), {"no_id": "1"})
    assert [row["Họ và tên"] for row in _body(_rows(_content(export)))] == ["Sùng Thị Không"]


def test_the_village_page_links_the_household_book(client, tree, officer, children) -> None:  # noqa: ANN001
    _login(client, officer)
    text = client.get(reverse("ui:unit_detail", args=[tree.village.pk])).text
    assert reverse("registry:village_book_pdf", args=[tree.village.pk]) in text
    assert reverse("registry:village_book_xlsx", args=[tree.village.pk]) in text


def test_the_child_list_filtered_to_a_village_links_its_household_book(client, tree, officer, children) -> None:  # noqa: ANN001
    _login(client, officer)
    text = client.get(reverse("registry:child_list"), {"unit": tree.village.pk}).text
    assert reverse("registry:village_book_pdf", args=[tree.village.pk]) in text
    assert reverse("registry:village_book_xlsx", args=[tree.village.pk]) in text
    unfiltered = client.get(reverse("registry:child_list")).text
    assert "book.pdf" not in unfiltered
    # A village out of scope gives no link (and no one).
    far = client.get(reverse("registry:child_list"), {"unit": tree.far_commune.pk}).text
    assert "book.pdf" not in far


def test_no_book_link_for_a_user_who_may_not_see_the_registry(client, tree, make_user) -> None:  # noqa: ANN001
    auditor = make_user(roles.AUDITOR, tree.province)
    _login(client, auditor)
    text = client.get(reverse("ui:unit_detail", args=[tree.village.pk])).text
    assert "book.pdf" not in text
