"""Write cleaned rows into the registry in batches. Called inside one transaction by `services.import_commit`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from treem.accounts.models import User
from treem.core.bulk import sqlite_cache
from treem.core.dates import today_vn
from treem.core.text import fold
from treem.registry.models import Child, Circumstance, CircumstanceType, Household, IncidentKind, Person
from treem.registry.services import incidents_import, name_key
from treem.registry.services.bulk import CHILD_UPDATABLE, BulkWriter
from treem.units.models import Level, Unit
from treem.units.services import village_add

from .cleaning import RowResult, unit_keys
from .models import ImportJob

CHUNK = 2000
# SQLite's page cache for the import's connection, in KiB, while it writes (the dry run its issues, the commit the
# registry rows): the indexes the writes go into stay in memory. 48 MB keeps the peak of a 1,000,000-row import
# under 400 MB (331 MB with 16 MB).
SQLITE_CACHE_KIB = 49_152
# The change reason of every history row an import writes (stored data, so in Vietnamese like the records and like
# the merge's reasons; it is not shown on a page).
REASON_IMPORT = "Nhập từ tệp {name} (#{pk})"
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
    def __init__(self, job: ImportJob, actor: User | None) -> None:
        self.job, self.actor, self.commune = job, actor, job.unit
        self.actor_id = actor.pk if actor is not None and actor.is_authenticated else None
        self.today = today_vn()
        self.reason = REASON_IMPORT.format(name=job.original_name, pk=job.pk)
        self.villages: dict[str, Unit] = {}
        for v in Unit.objects.filter(parent=self.commune, level=Level.VILLAGE):
            for key in unit_keys(v.name) | unit_keys(v.short_name):
                self.villages.setdefault(key, v)
        # every household of the file: hash(household_key) -> id. A model instance each would hold hundreds of MB
        # for a million rows; a chunk's children get their households in one query (see _households)
        self.households: dict[int, int] = {
            hash(f"code:{code}"): pk
            for pk, code in Household.objects.filter(commune=self.commune).exclude(code="").values_list("pk", "code")
        }
        self.types = {t.code: t for t in CircumstanceType.objects.filter(kind="special")}
        self.bulk = BulkWriter(actor=actor, reason=self.reason)
        self.counts = {"children_created": 0, "children_updated": 0, "households_created": 0,
                       "villages_created": 0, "adults_created": 0, "circumstances_created": 0,
                       "circumstances_extended": 0, "circumstances_kept": 0, "incidents_created": 0,
                       "incidents_kept": 0}  # fmt: skip
        self.kinds = {k.code: k for k in IncidentKind.objects.all()}
        self.child_ids: list[int] = []  # every child the import created or updated (for the matching after it)

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
            return f"head:{village.pk if village else 0}:{name_key(head)}"
        return f"row:{v['_row']}"

    def write(self, chunk: list[RowResult]) -> None:
        households: dict[int, dict[str, Any]] = {}  # this chunk's, by hashed key: stored rows
        new_households: list[tuple[int, tuple[dict[str, Any], Unit, Unit | None]]] = []
        fresh: set[int] = set()
        plans: list[tuple[RowResult, Unit | None, int | None]] = []
        for r in chunk:
            v = r.values
            v["_row"] = r.source_row
            village = self.village(v.get("village"))
            if v.get("existing_child_id"):
                plans.append((r, village, None))
                continue
            key = hash(self.household_key(v, village))
            if key not in self.households and key not in fresh:
                head = (
                    v.get("head_name") or v.get("father_name") or v.get("mother_name") or v.get("guardian_name") or ""
                )
                values = {"head_name": head, "code": v.get("household_code", ""), "address": v.get("address", ""),
                          "phone": v.get("phone", "")}  # fmt: skip
                fresh.add(key)
                new_households.append((key, (values, self.commune, village)))
            plans.append((r, village, key))
        if new_households:
            stored = self.bulk.households_from_values([row for _key, row in new_households])
            for (key, _row), h in zip(new_households, stored, strict=True):
                self.households[key] = h["id"]
                households[key] = h
            self.counts["households_created"] += len(new_households)
        earlier = {self.households[k] for _r, _v, k in plans if k is not None and k not in households}
        if earlier:  # households stored by earlier chunks: what their children need (place, head for search)
            rows = Household.objects.filter(pk__in=earlier).values(
                "id", "commune_id", "village_id", "unit_path", "head_name"
            )
            by_pk: dict[int, dict[str, Any]] = {h["id"]: dict(h) for h in rows}
            households.update(
                {k: by_pk[self.households[k]] for _r, _v, k in plans if k is not None and k not in households}
            )
        self._write_children(plans, households)

    def _write_children(
        self, plans: list[tuple[RowResult, Unit | None, int | None]], households: dict[int, dict[str, Any]]
    ) -> None:
        ids = [r.values["existing_child_id"] for r, _, k in plans if k is None]
        existing = Child.objects.select_related("household").in_bulk(ids) if ids else {}
        updated: list[tuple[Child, list[str]]] = []
        created: list[tuple[dict[str, Any], dict[str, Any], list[str]]] = []  # from the cleaned values, no instance
        rows: list[RowResult] = []
        grouped: list[tuple[int, RowResult]] = []  # existing children the file puts in groups
        injured: list[tuple[Child, RowResult]] = []  # existing children the file gives an injury
        for r, _village, key in plans:
            v = r.values
            if key is None:
                child = existing[v["existing_child_id"]]
                for name in CHILD_UPDATABLE:
                    if v.get(name):
                        setattr(child, name, v[name])
                updated.append((child, _guardian_names(v)))
                if v.get("special_groups"):
                    grouped.append((child.pk, r))
                if v.get("injury_date"):
                    injured.append((child, r))
                continue
            values = {
                "full_name": v["full_name"], "sex": v["sex"], "date_of_birth": v.get("date_of_birth"),
                "dob_precision": v.get("dob_precision", "day"), "ethnicity": v.get("ethnicity", ""),
                "personal_id": v.get("personal_id"), "note": v.get("note", ""), "created_by_id": self.actor_id,
            }  # fmt: skip
            created.append((values, households[key], _guardian_names(v)))
            rows.append(r)
        if updated:
            self.bulk.update_children(updated)
            self.counts["children_updated"] += len(updated)
            self.child_ids.extend(child.pk for child, _names in updated)
        stored: list[tuple[dict[str, Any], RowResult, dict[str, Any]]] = []
        if created:
            children = self.bulk.children_from_values(created)
            stored = [(c, r, h) for c, r, (_v, h, _n) in zip(children, rows, created, strict=True)]
            self.counts["children_created"] += len(children)
            self.child_ids.extend(c["id"] for c in children)
            self._write_guardians(stored)
        self._write_circumstances([(c["id"], r) for c, r, _h in stored] + grouped)
        new_injured = [(c["id"], r) for c, r, _h in stored if r.values.get("injury_date")]
        if new_injured:
            instances = Child.objects.in_bulk([pk for pk, _r in new_injured])
            injured += [(instances[pk], r) for pk, r in new_injured]
        self._write_incidents(injured)

    def _write_incidents(self, children: list[tuple[Child, RowResult]]) -> None:
        """Each row's injury, through the registry (audited, versioned; a death ends the child's intervals). An
        injury the child already has (same date and kind) is not added again."""
        rows = [
            (child, self.kinds[v["injury_kind"]], v["injury_date"], v.get("injury_place", "other"), v["injury_outcome"])
            for child, r in children
            if (v := r.values)["injury_kind"] in self.kinds
        ]
        if rows:
            added, kept = incidents_import(actor=self.actor, rows=rows, reason=self.reason)
            self.counts["incidents_created"] += added
            self.counts["incidents_kept"] += kept

    def _write_guardians(self, created: list[tuple[dict[str, Any], RowResult, dict[str, Any]]]) -> None:
        people: dict[tuple[int, str], tuple[dict[str, Any], dict[str, Any]]] = {}  # (household, name key) -> new
        links: list[tuple[int, tuple[int, str], str]] = []
        for child, r, household in created:
            for field, relation, sex in GUARDIAN_FIELDS:
                name = r.values.get(field)
                if not name:
                    continue
                key = (household["id"], name_key(name))
                if key not in people:
                    people[key] = ({"full_name": name, "sex": sex or "M"}, household)
                links.append((child["id"], key, relation))
        if not people:
            return
        ids: dict[tuple[int, str], int] = {
            (household_id, key): pk
            for pk, household_id, key in Person.objects.filter(
                household_id__in={k[0] for k in people}, name_key__in={k[1] for k in people}
            ).values_list("pk", "household_id", "name_key")
            if household_id is not None  # always: filtered on it
        }
        fresh = [(key, row) for key, row in people.items() if key not in ids]
        stored = self.bulk.people_from_values([row for _key, row in fresh])
        ids.update({key: person["id"] for (key, _row), person in zip(fresh, stored, strict=True)})
        self.counts["adults_created"] += len(fresh)
        pairs: dict[tuple[int, int], dict[str, Any]] = {}  # one link per child and person: the first relation named
        for child_id, key, rel in links:
            pair = (child_id, ids[key])
            if pair not in pairs:
                pairs[pair] = {"child_id": pair[0], "person_id": pair[1], "relation": rel}
        self.bulk.guardianships(list(pairs.values()))

    def _write_circumstances(self, children: list[tuple[int, RowResult]]) -> None:
        """Each child's groups over the row's period (from its start date, else from today, the day of the import).

        Periods never overlap within a group, so re-importing a list adds nothing twice: a period that overlaps the
        one period the child already has in that group extends it (earlier start, later or no end) or is already in
        it; the import never shortens or ends a period. A period from a case (case data) is left as it is."""
        held: dict[tuple[int, int], list[Circumstance]] = {}
        existing = [pk for pk, r in children if r.values.get("existing_child_id")]
        if existing:
            for c in Circumstance.objects.filter(child_id__in=existing, type__kind="special"):
                held.setdefault((c.child_id, c.type_id), []).append(c)
        rows: list[dict[str, Any]] = []
        extended: dict[int, Circumstance] = {}
        for child_id, r in children:
            start, end = r.values.get("group_from") or self.today, r.values.get("group_to")
            for code in r.values.get("special_groups", []):
                if code not in self.types:
                    continue
                type_id = self.types[code].pk
                periods = held.setdefault((child_id, type_id), [])
                outcome, period = _merge(periods, start, end)
                if outcome == "new":
                    rows.append({
                        "child_id": child_id, "type_id": type_id, "valid_from": start, "valid_to": end,
                        "source": self.reason[:200], "recorded_by_id": self.actor_id,
                    })  # fmt: skip
                    periods.append(Circumstance(child_id=child_id, type_id=type_id, valid_from=start, valid_to=end))
                elif outcome == "extended" and period is not None and period.pk is not None:
                    extended[period.pk] = period
                else:
                    self.counts["circumstances_kept"] += 1
        if rows:
            self.bulk.circumstances(rows)
            self.counts["circumstances_created"] += len(rows)
        if extended:
            self.bulk.update_circumstances(list(extended.values()), ["valid_from", "valid_to"])
            self.counts["circumstances_extended"] += len(extended)


def _merge(periods: list[Circumstance], start: dt.date, end: dt.date | None) -> tuple[str, Circumstance | None]:
    """What to do with [start, end] (end None: open) given a child's periods in a group: ("new", None) when it
    overlaps none of them; else ("extended", period) with the one period it overlaps extended in place to cover it,
    or ("kept", period) when that period already covers it, is case data, or extending it would run into another."""
    overlapping = [p for p in periods if p.valid_from <= (end or dt.date.max) and (p.valid_to or dt.date.max) >= start]
    if not overlapping:
        return "new", None
    period = overlapping[0]
    new_from = min(period.valid_from, start)
    new_to = None if period.valid_to is None or end is None else max(period.valid_to, end)
    if len(overlapping) > 1 or period.confidential or period.source_case_id is not None:
        return "kept", period
    if (new_from, new_to) == (period.valid_from, period.valid_to):
        return "kept", period
    others = (p for p in periods if p is not period)
    if any(p.valid_from <= (new_to or dt.date.max) and (p.valid_to or dt.date.max) >= new_from for p in others):
        return "kept", period
    period.valid_from, period.valid_to = new_from, new_to
    return "extended", period


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


def commit_rows(
    job: ImportJob,
    rows: Iterable[tuple[RowResult, list[Any]]],
    skipped: dict[str, int],
    *,
    actor: User | None,
    progress: Callable[[int], None] | None = None,
    child_ids: list[int] | None = None,
) -> dict[str, int]:
    """Store the OK and warning rows of `rows`; `skipped` counts the rows not stored (those `rows` does not give
    included), and the skipped rows `rows` gives are added to it. `progress` is told the rows stored so far;
    `child_ids`, when given, receives the id of every child created or updated."""
    writer = Writer(job, actor)
    done = 0

    def stored_only() -> Iterator[tuple[RowResult, list[Any]]]:
        for result, values in rows:
            if result.status in skipped:
                skipped[result.status] += 1
            yield result, values

    with sqlite_cache(SQLITE_CACHE_KIB):
        for chunk in _chunks(stored_only()):
            writer.write(chunk)
            done += len(chunk)
            if progress is not None:
                progress(done)
    if child_ids is not None:
        child_ids.extend(writer.child_ids)
    return {**writer.counts, **{f"rows_skipped_{status}": n for status, n in skipped.items()}}
