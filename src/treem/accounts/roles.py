"""The standard roles, kept as data in `fixtures/roles.json` and synced into the Role table."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from . import capabilities as cap
from .models import Role

ROLES_FILE = Path(__file__).parent / "fixtures" / "roles.json"

CENTRAL_VIEWER = "central_viewer"
PROVINCE_SPECIALIST = "province_specialist"
COMMUNE_CHAIRMAN = "commune_chairman"
COMMUNE_VICE_CHAIRMAN = "commune_vice_chairman"
COMMUNE_OFFICER = "commune_officer"
VILLAGE_COLLABORATOR = "village_collaborator"
CASE_WORKER = "case_worker"
AGENCY_REPORTER = "agency_reporter"
AUDITOR = "auditor"
PROVINCE_ADMIN = "province_admin"
SYSTEM_ADMIN = "system_admin"


@dataclass(frozen=True, slots=True)
class RoleSpec:
    code: str
    name_vi: str
    name_en: str
    unit_level: str
    capabilities: tuple[str, ...]
    description: str = ""
    requires_otp: bool = False  # users of the role confirm each login with a TOTP code (accounts.twofactor)


def standard_roles() -> list[RoleSpec]:
    data = json.loads(ROLES_FILE.read_text(encoding="utf-8"))
    specs = []
    for row in data:
        unknown = set(row["capabilities"]) - set(cap.ALL)
        if unknown:
            raise ValueError(f"role {row['code']}: unknown capabilities {sorted(unknown)}")
        specs.append(
            RoleSpec(
                row["code"],
                row["name_vi"],
                row["name_en"],
                row["unit_level"],
                tuple(row["capabilities"]),
                row.get("description", ""),
                bool(row.get("requires_otp", False)),
            )  # fmt: skip
        )
    return specs


@transaction.atomic
def roles_sync() -> int:
    """Create the standard roles that are missing; never overwrite a role an administrator has edited."""
    created = 0
    for order, spec in enumerate(standard_roles()):
        _, was_created = Role.objects.get_or_create(
            code=spec.code,
            defaults={
                "name_vi": spec.name_vi,
                "name_en": spec.name_en,
                "unit_level": spec.unit_level,
                "capabilities": list(spec.capabilities),
                "description": spec.description,
                "requires_otp": spec.requires_otp,
                "sort_order": order * 10,
            },
        )
        created += was_created
    return created
