"""No page before the second factor: a signed-in user who must confirm the login with a TOTP code
(`twofactor.second_factor_required`) and whose session is not verified yet is sent to the code page, or to the
enrolment page when they have no device yet. Only logging in and out, the two pages themselves, the language switch,
the static files and the health check stay open. It runs after django-otp's OTPMiddleware (settings.MIDDLEWARE)."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from .twofactor import confirmed_device, second_factor_required


@cache
def _open_paths() -> tuple[str, ...]:
    paths = [settings.STATIC_URL if settings.STATIC_URL.startswith("/") else f"/{settings.STATIC_URL}", "/healthz"]
    for name in ("accounts:login", "accounts:logout", "accounts:otp_verify", "accounts:otp_enrol", "set_language"):
        try:
            paths.append(reverse(name))
        except NoReverseMatch:  # pragma: no cover - every name is in the URL conf
            continue
    return tuple(paths)


def _is_open(path: str) -> bool:
    return path.startswith(_open_paths())


class SecondFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not _is_open(request.path_info)
            and second_factor_required(user)
            and not user.is_verified()
        ):
            return self._to_second_factor(request)
        return self.get_response(request)

    @staticmethod
    def _to_second_factor(request: HttpRequest) -> HttpResponse:
        if request.path_info.startswith("/api/"):
            message = _("Confirm your login with the code from your authenticator app first.")
            return JsonResponse({"code": "second_factor_required", "message": message}, status=401)
        name = "accounts:otp_verify" if confirmed_device(request.user) else "accounts:otp_enrol"  # type: ignore[arg-type]
        target = reverse(name)
        if request.method == "GET":
            target = f"{target}?{urlencode({'next': request.get_full_path()})}"
        if request.headers.get("HX-Request") == "true":
            response = HttpResponse(status=204)
            response["HX-Redirect"] = target
            return response
        return HttpResponseRedirect(target)
