"""Changes to the roster.

The rule from accounts to roster (`worker_sync_user`, run on every save of a user): an active account whose role is
a post (`ROLE_POSITION`) in a unit of that post's level has exactly one open row, in that position and unit, whose
name and phone follow the account. An account that is deactivated, or given another role or unit, ends its open row
that day (`until`), and a new post opens a new row: the roster keeps who served where and when, and nobody types a
person with an account in again. These rows are derived from the account, whose own audit rows (accounts) record
the change behind them. People without an account are entered, corrected and ended on the roster, each change with an
audit row in the same transaction.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from treem.accounts import permissions as rules
from treem.accounts.models import User
from treem.accounts.scope import unit_in_scope
from treem.audit.services import audit_record
from treem.core.dates import today_vn
from treem.units.models import Level, Structure, Unit

from .models import POSITION_LEVEL, ROLE_POSITION, Position, Worker


def _audit(
    *, actor: User | None, action: str, worker: Worker, summary: str, extra: dict[str, Any] | None = None
) -> None:
    audit_record(
        actor=actor, action=action, target_type="worker", target_id=worker.pk, unit_path=worker.unit_path,
        summary=summary, extra=extra or {},
    )  # fmt: skip


def account_post(user: User) -> tuple[str, Unit] | None:
    """The post (position, unit) the account holds on the roster, or None: an active account whose role is a post,
    working for a unit of that post's level."""
    role = user.role if user.role_id else None
    if not user.is_active or role is None or user.unit_id is None:
        return None
    position = ROLE_POSITION.get(role.code)
    unit = user.unit
    if position is None or unit is None or unit.level != POSITION_LEVEL[position]:
        return None
    return position, unit


def _account_name(user: User) -> str:
    return user.get_full_name() or user.username


@transaction.atomic
def worker_sync_user(*, user: User, day: dt.date | None = None) -> Worker | None:
    """Bring the account's roster rows in line with the account (the rule above); `day` (default today) is the day
    a changed post ends and a new one starts. Returns the open row, or None when the account holds no post."""
    day = day or today_vn()
    post = account_post(user)
    open_row = Worker.objects.select_for_update().filter(user=user, until__isnull=True).first()
    if open_row is not None and (post is None or (open_row.position, open_row.unit_id) != (post[0], post[1].pk)):
        open_row.until = max(day, open_row.since)
        open_row.save(update_fields=["until", "updated_at"])
        open_row = None
    if post is None:
        return None
    position, unit = post
    name, phone = _account_name(user), user.phone
    if open_row is None:
        open_row = Worker.objects.create(
            user=user, position=position, unit=unit, unit_path=unit.path, full_name=name, phone=phone, since=day
        )
    elif (open_row.full_name, open_row.phone, open_row.unit_path) != (name, phone, unit.path):
        open_row.full_name, open_row.phone, open_row.unit_path = name, phone, unit.path
        open_row.save(update_fields=["full_name", "phone", "unit_path", "updated_at"])
    return open_row


SYNCED_FIELDS = frozenset({"is_active", "role", "unit", "first_name", "last_name", "phone", "username"})


def on_user_saved(
    sender: Any, instance: User, created: bool = False, raw: bool = False, update_fields: Any = None, **_kwargs: Any
) -> None:
    """post_save of a user: the roster follows the account (nothing to do for a new account without a post, nor for
    a save of fields the roster does not read, such as the last login or the password)."""
    if raw or (created and account_post(instance) is None):
        return
    if update_fields is not None and not SYNCED_FIELDS & {instance._meta.get_field(f).name for f in update_fields}:
        return  # a field's name or its column's ("unit_id"): Django takes either
    worker_sync_user(user=instance)


def workers_sync_all() -> int:
    """Every account through `worker_sync_user` (after a bulk change that bypassed saving users one by one): the
    accounts that hold a post or still have an open row. Returns how many were looked at."""
    ids = set(User.objects.filter(role__code__in=list(ROLE_POSITION)).values_list("pk", flat=True))
    ids |= set(Worker.objects.open().filter(user__isnull=False).values_list("user_id", flat=True))
    for user in User.objects.filter(pk__in=ids).select_related("role", "unit"):
        worker_sync_user(user=user)
    return len(ids)


# --- people without an account -----------------------------------------------------------------------------------


def may_manage(actor: Any, unit: Unit) -> bool:
    return rules.MANAGE_STAFF.allows(actor) and unit_in_scope(actor, unit)


