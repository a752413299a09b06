"""The units the seed documents name, mapped onto the current structure, with demo villages."""

from __future__ import annotations

from dataclasses import dataclass

from treem.core.text import fold
from treem.units.models import Level, Structure, Unit
from treem.units.services import village_add

# (current province code, former district short names in that province named by the seeds)
SEED_AREAS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("12", ("Tam Đường", "Mường Tè")),  # Lai Châu
    ("33", ("Hưng Yên",)),  # Hưng Yên: the plan is province-wide; the former provincial city as a sample
    ("75", ("Long Khánh",)),  # Đồng Nai
    ("38", ("Thanh Hóa",)),  # Thanh Hóa: the letter is province-wide; the former provincial city as a sample
)
MOUNTAIN_PROVINCES = {"12"}
LAI_CHAU_VILLAGES = ("Bản Hon", "Bản Lầm", "Bản Nà Ít", "Bản Sáy San", "Bản Phiêng Phát", "Bản Tác Tình")


@dataclass(frozen=True, slots=True)
class DemoArea:
    province: Unit
    communes: list[Unit]


def former_district(province_code: str, short_name: str) -> Unit:
    return Unit.objects.get(
        structure=Structure.FORMER,
        level=Level.DISTRICT,
        parent__code=province_code,
        short_name=short_name,
    )


def demo_areas() -> list[DemoArea]:
    """Current communes that took over the former districts the seeds name."""
    areas = []
    for province_code, districts in SEED_AREAS:
        province = Unit.objects.get(structure=Structure.CURRENT, level=Level.PROVINCE, code=province_code)
        communes: dict[int, Unit] = {}
        for name in districts:
            district = former_district(province_code, name)
            for unit in Unit.objects.filter(
                structure=Structure.CURRENT, predecessors__former__path__path_prefix=district.path
            ).distinct():
                communes[unit.pk] = unit
        areas.append(DemoArea(province, sorted(communes.values(), key=lambda u: u.path)))
    return areas


def village_names(commune: Unit, province_code: str) -> list[tuple[str, str]]:
    """(type, name) of the demo villages of a commune: bản names in Lai Châu, numbered thôn/tổ elsewhere."""
    if province_code in MOUNTAIN_PROVINCES:
        if fold(commune.short_name) == "khun ha":
            return [("Bản", name.removeprefix("Bản ")) for name in LAI_CHAU_VILLAGES]
        return [("Bản", f"{commune.short_name} {i}") for i in range(1, 4)]
    if commune.unit_type == "Phường":
        return [("Tổ dân phố", str(i)) for i in range(1, 5)]
    return [("Thôn", str(i)) for i in range(1, 5)]


def ensure_villages(areas: list[DemoArea]) -> int:
    created = 0
    for area in areas:
        for commune in area.communes:
            existing = {fold(v.name) for v in Unit.objects.filter(parent=commune, level=Level.VILLAGE)}
            for unit_type, name in village_names(commune, area.province.code):
                stored = name if fold(name).startswith(fold(unit_type) + " ") else f"{unit_type} {name}"
                if fold(stored) not in existing:
                    village_add(commune=commune, name=name, unit_type=unit_type)
                    created += 1
    return created
