"""Two-factor authentication (django-otp, TOTP): which roles need it (data), the enrolment and code pages, the
middleware that lets no page through before the code, the lock-out after wrong codes, the administrator's reset."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from treem.accounts import capabilities as cap
from treem.accounts import roles
from treem.accounts.models import Role
from treem.accounts.tests.factories import PASSWORD
from treem.accounts.tests.helpers import code, login, otp_device
from treem.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

HOME = "/"


def password_login(client, user):  # noqa: ANN001, ANN201
    return client.post(reverse("accounts:login"), {"username": user.username, "password": PASSWORD})


@pytest.fixture
def case_worker(tree, make_user):  # noqa: ANN001, ANN201
    return make_user(roles.CASE_WORKER, tree.commune)


@pytest.fixture
def province_admin(tree, make_user):  # noqa: ANN001, ANN201
    return make_user(roles.PROVINCE_ADMIN, tree.province)


# --- which roles: data on the role, every administrator role, superusers always --------------------------------------


def test_the_flag_is_data_on_the_roles(roles_loaded) -> None:  # noqa: ANN001
    flagged = set(Role.objects.filter(requires_otp=True).values_list("code", flat=True))
    assert flagged == {roles.CASE_WORKER, roles.PROVINCE_ADMIN, roles.SYSTEM_ADMIN}
    shipped = json.loads(roles.ROLES_FILE.read_text(encoding="utf-8"))
    assert {r["code"] for r in shipped if r.get("requires_otp")} == flagged  # the migration and the file agree
    for row in shipped:  # every role that administers users needs the second factor
        if cap.USERS_MANAGE in row["capabilities"]:
            assert row.get("requires_otp") is True, row["code"]


def test_a_superuser_always_needs_it(client, tree, make_user) -> None:  # noqa: ANN001
    admin = make_user(roles.COMMUNE_OFFICER, tree.commune, is_superuser=True, is_staff=True)
    password_login(client, admin)
    response = client.get(HOME)
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:otp_enrol"))


def test_a_commune_officer_is_not_asked(client, officer) -> None:  # noqa: ANN001
    response = password_login(client, officer)
    assert response.status_code == 302
    assert client.get(HOME).status_code == 200
    assert client.get(reverse("accounts:otp_verify")).status_code == 302  # nothing to confirm: onwards
    assert not TOTPDevice.objects.filter(user=officer).exists()


def test_nobody_is_asked_when_the_setting_is_off(client, case_worker, settings) -> None:  # noqa: ANN001
    settings.TREEM_OTP_REQUIRED = False
    password_login(client, case_worker)
    assert client.get(HOME).status_code == 200


# --- enrolment -------------------------------------------------------------------------------------------------------


def test_without_a_device_every_page_leads_to_the_enrolment(client, case_worker) -> None:  # noqa: ANN001
    password_login(client, case_worker)
    for path in (HOME, reverse("accounts:password_change"), reverse("accounts:user_list"), "/admin/"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response.url == f"{reverse('accounts:otp_enrol')}?next={path.replace('/', '%2F')}", path
    posted = client.post(reverse("accounts:password_change"), {"old_password": PASSWORD})
    assert posted.status_code == 302 and posted.url == reverse("accounts:otp_enrol")
    partial = client.get(reverse("ui:unit_picker"), headers={"HX-Request": "true"})
    assert partial.status_code == 204 and partial["HX-Redirect"].startswith(reverse("accounts:otp_enrol"))
    # what stays open: the enrolment and code pages, the language switch, logging out
    assert client.get(reverse("accounts:otp_enrol")).status_code == 200
    assert client.post(reverse("set_language"), {"language": "en", "next": HOME}).status_code == 302
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert client.get(HOME).url.startswith(reverse("accounts:login"))


def test_enrolment_shows_the_qr_code_and_the_key_and_confirms_with_a_code(client, case_worker) -> None:  # noqa: ANN001
    password_login(client, case_worker)
    page = client.get(reverse("accounts:otp_enrol"), {"next": "/registry/"})
    html = page.content.decode()
    device = TOTPDevice.objects.get(user=case_worker, confirmed=False)
    svg = html[html.index("<svg") : html.index("</svg>")]
    assert "<path" in svg and "<script" not in svg and "style" not in svg  # nothing the CSP would block
    assert page.context["secret"].replace(" ", "") in device.config_url
    assert client.get(reverse("accounts:otp_enrol")).context["secret"] == page.context["secret"]  # the same key

    wrong = client.post(reverse("accounts:otp_enrol"), {"token": code(device, steps=10), "next": "/registry/"})
    assert wrong.status_code == 422 and wrong.context["form"].errors["token"]
    assert client.get(HOME).status_code == 302  # still no access

    before = client.session.session_key
    device.throttle_reset()  # django-otp slows the next try down after a miss
    done = client.post(reverse("accounts:otp_enrol"), {"token": code(device), "next": "/registry/"})
    assert done.status_code == 302 and done.url == "/registry/"
    assert client.session.session_key != before  # a new session for the verified login
    assert client.get(HOME).status_code == 200
    device.refresh_from_db()
    assert device.confirmed and client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    event = AuditEvent.objects.filter(target_type="user", target_id=str(case_worker.pk)).latest("pk")
    assert "two-factor device enrolled" in event.summary and event.actor == case_worker


def test_enrolment_refuses_a_foreign_next(client, case_worker) -> None:  # noqa: ANN001
    password_login(client, case_worker)
    client.get(reverse("accounts:otp_enrol"))
    device = TOTPDevice.objects.get(user=case_worker)
    done = client.post(reverse("accounts:otp_enrol"), {"token": code(device), "next": "https://evil.example/"})
    assert done.status_code == 302 and done.url == reverse("ui:home")


# --- the code at every login ---------------------------------------------------------------------------------------


def test_a_user_with_a_device_gives_the_code_after_the_password(client, case_worker) -> None:  # noqa: ANN001
    device = otp_device(case_worker)
    password_login(client, case_worker)
    response = client.get("/registry/")
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:otp_verify"))
    assert client.get(reverse("accounts:otp_enrol")).url.startswith(reverse("accounts:otp_verify"))  # no 2nd device
    page = client.get(response.url)
    assert page.status_code == 200 and page.context["next"] == "/registry/"

    wrong = client.post(response.url, {"token": code(device, steps=10), "next": "/registry/"})
    assert wrong.status_code == 422 and wrong.context["form"].errors["token"]
    assert client.get(HOME).status_code == 302
    assert client.post(response.url, {"token": "12ab"}).status_code == 422  # not six digits: not even tried

    device.throttle_reset()
    before = client.session.session_key
    done = client.post(response.url, {"token": code(device), "next": "/registry/"})
    assert done.status_code == 302 and done.url == "/registry/"
    assert client.session.session_key != before
    assert client.get(HOME).status_code == 200
    assert client.get(reverse("accounts:otp_verify")).status_code == 302  # verified: onwards


def test_a_code_is_good_once(client, case_worker) -> None:  # noqa: ANN001
    device = otp_device(case_worker)
    used = code(device)
    password_login(client, case_worker)
    assert client.post(reverse("accounts:otp_verify"), {"token": used}).status_code == 302
    client.post(reverse("accounts:logout"))
    password_login(client, case_worker)
    assert client.post(reverse("accounts:otp_verify"), {"token": used}).status_code == 422  # replayed


def test_wrong_codes_lock_the_account_out_like_wrong_passwords(client, case_worker, settings) -> None:  # noqa: ANN001
    settings.AXES_FAILURE_LIMIT = 3
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # the axes limit alone, whatever the device's own slowing down
    device = otp_device(case_worker)
    password_login(client, case_worker)
    url = reverse("accounts:otp_verify")
    for _ in range(2):
        assert client.post(url, {"token": code(device, steps=10)}).status_code == 422
    response = client.post(url, {"token": code(device, steps=10)})
    assert response.status_code == 429  # the lock-out page
    assert "_auth_user_id" not in client.session  # signed out
    again = password_login(client, case_worker)  # the right password is refused while locked out
    assert again.status_code == 429 and "_auth_user_id" not in client.session
    client.force_login(case_worker, backend="django.contrib.auth.backends.ModelBackend")
    right = client.post(url, {"token": code(device)})  # nor does a session get past the code page
    assert right.status_code == 429 and "_auth_user_id" not in client.session


def test_the_device_slows_down_guessing_across_logins(client, case_worker) -> None:  # noqa: ANN001
    """A new password login resets the axes counter; the device's own throttle (django-otp) does not."""
    device = otp_device(case_worker)
    password_login(client, case_worker)
    client.post(reverse("accounts:otp_verify"), {"token": code(device, steps=10)})
    client.post(reverse("accounts:logout"))
    password_login(client, case_worker)
    assert client.post(reverse("accounts:otp_verify"), {"token": code(device)}).status_code == 422  # too soon
    device.refresh_from_db()
    assert device.throttling_failure_count == 1 and device.verify_is_allowed()[0] is False


