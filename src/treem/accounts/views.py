"""Account pages Django's auth views do not cover as they are: the password change under the login lock-out, and
user management by an administrator (list, create, edit role and unit, reset a password, deactivate)."""

from __future__ import annotations

from typing import Any, cast
from urllib.parse import urlencode

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_lockout_response
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.middleware.csrf import rotate_token
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from treem.core.paging import CappedPaginator
from treem.units.models import Structure, Unit

from . import permissions as rules
from . import services, twofactor
from .forms import OtpTokenForm, PasswordChangeForm, SetPasswordForm, UserForm
from .models import User
from .scope import get_or_404, scope_queryset, visible_unit
from .web import AuthedRequest, form_errors_to, require_capability, require_login


class PasswordChangeView(auth_views.PasswordChangeView):
    """Wrong old passwords count as failed logins; a locked-out user is signed out and shown the lock-out page."""

    form_class = PasswordChangeForm
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:password_change_done")

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.is_authenticated and (locked := _lockout(cast("AuthedRequest", request))) is not None:
            return locked
        response = super().dispatch(request, *args, **kwargs)
        if getattr(request, "axes_locked_out", False):  # this attempt reached the limit (AxesMiddleware answers)
            logout(request)
        return response

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "request": self.request}


# --- the second factor: a TOTP code after the password (accounts.twofactor, SecondFactorMiddleware) ------------------


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _lockout(request: AuthedRequest) -> HttpResponse | None:
    """A locked-out account (too many wrong passwords or codes) is signed out and shown the lock-out page."""
    credentials = {"username": request.user.get_username()}
    if AxesProxyHandler.is_locked(request, credentials):
        logout(request)
        return get_lockout_response(request, None, credentials)
    return None


def _verified(request: AuthedRequest, device: TOTPDevice) -> None:
    """The session now stands for both factors: a new session key (and CSRF token), as at a login."""
    request.session.cycle_key()
    rotate_token(request)
    otp_login(request, device)


def _done(request: AuthedRequest) -> bool:
    return not twofactor.second_factor_required(request.user) or request.user.is_verified()  # type: ignore[attr-defined]


@require_login
def otp_verify(request: AuthedRequest) -> HttpResponse:
    """The code page after the password. A wrong code counts as a failed login (django-axes: after
    AXES_FAILURE_LIMIT the account is locked out and signed out) and slows the device down (django-otp)."""
    if _done(request):
        return redirect(_next_url(request))
    if (locked := _lockout(request)) is not None:
        return locked
    device = twofactor.confirmed_device(request.user)
    if device is None:
        return redirect(f"{reverse('accounts:otp_enrol')}?{urlencode({'next': _next_url(request)})}")
    form = OtpTokenForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        if twofactor.verify(user=request.user, device=device, token=form.cleaned_data["token"]):
            _verified(request, device)
            return redirect(_next_url(request))
        user_login_failed.send(
            sender=OtpTokenForm, credentials={"username": request.user.get_username()}, request=request
        )
        if getattr(request, "axes_locked_out", False):  # this miss reached the limit: AxesMiddleware answers
            logout(request)
        form.add_error("token", _("This code is wrong or has expired. Wait for the next code and type it."))
    context = {"form": form, "next": _next_url(request)}
    return render(request, "accounts/otp_verify.html", context, status=422 if form.errors else 200)


@require_login
def otp_enrol(request: AuthedRequest) -> HttpResponse:
    """Set up the authenticator app: scan the QR code (or type the secret), confirm with the code it shows."""
    if _done(request):
        return redirect(_next_url(request))
    if twofactor.confirmed_device(request.user) is not None:
        return redirect(f"{reverse('accounts:otp_verify')}?{urlencode({'next': _next_url(request)})}")
    device = twofactor.enrolment_device(request.user)
    form = OtpTokenForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        if twofactor.enrol_confirm(user=request.user, device=device, token=form.cleaned_data["token"]):
            device.refresh_from_db()
            _verified(request, device)
            messages.success(request, _("Two-factor authentication is set up. Keep the phone with the app safe."))
            return redirect(_next_url(request))
        form.add_error("token", _("This code is wrong or has expired. Wait for the next code and type it."))
    qr = twofactor.qr_svg(device, label=_("QR code for the authenticator app"))
    context = {
        "form": form, "next": _next_url(request), "secret": twofactor.secret_text(device), "qr": qr,
        "issuer": settings.OTP_TOTP_ISSUER,
    }  # fmt: skip
    return render(request, "accounts/otp_enrol.html", context, status=422 if form.errors else 200)


# --- user management by an administrator (capability users.manage, accounts.services) ----------------------------

USERS_PER_PAGE = 50


def _unit_choices(user: User) -> QuerySet[Unit]:
    return scope_queryset(user, Unit.objects.filter(structure=Structure.CURRENT, is_active=True))


def _user_form(
    request: AuthedRequest, *, creating: bool, initial: dict[str, Any] | None = None, bound: bool = True
) -> UserForm:
    """The account form with the roles and units the administrator may give; bound to the POST unless `bound` is
    False (the password form posted instead)."""
    return UserForm(
        request.POST if bound and request.method == "POST" else None, initial=initial, creating=creating,
        roles=services.assignable_roles(request.user), units=_unit_choices(request.user),
    )  # fmt: skip


