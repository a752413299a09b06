"""The household edit page: one request, one transaction; every right checked and everything validated first."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from treem.accounts import roles
from treem.registry import services
from treem.registry.models import Child, Household, HouseholdPoverty

pytestmark = pytest.mark.django_db


def login(client, user) -> None:  # noqa: ANN001
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")


def post(household, village, **changes) -> dict:  # noqa: ANN001, ANN003
    data = {"village": village.pk if village else "", "head_name": household.head_name, "address": household.address,
            "code": household.code, "phone": household.phone, "note": household.note, "poverty-status": "",
            "poverty-since": "", "poverty-source": ""}  # fmt: skip
    data.update(changes)
    return data


def stored(household: Household) -> tuple:
    """Everything the page could write: the household row and its history, its periods, its children's places."""
    household.refresh_from_db()
    return (
        household.head_name, household.address, household.village_id, household.unit_path,
        Household.history.filter(id=household.pk).count(),
        list(HouseholdPoverty.objects.filter(household=household).values_list("status", "valid_from", "valid_to")),
        list(Child.objects.filter(household=household).values_list("village_id", "unit_path")),
    )  # fmt: skip


def test_a_status_without_a_date_is_a_form_error_and_nothing_is_stored(client, officer, tree, household, child) -> None:  # noqa: ANN001
    before = stored(household)
    login(client, officer)
    url = reverse("registry:household_edit", args=[household.pk])
    response = client.post(url, post(household, tree.village, head_name="Sùng A Chư", **{"poverty-status": "poor"}))
    assert response.status_code == 200
    errors = response.context["poverty_form"].errors
    assert errors and errors["since"][0] in response.text
    assert stored(household) == before


def test_a_date_the_service_rejects_shows_the_error_and_nothing_is_stored(
    client, officer, tree, household, child
) -> None:  # noqa: ANN001
    services.household_set_poverty(actor=officer, household=household, status="poor", since=dt.date(2024, 1, 1))
    before = stored(household)
    login(client, officer)
    url = reverse("registry:household_edit", args=[household.pk])
    data = post(household, tree.sibling_village, head_name="Sùng A Chư", address="Bản Lầm",
                **{"poverty-status": "near_poor", "poverty-since": "01/06/2023"})  # fmt: skip
    response = client.post(url, data)
    assert response.status_code == 200
    errors = response.context["poverty_form"].errors
    assert errors and errors["since"][0] in response.text
    assert stored(household) == before


def test_a_collaborator_moving_the_household_away_is_refused_and_nothing_is_stored(
    client,
    tree,
    make_user,
    household,
    child,  # noqa: ANN001
) -> None:
    collaborator = make_user(roles.VILLAGE_COLLABORATOR, tree.village)
    before = stored(household)
    login(client, collaborator)
    url = reverse("registry:household_edit", args=[household.pk])
    response = client.post(url, post(household, tree.sibling_village, head_name="Sùng A Chư", address="Bản Lầm"))
    assert response.status_code == 403
    assert stored(household) == before


def test_a_valid_post_stores_everything(client, officer, tree, household, child) -> None:  # noqa: ANN001
    login(client, officer)
    url = reverse("registry:household_edit", args=[household.pk])
    poverty = {"poverty-status": "poor", "poverty-since": "01/01/2025", "poverty-source": "Rà soát 2024"}
    data = post(household, tree.sibling_village, head_name="Sùng A Chư", address="Bản Lầm", **poverty)
    response = client.post(url, data)
    assert response.status_code == 302
    household.refresh_from_db()
    assert (household.head_name, household.address, household.village_id) == ("Sùng A Chư", "Bản Lầm",
                                                                              tree.sibling_village.pk)  # fmt: skip
    assert household.unit_path == tree.sibling_village.path
    child.refresh_from_db()
    assert child.village_id == tree.sibling_village.pk and child.unit_path == tree.sibling_village.path
    assert " chu" in child.search_text  # the new head's name is searchable
    assert list(household.poverty_periods.values_list("status", "valid_from", "source")) == [
        ("poor", dt.date(2025, 1, 1), "Rà soát 2024")
    ]


def test_leaving_the_poverty_part_empty_changes_no_period(client, officer, tree, household) -> None:  # noqa: ANN001
    services.household_set_poverty(actor=officer, household=household, status="poor", since=dt.date(2024, 1, 1))
    login(client, officer)
    url = reverse("registry:household_edit", args=[household.pk])
    assert client.post(url, post(household, tree.village, phone="0912345678")).status_code == 302
    household.refresh_from_db()
    assert household.phone == "0912345678"
    assert list(household.poverty_periods.values_list("status", "valid_to")) == [("poor", None)]
