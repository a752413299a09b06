"""Loading the indicator set (definitions as data) from the versioned fixtures: disaggregations and their options,
indicator groups, indicators, national targets and validation rules; and the local targets of plans, once the
units they name are loaded. An administrator adapts the rows in the admin; `sync(update=False)` never overwrites
them, `update=True` (the `treem indicators load --update` command) puts the shipped values back."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import transaction

from treem.cases.models import AbuseForm, Setting
from treem.core.ethnicity import ETHNIC_GROUPS
from treem.registry.models import CircumstanceKind, CircumstanceType, IncidentKind
from treem.units.models import Level, Unit

from .computations import UNKNOWN
from .models import Dimension, DimensionOption, Indicator, IndicatorGroup, Target, ValidationRule

FIXTURES = Path(__file__).with_name("fixtures")

# (code, name vi, name en, partition, options: (code, vi, en, min_age, max_age))
type Option = tuple[str, str, str, int | None, int | None]
_UNKNOWN: Option = (UNKNOWN, "Không rõ", "Unknown", None, None)


def _dimensions() -> list[tuple[str, str, str, bool, list[Option]]]:
    groups = CircumstanceType.objects.filter(kind=CircumstanceKind.SPECIAL).order_by("sort_order")
    return [
        ("sex", "Giới tính", "Sex", True,
         [("M", "Nam", "Male", None, None), ("F", "Nữ", "Female", None, None), _UNKNOWN]),
        ("age_group", "Nhóm tuổi", "Age group", True, [
            ("0-5", "0–5 tuổi", "0–5 years", 0, 5), ("6-10", "6–10 tuổi", "6–10 years", 6, 10),
            ("11-15", "11–15 tuổi", "11–15 years", 11, 15), _UNKNOWN,
        ]),
        ("group", "Nhóm hoàn cảnh đặc biệt / loại tai nạn", "Special-circumstance group / kind of injury", False,
         [(t.code, f"{t.code}. {t.name_vi}", f"{t.code}. {t.name_en}", None, None) for t in groups]
         + [(k.code, k.name_vi, k.name_en, None, None) for k in IncidentKind.objects.order_by("sort_order")]
         + [("illness", "Tử vong do bệnh", "Death from illness", None, None),
            ("other_cause", "Tử vong do nguyên nhân khác", "Death from another cause", None, None), _UNKNOWN]),
        ("ethnicity", "Dân tộc", "Ethnicity", True,
         [(code, name, name, None, None) for code, name in ETHNIC_GROUPS] + [_UNKNOWN]),
        ("abuse_form", "Hình thức xâm hại", "Form of abuse", False,
         [(c, str(label), str(label), None, None) for c, label in AbuseForm.choices] + [_UNKNOWN]),
        ("setting", "Môi trường xâm hại", "Setting", True,
         [(c, str(label), str(label), None, None) for c, label in Setting.choices] + [_UNKNOWN]),
        ("area", "Thành thị, nông thôn", "Urban or rural", True,
         [("urban", "Thành thị", "Urban", None, None), ("rural", "Nông thôn", "Rural", None, None), _UNKNOWN]),
        ("outcome", "Kết quả xử lý", "Legal outcome", True, [
            ("administrative", "Xử phạt vi phạm hành chính", "Administrative sanction", None, None),
            ("criminal", "Truy cứu trách nhiệm hình sự", "Criminal prosecution", None, None),
            ("no_violation", "Không có vi phạm", "No violation found", None, None),
        ]),
    ]  # fmt: skip


def _fixture() -> dict[str, Any]:
    data: dict[str, Any] = json.loads((FIXTURES / "indicators.json").read_text(encoding="utf-8"))
    return data


def _put(model: Any, lookup: dict[str, Any], values: dict[str, Any], update: bool) -> Any:
    if update:
        obj, _created = model.objects.update_or_create(**lookup, defaults=values)
    else:
        obj, _created = model.objects.get_or_create(**lookup, defaults=values)
    return obj


def _target(t: dict[str, Any]) -> dict[str, Any]:
    return {"comparison": t["comparison"], "value": Decimal(str(t["value"])), "document": t["document"]}


def sync(*, update: bool = False, using: str = "default") -> dict[str, int]:
    """Create the shipped rows that are missing (and, with `update`, reset the shipped ones). Returns counts."""
    with transaction.atomic(using=using):
        return _sync(update)


def _sync(update: bool) -> dict[str, int]:
    counts = {"dimensions": 0, "indicators": 0, "targets": 0, "rules": 0}
    for order, (code, vi, en, partition, options) in enumerate(_dimensions()):
        values = {"name_vi": vi, "name_en": en, "partition": partition, "sort_order": order * 10}
        dim = _put(Dimension, {"code": code}, values, update)
        for o_order, (o_code, o_vi, o_en, lo, hi) in enumerate(options):
            values = {"name_vi": o_vi, "name_en": o_en, "sort_order": o_order, "min_age": lo, "max_age": hi}
            _put(DimensionOption, {"dimension": dim, "code": o_code}, values, update)
        counts["dimensions"] += 1
    data = _fixture()
    groups = {}
    for g in data["groups"]:
        groups[g["code"]] = _put(
            IndicatorGroup, {"code": g["code"]}, {k: v for k, v in g.items() if k != "code"}, update
        )
    indicators = {}
    for row in data["indicators"]:
        values = {k: v for k, v in row.items() if k not in ("code", "group")}
        indicators[row["code"]] = _put(
            Indicator, {"code": row["code"]}, {**values, "group": groups[row["group"]]}, update
        )
        counts["indicators"] += 1
    for t in data["targets"]:
        _put(Target, {"indicator": indicators[t["indicator"]], "unit": None, "year": t["year"]}, _target(t), update)
        counts["targets"] += 1
    for r in data["rules"]:
        values = {"operator": r["operator"], "message_vi": r["message_vi"], "message_en": r["message_en"]}
        _put(ValidationRule, {"left": indicators[r["left"]], "right": indicators[r["right"]]}, values, update)
        counts["rules"] += 1
    return counts


@transaction.atomic
def load_local_targets(*, update: bool = False) -> int:
    """The targets of the local plans shipped with Treem, for the units that are loaded (found by structure, name and
    province code). Returns how many were stored."""
    rows = json.loads((FIXTURES / "local_targets.json").read_text(encoding="utf-8"))
    stored = 0
    for t in rows:
        province = Unit.objects.filter(
            structure=t["unit_structure"], level=Level.PROVINCE, code=t["province_code"]
        ).first()
        if province is None:
            continue
        unit = Unit.objects.subtree(province).filter(name=t["unit_name"]).first()
        indicator = Indicator.objects.filter(code=t["indicator"]).first()
        if unit is None or indicator is None:
            continue
        _put(Target, {"indicator": indicator, "unit": unit, "year": t["year"]}, _target(t), update)
        stored += 1
    return stored
