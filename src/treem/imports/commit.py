"""Write cleaned rows into the registry in batches. Called inside one transaction by `services.import_commit`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from typing import Any

from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from treem.core.text import fold
from treem.registry.models import Child, Circumstance, CircumstanceType, Guardianship, Household, Person
from treem.registry.services import child_search_text
from treem.units.models import Level, Unit
from treem.units.services import village_add

from .cleaning import RowResult, unit_keys
from .models import ImportJob

CHUNK = 2000
UPDATABLE = (
    "full_name",
    "name_key",
    "date_of_birth",
    "dob_precision",
    "sex",
    "ethnicity",
    "personal_id",
    "search_text",
)
GUARDIAN_FIELDS = (("father_name", "father", "M"), ("mother_name", "mother", "F"), ("guardian_name", "guardian", ""))


def _chunks(rows: Iterable[tuple[RowResult, list[Any]]]) -> Iterator[list[RowResult]]:
    """Batches of the rows to store (ok and warning)."""
    chunk: list[RowResult] = []
    for result, _values in rows:
        if result.status in ("ok", "warning"):
            chunk.append(result)
            if len(chunk) >= CHUNK:
                yield chunk
                chunk = []
    if chunk:
        yield chunk


class Writer:
    def __init__(self, job: ImportJob, actor: Any) -> None:
        self.job, self.actor, self.commune = job, actor, job.unit
        self.today = dt.date.today()  # noqa: DTZ011
        self.reason = f"Nhập từ tệp {job.original_name} (#{job.pk})"
        self.villages: dict[str, Unit] = {}
        for v in Unit.objects.filter(parent=self.commune, level=Level.VILLAGE):
            for key in unit_keys(v.name) | unit_keys(v.short_name):
                self.villages.setdefault(key, v)
        self.households: dict[str, Household] = {
            f"code:{h.code}": h for h in Household.objects.filter(commune=self.commune).exclude(code="")
        }
        self.types = {t.code: t for t in CircumstanceType.objects.filter(kind="special")}
        self.counts = {"children_created": 0, "children_updated": 0, "households_created": 0,
                       "villages_created": 0, "adults_created": 0, "circumstances_created": 0}  # fmt: skip

    def village(self, name: str | None) -> Unit | None:
        if not name:
            return None
        keys = unit_keys(name)
        found = next((self.villages[k] for k in keys if k in self.villages), None)
        if found is None:
            found = village_add(commune=self.commune, name=name, unit_type=_village_type(name))
            for key in keys | unit_keys(found.name):
                self.villages[key] = found
            self.counts["villages_created"] += 1
        return found

    def household_key(self, v: dict[str, Any], village: Unit | None) -> str:
        if v.get("household_code"):
            return f"code:{v['household_code']}"
        head = v.get("head_name") or v.get("father_name") or v.get("mother_name") or v.get("guardian_name")
        if head:
            return f"head:{village.pk if village else 0}:{fold(head)}"
        return f"row:{v['_row']}"

    def write(self, chunk: list[RowResult]) -> None:
        new_households: list[Household] = []
        plans: list[tuple[RowResult, Unit | None, str]] = []
        for r in chunk:
            v = r.values
            v["_row"] = r.source_row
            village = self.village(v.get("village"))
            if v.get("existing_child_id"):
                plans.append((r, village, ""))
                continue
            key = self.household_key(v, village)
            if key not in self.households:
                head = (
                    v.get("head_name") or v.get("father_name") or v.get("mother_name") or v.get("guardian_name") or ""
                )
                h = Household(
                    commune=self.commune, village=village, unit_path=(village or self.commune).path, head_name=head,
                    code=v.get("household_code", ""), address=v.get("address", ""), phone=v.get("phone", ""),
                )  # fmt: skip
                self.households[key] = h
                new_households.append(h)
            plans.append((r, village, key))
        if new_households:
            bulk_create_with_history(
                new_households, Household, default_user=self.actor, default_change_reason=self.reason
            )
            self.counts["households_created"] += len(new_households)
        self._write_children(plans)

    def _write_children(self, plans: list[tuple[RowResult, Unit | None, str]]) -> None:
        existing = Child.objects.in_bulk([r.values["existing_child_id"] for r, _, k in plans if not k])
        updated: list[Child] = []
        created: list[tuple[Child, RowResult]] = []
        for r, village, key in plans:
            v = r.values
            if not key:
                child = existing[v["existing_child_id"]]
                for name in ("full_name", "date_of_birth", "dob_precision", "sex", "ethnicity", "personal_id"):
                    if v.get(name):
                        setattr(child, name, v[name])
                child.name_key = fold(child.full_name)
                child.search_text = child_search_text(child, _guardian_names(v))
                updated.append(child)
                continue
            household = self.households[key]
            child = Child(
                household=household, commune=self.commune, village=village, unit_path=household.unit_path,
                full_name=v["full_name"], name_key=fold(v["full_name"]), sex=v["sex"],
                date_of_birth=v.get("date_of_birth"), dob_precision=v.get("dob_precision", "day"),
                ethnicity=v.get("ethnicity", ""), personal_id=v.get("personal_id"), note=v.get("note", ""),
                created_by=self.actor,
            )  # fmt: skip
            child.search_text = child_search_text(child, _guardian_names(v))
            created.append((child, r))
        if updated:
            bulk_update_with_history(
                updated, Child, list(UPDATABLE), default_user=self.actor, default_change_reason=self.reason
            )
            self.counts["children_updated"] += len(updated)
        if created:
            bulk_create_with_history(
                [c for c, _ in created], Child, default_user=self.actor, default_change_reason=self.reason
            )
            self.counts["children_created"] += len(created)
            self._write_guardians(created)
            self._write_circumstances(created)

    def _write_guardians(self, created: list[tuple[Child, RowResult]]) -> None:
        people: dict[tuple[int, str], Person] = {}
        links: list[tuple[Child, tuple[int, str], str]] = []
        for child, r in created:
            for field, relation, sex in GUARDIAN_FIELDS:
                name = r.values.get(field)
                if not name:
                    continue
                key = (child.household_id, fold(name))
                if key not in people:
                    people[key] = Person(
                        full_name=name, name_key=fold(name), sex=sex or "M", household=child.household,
                        unit_path=child.unit_path,
                    )  # fmt: skip
                links.append((child, key, relation))
        if not people:
            return
        known = {
            (p.household_id, p.name_key): p
            for p in Person.objects.filter(household_id__in={k[0] for k in people}, name_key__in={k[1] for k in people})
        }
        fresh = [p for key, p in people.items() if key not in known]
        Person.objects.bulk_create(fresh)
        self.counts["adults_created"] += len(fresh)
        people.update(known)
        Guardianship.objects.bulk_create(
            [Guardianship(child=c, person=people[key], relation=rel) for c, key, rel in links], ignore_conflicts=True
        )

    def _write_circumstances(self, created: list[tuple[Child, RowResult]]) -> None:
        rows = [
            Circumstance(
                child=child,
                type=self.types[code],
                valid_from=self.today,
                source=self.reason[:200],
                recorded_by=self.actor,
            )  # fmt: skip
            for child, r in created
            for code in r.values.get("special_groups", [])
            if code in self.types
        ]
        if rows:
            bulk_create_with_history(rows, Circumstance, default_user=self.actor, default_change_reason=self.reason)
            self.counts["circumstances_created"] += len(rows)


def _guardian_names(v: dict[str, Any]) -> list[str]:
    return [v[f] for f, _rel, _sex in GUARDIAN_FIELDS if v.get(f)] + ([v["head_name"]] if v.get("head_name") else [])


def _village_type(name: str) -> str:
    key = fold(name)
    for word, label in (
        ("to dan pho", "Tổ dân phố"),
        ("ban ", "Bản"),
        ("ap ", "Ấp"),
        ("xom ", "Xóm"),
        ("thon ", "Thôn"),
    ):
        if key.startswith(word):
            return label
    return "Thôn"


def commit_rows(job: ImportJob, rows: Iterable[tuple[RowResult, list[Any]]], *, actor: Any) -> dict[str, int]:
    writer = Writer(job, actor)
    skipped: dict[str, int] = {"error": 0, "duplicate": 0}

    def stored_only() -> Iterator[tuple[RowResult, list[Any]]]:
        for result, values in rows:
            if result.status in skipped:
                skipped[result.status] += 1
            yield result, values

    for chunk in _chunks(stored_only()):
        writer.write(chunk)
    return {**writer.counts, "rows_skipped_error": skipped["error"], "rows_skipped_duplicate": skipped["duplicate"]}
