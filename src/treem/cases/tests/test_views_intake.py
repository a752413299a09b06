"""Case intake pages (Mẫu 01): registry or unidentified child, informant consent, scope, the 12-hour clock."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from treem.accounts import roles
from treem.cases.models import Case
from treem.cases.tests.test_views import login, when
from treem.core.dates import VN_TZ

pytestmark = pytest.mark.django_db


def intake_data(**extra: object) -> dict[str, object]:
    return {
        **when(5), "channel": "community", "category": "at_risk", "abuse_forms": ["exploitation"], "setting": "home",
        "description": "Em nghỉ học, bố mẹ định cho đi làm thuê", "abuser_relation": "parent", "child_sex": "",
        **extra,
    }  # fmt: skip


def test_intake_of_a_registry_child_shows_the_12_hour_clock(client, officer, child, tree) -> None:  # noqa: ANN001
    login(client, officer)
    response = client.post(reverse("cases:intake"), intake_data(child=child.pk))
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("cases:detail", args=[case.pk])
    assert (case.child, case.commune, case.created_by) == (child, tree.commune, officer)
    page = client.get(response["Location"])
    assert 'data-testid="emergency-clock"' in page.text
    due = case.deadlines.get(rule__code="emergency_12h").due_at.astimezone(VN_TZ)
    assert due.strftime("%d/%m/%Y %H:%M") in page.text
    assert "Mật" in page.text


def test_intake_of_an_unidentified_child(client, officer) -> None:  # noqa: ANN001
    login(client, officer)
    data = intake_data(child="", child_name="Không rõ", child_sex="M", child_age_estimate="8", abuser_relation="")
    assert client.post(reverse("cases:intake"), data).status_code == 302
    case = Case.objects.get()
    assert case.child is None and case.child_age_estimate == 8 and case.child_sex == "M"
    assert not case.deadlines.filter(rule__code="emergency_12h").exists()


def test_intake_needs_a_child_and_checks_the_registry_scope(client, officer, other_child) -> None:  # noqa: ANN001
    login(client, officer)
    response = client.post(reverse("cases:intake"), intake_data(child=""))
    assert response.status_code == 200 and "Chọn trẻ trong sổ theo dõi" in response.text
    response = client.post(reverse("cases:intake"), intake_data(child=other_child.pk))
    assert response.status_code == 200 and response.context["form"].errors["child"]
    assert not Case.objects.exists()


def test_intake_keeps_the_informant_only_with_consent(client, officer, child) -> None:  # noqa: ANN001
    login(client, officer)
    client.post(reverse("cases:intake"), intake_data(child=child.pk, informant_name="Bà Lan", informant_contact="09"))
    assert Case.objects.get().informant_name == ""
    response = client.post(reverse("cases:intake"), intake_data(child=child.pk, informant_consents="on"))
    assert response.status_code == 200 and response.context["form"].errors["informant_name"]


def test_intake_future_time_and_abused_without_form_are_refused(client, officer, child) -> None:  # noqa: ANN001
    login(client, officer)
    future = (timezone.now() + dt.timedelta(hours=3)).astimezone(VN_TZ)
    data = intake_data(child=child.pk, hour=future.strftime("%H:%M"), on=future.strftime("%d/%m/%Y"))
    assert client.post(reverse("cases:intake"), data).context["form"].errors["hour"]
    data = intake_data(child=child.pk, category="abused", abuse_forms=[])
    assert client.post(reverse("cases:intake"), data).context["form"].errors["abuse_forms"]
    assert not Case.objects.exists()


@pytest.mark.parametrize(
    ("role", "where"),
    [(roles.VILLAGE_COLLABORATOR, "village"), (roles.COMMUNE_CHAIRMAN, "commune"),
     (roles.PROVINCE_SPECIALIST, "province"), (roles.AGENCY_REPORTER, "province")],
)  # fmt: skip
def test_intake_requires_the_case_edit_capability(client, tree, make_user, role, where) -> None:  # noqa: ANN001
    login(client, make_user(role, getattr(tree, where)))
    assert client.get(reverse("cases:intake")).status_code == 403
    assert client.get(reverse("cases:child_search"), {"child_q": "sua"}).status_code == 403


def test_a_province_worker_chooses_the_commune(client, tree, make_user) -> None:  # noqa: ANN001
    user = make_user(roles.CASE_WORKER, tree.province)
    login(client, user)
    response = client.get(reverse("cases:intake"))
    communes = list(response.context["form"].fields["commune"].queryset)
    assert tree.commune in communes and tree.far_commune not in communes
    data = intake_data(child="", child_name="Không rõ", child_age_estimate="9", commune=tree.sibling.pk)
    assert client.post(reverse("cases:intake"), data).status_code == 302
    assert Case.objects.get().commune == tree.sibling
    data = intake_data(child="", child_name="Không rõ", child_age_estimate="9", commune=tree.far_commune.pk)
    assert client.post(reverse("cases:intake"), data).context["form"].errors["commune"]


def test_child_search_without_diacritics_in_scope(client, officer, child, other_child) -> None:  # noqa: ANN001
    login(client, officer)
    response = client.get(reverse("cases:child_search"), {"child_q": "sua"}, headers={"HX-Request": "true"})
    assert "Sùng Thị Sua" in response.text and "Lò Thị Sua" not in response.text
    assert f'value="{child.pk}"' in response.text and "<html" not in response.text
    assert "Sùng Thị Sua" not in client.get(reverse("cases:child_search"), {"child_q": "s"}).text


# --- the case file and the informant --------------------------------------------------------------------------
