"""The rule from accounts to roster: a user in the officer or collaborator role is on the roster without being typed
in again; a deactivated account, or one given another role or unit, leaves its post with an end date."""

from __future__ import annotations

import pytest

from treem.accounts import roles
from treem.accounts import services as accounts
from treem.accounts.models import Role
from treem.core.dates import today_vn
from treem.staff.models import Position, Worker
from treem.staff.services import worker_sync_user, workers_sync_all

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(tree, make_user):  # noqa: ANN001, ANN201
    return make_user(roles.PROVINCE_ADMIN, tree.province)


def test_an_officer_account_is_on_the_roster(tree, officer) -> None:  # noqa: ANN001
    row = Worker.objects.get(user=officer)
    assert (row.position, row.unit, row.unit_path) == (Position.OFFICER, tree.commune, tree.commune.path)
    assert row.full_name == officer.get_full_name() and row.since == today_vn() and row.until is None


def test_a_collaborator_account_created_by_the_administrator_is_on_the_roster(tree, admin) -> None:  # noqa: ANN001
    user, _pw = accounts.user_create(
        actor=admin, username="ctv.hon", first_name="Páo", last_name="Giàng A", phone="0912000111",
        role=Role.objects.get(code=roles.VILLAGE_COLLABORATOR), unit=tree.village,
    )  # fmt: skip
    row = Worker.objects.get(user=user)
    assert (row.position, row.unit, row.full_name, row.phone) == (
        Position.COLLABORATOR,
        tree.village,
        "Giàng A Páo",
        "0912000111",
    )


def test_other_roles_are_not_on_the_roster(tree, make_user) -> None:  # noqa: ANN001
    make_user(roles.COMMUNE_CHAIRMAN, tree.commune)
    make_user(roles.CASE_WORKER, tree.commune)
    make_user(roles.PROVINCE_SPECIALIST, tree.province)
    assert not Worker.objects.exists()


def test_deactivation_ends_the_post_and_reactivation_opens_a_new_one(tree, officer, admin) -> None:  # noqa: ANN001
    accounts.user_set_active(actor=admin, user=officer, active=False)
    row = Worker.objects.get(user=officer)
    assert row.until == today_vn()
    assert not Worker.objects.active_on(today_vn()).filter(user=officer).exists()
    accounts.user_set_active(actor=admin, user=officer, active=True)
    assert Worker.objects.filter(user=officer).count() == 2
    assert Worker.objects.open().get(user=officer).since == today_vn()


def test_a_new_role_or_unit_moves_the_person(tree, officer, admin) -> None:  # noqa: ANN001
    accounts.user_update(
        actor=admin, user=officer, first_name=officer.first_name, last_name=officer.last_name,
        role=officer.role, unit=tree.sibling,
    )  # fmt: skip
    rows = list(Worker.objects.filter(user=officer).order_by("pk"))
    assert [(r.unit, r.until) for r in rows] == [(tree.commune, today_vn()), (tree.sibling, None)]
    accounts.user_update(
        actor=admin, user=officer, first_name=officer.first_name, last_name=officer.last_name,
        role=Role.objects.get(code=roles.COMMUNE_CHAIRMAN), unit=tree.sibling,
    )  # fmt: skip
    assert not Worker.objects.open().filter(user=officer).exists()


def test_name_and_phone_follow_the_account_on_the_same_row(tree, officer, admin) -> None:  # noqa: ANN001
    accounts.user_update(
        actor=admin, user=officer, first_name="Mai", last_name="Lường Thị", phone="0987654321",
        role=officer.role, unit=officer.unit,
    )  # fmt: skip
    row = Worker.objects.get(user=officer)
    assert (row.full_name, row.phone, row.until) == ("Lường Thị Mai", "0987654321", None)


def test_sync_is_idempotent_and_repairs_a_bulk_change(tree, officer) -> None:  # noqa: ANN001
    worker_sync_user(user=officer)
    assert Worker.objects.filter(user=officer).count() == 1
    type(officer).objects.filter(pk=officer.pk).update(is_active=False)  # bypasses the signal
    assert Worker.objects.open().filter(user=officer).exists()
    workers_sync_all()
    assert Worker.objects.get(user=officer).until == today_vn()


def test_a_role_at_the_wrong_level_holds_no_post(tree, make_user) -> None:  # noqa: ANN001
    """An officer role on a village account (as a superuser might set in the admin) is not a commune's officer."""
    user = make_user(roles.COMMUNE_OFFICER, tree.village)
    assert not Worker.objects.filter(user=user).exists()


def test_the_sync_and_coverage_commands(tree, officer) -> None:  # noqa: ANN001
    import io

    from django.core.management import call_command

    type(officer).objects.filter(pk=officer.pk).update(is_active=False)
    out = io.StringIO()
    call_command("staff", "sync", stdout=out)
    assert "accounts checked: 1" in out.getvalue()
    assert not Worker.objects.open().exists()
    out = io.StringIO()
    call_command("staff", "coverage", "--unit", tree.province.code, stdout=out)
    assert out.getvalue().splitlines() == [f"{tree.province.name}\t2\t2\t2\t2", "total\t2\t2\t2\t2"]


def test_a_login_or_password_save_does_not_touch_the_roster(tree, officer, django_assert_num_queries) -> None:  # noqa: ANN001
    officer.set_password("x-very-long-password-1")
    with django_assert_num_queries(1):
        officer.save(update_fields=["password"])


def test_a_save_naming_the_key_column_moves_the_person_too(tree, officer) -> None:  # noqa: ANN001
    """`save(update_fields=["unit_id"])` is the same change as `["unit"]` for Django: the roster follows it."""
    officer.unit = tree.sibling
    officer.save(update_fields=["unit_id"])
    assert Worker.objects.open().get(user=officer).unit == tree.sibling
