"""Legal clocks: open deadlines when their start event happens, meet them when their stop event happens."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from .calendar import WorkCalendar, due_at
from .models import Case, ClockRule, Deadline

RULES_FILE = Path(__file__).parent / "fixtures" / "clock_rules.json"
PLACEMENT_RULES = ("placement_1m", "placement_3m", "placement_6m")
RECURRING_RULE = "placement_6m"


def clock_rules_sync(model: Any = ClockRule) -> int:
    created = 0
    for row in json.loads(RULES_FILE.read_text(encoding="utf-8")):
        _, was_created = model.objects.get_or_create(code=row["code"], defaults=row)
        created += was_created
    return created


def _applies(rule: ClockRule, case: Case) -> bool:
    if rule.only_if_emergency and not case.needs_emergency:
        return False
    return not (rule.skip_if_emergency and case.needs_emergency)


def on_event(case: Case, name: str, at: dt.datetime, calendar: WorkCalendar | None = None) -> None:
    """`name` is a status reached or an event kind recorded. Stop the clocks it stops, start those it starts."""
    open_deadlines = list(case.deadlines.filter(met_at__isnull=True).select_related("rule"))
    stopping = [d for d in open_deadlines if name in d.rule.stop_on]
    if name == "follow_up":
        stopping = stopping[:1]  # one follow-up answers the earliest follow-up that is due
    for deadline in stopping:
        deadline.met_at = at
        deadline.save(update_fields=["met_at"])
    rules = ClockRule.objects.filter(is_active=True, start_on=name)
    for rule in rules:
        if not _applies(rule, case):
            continue
        if rule.code == RECURRING_RULE:
            still_open = case.deadlines.filter(met_at__isnull=True, rule__code__in=PLACEMENT_RULES).exists()
            if still_open:
                continue  # the 6-monthly report starts once the 1- and 3-month follow-ups are done
        if case.deadlines.filter(rule=rule, met_at__isnull=True).exists():
            continue
        Deadline.objects.create(
            case=case, rule=rule, started_at=at, due_at=due_at(at, rule.amount, rule.unit, calendar)
        )


def next_deadline(case: Case) -> Deadline | None:
    return case.deadlines.filter(met_at__isnull=True).select_related("rule").order_by("due_at").first()
