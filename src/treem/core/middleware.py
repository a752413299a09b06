"""Response headers Django has no setting for: Permissions-Policy, and no caching of any signed-in page; and the
request parameters no person sends (a NUL byte), refused before any view."""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control
from django.utils.csp import CSP

# Treem uses none of these browser features: no page (nor anything injected into one) may ask for them.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer", "autoplay", "bluetooth", "camera", "display-capture", "encrypted-media", "fullscreen",
        "geolocation", "gyroscope", "hid", "magnetometer", "microphone", "midi", "payment", "publickey-credentials-get",
        "screen-wake-lock", "serial", "usb", "xr-spatial-tracking",
    )
)  # fmt: skip


class SecurityHeadersMiddleware:
    """Adds Permissions-Policy to every response, and ``Cache-Control: no-store`` to every response for a signed-in
    user (pages, partials, exports, PDFs): records of children must not stay in a browser's or a proxy's cache.

    It sits just outside Django's ContentSecurityPolicyMiddleware (settings.MIDDLEWARE) so that it sees, and can
    take off, the page policy that middleware puts on every response."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        if response.get("Content-Type", "").startswith("application/pdf"):
            # A PDF is no HTML page, and a page's policy (object-src 'none') can stop a browser's PDF viewer.
            del response[CSP.HEADER_ENFORCE]
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, no_store=True, private=True)
        return response


FORM = "application/x-www-form-urlencoded"


class RejectNulMiddleware:
    """Answer 400 to a request with a NUL byte in a query or (plain) form parameter, name or value.

    PostgreSQL cannot store or compare text holding a NUL, so a filter that passes one to a query failed with a
    server error; no person types one, and Django's form fields refuse it anyway. Checked here once for every view
    (the query string, and a urlencoded form body; a multipart body is left to the forms, its files unread)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        params = [request.GET]
        if request.method == "POST" and request.content_type == FORM:
            params.append(request.POST)
        for query in params:
            for key, values in query.lists():
                if "\x00" in key or any("\x00" in v for v in values):
                    raise BadRequest("a NUL byte in a request parameter")
        return self.get_response(request)
