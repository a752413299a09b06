"""The exchange's server side: `GET /api/sync/<kind>?since=` gives the records changed since a moment (with the
server's clock, `now`, for the next pull), `POST /api/sync/<kind>` applies records sent by another Treem. A record
sent as an update carries `base`, the version of ours the sender last saw: when ours changed since, it is a conflict,
answered and never applied. Scope, capability and validation are the registry's (its services do the writing)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema
from pydantic import Field

from treem.accounts import permissions as rules
from treem.accounts.scope import scope_queryset
from treem.accounts.web import check_capability
from treem.indicators.models import DataValue
from treem.registry import selectors as registry

from . import records
from .core import ERRORS, MAX_ID, ErrorOut, api, caller
from .endpoints import PageNo, Since
from .models import SyncLink

sync = Router(tags=["sync"])


class ChangesOut(Schema):
    now: dt.datetime
    count: int
    page: int
    page_size: int
    items: list[dict[str, Any]]


class RecordsIn(Schema):
    records: list[dict[str, Any]] = Field(max_length=500)


class ResultOut(Schema):
    ref: int | str | None
    id: int | None
    status: str  # created, updated, unchanged, conflict, rejected
    stamp: str
    message: str


class ResultsOut(Schema):
    results: list[ResultOut]


def scoped(user: Any, kind: str) -> Any:
    if kind == "household":
        return registry.households_for_user(user).select_related("commune", "village")
    if kind == "child":
        return registry.children_for_user(user)
    return records.exchanged_circumstances(registry.visible_circumstances(user)).select_related("type", "subtype")


def _changes(request: HttpRequest, kind: str, since: dt.datetime | None, page: int, page_size: int) -> dict[str, Any]:
    user = caller(request)
    check_capability(user, rules.SEE_REGISTRY)
    now = timezone.now()
    qs = records.changed(kind, scoped(user, kind), since).order_by("pk")
    start = (page - 1) * page_size
    items = list(qs[start : start + page_size])
    return {
        "now": now,
        "count": qs.count(),
        "page": page,
        "page_size": page_size,
        "items": records.records(kind, items),
    }


def _sender(request: HttpRequest) -> str:
    """Who sends records, for the receipts of what their sends created: the token (a sending Treem has its own)."""
    token = getattr(request, "api_token", None)
    return f"received:token:{token.pk}" if token is not None else f"received:user:{caller(request).pk}"


def _receive(request: HttpRequest, kind: str, payload: RecordsIn) -> dict[str, Any]:
    user = caller(request)
    check_capability(user, rules.EDIT_REGISTRY)
    sender = _sender(request)

    def ours(k: str, pk: Any) -> Any:
        if not isinstance(pk, int) or not 0 < pk <= MAX_ID:
            return None
        return scoped(user, k).filter(pk=pk).first()

    results = []
    for rec in payload.records:
        ref = rec.get("ref")
        ref = ref if isinstance(ref, int | str) and not isinstance(ref, bool) else None
        # A create whose answer the sender never received (a crash, a lost connection) comes again without an id:
        # the receipt of its `ref` finds what it made. The same content is that record (the sender links it); other
        # content is a conflict, never applied (the sender's id may even name another record, after a restore).
        kept = ref if rec.get("id") is None and isinstance(ref, int) and 0 < ref <= MAX_ID else None
        receipt = SyncLink.objects.filter(remote=sender, kind=kind, remote_id=kept).first() if kept else None
        made = ours(kind, receipt.local_id) if receipt is not None else None
        if made is not None:
            status = "unchanged" if records.same_content(kind, made, rec) else "conflict"
            results.append({"ref": ref, "id": made.pk, "status": status, "stamp": records.local_stamp(kind, made),
                            "message": ""})  # fmt: skip
            continue
        obj = None
        if rec.get("id") is not None:
            obj = ours(kind, rec.get("id"))
            if obj is None:
                results.append({"ref": ref, "id": None, "status": "rejected", "stamp": "", "message": "not found"})
                continue
            current = records.local_stamp(kind, obj)
            if current != rec.get("base") and records.same_content(kind, obj, rec):
                results.append({"ref": ref, "id": obj.pk, "status": "unchanged", "stamp": current, "message": ""})
                continue
            if current != rec.get("base"):
                results.append({"ref": ref, "id": obj.pk, "status": "conflict", "stamp": current, "message": ""})
                continue
        try:
            with transaction.atomic():
                obj, outcome = records.apply(user, kind, obj, rec, ours)
                if kept:  # the receipt, committed with the record it made
                    SyncLink.objects.update_or_create(
                        remote=sender, kind=kind, remote_id=kept, defaults={"local_id": obj.pk}
                    )
        except (ValidationError, PermissionDenied, TypeError, ValueError) as exc:
            message = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
            results.append({"ref": ref, "id": rec.get("id") if isinstance(rec.get("id"), int) else None,
                            "status": "rejected", "stamp": "", "message": message})  # fmt: skip
            continue
        results.append({"ref": ref, "id": obj.pk, "status": outcome, "stamp": records.local_stamp(kind, obj),
                        "message": ""})  # fmt: skip
    return {"results": results}


@sync.get("/sync/figures", response={200: ChangesOut, ERRORS: ErrorOut}, summary="Changed entered figures")
def sync_figures_changes(request: HttpRequest, since: Since = None, page: PageNo = 1,
                         page_size: Annotated[int, Query(ge=1, le=500)] = 200) -> dict[str, Any]:  # fmt: skip
    """The figures entered (not computed) in the caller's units since `since`, one item per unit, period and
    indicator with all its cells (as the entry page stores them): what a Treem that pulls applies through its own
    entry service. For those who may enter figures, who see them exactly on the entry page."""
    user = caller(request)
    check_capability(user, rules.ENTER_FIGURES)
    now = timezone.now()
    groups = records.entered_figures(scope_queryset(user, DataValue.objects.all(), path_field="unit__path"), since)
    start = (page - 1) * page_size
    return {"now": now, "count": len(groups), "page": page, "page_size": page_size,
            "items": groups[start : start + page_size]}  # fmt: skip


def _register(kind: str, plural: str) -> None:
    def changes(request: HttpRequest, since: Since = None, page: PageNo = 1,
                page_size: Annotated[int, Query(ge=1, le=500)] = 200) -> dict[str, Any]:  # fmt: skip
        return _changes(request, kind, since, page, page_size)

    def receive(request: HttpRequest, payload: RecordsIn) -> dict[str, Any]:
        return _receive(request, kind, payload)

    changes.__name__, receive.__name__ = f"sync_{plural}_changes", f"sync_{plural}_receive"
    changes.__doc__ = f"The {plural} changed at or after `since` (ISO 8601; all without), oldest id first."
    receive.__doc__ = f"Apply {plural} sent by another Treem: create (no `id`), or update (`id` and `base`)."
    sync.get(f"/sync/{plural}", response={200: ChangesOut, ERRORS: ErrorOut}, summary=f"Changed {plural}")(changes)
    sync.post(f"/sync/{plural}", response={200: ResultsOut, ERRORS: ErrorOut}, summary=f"Send {plural}")(receive)


for _kind, _plural in (("household", "households"), ("child", "children"), ("circumstance", "circumstances")):
    _register(_kind, _plural)

api.add_router("/", sync)
