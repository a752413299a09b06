"""Reference data as rows: the 14 special-circumstance groups with their sub-types, and the risk flags."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from treem.core.shipped import read_fixture, sync_by_code

FIXTURE = Path(__file__).parent / "fixtures" / "circumstance_types.json"
SYNONYMS = Path(__file__).parent / "fixtures" / "circumstance_synonyms.json"


def circumstance_types_sync(type_model: Any = None, subtype_model: Any = None) -> int:
    """Create missing types and sub-types from the fixture; never overwrite rows an administrator edited.

    Takes the models as arguments so a data migration can pass its historical models."""
    if type_model is None:
        from .models import CircumstanceSubtype, CircumstanceType

        type_model, subtype_model = CircumstanceType, CircumstanceSubtype
    data = json.loads(FIXTURE.read_text(encoding="utf-8"))
    created = 0
    # A migration older than the `confidential` field passes a model without it (a later migration sets it).
    fields = {f.name for f in type_model._meta.get_fields()}
    flags = "confidential" in fields
    synonyms = circumstance_synonyms() if "synonyms" in fields else {}
    for kind, rows in data.items():
        for order, row in enumerate(rows):
            defaults = {
                "name_vi": row["name_vi"],
                "name_en": row["name_en"],
                "legal_basis": row.get("legal_basis", ""),
                "sort_order": order * 10,
            }
            if flags:
                defaults["confidential"] = row.get("confidential", False)
            if synonyms:
                defaults["synonyms"] = synonyms.get(kind, {}).get(row["code"], [])
            obj, was_created = type_model.objects.get_or_create(kind=kind, code=row["code"], defaults=defaults)
            created += was_created
            for code, name_vi, name_en in row.get("subtypes", []):
                _, sub_created = subtype_model.objects.get_or_create(
                    type=obj, code=code, defaults={"name_vi": name_vi, "name_en": name_en}
                )
                created += sub_created
    return created


def confidential_codes() -> dict[str, set[str]]:
    """The groups the fixture marks as case data (abuse-related), by kind."""
    data = json.loads(FIXTURE.read_text(encoding="utf-8"))
    return {kind: {row["code"] for row in rows if row.get("confidential")} for kind, rows in data.items()}


def circumstance_synonyms() -> dict[str, dict[str, list[str]]]:
    """The words communes write for each group (besides its letter and its name), by kind and code."""
    data = json.loads(SYNONYMS.read_text(encoding="utf-8"))
    return {kind: rows for kind, rows in data.items() if not kind.startswith("_")}


INCIDENT_KINDS = Path(__file__).parent / "fixtures" / "incident_kinds.json"


def incident_kinds_sync(kind_model: Any = None) -> int:
    """Create the missing kinds of injury from the fixture (never overwrites a row an administrator edited); a data
    migration passes its historical model."""
    if kind_model is None:
        from .models import IncidentKind

        kind_model = IncidentKind
    return sync_by_code(kind_model, read_fixture(INCIDENT_KINDS))
