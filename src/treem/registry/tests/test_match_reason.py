"""Search says why a child matched when it is not by the child's own name: a guardian, the head, the ID number."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from treem.accounts import roles
from treem.registry import selectors
from treem.registry.models import Child

BACKEND = "django.contrib.auth.backends.ModelBackend"
pytestmark = pytest.mark.django_db


def _fresh(child: Child) -> Child:
    return Child.objects.select_related("household").prefetch_related("guardianships__person").get(pk=child.pk)


@pytest.mark.parametrize(
    ("query", "reason"),
    [
        ("sua", ""),  # the child's own name: nothing to explain
        ("sung thi", ""),
        ("my", "mẹ: Vàng Thị Mỷ"),
        ("vang thi my", "mẹ: Vàng Thị Mỷ"),
        ("sua my", "mẹ: Vàng Thị Mỷ"),  # the name and the mother together
        ("pao", "cha: Sùng A Páo"),  # the father is also the head of household: the closer tie is said
        ("0123130", "số định danh: 012313000123"),
        ("my pao", "mẹ: Vàng Thị Mỷ; cha: Sùng A Páo"),
    ],
)
def test_match_reason_names_the_field_that_matched(child, query, reason) -> None:  # noqa: ANN001
    assert selectors.match_reason(query, _fresh(child)) == reason


def test_match_reason_for_the_head_of_household(household, officer) -> None:  # noqa: ANN001
    from treem.registry import services

    orphan = services.child_register(
        actor=officer, household=household,
        data=services.ChildInput(full_name="Sùng Thị Dê", sex="F", date_of_birth=None),
    )  # fmt: skip
    assert selectors.match_reason("pao", _fresh(orphan)) == "chủ hộ: Sùng A Páo"


def test_match_reason_in_english(child, settings) -> None:  # noqa: ANN001
    from django.utils import translation

    with translation.override("en"):
        assert selectors.match_reason("my", _fresh(child)) == "mother: Vàng Thị Mỷ"
        assert selectors.match_reason("0123", _fresh(child)) == "personal ID: 012313000123"


def test_child_list_shows_why_each_child_matched(client, child, officer) -> None:  # noqa: ANN001
    client.force_login(officer, backend=BACKEND)
    response = client.get(reverse("registry:child_list"), {"q": "vang my"})
    assert "Sùng Thị Sua" in response.text
    assert "mẹ: Vàng Thị Mỷ" in response.text
    assert "mẹ:" not in client.get(reverse("registry:child_list"), {"q": "sua"}).text


def test_child_list_reasons_cost_a_fixed_number_of_queries(client, child, household, officer) -> None:  # noqa: ANN001
    from treem.registry import services

    client.force_login(officer, backend=BACKEND)
    url = reverse("registry:child_list")
    client.get(url, {"q": "pao"})
    with CaptureQueriesContext(connection) as one:
        client.get(url, {"q": "pao"})
    for name in ("Sùng Thị Dê", "Sùng A Lử", "Sùng Thị Mai"):
        services.child_register(
            actor=officer, household=household,
            data=services.ChildInput(full_name=name, sex="F", date_of_birth=None),
            guardians=[services.GuardianInput("Sùng A Páo", "father")],
        )  # fmt: skip
    with CaptureQueriesContext(connection) as four:
        response = client.get(url, {"q": "pao"})
    assert response.text.count("cha: Sùng A Páo") == 4
    assert len(four) == len(one)


def test_case_intake_child_picker_says_why(client, tree, make_user, child) -> None:  # noqa: ANN001
    worker = make_user(roles.COMMUNE_OFFICER, tree.commune)
    client.force_login(worker, backend=BACKEND)
    response = client.get(reverse("cases:child_search"), {"child_q": "vang my"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "Sùng Thị Sua" in response.text
    assert "mẹ: Vàng Thị Mỷ" in response.text
    assert "Bản Hon, Xã Khun Há" in response.text
