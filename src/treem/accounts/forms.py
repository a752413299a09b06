from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from treem.core.forms import model_choice_field
from treem.units.models import Unit

from .models import Role


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("Wrong username or password. Note that both are case-sensitive."),
        "inactive": _("This account is disabled."),
    }


class PasswordChangeForm(auth_forms.PasswordChangeForm):
    """Django's password change, where a wrong old password counts as a failed login (django-axes): guessing the
    password of a session left open is stopped by the login's lock-out, with the same counter and limit."""

    def __init__(self, user: Any, *args: Any, request: HttpRequest | None = None, **kwargs: Any) -> None:
        super().__init__(user, *args, **kwargs)
        self.request = request

    def clean_old_password(self) -> str:
        try:
            return super().clean_old_password()
        except ValidationError:
            user_login_failed.send(
                sender=type(self), credentials={"username": self.user.get_username()}, request=self.request
            )
            raise


# --- user management (accounts.services) -------------------------------------------------------------------------


class UserForm(forms.Form):
    """An account's names, contact, role and unit; on creation also the login name and, optionally, a password
    (left empty, Treem generates a one-time password shown once). The unit comes from the unit picker."""

    username = forms.CharField(
        label=_("Login name"), max_length=150, help_text=_("Letters, digits and . _ - only, e.g. canbo.khunha")
    )
    last_name = forms.CharField(label=_("Family and middle names"), max_length=150)
    first_name = forms.CharField(label=_("Given name"), max_length=150)
    email = forms.EmailField(label=_("E-mail"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    role = forms.ModelChoiceField(label=_("Role"), queryset=Role.objects.none(), empty_label=_("— choose —"))
    unit = forms.ModelChoiceField(
        label=_("Unit"), queryset=Unit.objects.none(), widget=forms.HiddenInput,
        error_messages={"required": _("Choose the unit the user works for.")},
    )  # fmt: skip
    password1 = forms.CharField(
        label=_("Password"), required=False, strip=False, widget=forms.PasswordInput(render_value=False),
        help_text=_("Leave empty to generate a one-time password, shown once after saving."),
    )  # fmt: skip
    password2 = forms.CharField(
        label=_("Password again"), required=False, strip=False, widget=forms.PasswordInput(render_value=False)
    )

    def __init__(self, *args: Any, roles: Any, units: Any, creating: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "role").queryset = roles
        model_choice_field(self, "unit").queryset = units
        self.creating = creating
        if not creating:
            for name in ("username", "password1", "password2"):
                del self.fields[name]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.creating and (data.get("password1") or "") != (data.get("password2") or ""):
            self.add_error("password2", _("The two passwords differ."))
        return data


class SetPasswordForm(forms.Form):
    """A password the administrator sets for a user (Django's password validators run in the service)."""

    new_password1 = forms.CharField(label=_("New password"), strip=False, widget=forms.PasswordInput)
    new_password2 = forms.CharField(label=_("New password again"), strip=False, widget=forms.PasswordInput)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("new_password1") and data.get("new_password1") != data.get("new_password2"):
            self.add_error("new_password2", _("The two passwords differ."))
        return data


class OtpTokenForm(forms.Form):
    """The six-digit code an authenticator app shows (spaces allowed: some apps show `123 456`)."""

    token = forms.CharField(
        label=_("Code from your authenticator app"), max_length=9, strip=True,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True,
                                      "pattern": "[0-9 ]*", "size": 9}),
    )  # fmt: skip

    def clean_token(self) -> str:
        token = "".join(self.cleaned_data["token"].split())
        if not (token.isdigit() and len(token) == 6):
            raise ValidationError(_("Enter the six digits your authenticator app shows."))
        return token
