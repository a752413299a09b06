"""core.bulk.BulkInsert: the rows and history rows it writes are the ones save() and simple_history would write.

Any model with history will do; the registry's Person and Guardianship are used as plain Django models here."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction

from treem.core.bulk import BulkInsert
from treem.registry.models import Child, Guardianship, Household, Person

pytestmark = pytest.mark.django_db


def test_instances_get_their_keys_values_and_a_created_history_row(tree, officer) -> None:  # noqa: ANN001
    people = [
        Person(full_name=f"Người {i}", name_key=f"nguoi {i}", sex="F", date_of_birth=dt.date(1990, 1, i + 1),
               personal_id=None, unit_path=tree.village.path)
        for i in range(5)
    ]  # fmt: skip
    with transaction.atomic():
        BulkInsert(Person).insert(people, user=officer, reason="thử")
    assert all(p.pk for p in people) and len({p.pk for p in people}) == 5
    assert not people[0]._state.adding
    stored = Person.objects.get(pk=people[3].pk)
    assert (stored.full_name, stored.date_of_birth, stored.unit_path) == (
        "Người 3",
        dt.date(1990, 1, 4),
        tree.village.path,
    )
    history = Person.history.filter(id=people[3].pk).get()
    assert history.history_type == "+" and history.history_user == officer and history.history_change_reason == "thử"
    assert history.full_name == "Người 3" and history.date_of_birth == dt.date(1990, 1, 4)


def test_dict_rows_take_defaults_and_receive_their_key(tree, officer) -> None:  # noqa: ANN001
    person = Person.objects.create(full_name="A", name_key="a", sex="M", unit_path=tree.village.path)

    household = Household.objects.create(commune=tree.commune, unit_path=tree.commune.path)
    child = Child.objects.create(
        household=household, commune=tree.commune, unit_path=tree.commune.path, full_name="B", name_key="b", sex="F"
    )
    rows = [{"child_id": child.pk, "person_id": person.pk, "relation": "father"}]
    with transaction.atomic():
        BulkInsert(Guardianship).insert(rows, user=None)
    link = Guardianship.objects.get(pk=rows[0]["id"])
    assert link.lives_with_child is True and link.is_primary_caregiver is False  # the fields' defaults
    assert Guardianship.history.get(id=link.pk).history_user is None


def test_history_can_wait_for_a_value_known_later(tree, officer) -> None:  # noqa: ANN001
    households = [Household(commune=tree.commune, unit_path=tree.commune.path, head_name="") for _ in range(3)]
    insert = BulkInsert(Household)
    with transaction.atomic():
        insert.insert(households, user=officer, history=False)
        assert not Household.history.exists()
        for h in households:
            h.head_name = f"Chủ hộ {h.pk}"
        Household.objects.bulk_update(households, ["head_name"])
        insert.write_history(households, user=officer, reason="sau")
    rows = {h.id: h for h in Household.history.all()}
    assert set(rows) == {h.pk for h in households}
    assert all(rows[h.pk].head_name == f"Chủ hộ {h.pk}" and rows[h.pk].history_type == "+" for h in households)


def test_a_related_object_stored_after_assignment_is_taken(tree) -> None:  # noqa: ANN001
    household = Household(commune=tree.commune, unit_path=tree.commune.path)
    person = Person(full_name="C", name_key="c", sex="M", household=household, unit_path=tree.commune.path)
    with transaction.atomic():
        BulkInsert(Household).insert([household])
        BulkInsert(Person).insert([person])
    assert Person.objects.get(pk=person.pk).household_id == household.pk


def test_an_unsaved_related_object_is_refused(tree) -> None:  # noqa: ANN001
    person = Person(full_name="D", name_key="d", sex="M", household=Household(commune=tree.commune))
    with pytest.raises(ValueError, match="unsaved related object"), transaction.atomic():
        BulkInsert(Person).insert([person])
    assert not Person.objects.exists()


@pytest.mark.django_db
def test_insert_rows_writes_plain_rows_on_either_database():
    """COPY on PostgreSQL, many parameter sets on SQLite: the same rows come back, text with diacritics intact."""
    from treem.core.bulk import insert_rows
    from treem.units.models import Unit

    parent = Unit.objects.create(structure="current", level="province", code="99", name="Tỉnh Thử", short_name="Thử",
                                 unit_type="Tỉnh", path="C.99.")  # fmt: skip
    fields = ("structure", "level", "code", "name", "short_name", "unit_type", "path", "full_path", "search_key",
              "is_active", "is_local", "parent_id")  # a foreign key by its attname  # fmt: skip
    rows = [("current", "commune", f"9{i:04d}", f"Xã Thử {i}", f"Thử {i}", "Xã", f"C.99.{i}.", "", "", True, False,
             parent.pk) for i in range(3)]  # fmt: skip
    insert_rows(Unit, fields, rows)
    assert list(Unit.objects.filter(parent=parent).order_by("code").values_list("name", flat=True)) == [
        "Xã Thử 0", "Xã Thử 1", "Xã Thử 2",
    ]  # fmt: skip