def _check_post(*, actor: User, position: str, unit: Unit | None) -> Unit:
    if position not in Position.values:
        raise ValidationError({"position": [_("Choose a position.")]})
    if unit is None or not may_manage(actor, unit) or unit.structure != Structure.CURRENT or not unit.is_active:
        raise ValidationError({"unit": [_("Choose a current unit within your area of work.")]})
    if unit.level != POSITION_LEVEL[position]:
        message = (
            _("An officer works for a commune.") if unit.level != Level.COMMUNE and position == Position.OFFICER
            else _("A collaborator works for a village.")
        )  # fmt: skip
        raise ValidationError({"unit": [message]})
    return unit


def _check_dates(since: dt.date, until: dt.date | None) -> None:
    if since > today_vn():
        raise ValidationError({"since": [_("The start date cannot be in the future.")]})
    if until is not None and until < since:
        raise ValidationError({"until": [_("The end date cannot be before the start date.")]})


@transaction.atomic
def worker_create(
    *,
    actor: User,
    position: str,
    unit: Unit | None,
    full_name: str,
    since: dt.date,
    sex: str = "",
    phone: str = "",
    note: str = "",
) -> Worker:
    """A person without an account in a post of the actor's scope."""
    unit = _check_post(actor=actor, position=position, unit=unit)
    if not full_name.strip():
        raise ValidationError({"full_name": [_("Enter the person's name.")]})
    _check_dates(since, None)
    worker = Worker.objects.create(
        position=position, unit=unit, unit_path=unit.path, full_name=full_name.strip(), sex=sex,
        phone=phone.strip(), since=since, note=note.strip(),
    )  # fmt: skip
    _audit(
        actor=actor, action="create", worker=worker, summary=f"staff: {worker.full_name} added ({position}, "
        f"{unit.full_path})", extra={"position": position, "unit": unit.pk, "since": since.isoformat()},
    )  # fmt: skip
    return worker


def _lock(actor: User, worker: Worker) -> Worker:
    locked = Worker.objects.select_for_update().select_related("unit").get(pk=worker.pk)
    if not may_manage(actor, locked.unit):
        raise ValidationError(_("This person is not within your area of work."))
    return locked


TRACKED = ("full_name", "sex", "phone", "since", "note")


@transaction.atomic
def worker_update(
    *,
    actor: User,
    worker: Worker,
    since: dt.date,
    full_name: str = "",
    sex: str = "",
    phone: str = "",
    note: str = "",
) -> Worker:
    """Correct a row. The name and phone of a row from an account are the account's (changed on the account)."""
    worker = _lock(actor, worker)
    _check_dates(since, worker.until)
    before = {k: getattr(worker, k) for k in TRACKED}
    if not worker.from_account:
        if not full_name.strip():
            raise ValidationError({"full_name": [_("Enter the person's name.")]})
        worker.full_name, worker.phone = full_name.strip(), phone.strip()
    worker.sex, worker.since, worker.note = sex, since, note.strip()
    changes = {k: [str(before[k]), str(getattr(worker, k))] for k in TRACKED if before[k] != getattr(worker, k)}
    if not changes:
        return worker
    worker.save(update_fields=[*changes, "updated_at"])
    _audit(
        actor=actor, action="change", worker=worker, summary=f"staff: {worker.full_name} changed: {', '.join(changes)}",
        extra={"changes": changes},
    )  # fmt: skip
    return worker


@transaction.atomic
def worker_end(*, actor: User, worker: Worker, until: dt.date, note: str = "") -> Worker:
    """The person stopped on `until`. A row from an account ends with the account (deactivated, or another role)."""
    worker = _lock(actor, worker)
    if worker.from_account:
        raise ValidationError(
            _("This person has a user account: the post ends when the account is deactivated or given another role.")
        )
    if worker.until is not None:
        raise ValidationError(_("This person has already left the post."))
    if until > today_vn():
        raise ValidationError({"until": [_("The end date cannot be in the future.")]})
    _check_dates(worker.since, until)
    worker.until = until
    if note.strip():
        worker.note = note.strip()
    worker.save(update_fields=["until", "note", "updated_at"])
    _audit(
        actor=actor, action="change", worker=worker, summary=f"staff: {worker.full_name} left the post",
        extra={"until": until.isoformat()},
    )  # fmt: skip
    return worker
