"""User management by a province administrator (users.manage): scoped, validated, audited."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from treem.accounts import roles, services
from treem.accounts.models import Role, User
from treem.accounts.tests.factories import PASSWORD
from treem.accounts.tests.helpers import login
from treem.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(tree, make_user):  # noqa: ANN001, ANN201
    return make_user(roles.PROVINCE_ADMIN, tree.province)


@pytest.fixture
def far_officer(tree, make_user):  # noqa: ANN001, ANN201
    return make_user(roles.COMMUNE_OFFICER, tree.far_commune, username="canbo.longkhanh")


def role(code: str) -> Role:
    return Role.objects.get(code=code)


def new_user(client, tree, **overrides):  # noqa: ANN001, ANN003, ANN201
    data = {
        "username": "canbo.binhlu", "last_name": "Lò Văn", "first_name": "Minh", "email": "", "phone": "0912345678",
        "role": role(roles.COMMUNE_OFFICER).pk, "unit": tree.sibling.pk, "password1": "", "password2": "",
        **overrides,
    }  # fmt: skip
    return client.post(reverse("accounts:user_create"), data)


def test_the_province_admin_role_comes_with_the_migrations(db) -> None:  # noqa: ANN001
    admin_role = Role.objects.get(code=roles.PROVINCE_ADMIN)
    assert admin_role.unit_level == "province" and admin_role.has("users.manage")
    assert not admin_role.has("registry.view") and not admin_role.has("cases.view")


def test_the_menu_links_users_for_the_administrator_only(client, admin, officer) -> None:  # noqa: ANN001
    login(client, admin)
    assert reverse("accounts:user_list") in client.get(reverse("ui:home")).text
    login(client, officer)
    assert reverse("accounts:user_list") not in client.get(reverse("ui:home")).text
    assert client.get(reverse("accounts:user_list")).status_code == 403


def test_the_list_shows_the_provinces_users_only(client, admin, officer, far_officer) -> None:  # noqa: ANN001
    login(client, admin)
    page = client.get(reverse("accounts:user_list"))
    assert page.status_code == 200
    assert officer.username in page.text and far_officer.username not in page.text
    assert "Người dùng" in page.text  # Vietnamese by default
    searched = client.get(reverse("accounts:user_list"), {"q": "nobody-like-this"})
    assert officer.username not in searched.text


def test_another_provinces_user_is_not_found(client, admin, far_officer) -> None:  # noqa: ANN001
    login(client, admin)
    assert client.get(reverse("accounts:user_edit", args=[far_officer.pk])).status_code == 404
    assert client.post(reverse("accounts:user_password", args=[far_officer.pk]), {"generate": "1"}).status_code == 404
    assert client.post(reverse("accounts:user_active", args=[far_officer.pk]), {"active": "0"}).status_code == 404
    far_officer.refresh_from_db()
    assert far_officer.is_active and far_officer.check_password(PASSWORD)
    assert not AuditEvent.objects.filter(target_type="user").exists()


def test_a_superuser_is_not_managed_by_a_province_admin(client, tree, admin, make_user) -> None:  # noqa: ANN001
    boss = make_user(roles.PROVINCE_SPECIALIST, tree.province, is_superuser=True)
    login(client, admin)
    assert client.get(reverse("accounts:user_edit", args=[boss.pk])).status_code == 404


def test_creating_a_user_shows_a_one_time_password_once_and_audits(client, tree, admin) -> None:  # noqa: ANN001
    login(client, admin)
    response = new_user(client, tree)
    assert response.status_code == 200, response.text
    password = response.context["password"]
    assert 'data-testid="one-time-password"' in response.text and password in response.text
    user = User.objects.get(username="canbo.binhlu")
    assert user.check_password(password) and user.unit == tree.sibling and user.role.code == roles.COMMUNE_OFFICER
    assert user.is_active and not user.is_staff and not user.is_superuser
    event = AuditEvent.objects.get(target_type="user", target_id=str(user.pk))
    assert event.action == "create" and event.actor == admin and event.unit_path == tree.sibling.path
    assert password not in str(event.extra) and password not in event.summary
    assert password not in client.get(reverse("accounts:user_edit", args=[user.pk])).text


def test_creating_a_user_with_a_chosen_password_runs_djangos_validators(client, tree, admin) -> None:  # noqa: ANN001
    login(client, admin)
    response = new_user(client, tree, password1="12345678", password2="12345678")
    assert response.status_code == 200 and not User.objects.filter(username="canbo.binhlu").exists()
    assert "Mật khẩu này quá ngắn" in response.text and "hoàn toàn là số" in response.text  # Django's, Vietnamese
    response = new_user(client, tree, password1="k7wq-m2hx-9prt", password2="k7wq-m2hx-9prt")
    assert response.status_code == 302
    assert User.objects.get(username="canbo.binhlu").check_password("k7wq-m2hx-9prt")


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"role": "system_admin"}, "role"),  # a national role: not the province admin's to give
        ({"role": "central_viewer"}, "role"),
        ({"unit": "far_commune"}, "unit"),  # another province
        ({"role": "province_specialist"}, "unit"),  # a province role in a commune
        ({"username": "bad name!"}, "username"),
    ],
)
def test_creating_a_user_is_validated(client, tree, admin, overrides, field) -> None:  # noqa: ANN001
    login(client, admin)
    values = dict(overrides)
    if "role" in values:
        values["role"] = role(values["role"]).pk
    if "unit" in values:
        values["unit"] = getattr(tree, values["unit"]).pk
    response = new_user(client, tree, **values)
    assert response.status_code == 200
    assert response.context["form"].errors.get(field), response.context["form"].errors
    assert not User.objects.filter(role__isnull=False).exclude(pk=admin.pk).exists()
    assert not AuditEvent.objects.filter(target_type="user").exists()


def test_the_username_is_unique(client, tree, admin, officer) -> None:  # noqa: ANN001
    login(client, admin)
    response = new_user(client, tree, username=officer.username)
    assert response.context["form"].errors.get("username")


def test_changing_role_and_unit_is_audited_with_the_changes(client, tree, admin, officer) -> None:  # noqa: ANN001
    login(client, admin)
    data = {"last_name": officer.last_name, "first_name": officer.first_name, "email": "", "phone": "",
            "role": role(roles.VILLAGE_COLLABORATOR).pk, "unit": tree.village.pk}  # fmt: skip
    response = client.post(reverse("accounts:user_edit", args=[officer.pk]), data)
    assert response.status_code == 302
    officer.refresh_from_db()
    assert officer.role.code == roles.VILLAGE_COLLABORATOR and officer.unit == tree.village
    event = AuditEvent.objects.get(target_type="user", target_id=str(officer.pk))
    assert event.action == "change"
    assert event.extra["changes"]["role"] == [roles.COMMUNE_OFFICER, roles.VILLAGE_COLLABORATOR]
    assert set(event.extra["changes"]) == {"role", "unit"}
    # saving again without a change writes nothing
    client.post(reverse("accounts:user_edit", args=[officer.pk]), data)
    assert AuditEvent.objects.filter(target_type="user").count() == 1


def test_an_admin_cannot_change_their_own_role_or_deactivate_themself(tree, admin) -> None:  # noqa: ANN001
    with pytest.raises(ValidationError):
        services.user_update(actor=admin, user=admin, first_name="A", last_name="B", role=role(roles.AUDITOR),
                             unit=tree.province)  # fmt: skip
    with pytest.raises(ValidationError):
        services.user_set_active(actor=admin, user=admin, active=False)
    admin.refresh_from_db()
    assert admin.is_active and admin.role.code == roles.PROVINCE_ADMIN


def test_resetting_a_password_generates_or_validates_and_audits(client, admin, officer) -> None:  # noqa: ANN001
    login(client, admin)
    url = reverse("accounts:user_password", args=[officer.pk])
    response = client.post(url, {"generate": "1"})
    generated = response.context["password"]
    officer.refresh_from_db()
    assert officer.check_password(generated)
    response = client.post(url, {"new_password1": "password", "new_password2": "password"})
    assert response.status_code == 422 and "quá phổ biến" in response.text  # CommonPasswordValidator, in Vietnamese
    officer.refresh_from_db()
    assert officer.check_password(generated)
    response = client.post(url, {"new_password1": "Sông-Đà-2026-mưa", "new_password2": "Sông-Đà-2026-mưa"})
    assert response.status_code == 302
    officer.refresh_from_db()
    assert officer.check_password("Sông-Đà-2026-mưa")
    events = AuditEvent.objects.filter(target_type="user", target_id=str(officer.pk)).order_by("pk")
    assert [e.extra["password"] for e in events] == ["generated", "set"]


def test_deactivating_stops_the_login_and_reactivating_restores_it(client, admin, officer) -> None:  # noqa: ANN001
    login(client, admin)
    client.post(reverse("accounts:user_active", args=[officer.pk]), {"active": "0"})
    officer.refresh_from_db()
    assert not officer.is_active
    other = type(client)()
    response = other.post(reverse("accounts:login"), {"username": officer.username, "password": PASSWORD})
    assert response.status_code == 200  # refused: stays on the login page
    client.post(reverse("accounts:user_active", args=[officer.pk]), {"active": "1"})
    officer.refresh_from_db()
    assert officer.is_active
    summaries = list(AuditEvent.objects.filter(target_type="user").order_by("pk").values_list("summary", flat=True))
    assert summaries == [f"user {officer.username} deactivated", f"user {officer.username} reactivated"]


def test_a_user_change_without_an_audit_recorder_is_refused(tree, admin, officer, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setattr(services, "_recorders", [])
    with pytest.raises(RuntimeError):
        services.user_set_active(actor=admin, user=officer, active=False)
    officer.refresh_from_db()
    assert officer.is_active


def test_the_generated_password_passes_the_validators(officer) -> None:  # noqa: ANN001
    from django.contrib.auth.password_validation import validate_password

    for _ in range(20):
        validate_password(services.generate_password(officer), officer)
