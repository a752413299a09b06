"""The exchange's records: households, children and special-circumstance intervals as plain dicts (units by their
official code, other records by the sender's id), each with a version `stamp`; and applying a received record
through the registry services (history, scope and validation as for a person typing it).

Nothing is ever deleted: a child who left or died travels as a status, a household as inactive, an interval by its
end date. Case-derived (confidential) intervals are case data and never leave Treem this way."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Max, Q, QuerySet
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from treem.accounts.models import User
from treem.core.dates import today_vn
from treem.indicators.models import DataValue, Origin
from treem.registry import services
from treem.registry.models import Child, ChildStatus, Circumstance, CircumstanceSubtype, CircumstanceType, Household
from treem.units.models import Structure, Unit

KINDS = ("household", "child", "circumstance")
HOUSEHOLD_FIELDS = ("code", "head_name", "address", "phone", "note", "is_active")
CHILD_FIELDS = (
    "full_name", "sex", "date_of_birth", "dob_precision", "ethnicity", "personal_id", "birth_registered",
    "birth_registration_date", "health_insurance_number", "school_status", "disability", "nutrition", "note",
)  # fmt: skip
STATUS_FIELDS = ("status", "status_date", "status_note")
DATE_FIELDS = {"date_of_birth", "birth_registration_date", "status_date", "valid_from", "valid_to"}


def stamp(moment: dt.datetime | None) -> str:
    return moment.isoformat() if moment else ""


def circumstance_stamps(ids: list[int]) -> dict[int, str]:
    """The version of each interval: its newest history row (intervals have no `updated_at`)."""
    rows = Circumstance.history.filter(id__in=ids).values("id").annotate(last=Max("history_date"))
    return {r["id"]: stamp(r["last"]) for r in rows}


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def household_record(h: Household) -> dict[str, Any]:
    return {
        "id": h.pk, "stamp": stamp(h.updated_at), "commune": h.commune.code,
        "village": h.village.code if h.village else None, **{f: getattr(h, f) for f in HOUSEHOLD_FIELDS},
    }  # fmt: skip


def child_record(c: Child) -> dict[str, Any]:
    return {
        "id": c.pk, "stamp": stamp(c.updated_at), "household": c.household_id,
        **{f: _plain(getattr(c, f)) for f in (*CHILD_FIELDS, *STATUS_FIELDS)},
    }  # fmt: skip


def circumstance_record(c: Circumstance, stamps: dict[int, str]) -> dict[str, Any]:
    return {
        "id": c.pk, "stamp": stamps.get(c.pk, ""), "child": c.child_id, "kind": c.type.kind, "type": c.type.code,
        "subtype": c.subtype.code if c.subtype else None, "valid_from": c.valid_from.isoformat(),
        "valid_to": _plain(c.valid_to), "source": c.source, "note": c.note,
    }  # fmt: skip


def changed(kind: str, qs: QuerySet[Any], since: dt.datetime | None) -> QuerySet[Any]:
    """The records of `qs` changed at or after `since` (all of them without)."""
    if since is None:
        return qs
    if kind == "circumstance":
        return qs.filter(pk__in=Circumstance.history.filter(history_date__gte=since).values("id"))
    return qs.filter(updated_at__gte=since)


def exchanged_circumstances(qs: QuerySet[Circumstance]) -> QuerySet[Circumstance]:
    return qs.filter(confidential=False, type__confidential=False, child__merged_into__isnull=True)


def records(kind: str, items: list[Any]) -> list[dict[str, Any]]:
    if kind == "household":
        return [household_record(h) for h in items]
    if kind == "child":
        return [child_record(c) for c in items]
    stamps = circumstance_stamps([c.pk for c in items])
    return [circumstance_record(c, stamps) for c in items]


PARENT_KEYS = ("household", "child")  # the sender's ids: compared by the links, not here
META_KEYS = ("id", "stamp", "ref", "base")


def same_content(kind: str, obj: Any, rec: dict[str, Any]) -> bool:
    """Whether our record already says what `rec` says (a change made the same way on both sides is no conflict)."""
    ours = records(kind, [obj])[0]
    skip = {*META_KEYS, *PARENT_KEYS}
    return all(ours.get(k) == v for k, v in rec.items() if k not in skip and k in ours)


def local_stamp(kind: str, obj: Any) -> str:
    if kind == "circumstance":
        return circumstance_stamps([obj.pk]).get(obj.pk, "")
    return stamp(obj.updated_at)


# --- applying a received record -----------------------------------------------------------------------------------


def _unit(code: str | None) -> Unit | None:
    if not code:
        return None
    unit = Unit.objects.filter(structure=Structure.CURRENT, code=code).first()
    if unit is None:
        raise ValidationError(_("Unknown unit code %(code)s") % {"code": code})
    return unit


def _typed(name: str, value: Any) -> Any:
    return parse_date(value) if name in DATE_FIELDS and isinstance(value, str) else value


def apply_household(actor: User, household: Household | None, rec: dict[str, Any]) -> tuple[Household, str]:
    commune, village = _unit(rec.get("commune")), _unit(rec.get("village"))
    if commune is None:
        raise ValidationError(_("A household needs its commune."))
    values = {f: rec[f] for f in HOUSEHOLD_FIELDS if f in rec}
    if household is None:
        active = values.pop("is_active", True)
        household = services.household_create(actor=actor, commune=commune, village=village, **values)
        if not active:
            services.household_update(actor=actor, household=household, is_active=False)
        return household, "created"
    if (household.commune_id, household.village_id) != (commune.pk, village.pk if village else None):
        raise ValidationError(_("A household moves on the registry's move page, not through the exchange."))
    diff = {f: v for f, v in values.items() if getattr(household, f) != v}
    if not diff:
        return household, "unchanged"
    return services.household_update(actor=actor, household=household, **diff), "updated"


def apply_child(actor: User, child: Child | None, household: Household, rec: dict[str, Any]) -> tuple[Child, str]:
    values = {f: _typed(f, rec[f]) for f in CHILD_FIELDS if f in rec}
    status = {f: _typed(f, rec.get(f)) for f in STATUS_FIELDS}
    if child is None:
        core = {k: values.pop(k) for k in ("full_name", "sex", "date_of_birth", "dob_precision", "ethnicity",
                                           "personal_id") if k in values}  # fmt: skip
        child = services.child_register(
            actor=actor, household=household, data=services.ChildInput(**core, extra=values)
        )
        outcome = "created"
    else:
        if child.household_id != household.pk:
            raise ValidationError(_("A child changes household on the registry's pages, not through the exchange."))
        diff = {f: v for f, v in values.items() if getattr(child, f) != v}
        outcome = "unchanged"
        if diff:
            child = services.child_update(actor=actor, child=child, **diff)
            outcome = "updated"
    # a status is a dated event (moved away, deceased…): set through its service, never by field
    wanted = (status["status"] or ChildStatus.ACTIVE, status["status_date"], status["status_note"] or "")
    same_status_undated = child.status == wanted[0] and wanted[1] is None
    if (child.status, child.status_date, child.status_note) != wanted and not same_status_undated:
        child = services.child_set_status(
            actor=actor, child=child, status=wanted[0], on=wanted[1] or today_vn(), note=wanted[2]
        )
        outcome = "updated" if outcome == "unchanged" else outcome
    return child, outcome


def apply_circumstance(
    actor: User, circumstance: Circumstance | None, child: Child, rec: dict[str, Any]
) -> tuple[Circumstance, str]:
    valid_from, valid_to = _typed("valid_from", rec.get("valid_from")), _typed("valid_to", rec.get("valid_to"))
    if circumstance is None:
        ctype = CircumstanceType.objects.filter(kind=rec.get("kind"), code=rec.get("type")).first()
        if ctype is None or ctype.confidential or valid_from is None:
            raise ValidationError(_("Unknown group %(code)s") % {"code": rec.get("type")})
        subtype = (
            CircumstanceSubtype.objects.filter(type=ctype, code=rec["subtype"]).first() if rec.get("subtype") else None
        )
        made = services.circumstance_add(
            actor=actor, child=child, type=ctype, valid_from=valid_from, valid_to=valid_to, subtype=subtype,
            source=rec.get("source", ""), note=rec.get("note", ""),
        )  # fmt: skip
        return made, "created"
    if circumstance.child_id != child.pk or circumstance.valid_from != valid_from:
        raise ValidationError(_("Only the end date of an interval changes through the exchange."))
    if circumstance.valid_to == valid_to:
        return circumstance, "unchanged"
    if valid_to is None:
        raise ValidationError(_("An ended interval is not reopened through the exchange."))
    return services.circumstance_end(actor=actor, circumstance=circumstance, valid_to=valid_to), "updated"


type Resolver = Callable[[str, Any], Any]  # (kind, the sender's id) -> our record, or None


def apply(actor: User, kind: str, obj: Any, rec: dict[str, Any], resolve: Resolver) -> tuple[Any, str]:
    """Apply one received record (`obj`: ours it updates, None to create); `resolve` finds the parent record."""
    if kind == "household":
        return apply_household(actor, obj, rec)
    if kind == "child":
        household = resolve("household", rec.get("household"))
        if household is None:
            raise ValidationError(_("Its household has not been exchanged yet."))
        return apply_child(actor, obj, household, rec)
    child = resolve("child", rec.get("child"))
    if child is None:
        raise ValidationError(_("Its child has not been exchanged yet."))
    return apply_circumstance(actor, obj, child, rec)


def cell_of(v: DataValue) -> dict[str, int | None]:
    def whole(x: float | None) -> int | None:
        return None if x is None else round(x)

    if v.indicator.is_ratio:
        return {"numerator": whole(v.numerator), "denominator": whole(v.denominator)}
    return {"value": whole(v.value)}


def entered_figures(qs: QuerySet[DataValue], since: dt.datetime | None) -> list[dict[str, Any]]:
    """Entered figures, one item per unit, period and indicator touched at or after `since` (all its cells)."""
    entered = qs.filter(origin=Origin.ENTERED)
    keys = entered if since is None else entered.filter(computed_at__gte=since)
    touched = set(keys.values_list("unit_id", "period", "indicator_id").distinct())
    rows = entered.filter(unit_id__in={u for u, _p, _i in touched}, period__in={p for _u, p, _i in touched})
    groups: dict[tuple[int, str, int], dict[str, Any]] = {}
    for v in rows.select_related("unit", "indicator").order_by("unit__path", "period", "indicator__code", "disagg"):
        key = (v.unit_id, v.period, v.indicator_id)
        if key not in touched:
            continue
        group = groups.setdefault(key, {"unit": v.unit.code, "period": v.period, "indicator": v.indicator.code,
                                        "stamp": "", "cells": {}})  # fmt: skip
        group["cells"][v.disagg] = cell_of(v)
        group["stamp"] = max(group["stamp"], stamp(v.computed_at))
    return list(groups.values())


def model_of(kind: str) -> type[Any]:
    return {"household": Household, "child": Child, "circumstance": Circumstance}[kind]


def scoped_q(kind: str) -> Q:
    return Q() if kind != "child" else Q(merged_into__isnull=True)
