"""Legal clocks: open deadlines when their start event happens, meet them when their stop event happens.

The rules are data (`ClockRule`, loaded from fixtures/clock_rules.json, corrected in the admin). What the data says:
- `start_on` / `stop_on`: statuses or event kinds. A clock stopped because the process moved past the step that owed
  it keeps the time it stopped and `stopped_by` (a late stop still shows as late).
- `only_if_emergency` / `skip_if_emergency`: NĐ 56 Art. 31.1 (the emergency condition, re-checked at each start
  event: intake, verification, initial assessment) and Art. 28.1/28.4 ("trừ trường hợp khẩn cấp").
- `count_from_intake`: Arts. 26.3, 31.2, 32.2 count 12 hours "từ khi nhận thông tin", whenever the emergency
  becomes known; such a clock runs once per case.
- `cumulative`: Art. 32.3, at most 15 days of separation in total: a new separation gets what earlier ones left.
- `warn_after` / `warn_unit`: when a "due soon" notice goes out.
- `survives_closure`: Art. 43.2 follow-ups belong to the placement, not the case.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from django.db import models

from .calendar import WorkCalendar, due_at
from .models import Case, CaseEvent, ClockRule, Deadline, EventKind, Status

RULES_FILE = Path(__file__).parent / "fixtures" / "clock_rules.json"
PLACEMENT_RULES = ("placement_1m", "placement_3m", "placement_6m")
RECURRING_RULE = "placement_6m"
SEPARATION_RULE = "separation_15d"
SEPARATION_MAX_DAYS = 15
HIGH = "high"


def _rule_values(model: Any, row: dict[str, Any]) -> dict[str, Any]:
    """The row's values the (possibly historical, in a migration) model has; a list start for an older text field."""
    fields = {f.name: f for f in model._meta.get_fields()}
    values = {k: v for k, v in row.items() if k in fields}
    if isinstance(fields["start_on"], models.CharField) and isinstance(values.get("start_on"), list):
        values["start_on"] = values["start_on"][0]
    return values


def clock_rules_sync(model: Any = ClockRule, *, update: bool = False) -> int:
    """Create the rules of the fixture that are missing; with `update`, also reset the others to the fixture."""
    created = 0
    for row in json.loads(RULES_FILE.read_text(encoding="utf-8")):
        values = _rule_values(model, row)
        if update:
            _, was_created = model.objects.update_or_create(code=row["code"], defaults=values)
        else:
            _, was_created = model.objects.get_or_create(code=row["code"], defaults=values)
        created += was_created
    return created


def emergency_known(case: Case) -> bool:
    """NĐ 56 Art. 31.1, with what the steps found: the case's facts (in danger, serious harm, a parent or caregiver
    abuser) or the latest initial assessment (Mẫu 02) rating the present danger "high"."""
    if case.needs_emergency:
        return True
    latest = (
        case.events.filter(kind=EventKind.TRANSITION, to_status=Status.INITIAL_ASSESSMENT)
        .order_by("-at", "-pk")
        .first()
    )
    risk = latest.data.get("risk") if latest else None
    return isinstance(risk, dict) and risk.get("danger") == HIGH


def _applies(rule: ClockRule, emergency: bool) -> bool:
    if rule.only_if_emergency and not emergency:
        return False
    return not (rule.skip_if_emergency and emergency)


def _warn_at(rule: ClockRule, start: dt.datetime, calendar: WorkCalendar | None) -> dt.datetime | None:
    if not rule.warn_after or not rule.warn_unit:
        return None
    return due_at(start, rule.warn_after, rule.warn_unit, calendar)


def _time_in_state(case: Case, rule: ClockRule, *, before: dt.datetime) -> dt.timedelta:
    """How long the state the rule limits lasted before `before` (Art. 32.3: the days the child was separated).

    The state begins with an event that starts the rule and lasts until its end event (`<start>_end`, e.g.
    `separation_end`), not until the clock stopped: a re-assessment answers the clock while the child stays
    separated, and a state still running at `before` counts up to it."""
    ends = {f"{name}_end" for name in rule.start_on}
    used, since = dt.timedelta(), None
    events = case.events.filter(kind__in=[*rule.start_on, *ends], at__lt=before).order_by("at", "pk")
    for kind, at in events.values_list("kind", "at"):
        if kind in ends:
            if since is not None:
                used += at - since
            since = None
        elif since is None:
            since = at
    return used + (before - since if since is not None else dt.timedelta())


