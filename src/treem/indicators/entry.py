"""Entered indicators: the figures other agencies hold (immunisation, violations handled, injuries…), typed in per
unit and period.

A unit enters the total of each entered indicator and, where the indicator breaks down, each option of each
crossing (a ratio as its numerator and denominator, so that it rolls up from summed parts). A total left blank is
the sum of the first breakdown typed. Before anything is stored the validation rules between figures run against
what was typed and what is stored for the unit (the other side of a rule may be a computed figure); a violated rule
stores nothing. The units above are then summed again from their sub-units (`services.reroll_ancestors`), except
where a unit entered its own figure for the indicator: an entered figure is never replaced by a sum.

Which indicators a period asks for: a year asks for every active entered indicator (a half-yearly figure is also
reported for the year), a half year for the half-yearly ones.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from treem.accounts import permissions as rules
from treem.accounts.scope import unit_in_scope
from treem.audit.models import Action
from treem.audit.services import audit_record
from treem.core.periods import Period, PeriodKind
from treem.units.models import Level, Unit

from .computations import UNKNOWN
from .models import (
    DataValue,
    Dimension,
    DimensionOption,
    Indicator,
    Measure,
    Origin,
    Periodicity,
    Source,
    ValidationRule,
)
from .publish import format_value
from .services import disagg_key, indicator_subsets, parse_disagg, reroll_ancestors

AUDIT_TARGET = "indicators.entry"


@dataclass(frozen=True, slots=True)
class Cell:
    """What was typed for one breakdown of an indicator: a count, or a ratio's numerator and denominator."""

    value: int | None = None
    numerator: int | None = None
    denominator: int | None = None

    @property
    def is_blank(self) -> bool:
        return self.value is None and self.numerator is None and self.denominator is None


@dataclass(frozen=True, slots=True)
class EntryCell:
    """One input line of the form: the breakdown's key (empty for the total) and its label."""

    key: str
    label: str


def entry_indicators(period: Period) -> list[Indicator]:
    qs = Indicator.objects.filter(is_active=True, source=Source.ENTERED).select_related("group")
    if period.kind != PeriodKind.YEAR:
        qs = qs.filter(periodicity=Periodicity.HALF)
    return list(qs)


def entry_cells(indicator: Indicator) -> list[EntryCell]:
    return entry_cells_of([indicator])[indicator.pk]


def entry_cells_of(indicators: Iterable[Indicator]) -> dict[int, list[EntryCell]]:
    """For each indicator: the total, then each option of each crossing it breaks down by ("unknown" is not
    entered). The options of every indicator are read at once."""
    indicators = list(indicators)
    options: dict[str, list[tuple[str, str]]] = {}
    codes = {code for ind in indicators for code in ind.dimension_codes()}
    qs = DimensionOption.objects.filter(dimension__code__in=codes).select_related("dimension")
    for o in qs.exclude(code=UNKNOWN):
        options.setdefault(o.dimension.code, []).append((o.code, o.name))
    return {ind.pk: _cells(ind, options) for ind in indicators}


def _cells(indicator: Indicator, options: dict[str, list[tuple[str, str]]]) -> list[EntryCell]:
    cells = [EntryCell("", _("Total"))]
    seen = {""}
    for crossing in indicator.disaggregations:
        dims = sorted(set(crossing))
        for combo in itertools.product(*(options.get(d, []) for d in dims)):
            key = disagg_key(tuple(dims), tuple(code for code, _name in combo))
            if key not in seen:
                seen.add(key)
                cells.append(EntryCell(key, " · ".join(name for _code, name in combo)))
    return cells


def can_enter(user: Any, unit: Unit) -> bool:
    """Figures are entered by a user with the capability, for a unit in their scope (not a village)."""
    return rules.ENTER_FIGURES.allows(user) and unit.level != Level.VILLAGE and unit_in_scope(user, unit)


