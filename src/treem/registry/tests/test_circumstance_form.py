"""The special-circumstance form as a commune officer meets it: Vietnamese empty choice, the sub-types of the chosen
group only (in natural order), no start date in the future, and group d against the child's disability profile."""

from __future__ import annotations

import datetime as dt

import pytest
from django import forms
from django.db.models.utils import get_blank_choice_label
from django.urls import reverse
from django.utils import translation

from treem.core.dates import today_vn
from treem.registry import services
from treem.registry.forms import CircumstanceForm
from treem.registry.models import Child, CircumstanceSubtype, Disability
from treem.registry.tests.conftest import special

pytestmark = pytest.mark.django_db


def login(client, user) -> None:  # noqa: ANN001
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")


# --- the empty choice, in every form --------------------------------------------------------------------------


def test_the_empty_choice_is_vietnamese_in_every_form() -> None:
    """Django 6.1's blank label ("- Select an option -") comes through the project catalogue."""
    with translation.override("vi"):
        assert str(get_blank_choice_label()) == "- Chọn một mục -"
        field = forms.ModelChoiceField(queryset=CircumstanceSubtype.objects.all())
        assert str(field.empty_label) == "- Chọn một mục -"


def test_the_circumstance_page_has_no_english_empty_choice(client, officer, child) -> None:  # noqa: ANN001
    login(client, officer)
    text = client.get(reverse("registry:circumstance_add", args=[child.pk])).text
    assert "Select an option" not in text
    assert "- Chọn một mục -" in text


# --- sub-types: of the chosen group, in natural order ----------------------------------------------------------


def _subtype_labels(form: CircumstanceForm) -> list[str]:
    return [str(label) for value, label in form.fields["subtype"].choices if value]


def test_the_subtypes_follow_the_chosen_group_in_natural_order(child) -> None:  # noqa: ANN001
    with translation.override("vi"):
        unbound = CircumstanceForm(child=child)
        assert _subtype_labels(unbound) == []  # no group chosen yet: nothing to choose from
        labels = _subtype_labels(CircumstanceForm({"type": special("c").pk}, child=child))
    assert [label.split(" ")[0] for label in labels] == [f"c.{n}" for n in range(1, 13)]


def test_the_subtype_partial_reloads_with_the_group(client, officer, child) -> None:  # noqa: ANN001
    login(client, officer)
    add = client.get(reverse("registry:circumstance_add", args=[child.pk])).text
    url = reverse("registry:circumstance_subtypes")
    assert f'hx-get="{url}"' in add
    response = client.get(url, {"type": special("a").pk}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "<html" not in response.text
    assert response.text.count("<option") == 5  # the empty choice and a.1 … a.4
    assert "a.4" in response.text and "c.1" not in response.text


def test_the_server_refuses_a_subtype_of_another_group(client, officer, child) -> None:  # noqa: ANN001
    login(client, officer)
    other_group = CircumstanceSubtype.objects.get(type=special("c"), code="3")
    response = client.post(
        reverse("registry:circumstance_add", args=[child.pk]),
        {"type": special("a").pk, "subtype": other_group.pk, "valid_from": "01/03/2024"},
    )
    assert response.status_code == 200
    assert "Phân nhóm không thuộc nhóm này." in " ".join(response.context["form"].errors["subtype"])
    assert not child.circumstances.exists()


# --- the start date --------------------------------------------------------------------------------------------


def test_a_start_date_in_the_future_is_refused(client, officer, child) -> None:  # noqa: ANN001
    login(client, officer)
    response = client.post(
        reverse("registry:circumstance_add", args=[child.pk]), {"type": special("h").pk, "valid_from": "01/03/2030"}
    )
    assert response.status_code == 200
    assert "Ngày bắt đầu ở tương lai." in " ".join(response.context["form"].errors["valid_from"])
    assert not child.circumstances.exists()


def test_the_service_refuses_a_future_start_too(officer, child) -> None:  # noqa: ANN001
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.circumstance_add(
            actor=officer, child=child, type=special("h"), valid_from=today_vn() + dt.timedelta(days=1)
        )
    services.circumstance_add(actor=officer, child=child, type=special("h"), valid_from=today_vn())  # today is fine


# --- group d (disability) and the child's profile --------------------------------------------------------------


def _post_group_d(client, child, **extra: str):  # noqa: ANN001, ANN202
    data = {"type": special("d").pk, "valid_from": "01/03/2024", **extra}
    return client.post(reverse("registry:circumstance_add", args=[child.pk]), data)


def test_group_d_on_a_profile_without_disability_warns_and_offers_the_update(client, officer, child) -> None:  # noqa: ANN001
    login(client, officer)
    assert child.disability == Disability.NONE
    response = _post_group_d(client, child)
    assert response.status_code == 200
    assert not child.circumstances.exists()
    assert 'data-testid="disability-warning"' in response.text
    assert "Hồ sơ của trẻ ghi không khuyết tật" in response.text
    assert 'name="disability"' in response.text and "<select" in response.text

    response = _post_group_d(client, child, disability=Disability.SEVERE)
    assert response.status_code == 302
    child.refresh_from_db()
    assert child.disability == Disability.SEVERE
    assert child.circumstances.get().type.code == "d"
    page = client.get(response.url)
    assert "Hồ sơ của trẻ đã được cập nhật: khuyết tật Nặng." in page.text
    assert "Nặng" in page.text  # the profile and its history say so


def test_group_d_may_keep_the_profile_as_it_is(client, officer, child) -> None:  # noqa: ANN001
    login(client, officer)
    response = _post_group_d(client, child, disability="keep")
    assert response.status_code == 302
    assert Child.objects.get(pk=child.pk).disability == Disability.NONE
    assert child.circumstances.get().type.code == "d"


def test_group_d_on_a_profile_with_a_disability_asks_nothing(client, officer, child) -> None:  # noqa: ANN001
    services.child_update(actor=officer, child=child, disability=Disability.MILD)
    login(client, officer)
    add = client.get(reverse("registry:circumstance_add", args=[child.pk])).text
    assert 'data-testid="disability-warning"' not in add
    response = _post_group_d(client, child)
    assert response.status_code == 302
    assert Child.objects.get(pk=child.pk).disability == Disability.MILD


def test_other_groups_ask_nothing_about_disability(client, officer, child) -> None:  # noqa: ANN001
    login(client, officer)
    response = client.post(
        reverse("registry:circumstance_add", args=[child.pk]), {"type": special("h").pk, "valid_from": "01/03/2024"}
    )
    assert response.status_code == 302
    assert Child.objects.get(pk=child.pk).disability == Disability.NONE


def test_group_d_with_a_subtype_takes_the_degree_from_it(client, officer, child) -> None:  # noqa: ANN001
    """d.1 / d.2 / d.3 name the degree on the certificate: the profile follows without asking, and says so."""
    login(client, officer)
    very_severe = CircumstanceSubtype.objects.get(type=special("d"), code="1")
    response = _post_group_d(client, child, subtype=str(very_severe.pk))
    assert response.status_code == 302
    assert Child.objects.get(pk=child.pk).disability == Disability.VERY_SEVERE
    assert "Hồ sơ của trẻ đã được cập nhật: khuyết tật Đặc biệt nặng." in client.get(response.url).text
