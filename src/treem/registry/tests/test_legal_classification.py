"""The registry's legal classification: Luật Trẻ em Arts. 1, 10; NĐ 56/2017 Arts. 3–16; the official ethnic list."""

from __future__ import annotations

import datetime as dt
import importlib
from unittest import mock

import pytest
from django.apps import apps as global_apps

from treem.registry import selectors, services
from treem.registry.forms import ChildForm
from treem.registry.models import Child
from treem.registry.tests.conftest import special

pytestmark = pytest.mark.django_db


def _migration(name: str):  # noqa: ANN202
    return importlib.import_module(f"treem.registry.migrations.{name}")


# --- ethnic group 47 (QĐ 121-TCTK/PPCĐ) ---------------------------------------------------------------------------


def test_migration_renames_stored_co_lao_to_the_official_spelling(child) -> None:  # noqa: ANN001
    """Group 47 of the official list is "Cờ Lao": rows written with "Cơ Lao" are renamed, none lost."""
    Child.objects.filter(pk=child.pk).update(ethnicity="Cơ Lao")
    _migration("0009_ethnicity_co_lao").rename(global_apps, None)
    child.refresh_from_db()
    assert child.ethnicity == "Cờ Lao"
    assert child.get_ethnicity_display() == "Cờ Lao"


# --- group c sub-types (NĐ 56/2017 Art. 5) -------------------------------------------------------------------------

ART5_CLAUSE_STARTS = {  # the opening words of each clause of NĐ 56/2017 Art. 5
    "1": "Mồ côi cha hoặc mẹ và người còn lại mất tích",
    "2": "Mồ côi cha hoặc mẹ và người còn lại đang hưởng chế độ chăm sóc, nuôi dưỡng tại cơ sở trợ giúp xã hội hoặc "
    "không còn khả năng",
    "3": "Mồ côi cha hoặc mẹ và người còn lại đang chấp hành án phạt tù",
    "4": "Có cả cha và mẹ mất tích",
    "5": "Có cha hoặc mẹ mất tích theo quy định của pháp luật và người còn lại đang hưởng chế độ",
    "6": "Có cha hoặc mẹ mất tích theo quy định của pháp luật và người còn lại đang chấp hành án phạt tù",
    "7": "Có cả cha và mẹ không còn khả năng chăm sóc",
    "8": "Có cả cha và mẹ đang hưởng chế độ chăm sóc",
    "9": "Có cả cha và mẹ đang chấp hành án phạt tù",
    "10": "Có cha hoặc mẹ đang hưởng chế độ chăm sóc, nuôi dưỡng tại cơ sở trợ giúp xã hội và người còn lại đang chấp "
    "hành án phạt tù",
    "11": "Sống trong gia đình có cả cha và mẹ trong độ tuổi trẻ em",
    "12": "Có cả cha và mẹ bị hạn chế quyền làm cha mẹ hoặc tạm thời cách ly",
}


def test_group_c_subtypes_follow_nd56_art5_clauses_one_to_one() -> None:
    """NĐ 56/2017 Art. 5 has 12 clauses; sub-type n of group c is clause n (10 present, 5/6 apart, 2 and 12 whole)."""
    subtypes = {s.code: s.name_vi for s in special("c").subtypes.all()}
    assert sorted(subtypes, key=int) == [str(n) for n in range(1, 13)]
    for code, start in ART5_CLAUSE_STARTS.items():
        assert subtypes[code].startswith(start), code


def test_migration_moves_every_old_group_c_row_onto_the_art5_clause(child, officer) -> None:  # noqa: ANN001
    """A database loaded with the old list: each circumstance lands on its NĐ 56 Art. 5 clause, none is lost; the
    old "one parent missing, the other in one of the cases above" (clause 5 or 6) keeps the group and says so."""
    from treem.registry.models import Circumstance, CircumstanceSubtype

    module = _migration("0010_nd56_art5_subtypes")
    group = special("c")
    group.subtypes.all().delete()
    old = {
        code: CircumstanceSubtype.objects.create(type=group, code=code, name_vi=name, name_en=f"old {code}")
        for code, name in module.OLD_NAMES.items()
    }
    rows = {
        code: Circumstance.objects.create(
            child=child, type=group, subtype=sub, valid_from=dt.date(2000 + int(code), 1, 1),
            valid_to=dt.date(2000 + int(code), 12, 31), note="ghi chú" if code == "9" else "",
        )
        for code, sub in old.items()
    }  # fmt: skip
    history_of_old_3 = rows["3"].history.count()

    module.remap(global_apps, None)
    module.remap(global_apps, None)  # a second run changes nothing

    test_group_c_subtypes_follow_nd56_art5_clauses_one_to_one()
    assert Circumstance.objects.filter(type=group).count() == 12
    for code, row in rows.items():
        row.refresh_from_db()
        clause = module.OLD_TO_CLAUSE[code]
        if clause is None:
            assert row.subtype is None
            assert row.note.startswith("ghi chú\n") and "khoản 5" in row.note and "khoản 6" in row.note
        else:
            assert row.subtype.code == clause, code
    # History rows follow: they point to a sub-type that exists.
    assert rows["3"].history.count() == history_of_old_3
    assert all(h.subtype_id in (None, rows["3"].subtype_id) for h in rows["3"].history.all())
    assert not CircumstanceSubtype.objects.filter(type=group, code__startswith="old-").exists()


# --- children are under 16, by the date (Luật Trẻ em Art. 1) --------------------------------------------------------


def _child_form(dob: str, today: dt.date) -> ChildForm:
    data = {"full_name": "Lò Thị Mai", "sex": "F", "date_of_birth": dob, "dob_precision": "day", "ethnicity": "Kinh"}
    with mock.patch("treem.registry.forms.today_vn", return_value=today):
        form = ChildForm(data=data)
        form.is_valid()
    return form


def test_child_form_compares_dates_not_years() -> None:
    """Luật Trẻ em Art. 1 (under 16) and the registry's 16–17 young people: born 15/01/2008, the person is 17 until
    14/01/2026 and 18 from 15/01/2026; a year subtraction let them in all of 2026."""
    assert "date_of_birth" not in _child_form("15/01/2008", dt.date(2026, 1, 14)).errors
    assert "date_of_birth" in _child_form("15/01/2008", dt.date(2026, 1, 15)).errors
    assert "date_of_birth" in _child_form("15/01/2008", dt.date(2026, 11, 30)).errors


def test_count_in_group_on_counts_only_those_under_16_on_that_date(child, officer) -> None:  # noqa: ANN001
    """Luật Trẻ em Art. 1: the child born 02/05/2013 is a child in group d up to 01/05/2029, not from 02/05/2029."""
    services.circumstance_add(actor=officer, child=child, type=special("d"), valid_from=dt.date(2023, 1, 1))
    qs = Child.objects.all()
    assert selectors.count_in_group_on(qs, code="d", on=dt.date(2029, 5, 1)) == 1
    assert selectors.count_in_group_on(qs, code="d", on=dt.date(2029, 5, 2)) == 0
    assert selectors.count_in_group_on(qs, code="any", on=dt.date(2029, 5, 2)) == 0