def _due(case: Case, rule: ClockRule, start: dt.datetime, calendar: WorkCalendar | None) -> dt.datetime:
    """When a run starting at `start` is due; for a limit in total (Art. 32.3), what earlier runs left of it."""
    due = due_at(start, rule.amount, rule.unit, calendar)
    return due - _time_in_state(case, rule, before=start) if rule.cumulative else due


def _start(case: Case, rule: ClockRule, at: dt.datetime, calendar: WorkCalendar | None) -> Deadline | None:
    runs = case.deadlines.filter(rule=rule)
    if rule.count_from_intake:
        if runs.exists():
            return None  # once per case: the count starts at intake, not again
        start = case.intake_at
    else:
        if runs.filter(met_at__isnull=True).exists():
            return None
        start = at
    return Deadline.objects.create(
        case=case, rule=rule, started_at=start, due_at=_due(case, rule, start, calendar),
        warn_at=_warn_at(rule, start, calendar),
    )  # fmt: skip


def on_event(case: Case, name: str, at: dt.datetime, calendar: WorkCalendar | None = None) -> None:
    """`name` is a status reached or an event kind recorded. Stop the clocks it stops, start those it starts."""
    open_deadlines = list(case.deadlines.filter(met_at__isnull=True).select_related("rule"))
    stopping = [d for d in open_deadlines if name in d.rule.stop_on]
    if name == EventKind.FOLLOW_UP:
        stopping = stopping[:1]  # one follow-up answers the earliest follow-up that is due
    for deadline in stopping:
        deadline.met_at, deadline.stopped_by = at, name
        deadline.save(update_fields=["met_at", "stopped_by"])
    rules = [r for r in ClockRule.objects.filter(is_active=True) if r.starts_on(name)]
    emergency = emergency_known(case) if rules else False
    for rule in rules:
        if not _applies(rule, emergency):
            continue
        if rule.code == RECURRING_RULE:
            still_open = case.deadlines.filter(met_at__isnull=True, rule__code__in=PLACEMENT_RULES).exists()
            if still_open:
                continue  # the 6-monthly report starts once the 1- and 3-month follow-ups are done
        _start(case, rule, at, calendar)


def separation_extended(case: Case, event: CaseEvent, new_end: dt.datetime) -> None:
    """NĐ 56 Art. 32.3: an extension never closes the separation clock. Within the 15 days the clock stays where it
    is (the re-assessment or court petition is due at 15 days, TT 14/2020 Art. 14.3); a competent authority's longer
    separation moves it to the new end (and a new "due soon" notice)."""
    rule = ClockRule.objects.filter(code=SEPARATION_RULE).first()
    if rule is None:
        return
    deadline = case.deadlines.filter(rule=rule, met_at__isnull=True).order_by("-started_at").first()
    if deadline is None:
        Deadline.objects.create(case=case, rule=rule, started_at=event.at, due_at=new_end)
        return
    if new_end > deadline.due_at:
        deadline.due_at, deadline.warn_at, deadline.notified_at, deadline.warned_at = new_end, None, None, None
        deadline.save(update_fields=["due_at", "warn_at", "notified_at", "warned_at"])


def separation_limit_from(case: Case, at: dt.datetime) -> dt.datetime:
    """The end of the 15 days in total for a separation decided at `at`: what earlier separations left, counted from
    the first day when the child is still separated (the same count as the clock's)."""
    rule = ClockRule.objects.filter(code=SEPARATION_RULE).first()
    if rule is None:
        return at + dt.timedelta(days=SEPARATION_MAX_DAYS)
    return _due(case, rule, at, None)


def next_deadline(case: Case) -> Deadline | None:
    return case.deadlines.filter(met_at__isnull=True).select_related("rule").order_by("due_at").first()
