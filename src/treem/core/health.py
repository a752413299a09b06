"""`/healthz`: whether this Treem process answers and reaches its database, for a load balancer, systemd or a container
probe. No login, no session, no personal data; answered before any other middleware (so for any Host header and
without the HTTPS redirect), at the cost of one ``SELECT 1``."""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import cache
from importlib.metadata import PackageNotFoundError, version

from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse

HEALTH_PATH = "/healthz"
logger = logging.getLogger(__name__)


@cache
def treem_version() -> str:
    try:
        return version("treem")
    except PackageNotFoundError:  # running from a source tree that was never installed
        return "unknown"


def database_answers() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except DatabaseError:
        logger.exception("Health check: the database does not answer")
        return False


def health_response() -> JsonResponse:
    ok = database_answers()
    body = {"status": "ok" if ok else "unavailable", "database": "ok" if ok else "unavailable"}
    body["version"] = treem_version()
    response = JsonResponse(body, status=200 if ok else 503)
    response["Cache-Control"] = "no-store"
    return response


class HealthCheckMiddleware:
    """Answers GET/HEAD /healthz itself; every other request passes on."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info == HEALTH_PATH and request.method in {"GET", "HEAD"}:
            return health_response()
        return self.get_response(request)