# --- the administrator's reset ---------------------------------------------------------------------------------------


def test_an_administrator_resets_a_lost_device(client, case_worker, province_admin) -> None:  # noqa: ANN001
    otp_device(case_worker)
    worker_client = client.__class__()
    login(worker_client, case_worker)
    assert worker_client.get(HOME).status_code == 200

    login(client, province_admin)
    page = client.get(reverse("accounts:user_edit", args=[case_worker.pk]))
    assert b'data-testid="otp-reset"' in page.content
    response = client.post(reverse("accounts:user_otp_reset", args=[case_worker.pk]))
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=case_worker).exists()
    event = AuditEvent.objects.filter(target_type="user", target_id=str(case_worker.pk)).latest("pk")
    assert event.actor == province_admin and "two-factor device reset" in event.summary
    # the worker's open session lost its second factor: enrol again
    assert worker_client.get(HOME).url.startswith(reverse("accounts:otp_enrol"))
    assert b"otp-reset" not in client.get(reverse("accounts:user_edit", args=[case_worker.pk])).content


def test_the_reset_is_for_administrators_in_scope(client, tree, make_user, case_worker, officer) -> None:  # noqa: ANN001
    otp_device(case_worker)
    other_province_admin = make_user(roles.PROVINCE_ADMIN, tree.other_province)
    login(client, other_province_admin)
    assert client.post(reverse("accounts:user_otp_reset", args=[case_worker.pk])).status_code == 404
    login(client, officer)
    assert client.post(reverse("accounts:user_otp_reset", args=[case_worker.pk])).status_code == 403
    assert TOTPDevice.objects.filter(user=case_worker).exists()


def test_an_unverified_administrator_cannot_reset(client, case_worker, province_admin) -> None:  # noqa: ANN001
    otp_device(case_worker)
    client.force_login(province_admin, backend="django.contrib.auth.backends.ModelBackend")
    response = client.post(reverse("accounts:user_otp_reset", args=[case_worker.pk]))
    assert response.status_code == 302 and response.url == reverse("accounts:otp_enrol")
    assert TOTPDevice.objects.filter(user=case_worker).exists()


def test_the_django_admin_never_shows_a_devices_key(client, tree, make_user) -> None:  # noqa: ANN001
    root = make_user(roles.SYSTEM_ADMIN, tree.nation, is_superuser=True, is_staff=True)
    login(client, root)
    device = otp_device(root)
    page = client.get(reverse("admin:otp_totp_totpdevice_change", args=[device.pk]))
    assert page.status_code == 200 and device.key not in page.text
    assert client.get(reverse("admin:otp_totp_totpdevice_config", args=[device.pk])).status_code == 403
