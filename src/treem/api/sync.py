"""The exchange's client side: `treem sync push|pull --remote URL --token T`.

Push sends the households, children and intervals changed here since the last push, then the figures entered here;
pull fetches those changed there since the last pull. Each record known on both sides has a `SyncLink` with each
side's version at the last sync, so a re-run sends nothing new (idempotent), a record pulled is not pushed back, and
a record changed on both sides since the last sync is a conflict: listed in the report, applied on neither side.
The national level pulls aggregates as a DHIS2 dataValueSet (`pull_dhis2`)."""

from __future__ import annotations

import datetime as dt
import json
import urllib.error
import urllib.parse
import urllib.request
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from treem.accounts.models import User
from treem.core.periods import Period, PeriodError
from treem.indicators.entry import Cell, figures_enter
from treem.indicators.models import DataValue, Origin
from treem.units.models import Structure, Unit

from . import records
from .models import SyncLink, SyncState

PLURAL = {"household": "households", "child": "children", "circumstance": "circumstances"}
BATCH = 200

type Send = Callable[[str, str, dict[str, Any] | None, dict[str, Any] | None], tuple[int, Any]]


class SyncError(RuntimeError):
    pass


def http_send(base: str, token: str, timeout: float = 60) -> Send:
    """Requests to a remote Treem's API over HTTP(S) (the standard library: no new dependency)."""

    def send(method: str, path: str, params: dict[str, Any] | None, body: dict[str, Any] | None) -> tuple[int, Any]:
        url = base.rstrip("/") + "/api" + path + ("?" + urllib.parse.urlencode(params) if params else "")
        if not url.startswith(("http://", "https://")):
            raise SyncError(f"Not an http(s) URL: {base}")
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(url, data=data, method=method)  # noqa: S310 - checked above
        req.add_header("Authorization", f"Bearer {token}")
        req.add_header("Accept-Language", "vi")
        if data is not None:
            req.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(req, timeout=timeout) as resp:  # noqa: S310
                return resp.status, json.loads(resp.read() or b"null")
        except urllib.error.HTTPError as exc:
            return exc.code, json.loads(exc.read() or b"null")

    return send


@dataclass
class Report:
    counts: dict[str, int] = field(default_factory=lambda: defaultdict(int))  # "child created" -> n
    conflicts: list[str] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)

    def add(self, kind: str, status: str, n: int = 1) -> None:
        self.counts[f"{kind} {status}"] += n

    def lines(self) -> list[str]:
        out = [f"{key}: {n}" for key, n in sorted(self.counts.items())]
        out += [f"CONFLICT {c}" for c in self.conflicts]
        out += [f"REJECTED {r}" for r in self.rejected]
        return out


def _call(send: Send, method: str, path: str, params: dict[str, Any] | None = None,
          body: dict[str, Any] | None = None) -> Any:  # fmt: skip
    status, data = send(method, path, params, body)
    if status != 200:
        message = data.get("message") if isinstance(data, dict) else data
        raise SyncError(f"{method} {path}: {status} {message}")
    return data


def _links(remote: str, kind: str) -> tuple[dict[int, SyncLink], dict[int, SyncLink]]:
    links = list(SyncLink.objects.filter(remote=remote, kind=kind))
    return {x.local_id: x for x in links}, {x.remote_id: x for x in links}


def _link(remote: str, kind: str, local_id: int, remote_id: int, local_stamp: str, remote_stamp: str) -> None:
    SyncLink.objects.filter(remote=remote, kind=kind, remote_id=remote_id).exclude(local_id=local_id).delete()
    SyncLink.objects.update_or_create(
        remote=remote, kind=kind, local_id=local_id,
        defaults={"remote_id": remote_id, "local_stamp": local_stamp, "remote_stamp": remote_stamp},
    )  # fmt: skip


def _local_records(kind: str, since: dt.datetime | None) -> list[Any]:
    model = records.model_of(kind)
    qs = model.objects.filter(records.scoped_q(kind))
    if kind == "circumstance":
        qs = records.exchanged_circumstances(qs).select_related("type", "subtype")
    elif kind == "household":
        qs = qs.select_related("commune", "village")
    return list(records.changed(kind, qs, since).order_by("pk"))


PARENT = {"child": ("household", "household"), "circumstance": ("child", "child")}


