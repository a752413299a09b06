"""The directory by scope: a user sees the providers of their unit and below (404 for the others), the keepers of
the directory add and change them in their scope only, every change audited; the kinds ship as data."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from treem.accounts import roles
from treem.audit.models import AuditEvent
from treem.directory import services
from treem.directory.models import Provider, ProviderKind, ProviderStatus
from treem.directory.selectors import referral_providers
from treem.directory.tests.factories import make_provider

pytestmark = pytest.mark.django_db


def login(client, user) -> None:  # noqa: ANN001
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")


def test_the_kinds_ship_as_data_with_the_play_spot_flag() -> None:
    assert ProviderKind.objects.get(code="play_spot").play_spot
    assert ProviderKind.objects.get(code="cultural_house").play_spot
    assert not ProviderKind.objects.get(code="police").play_spot
    assert ProviderKind.objects.get(code="police").takes_referrals


def test_a_user_sees_the_providers_of_their_scope_only(client, tree, officer, make_user) -> None:  # noqa: ANN001
    own = make_provider(tree.village, "play_spot", "Điểm vui chơi bản Hon")
    sibling = make_provider(tree.sibling, "health_facility", "Trạm y tế Bình Lư")
    above = make_provider(tree.province, "social_work_centre", "Trung tâm CTXH tỉnh")
    login(client, officer)
    page = client.get(reverse("directory:list"))
    assert page.status_code == 200
    assert own.name in page.text and sibling.name not in page.text and above.name not in page.text
    assert client.get(reverse("directory:detail", args=[own.pk])).status_code == 200
    assert client.get(reverse("directory:detail", args=[sibling.pk])).status_code == 404
    assert client.get(reverse("directory:detail", args=[above.pk])).status_code == 404
    province = make_user(roles.PROVINCE_SPECIALIST, tree.province)
    login(client, province)
    text = client.get(reverse("directory:list")).text
    assert own.name in text and sibling.name in text and above.name in text
    far = make_user(roles.PROVINCE_SPECIALIST, tree.other_province)
    login(client, far)
    assert client.get(reverse("directory:detail", args=[own.pk])).status_code == 404


def test_a_keeper_adds_a_provider_in_scope_audited(client, tree, officer) -> None:  # noqa: ANN001
    login(client, officer)
    kind = ProviderKind.objects.get(code="play_spot")
    data = {"kind": kind.pk, "unit": tree.village.pk, "name": "Sân chơi bản Hon", "status": "open", "capacity": "40",
            "latitude": "22.1", "longitude": "103.2", "opened_on": "01/06/2024"}  # fmt: skip
    response = client.post(reverse("directory:add"), data)
    assert response.status_code == 302, response.content
    provider = Provider.objects.get(name="Sân chơi bản Hon")
    assert provider.unit_path == tree.village.path and provider.capacity == 40
    assert AuditEvent.objects.filter(target_type="provider", target_id=str(provider.pk), action="create").exists()
    # a unit outside the scope is not offered (form error), nor accepted by the service
    response = client.post(reverse("directory:add"), {**data, "unit": tree.sibling.pk, "name": "Khác"})
    assert response.status_code == 200 and not Provider.objects.filter(name="Khác").exists()
    with pytest.raises(PermissionDenied):
        services.provider_save(actor=officer, data=services.ProviderInput(kind=kind, unit=tree.sibling, name="X"))


def test_only_keepers_edit_and_only_in_their_scope(client, tree, officer, make_user) -> None:  # noqa: ANN001
    mine = make_provider(tree.commune, "school", "Trường Khun Há")
    theirs = make_provider(tree.sibling, "school", "Trường Bình Lư")
    chairman = make_user(roles.COMMUNE_CHAIRMAN, tree.commune)  # sees the directory, does not keep it
    login(client, chairman)
    assert client.get(reverse("directory:detail", args=[mine.pk])).status_code == 200
    assert client.get(reverse("directory:edit", args=[mine.pk])).status_code == 403
    login(client, officer)
    assert client.get(reverse("directory:edit", args=[mine.pk])).status_code == 200
    assert client.get(reverse("directory:edit", args=[theirs.pk])).status_code == 404


def test_coordinates_come_in_pairs(tree, officer) -> None:  # noqa: ANN001
    from decimal import Decimal

    kind = ProviderKind.objects.get(code="library")
    with pytest.raises(ValidationError) as exc:
        services.provider_save(
            actor=officer,
            data=services.ProviderInput(kind=kind, unit=tree.commune, name="Tủ sách", latitude=Decimal(1)),
        )
    assert "longitude" in exc.value.message_dict


def test_a_case_is_referred_within_its_commune_and_above_to_open_providers(tree) -> None:  # noqa: ANN001
    village = make_provider(tree.village, "counselling", "Tư vấn bản Hon")
    province = make_provider(tree.province, "social_work_centre", "Trung tâm CTXH tỉnh")
    make_provider(tree.sibling, "health_facility", "Trạm y tế Bình Lư")  # another commune
    make_provider(tree.commune, "police", "Công an xã (tạm dừng)", status=ProviderStatus.SUSPENDED)
    make_provider(tree.commune, "play_spot", "Sân chơi")  # a play spot takes no referral
    assert set(referral_providers(tree.commune)) == {village, province}
