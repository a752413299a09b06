"""User management by an administrator (capability `users.manage`), scoped like everything else: a province
administrator manages the accounts of the province and the units below it, never another province's, never a
superuser's, and never hands out a role above their own level. Every change writes an audit row in the same
transaction, through the recorder the audit app registers (`register_audit_recorder`): accounts ranks below audit.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Any

from axes.utils import reset as axes_reset
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from treem.units.models import LEVEL_DEPTH, Level, Structure, Unit

from . import capabilities as cap
from .models import Role, User
from .scope import is_unrestricted, scope_queryset, scope_root, unit_in_scope

type AuditRecorder = Callable[..., Any]
"""`audit.services.audit_record`: (*, actor, action, target_type, target_id, unit_path, summary, extra)."""

_recorders: list[AuditRecorder] = []


def register_audit_recorder(recorder: AuditRecorder) -> None:
    """Called once by the audit app's AppConfig.ready(): every user change is written through `recorder`."""
    if recorder not in _recorders:
        _recorders.append(recorder)


def _audit(*, actor: User, action: str, user: User, summary: str, extra: dict[str, Any] | None = None) -> None:
    if not _recorders:  # fail closed: a change nobody records is not made
        raise RuntimeError("no audit recorder registered for user changes (is treem.audit installed?)")
    for record in _recorders:
        record(
            actor=actor, action=action, target_type="user", target_id=user.pk,
            unit_path=user.unit.path if user.unit else "", summary=summary, extra=extra or {},
        )  # fmt: skip


# --- what an administrator may see and hand out ------------------------------------------------------------------


def may_manage_users(actor: Any) -> bool:
    return bool(actor and actor.is_authenticated and actor.has_capability(cap.USERS_MANAGE))


def managed_users(actor: User) -> QuerySet[User]:
    """The accounts `actor` manages: users of units in their scope; superusers only for a superuser."""
    if not may_manage_users(actor):
        return User.objects.none()
    qs = scope_queryset(actor, User.objects.all(), path_field="unit__path")
    if not actor.is_superuser:
        qs = qs.filter(is_superuser=False)
    return qs.select_related("unit", "role")


def assignable_roles(actor: User) -> QuerySet[Role]:
    """Roles for a unit at the actor's level or below (a province administrator never hands out a national role)."""
    if not may_manage_users(actor):
        return Role.objects.none()
    if is_unrestricted(actor):
        return Role.objects.all()
    root = scope_root(actor)
    if root is None:
        return Role.objects.none()
    depth = LEVEL_DEPTH[Level(root.level)]
    return Role.objects.filter(unit_level__in=[lvl for lvl, d in LEVEL_DEPTH.items() if d >= depth])


def _check_assignment(*, actor: User, role: Role | None, unit: Unit | None) -> None:
    errors: dict[str, list[str]] = {}
    if role is None:
        errors["role"] = [_("Choose a role.")]
    elif not assignable_roles(actor).filter(pk=role.pk).exists():
        errors["role"] = [_("You cannot give this role.")]
    if unit is None:
        errors["unit"] = [_("Choose the unit the user works for.")]
    elif not unit_in_scope(actor, unit) or unit.structure != Structure.CURRENT or not unit.is_active:
        errors["unit"] = [_("Choose a current unit within your area of work.")]
    elif role is not None and role.unit_level != unit.level:
        errors["unit"] = [
            _("The role %(role)s works for a unit of level %(level)s.")
            % {"role": role.name, "level": role.get_unit_level_display()}
        ]
    if errors:
        raise ValidationError(errors)


def _lock_managed(actor: User, user: User) -> User:
    """The account, fresh and locked for the change, when `actor` manages it (one query checks and locks)."""
    try:
        return managed_users(actor).select_for_update(of=("self",)).get(pk=user.pk)
    except User.DoesNotExist as exc:
        raise ValidationError(_("This account is not within your area of work.")) from exc


# --- passwords ----------------------------------------------------------------------------------------------------

GENERATED_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: read aloud or copied from a screen


def generate_password(user: User | None = None) -> str:
    """A one-time password such as `k7wq-m2hx-9prt`, passing Django's password validators for `user`."""
    while True:
        raw = "-".join("".join(secrets.choice(GENERATED_ALPHABET) for _ in range(4)) for _ in range(3))
        try:
            validate_password(raw, user)
        except ValidationError:
            continue
        return raw


def _apply_password(user: User, password: str | None) -> str | None:
    """Set `password` (validated) or a generated one; returns the generated password, None when one was given."""
    if password:
        validate_password(password, user)
        user.set_password(password)
        return None
    generated = generate_password(user)
    user.set_password(generated)
    return generated


# --- changes --------------------------------------------------------------------------------------------------------


