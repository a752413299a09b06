from __future__ import annotations

from typing import Any

from django.contrib.auth import forms as auth_forms
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _


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