def _initial(account: User) -> dict[str, Any]:
    return {"first_name": account.first_name, "last_name": account.last_name, "email": account.email,
            "phone": account.phone, "role": account.role_id, "unit": account.unit_id}  # fmt: skip


def _chosen_unit(request: AuthedRequest, default: Unit | None = None) -> Unit | None:
    """The unit the picker shows: the one posted (when in scope), else the account's."""
    if request.method == "POST":
        return visible_unit(request.user, request.POST.get("unit", ""))
    return default


@require_capability(rules.MANAGE_USERS)
@require_GET
def user_list(request: AuthedRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    state = request.GET.get("state", "")
    users = services.managed_users(request.user)
    if query:
        users = services.user_search(users, query)
    if state in {"active", "inactive"}:
        users = users.filter(is_active=state == "active")
    page = CappedPaginator(users.order_by("unit__path", "last_name", "first_name", "username"), USERS_PER_PAGE)
    page_obj = page.get_page(request.GET.get("page"))
    return render(request, "accounts/users/list.html", {"page": page_obj, "query": query, "state": state})


@require_capability(rules.MANAGE_USERS)
def user_create(request: AuthedRequest) -> HttpResponse:
    form = _user_form(request, creating=True)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user, generated = services.user_create(
                actor=request.user, username=data["username"], first_name=data["first_name"],
                last_name=data["last_name"], email=data["email"], phone=data["phone"], role=data["role"],
                unit=data["unit"], password=data["password1"] or None,
            )  # fmt: skip
        except ValidationError as exc:
            form_errors_to(form, exc)
        else:
            if generated:
                return render(request, "accounts/users/password_shown.html", {"account": user, "password": generated})
            messages.success(request, _("Account %(username)s created.") % {"username": user.username})
            return redirect("accounts:user_edit", pk=user.pk)
    context = {"form": form, "chosen": _chosen_unit(request), "creating": True}
    return render(request, "accounts/users/form.html", context)


def _otp_context(account: User) -> dict[str, Any]:
    required = twofactor.second_factor_required(account)
    return {"otp_required": required, "otp_device": twofactor.confirmed_device(account)}


@require_capability(rules.MANAGE_USERS)
def user_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    account = get_or_404(services.managed_users(request.user), pk=pk)
    initial = _initial(account)
    form = _user_form(request, creating=False, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.user_update(
                actor=request.user, user=account, first_name=data["first_name"], last_name=data["last_name"],
                email=data["email"], phone=data["phone"], role=data["role"], unit=data["unit"],
            )  # fmt: skip
        except ValidationError as exc:
            form_errors_to(form, exc)
        else:
            messages.success(request, _("Account %(username)s saved.") % {"username": account.username})
            return redirect("accounts:user_edit", pk=account.pk)
    context = {
        "form": form, "account": account, "chosen": _chosen_unit(request, account.unit), "creating": False,
        "password_form": SetPasswordForm(), **_otp_context(account),
    }  # fmt: skip
    return render(request, "accounts/users/form.html", context)


@require_capability(rules.MANAGE_USERS)
@require_POST
def user_password(request: AuthedRequest, pk: int) -> HttpResponse:
    """Reset a password: `generate` gives a one-time password shown once on this response; else the one typed."""
    account = get_or_404(services.managed_users(request.user), pk=pk)
    if "generate" in request.POST:
        generated = services.user_set_password(actor=request.user, user=account)
        return render(request, "accounts/users/password_shown.html", {"account": account, "password": generated})
    password_form = SetPasswordForm(request.POST)
    if password_form.is_valid():
        try:
            services.user_set_password(
                actor=request.user, user=account, password=password_form.cleaned_data["new_password1"]
            )
        except ValidationError as exc:
            password_form.add_error("new_password1", exc.messages)
        else:
            messages.success(request, _("New password set for %(username)s.") % {"username": account.username})
            return redirect("accounts:user_edit", pk=account.pk)
    form = _user_form(request, creating=False, initial=_initial(account), bound=False)
    context = {"form": form, "account": account, "chosen": account.unit, "creating": False,
               "password_form": password_form, **_otp_context(account)}  # fmt: skip
    return render(request, "accounts/users/form.html", context, status=422)


@require_capability(rules.MANAGE_USERS)
@require_POST
def user_active(request: AuthedRequest, pk: int) -> HttpResponse:
    account = get_or_404(services.managed_users(request.user), pk=pk)
    active = request.POST.get("active") == "1"
    try:
        services.user_set_active(actor=request.user, user=account, active=active)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        text = _("Account %(username)s reactivated.") if active else _("Account %(username)s deactivated.")
        messages.success(request, text % {"username": account.username})
    return redirect("accounts:user_edit", pk=account.pk)


@require_capability(rules.MANAGE_USERS)
@require_POST
def user_otp_reset(request: AuthedRequest, pk: int) -> HttpResponse:
    """Remove the user's authenticator device (a lost or replaced phone): they set up a new one at their next page."""
    account = get_or_404(services.managed_users(request.user), pk=pk)
    try:
        twofactor.device_reset(actor=request.user, user=account)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        text = _("Two-factor device of %(username)s removed: they set up a new one when they next log in.")
        messages.success(request, text % {"username": account.username})
    return redirect("accounts:user_edit", pk=account.pk)