def _clean(user: User, *, exclude: list[str] | None = None) -> None:
    try:
        user.full_clean(exclude=["password", *(exclude or [])])
    except ValidationError as exc:
        raise ValidationError(exc.message_dict) from exc


@transaction.atomic
def user_create(
    *,
    actor: User,
    username: str,
    first_name: str,
    last_name: str,
    role: Role | None,
    unit: Unit | None,
    email: str = "",
    phone: str = "",
    password: str | None = None,
) -> tuple[User, str | None]:
    """A new active account in the actor's scope; returns it and its generated one-time password (None when the
    administrator set one)."""
    if not may_manage_users(actor):
        raise ValidationError(_("You cannot manage users."))
    _check_assignment(actor=actor, role=role, unit=unit)
    user = User(
        username=username.strip(), first_name=first_name.strip(), last_name=last_name.strip(), email=email.strip(),
        phone=phone.strip(), role=role, unit=unit, is_active=True, is_staff=False, is_superuser=False,
    )  # fmt: skip
    _clean(user)
    try:
        generated = _apply_password(user, password)
    except ValidationError as exc:
        raise ValidationError({"password1": exc.messages}) from exc
    user.save()
    _audit(
        actor=actor, action="create", user=user,
        summary=f"user {user.username} created: {role.code if role else '-'} in {unit.full_path if unit else '-'}",
        extra={"username": user.username, "role": role.code if role else None, "unit": unit.pk if unit else None,
               "password": "generated" if generated else "set"},
    )  # fmt: skip
    return user, generated


TRACKED = ("first_name", "last_name", "email", "phone", "role", "unit")


def _snapshot(user: User) -> dict[str, Any]:
    return {
        "first_name": user.first_name, "last_name": user.last_name, "email": user.email, "phone": user.phone,
        "role": user.role.code if user.role else None, "unit": user.unit.full_path if user.unit else None,
    }  # fmt: skip


@transaction.atomic
def user_update(
    *,
    actor: User,
    user: User,
    first_name: str,
    last_name: str,
    role: Role | None,
    unit: Unit | None,
    email: str = "",
    phone: str = "",
) -> User:
    """Names, contact, role and unit of a managed account. An administrator does not change their own role or unit."""
    user = _lock_managed(actor, user)
    if user.pk == actor.pk and (role != user.role or unit != user.unit):
        raise ValidationError(_("You cannot change your own role or unit; ask another administrator."))
    if role != user.role or unit != user.unit:
        _check_assignment(actor=actor, role=role, unit=unit)
    before = _snapshot(user)
    user.first_name, user.last_name = first_name.strip(), last_name.strip()
    user.email, user.phone, user.role, user.unit = email.strip(), phone.strip(), role, unit
    _clean(user, exclude=["username"])
    after = _snapshot(user)
    changes = {k: [before[k], after[k]] for k in TRACKED if before[k] != after[k]}
    if not changes:
        return user
    user.save(update_fields=[*(k for k in TRACKED if k in changes)])
    _audit(
        actor=actor, action="change", user=user, summary=f"user {user.username} changed: {', '.join(changes)}",
        extra={"changes": changes},
    )  # fmt: skip
    return user


@transaction.atomic
def user_set_password(*, actor: User, user: User, password: str | None = None) -> str | None:
    """Reset a managed account's password to `password` (validated) or a generated one-time password, which is
    returned to be shown once. The user's sessions end and a login lock-out on the account is lifted."""
    user = _lock_managed(actor, user)
    generated = _apply_password(user, password)
    user.save(update_fields=["password"])
    axes_reset(username=user.username)
    _audit(
        actor=actor, action="change", user=user, summary=f"user {user.username}: password reset",
        extra={"password": "generated" if generated else "set"},
    )  # fmt: skip
    return generated


@transaction.atomic
def user_set_active(*, actor: User, user: User, active: bool) -> User:
    """Deactivate (the account can no longer log in, its history stays) or reactivate a managed account."""
    user = _lock_managed(actor, user)
    if user.pk == actor.pk and not active:
        raise ValidationError(_("You cannot deactivate your own account."))
    if user.is_active == active:
        return user
    user.is_active = active
    user.save(update_fields=["is_active"])
    _audit(
        actor=actor, action="change", user=user,
        summary=f"user {user.username} {'reactivated' if active else 'deactivated'}", extra={"is_active": active},
    )  # fmt: skip
    return user


def user_search(qs: QuerySet[User], query: str) -> QuerySet[User]:
    """Filter by username, names or e-mail (case-insensitive, each word)."""
    for word in query.split():
        qs = qs.filter(
            Q(username__icontains=word) | Q(first_name__icontains=word) | Q(last_name__icontains=word)
            | Q(email__icontains=word)
        )  # fmt: skip
    return qs
