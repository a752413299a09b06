"""Demo roster: the demo accounts in the officer and collaborator roles are on it already (from their accounts); here
the people without an account are added through the services. Every third demo commune without an officer account
gets no officer and every fourth village no collaborator, so the coverage view and its indicators have gaps to show;
in Khun Há one collaborator has left (with an end date) and nobody replaced her. Safe to run again: a unit that
already has a person without an account is left as it is."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from treem.accounts.models import User
from treem.core.dates import today_vn
from treem.staff.models import Position, Worker
from treem.staff.services import worker_create, worker_end
from treem.units.models import Level, Unit

from .names import make_name, pick_ethnicity


@dataclass(frozen=True, slots=True)
class StaffStats:
    added: int
    communes_without_officer: int
    villages_without_collaborator: int


def _has_entered(unit: Unit) -> bool:
    return Worker.objects.filter(unit=unit, user__isnull=True).exists()


def _in_post(unit: Unit, position: str) -> bool:
    return Worker.objects.active_on(today_vn()).filter(unit=unit, position=position).exists()


def _add(actor: User, rng: random.Random, unit: Unit, position: str, province_code: str, since: dt.date) -> Worker:
    sex = rng.choice("MF")
    ethnicity = pick_ethnicity(rng, province_code, unit.name)
    name = make_name(rng, ethnicity, sex, born=rng.randint(1970, 1998))
    phone = f"09{rng.randint(10_000_000, 99_999_999)}"
    return worker_create(
        actor=actor, position=position, unit=unit, full_name=name.full, sex=sex, phone=phone, since=since,
        note="Dữ liệu mẫu",
    )  # fmt: skip


def seed_staff(*, communes: list[Unit], commune: Unit, admin: User) -> StaffStats:
    """People without an account for the demo `communes`; `commune` (Khun Há) also gets a collaborator who left."""
    rng = random.Random(20260417)  # noqa: S311 - synthetic demo data
    today = today_vn()
    added = 0
    no_officer = no_collaborator = 0
    for i, c in enumerate(communes):
        province_code = c.path.split(".")[1]
        if not _in_post(c, Position.OFFICER):
            if i % 3 == 2 or _has_entered(c):
                no_officer += not _in_post(c, Position.OFFICER)
            else:
                _add(admin, rng, c, Position.OFFICER, province_code, today - dt.timedelta(days=rng.randint(200, 2000)))
                added += 1
        villages = Unit.objects.filter(parent=c, level=Level.VILLAGE, is_active=True).order_by("path")
        for j, v in enumerate(villages):
            if _in_post(v, Position.COLLABORATOR):
                continue
            if (i + j) % 4 == 3 or _has_entered(v):
                no_collaborator += not _in_post(v, Position.COLLABORATOR)
                continue
            _add(admin, rng, v, Position.COLLABORATOR, province_code, today - dt.timedelta(days=rng.randint(100, 1500)))
            added += 1
    left = (
        Unit.objects.filter(parent=commune, level=Level.VILLAGE, is_active=True)
        .exclude(staff_workers__isnull=False)
        .order_by("path")
        .first()
    )
    if left is not None and not Worker.objects.filter(unit__parent=commune, until__isnull=False).exists():
        since = today - dt.timedelta(days=900)
        worker = _add(admin, rng, left, Position.COLLABORATOR, commune.path.split(".")[1], since)
        worker_end(
            actor=admin, worker=worker, until=today - dt.timedelta(days=60), note="Chuyển đi nơi khác (dữ liệu mẫu)"
        )
        added += 1
    return StaffStats(added, no_officer, no_collaborator)