def push(*, remote: str, send: Send, report: Report | None = None) -> Report:
    """Send what changed here since the last push."""
    report = report or Report()
    state, _ = SyncState.objects.get_or_create(remote=remote)
    started = timezone.now()
    for kind in records.KINDS:
        by_local, _by_remote = _links(remote, kind)
        parent_links = _links(remote, PARENT[kind][0])[0] if kind in PARENT else {}
        outgoing: list[tuple[Any, dict[str, Any]]] = []
        items = _local_records(kind, state.pushed_until)
        for obj, rec in zip(items, records.records(kind, items), strict=True):
            link = by_local.get(obj.pk)
            if link is not None and link.local_stamp == rec["stamp"]:
                continue  # unchanged since the last exchange (e.g. it came from there)
            if kind in PARENT:
                parent_kind, key = PARENT[kind]
                parent = parent_links.get(rec[key])
                if parent is None:
                    report.rejected.append(f"{kind} #{obj.pk}: its {parent_kind} was not exchanged")
                    continue
                rec[key] = parent.remote_id
            rec |= {"ref": obj.pk, "id": link.remote_id if link else None, "base": link.remote_stamp if link else None}
            outgoing.append((obj, rec))
        for start in range(0, len(outgoing), BATCH):
            batch = outgoing[start : start + BATCH]
            answer = _call(send, "POST", f"/sync/{PLURAL[kind]}", body={"records": [r for _o, r in batch]})
            for (obj, rec), result in zip(batch, answer["results"], strict=True):
                report.add(kind, result["status"])
                if result["status"] in ("created", "updated", "unchanged"):
                    _link(remote, kind, obj.pk, result["id"], rec["stamp"], result["stamp"])
                elif result["status"] == "conflict":
                    report.conflicts.append(f"{kind} #{obj.pk} (there #{result['id']}): changed on both sides")
                else:
                    report.rejected.append(f"{kind} #{obj.pk}: {result['message']}")
    _push_figures(remote=remote, send=send, since=state.pushed_until, report=report)
    state.pushed_until = started
    state.save(update_fields=["pushed_until", "updated_at"])
    return report


def _push_figures(*, remote: str, send: Send, since: dt.datetime | None, report: Report) -> None:
    """The figures entered here since the last push, one request per unit and period (each indicator sent whole,
    as the entry page stores it); the remote's unit is found by its official code."""
    qs = DataValue.objects.filter(origin=Origin.ENTERED).select_related("indicator", "unit")
    if since is not None:
        touched = qs.filter(computed_at__gte=since).values_list("unit_id", "period", "indicator_id").distinct()
        keys = set(touched)
        qs = qs.filter(unit_id__in={u for u, _p, _i in keys}, period__in={p for _u, p, _i in keys})
        rows = [v for v in qs if (v.unit_id, v.period, v.indicator_id) in keys]
    else:
        rows = list(qs)
    grouped: dict[tuple[str, str], dict[str, dict[str, dict[str, int | None]]]] = defaultdict(dict)
    for v in rows:
        grouped[(v.unit.code, v.period)].setdefault(v.indicator.code, {})[v.disagg] = records.cell_of(v)
    there: dict[str, list[dict[str, Any]]] = {}  # the remote's units by code: asked once per unit, not per period
    for (code, period), figures in sorted(grouped.items()):
        if code not in there:
            there[code] = _call(send, "GET", "/units", {"code": code})["items"]
        units = there[code]
        if not units:
            report.rejected.append(f"figures {code} {period}: unit not found there")
            continue
        status, data = send("POST", "/data-values", None, {"unit_id": units[0]["id"], "period": period,
                                                           "figures": figures})  # fmt: skip
        if status == 200:
            report.add("figures", "sent")
        else:
            report.rejected.append(
                f"figures {code} {period}: {data.get('message') if isinstance(data, dict) else data}"
            )


def pull(*, remote: str, send: Send, actor: User, report: Report | None = None) -> Report:
    """Fetch what changed there since the last pull and apply it here as `actor` (registry services: history,
    scope, validation)."""
    report = report or Report()
    state, _ = SyncState.objects.get_or_create(remote=remote)
    since, began = state.pulled_until, timezone.now()
    remote_now: dt.datetime | None = None
    for kind in records.KINDS:
        page = 1
        while True:
            params: dict[str, Any] = {"page": page, "page_size": BATCH}
            if since is not None:
                params["since"] = since.isoformat()
            data = _call(send, "GET", f"/sync/{PLURAL[kind]}", params)
            if remote_now is None:
                remote_now = parse_datetime(data["now"])
            for rec in data["items"]:
                _pull_one(remote, kind, rec, actor, report)
            if page * BATCH >= data["count"]:
                break
            page += 1
    _pull_figures(send=send, since=since, last_pull=state.pulled_at, actor=actor, report=report)
    state.pulled_until, state.pulled_at = remote_now, began
    state.save(update_fields=["pulled_until", "pulled_at", "updated_at"])
    return report