def entered_cells(unit: Unit, period: Period, indicators: list[Indicator]) -> dict[tuple[int, str], Cell]:
    """What the unit entered for the period: (indicator id, key) -> the cell as typed."""
    ratio = {ind.pk: ind.is_ratio for ind in indicators}
    out: dict[tuple[int, str], Cell] = {}
    rows = DataValue.objects.filter(unit=unit, period=str(period), indicator__in=indicators, origin=Origin.ENTERED)
    for ind_id, key, value, num, den in rows.values_list("indicator_id", "disagg", "value", "numerator", "denominator"):
        if ratio[ind_id]:
            out[(ind_id, key)] = Cell(numerator=_int(num), denominator=_int(den))
        else:
            out[(ind_id, key)] = Cell(value=_int(value))
    return out


def _int(x: float | None) -> int | None:
    return None if x is None else round(x)


# --- checking -------------------------------------------------------------------------------------------------


def _value(ind: Indicator, cell: Cell) -> float | None:
    if not ind.is_ratio:
        return None if cell.value is None else float(cell.value)
    if cell.numerator is None or not cell.denominator:
        return None
    return cell.numerator / cell.denominator * ind.multiplier


def _check_cells(ind: Indicator, cells: dict[str, Cell], labels: dict[str, str]) -> tuple[dict[str, Cell], list[str]]:
    """The cells to store (blank ones dropped, a blank total derived from a breakdown) and the errors found."""
    errors: list[str] = []
    name = ind.name
    kept = {k: c for k, c in cells.items() if not c.is_blank}
    for key, c in kept.items():
        where = f"{name} ({labels.get(key) or _('Total')})"
        numbers = (c.value,) if not ind.is_ratio else (c.numerator, c.denominator)
        if any(n is not None and n < 0 for n in numbers):
            errors.append(_("%(where)s: a figure cannot be negative.") % {"where": where})
        elif ind.is_ratio and (c.numerator is None or c.denominator is None):
            errors.append(_("%(where)s: enter both the numerator and the denominator.") % {"where": where})
        elif ind.is_ratio and c.denominator == 0:
            errors.append(_("%(where)s: the denominator cannot be 0.") % {"where": where})
        elif (
            ind.measure == Measure.PERCENT
            and c.numerator is not None
            and c.denominator is not None
            and c.numerator > c.denominator
        ):
            errors.append(_("%(where)s: the numerator cannot be larger than the denominator.") % {"where": where})
    if errors:
        return kept, errors
    for crossing in ind.disaggregations:
        dims = sorted(set(crossing))
        parts = [c for k, c in kept.items() if k and sorted(parse_disagg(k)) == dims]
        if not parts:
            continue
        summed = Cell(
            value=sum(c.value or 0 for c in parts) if not ind.is_ratio else None,
            numerator=sum(c.numerator or 0 for c in parts) if ind.is_ratio else None,
            denominator=sum(c.denominator or 0 for c in parts) if ind.is_ratio else None,
        )
        total = kept.get("")
        if total is None:
            kept[""] = total = summed
        pairs = [(summed.value, total.value)] if not ind.is_ratio else []
        pairs += [(summed.numerator, total.numerator), (summed.denominator, total.denominator)] if ind.is_ratio else []
        if any(s is not None and t is not None and s > t for s, t in pairs):
            label = " × ".join(_dimension_names(dims))
            errors.append(
                _("%(name)s: the breakdown by %(dims)s adds up to more than the total.") % {"name": name, "dims": label}
            )
    return kept, errors


def key_label(key: str) -> str:
    """A breakdown key as people read it: `sex=F` -> "Nữ"."""
    parts = parse_disagg(key)
    names = {
        (o.dimension.code, o.code): o.name
        for o in DimensionOption.objects.filter(dimension__code__in=list(parts)).select_related("dimension")
    }
    return " · ".join(names.get((d, v), v) for d, v in sorted(parts.items()))


def _dimension_names(codes: list[str]) -> list[str]:
    names = {d.code: d.name.lower() for d in Dimension.objects.filter(code__in=codes)}
    return [names.get(c, c) for c in codes]


