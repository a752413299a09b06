"""Registry rows in bulk: households, adults, children, guardians, circumstances and poverty periods, thousands at
a time, for the import commit and the demo seed.

The rows go in through `treem.core.bulk.BulkInsert` (multi-row INSERT and one "created" history row each, with the
writer's user and change reason); what a row derives (a child's place, name_key, search_text; an adult's name_key
and unit_path; a household's unit_path) is set here by the same functions the one-record services use. Callers
check rights and run the writer inside their own transaction (`transaction.atomic`): a failure or a kill leaves
nothing behind.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import connection, transaction
from simple_history.utils import bulk_update_with_history

from treem.accounts.models import User
from treem.core.bulk import BulkInsert
from treem.units.models import Unit

from ..models import Child, Circumstance, Guardianship, Household, HouseholdPoverty, Person, Residence
from ._common import derive_child, derive_person, household_path, name_key, search_text
from .residences import first_residence_dicts, first_residence_rows

# The fields of an existing child an import may overwrite (with its derived ones).
CHILD_UPDATABLE = ("full_name", "date_of_birth", "dob_precision", "sex", "ethnicity", "personal_id")
_CHILD_DERIVED = ("name_key", "search_text")


class BulkWriter:
    """Writes new registry rows in batches; every history row says `actor` and `reason`."""

    def __init__(self, *, actor: User | None, reason: str = "") -> None:
        self.actor = actor if getattr(actor, "is_authenticated", False) else None
        self.reason = reason
        self.inserts: dict[type, BulkInsert] = {}
        self.heads: dict[int, Person | None] = {}

    def _insert(self, model: type, rows: list[Any], *, history: bool = True) -> None:
        if not connection.in_atomic_block:
            raise transaction.TransactionManagementError("BulkWriter runs inside the caller's transaction.")
        writer = self.inserts.get(model)
        if writer is None:
            writer = self.inserts[model] = BulkInsert(model)
        writer.insert(rows, user=self.actor, reason=self.reason, history=history)

    def households(self, households: list[Household], *, heads_later: bool = False) -> None:
        """New households (commune and village set, as instances). `heads_later`: their heads are adults not stored
        yet; the history rows wait for `set_heads`."""
        for household in households:
            household.unit_path = household_path(household)
            if heads_later:
                self.heads[id(household)] = household.head
                household.head = None
        self._insert(Household, households, history=not heads_later)

    def set_heads(self, households: list[Household]) -> None:
        """After `people`: store each household's head (assigned as an instance before `households(heads_later=True)`)
        and write the households' history."""
        for household in households:
            household.head = self.heads.pop(id(household), None)
        Household.objects.bulk_update(households, ["head"], batch_size=500)
        self.inserts[Household].write_history(households, user=self.actor, reason=self.reason)

    def households_from_values(self, rows: list[tuple[dict[str, Any], Unit, Unit | None]]) -> list[dict[str, Any]]:
        """New households from values (no model instance each): ({attname: value} of the household's own fields,
        its commune, its village or None). The place is derived as `household_path` derives it; returns the stored
        rows, each with its "id", "commune_id", "village_id", "unit_path" and "head_name" (what a child takes)."""
        out = []
        for values, commune, village in rows:
            out.append({
                "head_name": "", **values, "commune_id": commune.pk, "village_id": village.pk if village else None,
                "unit_path": (village or commune).path,
            })  # fmt: skip
        self._insert(Household, out)
        return out

    def people_from_values(self, rows: list[tuple[dict[str, Any], dict[str, Any] | None]]) -> list[dict[str, Any]]:
        """New adults from values: ({attname: value} of the adult's own fields, their household as a stored row
        ("id", "unit_path") or None). Derived as `derive_person` derives; returns the stored rows with their "id"."""
        out = []
        for values, household in rows:
            row = {
                **values,
                "name_key": name_key(values["full_name"]),
                "personal_id": values.get("personal_id") or None,
            }
            if household is not None:
                row["household_id"], row["unit_path"] = household["id"], household["unit_path"]
            out.append(row)
        self._insert(Person, out)
        return out

    def people(self, people: list[Person]) -> None:
        """New adults, each with its household (an instance, stored) or none."""
        for person in people:
            derive_person(person)
        self._insert(Person, people)

    def children(self, children: Iterable[tuple[Child, list[str]]]) -> list[Child]:
        """New children, each with its household (an instance, stored) and its guardians' names for the search."""
        rows = [derive_child(child, guardian_names=names) for child, names in children]
        self._insert(Child, rows)
        self._insert(Residence, first_residence_rows(rows), history=False)
        return rows

    def children_from_values(
        self, rows: list[tuple[dict[str, Any], dict[str, Any], list[str]]]
    ) -> list[dict[str, Any]]:
        """New children from cleaned values (no model instance each): (values {attname: value} of the child's own
        fields, its household as a stored row ("id", "commune_id", "village_id", "unit_path", "head_name", as
        `households_from_values` returns them), its guardians' names). Derived as `derive_child` derives; returns
        the stored rows, each with its "id"."""
        out = []
        for values, household, names in rows:
            pid = values.get("personal_id") or None
            out.append({
                **values, "personal_id": pid, "household_id": household["id"], "commune_id": household["commune_id"],
                "village_id": household["village_id"], "unit_path": household["unit_path"],
                "name_key": name_key(values["full_name"]),
                "search_text": search_text(values["full_name"], names, household["head_name"], pid),
            })  # fmt: skip
        self._insert(Child, out)
        self._insert(Residence, first_residence_dicts(out), history=False)
        return out

    def update_children(self, children: Iterable[tuple[Child, list[str]]]) -> list[Child]:
        """Existing children whose own values (`CHILD_UPDATABLE`) were changed in memory; one "~" history row each."""
        rows = [derive_child(child, guardian_names=names) for child, names in children]
        if rows:
            bulk_update_with_history(
                rows, Child, [*CHILD_UPDATABLE, *_CHILD_DERIVED], default_user=self.actor,
                default_change_reason=self.reason,
            )  # fmt: skip
        return rows

    def guardianships(self, rows: list[Guardianship] | list[dict[str, Any]]) -> None:
        """Links child → adult (instances, or dicts of child_id, person_id, relation…)."""
        self._insert(Guardianship, rows)

    def circumstances(self, rows: list[Circumstance] | list[dict[str, Any]]) -> None:
        self._insert(Circumstance, rows)

    def update_circumstances(self, rows: list[Circumstance], fields: list[str]) -> None:
        """Existing circumstances whose `fields` were changed in memory (an import extends a period); one "~"
        history row each."""
        if rows:
            bulk_update_with_history(
                rows, Circumstance, fields, default_user=self.actor, default_change_reason=self.reason
            )

    def poverty(self, rows: list[HouseholdPoverty]) -> None:
        self._insert(HouseholdPoverty, rows)
