"""A small synthetic unit tree for tests (real data is loaded only by the loading tests)."""

from __future__ import annotations

from types import SimpleNamespace

from treem.units.models import PATH_SEP, Level, Structure, Unit
from treem.units.services import search_key, village_add


def make_unit(
    parent: Unit | None, level: str, code: str, name: str, unit_type: str, *, structure: str = "current"
) -> Unit:
    prefix = parent.path if parent else ("C" if structure == Structure.CURRENT else "F") + PATH_SEP
    path = prefix if level == Level.NATION else f"{prefix}{code}{PATH_SEP}"
    full_path = name if parent is None or parent.level == Level.NATION else f"{parent.full_path} > {name}"
    short = name.removeprefix(unit_type).strip()
    return Unit.objects.create(
        structure=structure, level=level, code=code, name=name, short_name=short, unit_type=unit_type,
        parent=parent, path=path, full_path=full_path, search_key=search_key(short, full_path),
    )  # fmt: skip


def build_tree() -> SimpleNamespace:
    """Nation → two provinces → communes (two siblings in the first) → villages."""
    nation = make_unit(None, Level.NATION, "VN", "Việt Nam", "Quốc gia")
    province = make_unit(nation, Level.PROVINCE, "12", "Tỉnh Lai Châu", "Tỉnh")
    other_province = make_unit(nation, Level.PROVINCE, "75", "Tỉnh Đồng Nai", "Tỉnh")
    commune = make_unit(province, Level.COMMUNE, "03430", "Xã Khun Há", "Xã")
    sibling = make_unit(province, Level.COMMUNE, "03412", "Xã Bình Lư", "Xã")
    far_commune = make_unit(other_province, Level.COMMUNE, "26080", "Phường Long Khánh", "Phường")
    village = village_add(commune=commune, name="Hon", unit_type="Bản")
    sibling_village = village_add(commune=commune, name="Lầm", unit_type="Bản")
    return SimpleNamespace(
        nation=nation, province=province, other_province=other_province, commune=commune, sibling=sibling,
        far_commune=far_commune, village=village, sibling_village=sibling_village,
    )  # fmt: skip
