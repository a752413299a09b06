"""`treem demo seed`: demo users for every role, the seed documents' units and synthetic registry data; safe to
run again."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction

from treem.accounts import roles
from treem.accounts.models import Role, User
from treem.cases.models import Delegation
from treem.cases.services import delegation_grant
from treem.core.dates import today_vn
from treem.units.models import Level, Structure, Unit

from .activities import seed_activities
from .assessments import seed_assessments
from .cases import CaseStats, seed_cases
from .directory import seed_directory
from .duplicates import DuplicateStats, seed_duplicates
from .finance import seed_finance
from .imports import ImportStats, seed_import
from .incidents import seed_incidents
from .indicators import IndicatorStats, seed_indicators
from .outcomes import seed_outcomes
from .plans import seed_plans
from .quality import seed_quality
from .registry import RegistryStats, seed_registry
from .reporting import seed_reporting
from .staff import seed_staff
from .support import seed_support
from .units import demo_areas, ensure_villages

DEMO_PASSWORD = "treem-demo-2026"  # noqa: S105 - synthetic demo accounts on a local laptop only


@dataclass(frozen=True, slots=True)
class DemoLogin:
    username: str
    password: str
    role: str
    unit: str


@dataclass(frozen=True, slots=True)
class SeedResult:
    logins: list[DemoLogin]
    villages_created: int
    communes: int
    registry: RegistryStats
    cases: CaseStats
    duplicates: DuplicateStats
    imports: ImportStats
    indicators: IndicatorStats


# username, full name, role code, where: "nation" | "province:<code>" | "commune" | "village" | "commune2"
DEMO_USERS: tuple[tuple[str, str, str, str], ...] = (
    ("trunguong", "Phạm Minh Đức", roles.CENTRAL_VIEWER, "nation"),
    ("tinh.laichau", "Lò Thị Hạnh", roles.PROVINCE_SPECIALIST, "province:12"),
    ("chutich.khunha", "Tẩn Văn Sơn", roles.COMMUNE_CHAIRMAN, "commune"),
    ("phochutich.khunha", "Lò Văn Thắng", roles.COMMUNE_VICE_CHAIRMAN, "commune"),
    ("canbo.khunha", "Lường Thị Mai", roles.COMMUNE_OFFICER, "commune"),
    ("ctv.banhon", "Giàng A Páo", roles.VILLAGE_COLLABORATOR, "village"),
    ("ctxh.khunha", "Nguyễn Thu Trang", roles.CASE_WORKER, "commune"),
    ("nganh.giaoduc", "Vũ Văn Hùng", roles.AGENCY_REPORTER, "province:12"),
    ("sgd.laichau", "Lê Thị Thu", roles.AGENCY_REPORTER, "province:12"),
    ("kiemtra.laichau", "Đỗ Thị Lan", roles.AUDITOR, "province:12"),
    ("quantri", "Trần Quốc Bảo", roles.SYSTEM_ADMIN, "nation"),
    ("quantri.laichau", "Hoàng Văn Nam", roles.PROVINCE_ADMIN, "province:12"),
    ("canbo.longkhanh", "Nguyễn Thị Hoa", roles.COMMUNE_OFFICER, "commune:75"),
    ("ttctxh.laichau", "Phan Thị Ngọc", roles.AGENCY_REPORTER, "province:12"),  # the social work centre's (directory)
)


def _place(where: str, commune: Unit, village: Unit, areas_by_province: dict[str, list[Unit]]) -> Unit:
    if where == "nation":
        return Unit.objects.get(structure=Structure.CURRENT, level=Level.NATION)
    if where.startswith("province:"):
        return Unit.objects.get(structure=Structure.CURRENT, level=Level.PROVINCE, code=where.split(":")[1])
    if where.startswith("commune:"):
        return next(u for u in areas_by_province[where.split(":")[1]] if u.short_name == "Long Khánh")
    return village if where == "village" else commune


def _seed_delegation(commune: Unit) -> None:
    """The vice-chairman of Khun Há signs "KT. Chủ tịch" this year under the chairman's delegation (once)."""
    chairman = User.objects.get(username="chutich.khunha")
    vice = User.objects.get(username="phochutich.khunha")
    year = today_vn().year
    if Delegation.objects.filter(delegate=vice, revoked_at__isnull=True, valid_to__gte=today_vn()).exists():
        return
    delegation_grant(
        actor=chairman, commune=commune, delegate=vice, valid_from=dt.date(year, 1, 1), valid_to=dt.date(year, 12, 31),
        document=f"Quyết định số 01/QĐ-UBND ngày 02/01/{year} của Chủ tịch UBND xã (dữ liệu mẫu)",
    )  # fmt: skip


