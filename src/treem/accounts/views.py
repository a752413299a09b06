"""Account pages Django's auth views do not cover as they are: the password change under the login lock-out."""

from __future__ import annotations

from typing import Any

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_lockout_response
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponseBase
from django.urls import reverse_lazy

from .forms import PasswordChangeForm


class PasswordChangeView(auth_views.PasswordChangeView):
    """Wrong old passwords count as failed logins; a locked-out user is signed out and shown the lock-out page."""

    form_class = PasswordChangeForm
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:password_change_done")

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.is_authenticated:
            credentials = {"username": request.user.get_username()}
            if AxesProxyHandler.is_locked(request, credentials):
                logout(request)
                return get_lockout_response(request, None, credentials)
        response = super().dispatch(request, *args, **kwargs)
        if getattr(request, "axes_locked_out", False):  # this attempt reached the limit (AxesMiddleware answers)
            logout(request)
        return response

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "request": self.request}
