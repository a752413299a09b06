"""Write cleaned rows into the registry in batches. Called inside one transaction by `services.import_commit`."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Iterator
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.db.models import Model
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from treem.core.dates import today_vn
from treem.core.text import fold
from treem.registry.models import Child, Circumstance, CircumstanceType, Guardianship, Household, Person
from treem.registry.services import child_search_text
from treem.units.models import Level, Unit
from treem.units.services import village_add

from .cleaning import RowResult, unit_keys
from .models import ImportJob

CHUNK = 2000
_fold = functools.lru_cache(maxsize=32_768)(fold)  # parents' and heads' names repeat across a household's children
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


_PLAIN_TYPES = {"CharField", "TextField", "BooleanField", "IntegerField", "BigIntegerField", "SmallIntegerField",
                "PositiveIntegerField", "PositiveSmallIntegerField", "PositiveBigIntegerField"}  # fmt: skip
_AS_IS = {str, int, bool, type(None)}


def _kind(field: Any) -> str:
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return "now"
    return "plain" if field.get_internal_type() in _PLAIN_TYPES or field.is_relation else "convert"


class _Values:
    """A dict row seen as an object: its values, else the fields' defaults."""

    __slots__ = ("defaults", "values")

    def __init__(self, values: dict[str, Any], defaults: dict[str, Any]) -> None:
        self.values, self.defaults = values, defaults

    def __getattr__(self, attname: str) -> Any:
        try:
            return self.values[attname]
        except KeyError:
            return self.defaults[attname]

    def __setattr__(self, attname: str, value: Any) -> None:
        if attname in self.__slots__:
            object.__setattr__(self, attname, value)
        else:
            self.values[attname] = value