DEFAULT_CHILDREN = 600  # small enough for `make demo` to finish in about a minute


@transaction.atomic
def demo_seed(children: int = DEFAULT_CHILDREN) -> SeedResult:
    if not Unit.objects.filter(structure=Structure.CURRENT, level=Level.COMMUNE).exists():
        raise RuntimeError("Load the administrative units first: treem units load")
    roles.roles_sync()
    areas = demo_areas()
    villages_created = ensure_villages(areas)
    by_province = {a.province.code: a.communes for a in areas}
    commune = next(u for u in by_province["12"] if u.short_name == "Khun Há")
    village = Unit.objects.get(parent=commune, level=Level.VILLAGE, short_name="Hon")
    logins = []
    for username, full_name, role_code, where in DEMO_USERS:
        unit = _place(where, commune, village, by_province)
        family, _, given = full_name.rpartition(" ")
        role = Role.objects.get(code=role_code)
        user, _ = User.objects.update_or_create(
            username=username,
            defaults={
                "first_name": given,
                "last_name": family,
                "role": role,
                "unit": unit,
                "is_staff": role_code == roles.SYSTEM_ADMIN,
                "is_superuser": role_code == roles.SYSTEM_ADMIN,
                "is_active": True,
            },
        )
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
        logins.append(DemoLogin(username, DEMO_PASSWORD, role.name_vi, unit.full_path))
    _seed_delegation(commune)
    officer = User.objects.get(username="canbo.khunha")
    registry = seed_registry(children=children, actor=officer)
    long_khanh = next(u for u in by_province["75"] if u.short_name == "Long Khánh")
    cases = seed_cases(commune=commune, transfer_to=long_khanh)
    seed_outcomes(commune=commune)
    duplicates = seed_duplicates(commune=commune, actor=officer)
    imports = seed_import(commune=commune, actor=officer)
    seed_support(commune=commune, officer=officer, chairman=User.objects.get(username="chutich.khunha"))
    seed_incidents(
        communes=[u for a in areas for u in a.communes], officer=officer,
        collaborator=User.objects.get(username="ctv.banhon"), admin=User.objects.get(username="quantri"),
    )  # fmt: skip
    provinces = list({a.province.pk: a.province for a in areas}.values())
    seed_directory(provinces=provinces, communes=[u for a in areas for u in a.communes])
    seed_staff(
        communes=[u for a in areas for u in a.communes], commune=commune, admin=User.objects.get(username="quantri")
    )
    lai_chau = next(p for p in provinces if p.code == "12")
    seed_plans(province=lai_chau, commune=commune)
    seed_finance(province=lai_chau, communes=by_province["12"], commune=commune)
    seed_activities(communes=by_province["12"], commune=commune)  # before the figures: activities are counted
    indicators = seed_indicators(provinces=provinces, commune=commune, officer=officer)
    seed_assessments(communes=by_province["12"], commune=commune)
    seed_reporting(
        province=lai_chau, commune=commune, officer=officer, reviewer=User.objects.get(username="tinh.laichau")
    )
    seed_quality(province=lai_chau, communes=by_province["12"], actor=User.objects.get(username="quantri"))
    communes = sum(len(a.communes) for a in areas)
    return SeedResult(logins, villages_created, communes, registry, cases, duplicates, imports, indicators)
