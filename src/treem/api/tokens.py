"""Per-user API tokens: made, revoked, and checked here only.

A token is `trm_<prefix>_<secret>` (prefix: 12 characters that find the row; secret: 32 random bytes). Only the
SHA-256 of the whole token is stored; the clear token is returned once by `token_create` and never kept."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from treem.accounts.models import User
from treem.audit.models import Action
from treem.audit.services import audit_record

from .models import ApiToken

TOKEN_PREFIX = "trm"  # noqa: S105 - the public start of every token, not a secret
DEFAULT_DAYS = 90
MAX_DAYS = 366


@dataclass(frozen=True, slots=True)
class NewToken:
    token: ApiToken
    clear: str  # shown once


def digest(clear: str) -> str:
    return hashlib.sha256(clear.encode()).hexdigest()


@transaction.atomic
def token_create(*, user: User, days: int = DEFAULT_DAYS, name: str = "", actor: User | None = None,
                 request: Any = None) -> NewToken:  # fmt: skip
    """A new token for `user`, valid `days` days (1 … 366); the clear token is in the result only."""
    days = max(1, min(int(days), MAX_DAYS))
    prefix = secrets.token_hex(6)
    clear = f"{TOKEN_PREFIX}_{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken.objects.create(
        user=user, name=name[:100], prefix=prefix, digest=digest(clear),
        expires_at=timezone.now() + dt.timedelta(days=days),
    )  # fmt: skip
    audit_record(
        actor=actor or user, action=Action.CREATE, target_type="api_token", target_id=token.pk,
        unit_path=user.unit.path if user.unit else "", request=request,
        summary=f"Tạo khóa API {token} cho {user.username}, hiệu lực {days} ngày",
    )  # fmt: skip
    return NewToken(token, clear)


@transaction.atomic
def token_revoke(*, token: ApiToken, actor: User, request: Any = None) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(
            actor=actor, action=Action.CHANGE, target_type="api_token", target_id=token.pk,
            unit_path=token.user.unit.path if token.user.unit else "", request=request,
            summary=f"Thu hồi khóa API {token} của {token.user.username}",
        )  # fmt: skip
    return token


def token_user(clear: str) -> tuple[User, ApiToken] | None:
    """The active user a live token belongs to, or None (unknown, wrong, revoked or expired token; inactive user)."""
    parts = clear.strip().split("_", 2)
    if len(parts) != 3 or parts[0] != TOKEN_PREFIX:
        return None
    token = ApiToken.objects.select_related("user", "user__unit", "user__role").filter(prefix=parts[1]).first()
    if token is None or not hmac.compare_digest(token.digest, digest(clear.strip())):
        return None
    now = timezone.now()
    if not token.is_live(now) or not token.user.is_active:
        return None
    if token.last_used_at is None or now - token.last_used_at > dt.timedelta(minutes=5):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)  # at most one write in five minutes
    return token.user, token


def tokens_of(user: User) -> list[ApiToken]:
    return list(ApiToken.objects.filter(user=user).order_by("-created_at"))
