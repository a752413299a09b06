"""`{% unread_notices as n %}`: the navigation badge's count, asked once per request."""

from __future__ import annotations

from typing import Any

from django import template
from django.http import HttpRequest

from treem.ui.selectors import unread_count

register = template.Library()

ATTRIBUTE = "_treem_unread"


def remember_unread(request: HttpRequest, count: int) -> None:
    """A view that counted the notices already (the home page) spares the badge its query."""
    setattr(request, ATTRIBUTE, count)


@register.simple_tag(takes_context=True)
def unread_notices(context: Any) -> int:
    request = context.get("request")
    if request is None:
        return 0
    if not hasattr(request, ATTRIBUTE):
        remember_unread(request, unread_count(request.user))
    return int(getattr(request, ATTRIBUTE))