class BulkInsert:
    """Insert new model instances as bulk_create does (multi-row INSERT … RETURNING the primary keys, each value
    prepared by its field, auto_now dates set), and their "created" history rows (django-simple-history) from the
    same prepared values. It skips the ORM compiler's per-value work and the historical model instances, which
    made bulk_create_with_history most of an import's commit time (about 4× faster on 20,000 children).

    A row can also be a dict {attname: value} (fields left out get their default): for link rows nothing reads
    back, a model instance per row is not worth its cost. Its primary key is put in the dict."""

    MAX_PARAMS = 30_000
    HISTORY_OWN = ("history_date", "history_change_reason", "history_type", "history_user_id")

    def __init__(self, model: type[Model]) -> None:
        quote = connection.ops.quote_name
        opts = model._meta
        self.fields = [f for f in opts.concrete_fields if not f.primary_key]
        self.index = {f.attname: i for i, f in enumerate(self.fields)}
        # how each field's value is made: "plain" fields store their attribute as it is (text, numbers, flags,
        # foreign keys), "now" fields (auto_now, auto_now_add) get one time per batch, others go through the field
        self.plan = [(f, f.attname, _kind(f)) for f in self.fields]
        self.pk_attname = opts.pk.attname
        self.insert_sql = f"INSERT INTO {quote(opts.db_table)} ({', '.join(quote(f.column) for f in self.fields)}) "
        self.row_sql = "(" + ", ".join(["%s"] * len(self.fields)) + ")"
        self.returning_sql = f" RETURNING {quote(opts.pk.column)}"
        history = getattr(model, "history", None)
        self.history = history.model if history is not None else None
        if self.history is not None:
            hopts = self.history._meta
            self.history_fields = [f for f in hopts.concrete_fields if not f.primary_key]
            unknown = {f.attname for f in self.history_fields} - set(self.index) - {self.pk_attname, *self.HISTORY_OWN}
            if unknown:  # a history field this writer would not know how to fill: let the lead decide, loudly
                raise ImproperlyConfigured(f"{hopts.label} has fields BulkInsert cannot fill: {sorted(unknown)}")
            columns = ", ".join(quote(f.column) for f in self.history_fields)
            places = ", ".join(["%s"] * len(self.history_fields))
            self.history_sql = f"INSERT INTO {quote(hopts.db_table)} ({columns}) VALUES ({places})"  # noqa: S608
            self.history_date = hopts.get_field("history_date")

    def insert(self, objs: list[Any], *, user: Any = None, reason: str = "") -> None:
        if not objs:
            return
        now, prepared = timezone.now(), {}
        if isinstance(objs[0], dict):
            defaults = {f.attname: f.get_default() for f in self.fields}
            rows = [self._row(_Values(obj, defaults), now, prepared) for obj in objs]
        else:
            rows = [self._row(obj, now, prepared) for obj in objs]
        size = max(1, min(connection.ops.bulk_batch_size(self.fields, objs), self.MAX_PARAMS // len(self.fields)))
        with connection.cursor() as cursor:
            for start in range(0, len(rows), size):
                batch = rows[start : start + size]
                sql = self.insert_sql + "VALUES " + ", ".join([self.row_sql] * len(batch)) + self.returning_sql
                cursor.execute(sql, [value for row in batch for value in row])
                for obj, (pk,) in zip(objs[start : start + size], cursor.fetchall(), strict=True):
                    if isinstance(obj, dict):
                        obj[self.pk_attname] = pk
                    else:
                        setattr(obj, self.pk_attname, pk)
                        obj._state.adding, obj._state.db = False, connection.alias
            if self.history is not None:
                cursor.executemany(self.history_sql, self._history_rows(objs, rows, user, reason))

    def _row(self, obj: Any, now: dt.datetime, prepared: dict[tuple[str, Any], Any]) -> list[Any]:
        row = []
        for field, attname, kind in self.plan:
            if kind == "now":
                setattr(obj, attname, now)
            value = getattr(obj, attname)
            if kind == "plain" and value.__class__ in _AS_IS:  # what the field would store anyway
                row.append(value)
                continue
            try:  # dates and times repeat: each distinct value is converted once per insert
                row.append(prepared[attname, value])
            except KeyError:
                row.append(prepared.setdefault((attname, value), field.get_db_prep_save(value, connection)))
            except TypeError:  # not hashable
                row.append(field.get_db_prep_save(value, connection))
        return row

    def _history_rows(self, objs: list[Any], rows: list[list[Any]], user: Any, reason: str) -> list[list[Any]]:
        own = {
            "history_date": self.history_date.get_db_prep_save(timezone.now(), connection),
            "history_change_reason": reason,
            "history_type": "+",
            "history_user_id": user.pk if getattr(user, "is_authenticated", False) else None,
        }
        out = []
        for obj, row in zip(objs, rows, strict=True):
            values = []
            for f in self.history_fields:
                if f.attname in own:
                    values.append(own[f.attname])
                elif f.attname == self.pk_attname:
                    values.append(obj[self.pk_attname] if isinstance(obj, dict) else getattr(obj, self.pk_attname))
                else:
                    values.append(row[self.index[f.attname]])
            out.append(values)
        return out


class Writer:
    def __init__(self, job: ImportJob, actor: Any) -> None:
        self.job, self.actor, self.commune = job, actor, job.unit
        self.actor_id = actor.pk if getattr(actor, "is_authenticated", False) else None
        self.today = today_vn()
        self.reason = f"Nhập từ tệp {job.original_name} (#{job.pk})"
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
        self.inserts = {model: BulkInsert(model) for model in (Household, Child, Person, Guardianship, Circumstance)}
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
            return f"head:{village.pk if village else 0}:{_fold(head)}"
        return f"row:{v['_row']}"

    def write(self, chunk: list[RowResult]) -> None:
        households: dict[int, Household] = {}  # this chunk's, by hashed key
        new_households: list[tuple[int, Household]] = []
        plans: list[tuple[RowResult, Unit | None, int | None]] = []
        for r in chunk:
            v = r.values
            v["_row"] = r.source_row
            village = self.village(v.get("village"))
            if v.get("existing_child_id"):
                plans.append((r, village, None))
                continue
            key = hash(self.household_key(v, village))
            if key not in self.households and key not in households:
                head = (
                    v.get("head_name") or v.get("father_name") or v.get("mother_name") or v.get("guardian_name") or ""
                )
                h = Household(
                    commune=self.commune, village=village, unit_path=(village or self.commune).path, head_name=head,
                    code=v.get("household_code", ""), address=v.get("address", ""), phone=v.get("phone", ""),
                )  # fmt: skip
                households[key] = h
                new_households.append((key, h))
            plans.append((r, village, key))
        if new_households:
            self.insert(Household, [h for _key, h in new_households])
            for key, h in new_households:
                self.households[key] = h.pk
            self.counts["households_created"] += len(new_households)
        earlier = {self.households[k] for _r, _v, k in plans if k is not None and k not in households}
        if earlier:  # households stored by earlier chunks: what their children need (place, head for search)
            stored = Household.objects.only("pk", "unit_path", "head_name").in_bulk(earlier)
            households.update(
                {k: stored[self.households[k]] for _r, _v, k in plans if k is not None and k not in households}
            )
        self._write_children(plans, households)

    def _write_children(
        self, plans: list[tuple[RowResult, Unit | None, int | None]], households: dict[int, Household]
    ) -> None:
        existing = Child.objects.in_bulk([r.values["existing_child_id"] for r, _, k in plans if k is None])
        updated: list[Child] = []
        created: list[tuple[Child, RowResult]] = []
        for r, village, key in plans:
            v = r.values
            if key is None:
                child = existing[v["existing_child_id"]]
                for name in ("full_name", "date_of_birth", "dob_precision", "sex", "ethnicity", "personal_id"):
                    if v.get(name):
                        setattr(child, name, v[name])
                child.name_key = _fold(child.full_name)
                child.search_text = child_search_text(child, _guardian_names(v))
                updated.append(child)
                continue
            household = households[key]
            child = Child(
                household=household, commune_id=self.commune.pk, village_id=village.pk if village else None,
                unit_path=household.unit_path, full_name=v["full_name"], name_key=_fold(v["full_name"]), sex=v["sex"],
                date_of_birth=v.get("date_of_birth"), dob_precision=v.get("dob_precision", "day"),
                ethnicity=v.get("ethnicity", ""), personal_id=v.get("personal_id"), note=v.get("note", ""),
                created_by_id=self.actor_id,
            )  # fmt: skip
            child.search_text = child_search_text(child, _guardian_names(v))
            created.append((child, r))
        if updated:
            bulk_update_with_history(
                updated, Child, list(UPDATABLE), default_user=self.actor, default_change_reason=self.reason
            )
            self.counts["children_updated"] += len(updated)
        if created:
            self.insert(Child, [c for c, _ in created])
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
                key = (child.household_id, _fold(name))
                if key not in people:
                    people[key] = Person(
                        full_name=name, name_key=key[1], sex=sex or "M", household_id=child.household_id,
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
        self.insert(Person, fresh)
        self.counts["adults_created"] += len(fresh)
        people.update(known)
        pairs: dict[tuple[int, int], dict[str, Any]] = {}  # one link per child and person: the first relation named
        for c, key, rel in links:
            pair = (c.pk, people[key].pk)
            if pair not in pairs:
                pairs[pair] = {"child_id": pair[0], "person_id": pair[1], "relation": rel}
        self.insert(Guardianship, list(pairs.values()))

    def _write_circumstances(self, created: list[tuple[Child, RowResult]]) -> None:
        rows = [
            {
                "child_id": child.pk,
                "type_id": self.types[code].pk,
                "valid_from": self.today,
                "source": self.reason[:200],
                "recorded_by_id": self.actor_id,
            }
            for child, r in created
            for code in r.values.get("special_groups", [])
            if code in self.types
        ]
        if rows:
            self.insert(Circumstance, rows)
            self.counts["circumstances_created"] += len(rows)

    def insert(self, model: type[Model], objs: list[Any]) -> None:
        self.inserts[model].insert(objs, user=self.actor, reason=self.reason)


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