def _check_rules(unit: Unit, period: Period, typed: dict[int, dict[str, float]]) -> list[str]:
    """The validation rules touching a typed indicator, run on what was typed and, for the other figures, what is
    stored for the unit and period (entered or computed). A rule whose other side is missing is not checked."""
    ids = set(typed)
    active = ValidationRule.objects.filter(is_active=True).select_related("left", "right")
    wanted = [r for r in active if r.left_id in ids or r.right_id in ids]
    if not wanted:
        return []
    others = {i for r in wanted for i in (r.left_id, r.right_id)} - ids
    stored: dict[int, dict[str, float]] = {}
    rows = DataValue.objects.filter(unit=unit, period=str(period), indicator_id__in=others)
    for ind_id, key, value in rows.values_list("indicator_id", "disagg", "value"):
        stored.setdefault(ind_id, {})[key] = value
    figures = {**stored, **typed}
    errors: list[str] = []
    for rule in wanted:
        left, right = figures.get(rule.left_id, {}), figures.get(rule.right_id, {})
        keys = set(left) | set(right)
        # a computed figure stores no empty cell: a breakdown missing beside a stored total is 0
        left = _zero_filled(rule.left, left, keys)
        right = _zero_filled(rule.right, right, keys)
        for key in sorted(set(left) & set(right)):
            if not rule.holds(left[key], right[key]):
                detail = _("%(left)s: %(a)s, %(right)s: %(b)s") % {
                    "left": rule.left.name, "a": format_value(left[key]),
                    "right": rule.right.name, "b": format_value(right[key]),
                }  # fmt: skip
                where = f"{key_label(key)}: " if key else ""
                errors.append(f"{rule.message} ({where}{detail})")
    return errors


def _zero_filled(ind: Indicator, values: dict[str, float], keys: set[str]) -> dict[str, float]:
    if ind.source != Source.COMPUTED or ind.is_ratio or "" not in values:
        return values
    subsets = indicator_subsets(ind)
    zeros = {k: 0.0 for k in keys if tuple(sorted(parse_disagg(k))) in subsets}
    return {**zeros, **values}


# --- saving ---------------------------------------------------------------------------------------------------


@transaction.atomic
def figures_enter(
    *, actor: Any, unit: Unit, period: Period, figures: Mapping[str, Mapping[str, Cell]],
    request: HttpRequest | None = None,
) -> int:  # fmt: skip
    """Store what a unit entered for a period: `figures` maps an indicator code to its cells by breakdown key (a
    blank cell clears what was entered there). Raises ValidationError (nothing stored) when a figure is invalid or a
    validation rule is violated; PermissionDenied when the actor may not enter for the unit. Returns how many
    figures are stored for the unit."""
    if not can_enter(actor, unit):
        raise PermissionDenied
    indicators = {ind.code: ind for ind in Indicator.objects.filter(code__in=list(figures), source=Source.ENTERED)}
    unknown = sorted(set(figures) - set(indicators))
    if unknown:
        raise ValidationError(_("Not an entered indicator: %(codes)s") % {"codes": ", ".join(unknown)})
    errors: list[str] = []
    clean: dict[Indicator, dict[str, Cell]] = {}
    cells_of = entry_cells_of(indicators.values())
    for code, cells in figures.items():
        ind = indicators[code]
        allowed = {c.key: c.label for c in cells_of[ind.pk]}
        stray = sorted(set(cells) - set(allowed))
        if stray:
            errors.append(_("%(name)s: unknown breakdown %(keys)s") % {"name": ind.name, "keys": ", ".join(stray)})
            continue
        kept, found = _check_cells(ind, dict(cells), allowed)
        clean[ind] = kept
        errors += found
    if not errors:
        typed = {
            ind.pk: {k: v for k, c in cells.items() if (v := _value(ind, c)) is not None}
            for ind, cells in clean.items()
        }
        errors = _check_rules(unit, period, typed)
    if errors:
        raise ValidationError(errors)
    before = entered_cells(unit, period, list(clean))
    touched = [ind for ind, cells in clean.items() if cells or any(i == ind.pk for i, _k in before)]
    if not touched:
        return 0
    stamp = timezone.now()
    DataValue.objects.filter(unit=unit, period=str(period), indicator__in=touched).delete()
    rows = [
        DataValue(
            indicator=ind,
            unit=unit,
            period=str(period),
            disagg=key,
            value=value,
            numerator=c.numerator if ind.is_ratio else c.value,
            denominator=c.denominator if ind.is_ratio else None,
            origin=Origin.ENTERED,
            computed_at=stamp,
            entered_by=actor,
        )  # fmt: skip
        for ind in touched
        for key, c in clean[ind].items()
        if (value := _value(ind, c)) is not None
    ]
    DataValue.objects.bulk_create(rows)
    reroll_ancestors(
        period, touched, [unit], stamp, include_roots=unit.level in (Level.NATION, Level.PROVINCE, Level.DISTRICT)
    )
    after = {(r.indicator_id, r.disagg): r for r in rows}
    changes = {
        f"{ind.code}[{key}]": [_cell_text(before.get((ind.pk, key))), _cell_text(_typed(after.get((ind.pk, key))))]
        for ind in touched
        for key in sorted({k for (i, k) in before if i == ind.pk} | {k for (i, k) in after if i == ind.pk})
        if _cell_text(before.get((ind.pk, key))) != _cell_text(_typed(after.get((ind.pk, key))))
    }
    audit_record(
        actor=actor, action=Action.CHANGE, target_type=AUDIT_TARGET, target_id=f"{unit.pk}/{period}",
        unit_path=unit.path, request=request,
        summary=_("Figures entered for %(unit)s, %(period)s: %(n)s changed")
        % {"unit": unit.name, "period": period, "n": len(changes)},
        extra={"period": str(period), "unit": unit.code, "changes": changes},
    )  # fmt: skip
    return len(rows)