def _pull_figures(*, send: Send, since: dt.datetime | None, last_pull: dt.datetime | None, actor: User,
                  report: Report) -> None:  # fmt: skip
    """The figures entered there since the last pull, applied here through the entry service (its validation).
    Figures of the same unit, period and indicator entered here since our last pull, and different: a conflict."""
    page = 1
    while True:
        params: dict[str, Any] = {"page": page, "page_size": BATCH}
        if since is not None:
            params["since"] = since.isoformat()
        data = _call(send, "GET", "/sync/figures", params)
        for item in data["items"]:
            _pull_figure(item, last_pull, actor, report)
        if page * BATCH >= data["count"]:
            break
        page += 1


def _pull_figure(item: dict[str, Any], last_pull: dt.datetime | None, actor: User, report: Report) -> None:
    where = f"figures {item['unit']} {item['period']} {item['indicator']}"
    unit = Unit.objects.filter(structure=Structure.CURRENT, code=item["unit"]).first()
    if unit is None:
        report.rejected.append(f"{where}: unit not found here")
        return
    ours = DataValue.objects.filter(unit=unit, period=item["period"], indicator__code=item["indicator"],
                                    origin=Origin.ENTERED).select_related("indicator")  # fmt: skip
    cells = {v.disagg: records.cell_of(v) for v in ours}
    if cells == item["cells"]:
        report.add("figures", "unchanged")
        return
    if cells and (last_pull is None or ours.filter(computed_at__gte=last_pull).exists()):
        report.add("figures", "conflict")
        report.conflicts.append(f"{where}: entered on both sides, and different")
        return
    figures = {item["indicator"]: {key: Cell(**cell) for key, cell in item["cells"].items()}}
    try:
        figures_enter(actor=actor, unit=unit, period=Period.parse(item["period"]), figures=figures)
    except (ValidationError, PermissionDenied, PeriodError, TypeError) as exc:
        message = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        report.rejected.append(f"{where}: {message}")
        return
    report.add("figures", "updated" if cells else "created")


def _pull_one(remote: str, kind: str, rec: dict[str, Any], actor: User, report: Report) -> None:
    model = records.model_of(kind)
    link = SyncLink.objects.filter(remote=remote, kind=kind, remote_id=rec["id"]).first()
    obj = None
    if link is not None:
        if link.remote_stamp == rec["stamp"]:
            return  # seen already (or sent from here)
        obj = model.objects.filter(pk=link.local_id).first()
        if obj is not None and records.same_content(kind, obj, rec):
            _link(remote, kind, obj.pk, rec["id"], records.local_stamp(kind, obj), rec["stamp"])
            report.add(kind, "unchanged")
            return
        if obj is not None and records.local_stamp(kind, obj) != link.local_stamp:
            report.add(kind, "conflict")
            report.conflicts.append(f"{kind} #{obj.pk} (there #{rec['id']}): changed on both sides")
            return

    def resolve(parent_kind: str, remote_id: Any) -> Any:
        parent = SyncLink.objects.filter(remote=remote, kind=parent_kind, remote_id=remote_id).first()
        return records.model_of(parent_kind).objects.filter(pk=parent.local_id).first() if parent else None

    try:
        with transaction.atomic():
            obj, outcome = records.apply(actor, kind, obj, rec, resolve)
            _link(remote, kind, obj.pk, rec["id"], records.local_stamp(kind, obj), rec["stamp"])
    except (ValidationError, PermissionDenied) as exc:
        message = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        report.rejected.append(f"{kind} there #{rec['id']}: {message}")
        return
    report.add(kind, outcome)


def pull_dhis2(*, send: Send, unit_code: str, period: str) -> dict[str, Any]:
    """The remote's figures of a unit's subtree for a period as a DHIS2 dataValueSet (the exports' own writer)."""
    units = _call(send, "GET", "/units", {"code": unit_code})["items"]
    if not units:
        raise SyncError(f"Unit {unit_code} not found there")
    return _call(send, "GET", "/dhis2/dataValueSets", {"unit": units[0]["id"], "period": period})
