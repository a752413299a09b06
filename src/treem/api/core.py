"""The one NinjaAPI of Treem: token (or session) authentication, the rate limit, the error bodies, pagination.

Every error answers `{"code": ..., "message": ...}`; the message is in the request's language (Vietnamese unless
the client asks for English with `Accept-Language: en`). A record out of the caller's scope answers 404 exactly
like a missing one, as the pages do; a missing capability answers 403.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, Throttled
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import HttpBearer, django_auth
from ninja.throttling import SimpleRateThrottle

from treem.accounts.models import User
from treem.accounts.twofactor import token_allowed

from .tokens import token_user

MAX_ID = 2**53  # ids beyond this are not ours (and would overflow SQLite's integer)


class TokenAuth(HttpBearer):
    """`Authorization: Bearer trm_…`: a live token of an active user. A user who must use two-factor authentication
    is accepted only with a token made after their device was confirmed (`accounts.twofactor.token_allowed`): the
    tokens page is reached from a verified session only, and resetting the device voids the older tokens."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        found = token_user(token)
        if found is None:
            return None
        user, api_token = found
        if not token_allowed(user, api_token.created_at):
            return None
        request.user = user  # history rows and audit rows name the token's user
        request.api_token = api_token  # type: ignore[attr-defined]
        return user


class TokenRateThrottle(SimpleRateThrottle):
    """Per user (all their tokens and their browser session together: another token is no other allowance; per
    address before authentication), in Django's cache: the same cache every Treem process shares (the database
    cache in production), so no new dependency."""

    scope = "api"

    def __init__(self) -> None:
        super().__init__(rate=settings.TREEM_API_RATE)

    def allow_request(self, request: HttpRequest) -> bool:
        self.rate = settings.TREEM_API_RATE  # read per request: the setting may change (tests, a reload)
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request)

    def get_cache_key(self, request: HttpRequest) -> str | None:
        user = getattr(request, "auth", None)
        ident = f"u{user.pk}" if user is not None else f"a{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}


api = NinjaAPI(
    title="Treem API",
    version="1",
    description=(
        "Treem's REST API: registry, cases, indicators, figures, report status and plan tasks, scoped like the pages. "
        "Authenticate with `Authorization: Bearer <token>` (tokens are made on the API tokens page or with "
        "`treem api token USERNAME`). Errors answer `{code, message}`; send `Accept-Language: en` for English."
    ),
    urls_namespace="api",
    auth=[TokenAuth(), django_auth],
    throttle=[TokenRateThrottle()],
    docs_url="/docs",
    openapi_url="/openapi.json",
)


class ErrorOut(Schema):
    code: str
    message: str


ERRORS: frozenset[int] = frozenset({400, 401, 403, 404, 422, 429})


def error(request: HttpRequest, status: int, code: str, message: str) -> HttpResponse:
    return api.create_response(request, {"code": code, "message": message}, status=status)


@api.exception_handler(AuthenticationError)
def _unauthorized(request: HttpRequest, exc: Exception) -> HttpResponse:
    return error(request, 401, "unauthorized", _("A valid API token is required (it may be expired or revoked)."))


@api.exception_handler(Throttled)
def _throttled(request: HttpRequest, exc: Exception) -> HttpResponse:
    return error(request, 429, "rate_limited", _("Too many requests: wait a little and try again."))


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
    return error(request, 404, "not_found", _("Not found."))


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, exc: Exception) -> HttpResponse:
    return error(request, 403, "forbidden", _("You do not have permission to do this."))


@api.exception_handler(NinjaValidationError)
def _invalid_request(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    where = sorted({".".join(str(p) for p in e.get("loc", ())[1:]) or "body" for e in exc.errors})
    return error(request, 422, "invalid", _("Invalid request: %(fields)s") % {"fields": ", ".join(where)})


@api.exception_handler(DjangoValidationError)
def _rejected(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    return error(request, 400, "rejected", " ".join(str(m) for m in exc.messages))


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    codes = {400: "rejected", 401: "unauthorized", 403: "forbidden", 404: "not_found", 405: "not_allowed"}
    return error(request, exc.status_code, codes.get(exc.status_code, "error"), str(exc.message))


def caller(request: HttpRequest) -> User:
    """The authenticated user (a token's or the browser session's)."""
    return request.auth  # type: ignore[attr-defined]


def clean_text(text: str) -> str:
    """A query text as the pages read it: no NUL (PostgreSQL refuses it), at most 200 characters."""
    return text.replace("\x00", "").strip()[:200]


def page_of(items: QuerySet[Any] | Sequence[Any], page: int, page_size: int) -> dict[str, Any]:
    """One page of a list: `{count, page, page_size, items}` (a page beyond the last is empty)."""
    count = items.count() if isinstance(items, QuerySet) else len(items)
    start = (page - 1) * page_size
    return {"count": count, "page": page, "page_size": page_size, "items": list(items[start : start + page_size])}