def _typed(row: DataValue | None) -> Cell | None:
    if row is None:
        return None
    if row.denominator is not None:
        return Cell(numerator=_int(row.numerator), denominator=_int(row.denominator))
    return Cell(value=_int(row.value))


def _cell_text(cell: Cell | None) -> str:
    if cell is None or cell.is_blank:
        return ""
    if cell.value is not None:
        return str(cell.value)
    return f"{cell.numerator}/{cell.denominator}"


# --- completeness ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CompletenessRow:
    unit: Unit
    entered: tuple[bool, ...]  # one per indicator, in the order of `Completeness.indicators`

    @property
    def count(self) -> int:
        return sum(self.entered)

    @property
    def percent(self) -> float:
        return 100 * self.count / len(self.entered) if self.entered else 0.0


@dataclass(frozen=True, slots=True)
class Completeness:
    parent: Unit
    period: Period
    indicators: tuple[Indicator, ...]
    rows: tuple[CompletenessRow, ...]

    def per_indicator(self) -> list[tuple[Indicator, int, float]]:
        """Each indicator with how many sub-units entered it and the percentage."""
        n = len(self.rows)
        out = []
        for i, ind in enumerate(self.indicators):
            done = sum(row.entered[i] for row in self.rows)
            out.append((ind, done, 100 * done / n if n else 0.0))
        return out

    @property
    def percent(self) -> float:
        cells = len(self.rows) * len(self.indicators)
        return 100 * sum(r.count for r in self.rows) / cells if cells else 0.0


def entry_units(parent: Unit) -> list[Unit]:
    """The units whose entries a parent follows: its sub-units above the village level (a commune: itself)."""
    children = list(Unit.objects.filter(parent=parent, is_active=True).exclude(level=Level.VILLAGE).order_by("path"))
    return children or [parent]


def completeness(*, parent: Unit, period: Period, indicators: list[Indicator] | None = None) -> Completeness:
    """For a parent unit and period: which sub-units entered each entered indicator (any figure of it)."""
    inds = tuple(entry_indicators(period) if indicators is None else indicators)
    units = entry_units(parent)
    done = set(
        DataValue.objects.filter(
            period=str(period), unit__in=units, indicator__in=inds, origin=Origin.ENTERED
        ).values_list("unit_id", "indicator_id")
    )
    rows = tuple(CompletenessRow(u, tuple((u.pk, ind.pk) in done for ind in inds)) for u in units)
    return Completeness(parent, period, inds, rows)
