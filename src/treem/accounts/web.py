"""The one web toolkit every view uses: capability checks, the typed authenticated request, form errors.

Views ask `require_capability(...)` (which implies login) with capability codes or a named rule of
`accounts.permissions` (the same rule the menu asks), instead of checking a role or writing their own
`_require`; scoped fetches go through `accounts.scope.get_for_user_or_404`; a service's ValidationError lands on
the form through `form_errors_to`.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any, BinaryIO

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import BaseForm
from django.http import FileResponse, HttpRequest, HttpResponseBase

from treem.accounts.permissions import Rule

if TYPE_CHECKING:
    from django_htmx.middleware import HtmxDetails

    from treem.accounts.models import User

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class AuthedRequest(HttpRequest):
    """An HttpRequest behind `login_required`: `user` is a Treem user, `htmx` comes from django-htmx."""

    user: User
    htmx: HtmxDetails


def require_capability[**P, R: HttpResponseBase](
    *capabilities: str | Rule,
) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Login required, then every one of `capabilities` (codes or rules; 403 otherwise, before the view runs).

    With no capability it is login only."""

    def decorator(view: Callable[P, R]) -> Callable[P, R]:
        @wraps(view)
        def wrapped(*args: P.args, **kwargs: P.kwargs) -> R:
            request = args[0]
            assert isinstance(request, HttpRequest)  # noqa: S101 - a view's first argument
            check_capability(request.user, *capabilities)
            return view(*args, **kwargs)

        return login_required(wrapped)

    return decorator


def require_login[**P, R: HttpResponseBase](view: Callable[P, R]) -> Callable[P, R]:
    """Login only, for pages every user may open; what they show is scoped (records out of scope answer 404)."""
    return require_capability()(view)


def check_capability(user: Any, *capabilities: str | Rule) -> None:
    """Raise PermissionDenied unless the (authenticated) user has every capability and passes every rule."""
    if not all(c.allows(user) if isinstance(c, Rule) else user.has_capability(c) for c in capabilities):
        raise PermissionDenied


def form_errors_to(form: BaseForm, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form: per field where the form has the field, else non-field."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc.messages)
        return
    for field, errors in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def file_response(write: Callable[[BinaryIO], Any], filename: str, content_type: str) -> FileResponse:
    """Run `write(out)` into a temporary file and stream it as an attachment; nothing stays on disk (nor in a cache:
    `core.middleware` marks every signed-in response no-store)."""
    out = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
    try:
        write(out)
        out.seek(0)
    except BaseException:
        out.close()
        raise
    return FileResponse(out, as_attachment=True, filename=filename, content_type=content_type)


def xlsx_response(write: Callable[[BinaryIO], Any], filename: str) -> FileResponse:
    """An Excel workbook as an attachment (see `file_response`)."""
    return file_response(write, filename, XLSX_CONTENT_TYPE)
