"""Registry pages: the persona trio (officer, sibling officer, read-only viewer) on every endpoint."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from treem.registry import services
from treem.registry.models import Child
from treem.registry.tests.conftest import special

pytestmark = pytest.mark.django_db


def login(client, user) -> None:  # noqa: ANN001
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")


def test_search_finds_without_diacritics(client, officer, child) -> None:  # noqa: ANN001
    login(client, officer)
    for q in ("sua", "sung thi sua", "SÙNG", "pao", "0123130"):
        response = client.get(reverse("registry:child_list"), {"q": q})
        assert "Sùng Thị Sua" in response.text, q
    assert "Sùng Thị Sua" not in client.get(reverse("registry:child_list"), {"q": "thi pao x"}).text


def test_list_is_scoped(client, officer, sibling_officer, child, sibling_child) -> None:  # noqa: ANN001
    login(client, officer)
    text = client.get(reverse("registry:child_list"), {"q": "sua"}).text
    assert "Sùng Thị Sua" in text and "Lò Thị Sua" not in text
    login(client, sibling_officer)
    text = client.get(reverse("registry:child_list"), {"q": "sua"}).text
    assert "Lò Thị Sua" in text and "Sùng Thị Sua" not in text


def test_list_filter_by_out_of_scope_unit_shows_no_one(client, officer, child, sibling_child, tree) -> None:  # noqa: ANN001
    login(client, officer)
    response = client.get(reverse("registry:child_list"), {"unit": tree.sibling.pk})
    assert response.context["page"].paginator.count == 0


def test_htmx_search_renders_only_the_results(client, officer, child) -> None:  # noqa: ANN001
    login(client, officer)
    response = client.get(reverse("registry:child_list"), {"q": "sua"}, headers={"HX-Request": "true"})
    assert "Sùng Thị Sua" in response.text
    assert "<html" not in response.text


def test_filters(client, officer, child, household) -> None:  # noqa: ANN001
    from treem.registry import services

    services.circumstance_add(actor=officer, child=child, type=special("h"), valid_from=dt.date(2024, 3, 1))
    boy = services.child_register(
        actor=officer, household=household,
        data=services.ChildInput(full_name="Sùng A Dế", sex="M", date_of_birth=dt.date(2024, 1, 5), ethnicity="Mông"),
    )  # fmt: skip
    login(client, officer)

    def names(**params: str) -> set[str]:
        page = client.get(reverse("registry:child_list"), params).context["page"]
        return {c.full_name for c in page.object_list}

    assert names(sex="M") == {boy.full_name}
    assert names(group="h") == {child.full_name}
    assert names(group="any") == {child.full_name}
    assert names(age="0-2") == {boy.full_name}
    assert names(age="11-14") == {child.full_name}
    assert names(ethnicity="Mông") == {boy.full_name, child.full_name}
    assert names(ethnicity="Kinh") == set()


def test_age_filter_has_the_statistics_age_groups(client, officer, household) -> None:  # noqa: ANN001
    """The indicators' age groups (0-5, 6-10, 11-15, completed years) filter the list too, so a figure can be
    checked against the list of children behind it."""
    from treem.core.dates import today_vn, years_before

    today = today_vn()
    ages = {"five": years_before(today, 5), "six": years_before(today, 6) - dt.timedelta(days=1),
            "fifteen": years_before(today, 16) + dt.timedelta(days=1), "sixteen": years_before(today, 16)}  # fmt: skip
    for name, dob in ages.items():
        services.child_register(
            actor=officer, household=household, data=services.ChildInput(full_name=name, sex="F", date_of_birth=dob)
        )
    login(client, officer)

    def names(age: str) -> set[str]:
        page = client.get(reverse("registry:child_list"), {"age": age}).context["page"]
        return {c.full_name for c in page.object_list}

    assert names("0-5") == {"five"}
    assert names("6-10") == {"six"}
    assert names("11-15") == {"fifteen"}
    text = client.get(reverse("registry:child_list")).text
    assert '<option value="0-5"' in text and '<option value="11-15"' in text


def test_detail_checks_scope(client, officer, sibling_officer, viewer, child) -> None:  # noqa: ANN001
    url = reverse("registry:child_detail", args=[child.pk])
    login(client, sibling_officer)
    assert client.get(url).status_code == 404
    login(client, viewer)
    response = client.get(url)
    assert response.status_code == 200 and "Sùng Thị Sua" in response.text
    assert reverse("registry:child_edit", args=[child.pk]) not in response.text
    login(client, officer)
    response = client.get(url)
    assert reverse("registry:child_edit", args=[child.pk]) in response.text
    assert 'data-testid="timeline"' in response.text


@pytest.mark.parametrize(
    "name",
    ["child_edit", "child_status", "circumstance_add"],
)
def test_write_pages_check_scope_and_write_role(client, officer, sibling_officer, viewer, child, name) -> None:  # noqa: ANN001
    url = reverse(f"registry:{name}", args=[child.pk])
    login(client, sibling_officer)
    assert client.get(url).status_code == 404
    login(client, viewer)
    assert client.get(url).status_code == 403
    login(client, officer)
    assert client.get(url).status_code == 200


def test_household_pages_check_scope(client, officer, sibling_officer, viewer, household) -> None:  # noqa: ANN001
    for name in ("household_detail", "household_edit", "household_move", "child_create"):
        url = reverse(f"registry:{name}", args=[household.pk])
        login(client, sibling_officer)
        assert client.get(url).status_code == 404, name
    login(client, viewer)
    assert client.get(reverse("registry:household_detail", args=[household.pk])).status_code == 200
    assert client.get(reverse("registry:household_edit", args=[household.pk])).status_code == 403


def test_add_a_child_with_parents(client, officer, household) -> None:  # noqa: ANN001
    login(client, officer)
    response = client.post(
        reverse("registry:child_create", args=[household.pk]),
        {
            "full_name": "  giàng  thị  MAI ", "sex": "F", "date_of_birth": "05/03/2019", "dob_precision": "day",
            "ethnicity": "Mông", "personal_id": "", "birth_registered": "true", "school_status": "preschool",
            "father_name": "giàng a páo", "mother_name": "", "caregiver_name": "", "caregiver_relation": "",
            "disability": "", "nutrition": "",
        },
    )  # fmt: skip
    assert response.status_code == 302, response.context["form"].errors if response.context else ""
    child = Child.objects.get(full_name="Giàng Thị Mai")
    assert child.date_of_birth == dt.date(2019, 3, 5)
    assert child.guardianships.get().person.full_name == "Giàng A Páo"


def test_bad_input_gets_a_clear_message_and_stores_nothing(client, officer, household) -> None:  # noqa: ANN001
    login(client, officer)
    before = Child.objects.count()
    response = client.post(
        reverse("registry:child_create", args=[household.pk]),
        {"full_name": "Giàng 3", "sex": "F", "date_of_birth": "31/02/2019", "dob_precision": "day",
         "ethnicity": "Mông", "personal_id": "12345"},
    )  # fmt: skip
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "Họ và tên có ký tự không hợp lệ" in errors["full_name"][0]
    assert "Ngày không tồn tại" in errors["date_of_birth"][0]
    assert "12 chữ số" in errors["personal_id"][0]
    assert Child.objects.count() == before


def test_id_number_is_checked_against_birth_and_sex(client, officer, household) -> None:  # noqa: ANN001
    login(client, officer)
    response = client.post(
        reverse("registry:child_create", args=[household.pk]),
        {"full_name": "Giàng Thị Mai", "sex": "F", "date_of_birth": "05/03/2019", "dob_precision": "day",
         "ethnicity": "Mông", "personal_id": "012215000001"},
    )  # fmt: skip
    messages = " ".join(response.context["form"].errors["personal_id"])
    assert "giới tính" in messages and "năm sinh" in messages


def test_circumstance_flow(client, officer, child) -> None:  # noqa: ANN001
    login(client, officer)
    response = client.post(
        reverse("registry:circumstance_add", args=[child.pk]),
        {"type": special("h").pk, "valid_from": "01/03/2024", "valid_to": "", "source": "CTV thôn", "note": ""},
    )
    assert response.status_code == 302
    circumstance = child.circumstances.get()
    response = client.post(reverse("registry:circumstance_end", args=[circumstance.pk]), {"valid_to": "30/09/2024"})
    assert response.status_code == 302
    circumstance.refresh_from_db()
    assert circumstance.valid_to == dt.date(2024, 9, 30)


def test_circumstance_end_of_another_commune_is_404(client, officer, sibling_officer, child) -> None:  # noqa: ANN001
    circumstance = services.circumstance_add(
        actor=officer, child=child, type=special("h"), valid_from=dt.date(2024, 3, 1)
    )
    login(client, sibling_officer)
    url = reverse("registry:circumstance_end", args=[circumstance.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"valid_to": "30/09/2024"}).status_code == 404
    circumstance.refresh_from_db()
    assert circumstance.valid_to is None


def test_status_page_marks_a_child_moved_away(client, officer, child) -> None:  # noqa: ANN001
    login(client, officer)
    response = client.post(
        reverse("registry:child_status", args=[child.pk]),
        {"status": "moved_away", "on": "01/02/2025", "note": "Hà Nội"},
    )
    assert response.status_code == 302
    child.refresh_from_db()
    assert child.status == "moved_away"
    assert client.get(reverse("registry:child_list"), {"q": "sua"}).context["page"].paginator.count == 0
    params = {"q": "sua", "status": "moved_away"}
    assert client.get(reverse("registry:child_list"), params).context["page"].paginator.count == 1


def test_list_page_query_count_does_not_grow(client, officer, household, django_assert_max_num_queries) -> None:  # noqa: ANN001
    from treem.registry import services

    for i in range(30):
        data = services.ChildInput(f"Sùng Văn {chr(65 + i % 26)}", sex="M", date_of_birth=dt.date(2015, 1, 1))
        services.child_register(actor=officer, household=household, data=data)
    login(client, officer)
    with django_assert_max_num_queries(20):
        client.get(reverse("registry:child_list"))


def test_the_count_stops_at_a_cap(client, officer, household, monkeypatch) -> None:  # noqa: ANN001
    from treem.core.paging import CappedPaginator
    from treem.registry import services

    monkeypatch.setattr(CappedPaginator, "cap", 2)
    for given in ("An", "Bình", "Chi"):
        data = services.ChildInput(f"Sùng Thị {given}", sex="F", date_of_birth=dt.date(2015, 1, 1))
        services.child_register(actor=officer, household=household, data=data)
    login(client, officer)
    response = client.get(reverse("registry:child_list"))
    assert response.context["page"].paginator.capped
    assert "Hơn 2 trẻ" in response.text
    assert not client.get(reverse("registry:child_list"), {"q": "chi"}).context["page"].paginator.capped
