"""Error pages of our own: the CSRF failure page (the styled 403 in the user's language instead of Django's English
one), and the server error handler that tells a database that cannot be reached or a full disk (503) from any
other error (500)."""

from __future__ import annotations

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import REASON_NO_CSRF_COOKIE
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext as _
from django.views import defaults

from treem.core.outfile import caused_by, disk_full

DATABASE_DOWN = (OperationalError, InterfaceError)  # the server refused or dropped us, the file cannot be opened
RETRY_AFTER = "30"  # seconds
API_PREFIX = "/api/"  # config.urls


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """settings.CSRF_FAILURE_VIEW: a form sent with a stale or missing token."""
    return render(request, "403_csrf.html", {"no_cookie": reason == REASON_NO_CSRF_COOKIE}, status=403)


def database_down(exc: BaseException | None) -> bool:
    """Whether `exc`, or an exception it was raised from or while handling, is the database out of reach."""
    return caused_by(exc, lambda e: isinstance(e, DATABASE_DOWN))


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: Django calls it for any exception no view or middleware handled (DEBUG off).

    A database that cannot be reached answers 503 with a page saying so, that what was entered was not saved (the
    request's transaction never committed) and to try again shortly; Django logs the request with its traceback
    (logger django.request, status 503). Rendered without a request context and without the database, as the 500
    page is. The server's disk full (an export's temporary file, an upload) answers 503 with a page saying so. Any
    other error keeps the 500 page."""
    exc = sys.exception()
    page = "503_database.html" if database_down(exc) else "503_disk_full.html" if disk_full(exc) else None
    if page is None:
        return defaults.server_error(request)
    if request.path.startswith(API_PREFIX):  # the API's error shape (api.core.ErrorOut) for a program
        code, message = (
            ("database_unavailable", _("The database cannot be reached; nothing was saved. Try again shortly."))
            if page == "503_database.html"
            else ("disk_full", _("The server's disk is full; nothing was saved."))
        )
        response: HttpResponse = JsonResponse({"code": code, "message": message}, status=503)
    else:
        response = HttpResponse(loader.get_template(page).render(), status=503)
    response["Retry-After"] = RETRY_AFTER
    return response
