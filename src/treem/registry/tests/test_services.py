"""Registry services: registration, point-in-time group counts, moves, statuses, history."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from treem.registry import selectors, services
from treem.registry.models import Child, ChildStatus, Circumstance, CircumstanceType, SchoolStatus
from treem.registry.tests.conftest import special

pytestmark = pytest.mark.django_db


def test_the_fourteen_groups_and_their_subtypes_are_loaded_as_data() -> None:
    letters = list(CircumstanceType.objects.filter(kind="special").values_list("code", flat=True))
    assert letters == ["a", "b", "c", "d", "đ", "e", "g", "h", "i", "k", "l", "m", "n", "o"]
    assert [s.code for s in special("d").subtypes.all()] == ["1", "2", "3"]
    assert special("c").subtypes.count() == 12
    assert CircumstanceType.objects.filter(kind="risk").count() >= 5


def test_registering_a_child_fills_place_search_and_guardians(child, tree) -> None:  # noqa: ANN001
    assert child.unit_path == tree.village.path
    assert child.commune == tree.commune
    assert child.name_key == "sung thi sua"
    assert " sua" in child.search_text and " pao" in child.search_text and " 012313000123" in child.search_text
    assert sorted(g.relation for g in child.guardianships.all()) == ["father", "mother"]
    assert child.history.count() >= 1


def test_point_in_time_counting(child, officer) -> None:  # noqa: ANN001
    services.circumstance_add(
        actor=officer, child=child, type=special("h"), valid_from=dt.date(2024, 3, 1), valid_to=dt.date(2024, 9, 30)
    )
    qs = Child.objects.all()
    assert selectors.count_in_group_on(qs, code="h", on=dt.date(2024, 6, 30)) == 1
    assert selectors.count_in_group_on(qs, code="h", on=dt.date(2024, 12, 31)) == 0
    assert selectors.count_in_group_on(qs, code="h", on=dt.date(2024, 2, 29)) == 0
    # both ends are inclusive
    assert selectors.count_in_group_on(qs, code="h", on=dt.date(2024, 3, 1)) == 1
    assert selectors.count_in_group_on(qs, code="h", on=dt.date(2024, 9, 30)) == 1
    assert selectors.count_in_group_on(qs, code="a", on=dt.date(2024, 6, 30)) == 0


def test_an_open_interval_counts_until_it_is_ended(child, officer) -> None:  # noqa: ANN001
    c = services.circumstance_add(actor=officer, child=child, type=special("d"), valid_from=dt.date(2023, 1, 1))
    assert selectors.count_in_group_on(Child.objects.all(), code="d", on=dt.date(2029, 1, 1)) == 1
    services.circumstance_end(actor=officer, circumstance=c, valid_to=dt.date(2025, 6, 30))
    assert selectors.count_in_group_on(Child.objects.all(), code="d", on=dt.date(2025, 6, 30)) == 1
    assert selectors.count_in_group_on(Child.objects.all(), code="d", on=dt.date(2025, 7, 1)) == 0


def test_periods_of_one_group_never_overlap(child, officer) -> None:  # noqa: ANN001
    services.circumstance_add(
        actor=officer, child=child, type=special("h"), valid_from=dt.date(2024, 3, 1), valid_to=dt.date(2024, 9, 30)
    )
    with pytest.raises(ValidationError):
        services.circumstance_add(actor=officer, child=child, type=special("h"), valid_from=dt.date(2024, 9, 1))
    services.circumstance_add(actor=officer, child=child, type=special("h"), valid_from=dt.date(2024, 10, 1))
    assert Circumstance.objects.filter(child=child).count() == 2


def test_a_subtype_must_belong_to_its_group(child, officer) -> None:  # noqa: ANN001
    with pytest.raises(ValidationError):
        services.circumstance_add(
            actor=officer, child=child, type=special("a"), subtype=special("d").subtypes.first(),
            valid_from=dt.date(2024, 1, 1),
        )  # fmt: skip


def test_moving_a_household_moves_its_children_and_keeps_history(child, household, officer, tree) -> None:  # noqa: ANN001
    services.household_move(actor=officer, household=household, commune=tree.commune, village=tree.sibling_village)
    child.refresh_from_db()
    assert child.unit_path == tree.sibling_village.path
    assert child.village == tree.sibling_village
    old = household.history.order_by("history_date").first()
    assert old.village_id == tree.village.pk
    timeline = selectors.child_timeline(child)
    assert any(label for e in timeline for label, _old, new in e.changes if new == tree.sibling_village.name)


def test_moving_outside_the_scope_is_refused(household, officer, tree) -> None:  # noqa: ANN001
    with pytest.raises(PermissionDenied):
        services.household_move(actor=officer, household=household, commune=tree.sibling)


def test_status_changes_keep_the_record_and_end_open_groups(child, officer) -> None:  # noqa: ANN001
    services.circumstance_add(actor=officer, child=child, type=special("d"), valid_from=dt.date(2023, 1, 1))
    services.child_set_status(actor=officer, child=child, status=ChildStatus.MOVED_AWAY, on=dt.date(2025, 2, 1))
    child.refresh_from_db()
    assert child.status == ChildStatus.MOVED_AWAY
    assert Child.objects.filter(pk=child.pk).exists()
    assert child.circumstances.get().valid_to == dt.date(2025, 2, 1)


def test_village_collaborator_edits_only_the_village(tree, make_user, household) -> None:  # noqa: ANN001
    from treem.accounts import roles

    collaborator = make_user(roles.VILLAGE_COLLABORATOR, tree.village)
    services.child_register(
        actor=collaborator, household=household,
        data=services.ChildInput(full_name="Sùng A Dế", sex="M", date_of_birth=dt.date(2025, 1, 5)),
    )  # fmt: skip
    other = services.household_create(
        actor=make_user(roles.COMMUNE_OFFICER, tree.commune), commune=tree.commune, village=tree.sibling_village,
        head_name="Lò Văn Ơn",
    )  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.child_register(
            actor=collaborator, household=other,
            data=services.ChildInput(full_name="Lò Văn Hải", sex="M", date_of_birth=dt.date(2020, 1, 5)),
        )  # fmt: skip


def test_a_read_only_role_cannot_write(viewer, household) -> None:  # noqa: ANN001
    with pytest.raises(PermissionDenied):
        services.household_update(actor=viewer, household=household, address="x")


def test_history_records_who_and_what(child, officer) -> None:  # noqa: ANN001
    services.child_update(actor=officer, child=child, school_status="dropped_out")
    entries = selectors.child_timeline(child)
    changed = [e for e in entries if e.what == "changed"]
    assert changed and changed[0].who == officer.get_full_name()
    assert any(new == str(SchoolStatus.DROPPED_OUT.label) for _label, _old, new in changed[0].changes)


def test_poverty_periods_are_dated(household, officer) -> None:  # noqa: ANN001
    services.household_set_poverty(actor=officer, household=household, status="poor", since=dt.date(2024, 1, 1))
    services.household_set_poverty(actor=officer, household=household, status="near_poor", since=dt.date(2025, 1, 1))
    periods = list(household.poverty_periods.order_by("valid_from").values_list("status", "valid_from", "valid_to"))
    assert periods == [
        ("poor", dt.date(2024, 1, 1), dt.date(2024, 12, 31)),
        ("near_poor", dt.date(2025, 1, 1), None),
    ]


def test_age_bands_follow_full_years() -> None:
    earliest, latest = selectors.dob_range_for_ages(0, 15, dt.date(2026, 11, 23))
    assert latest == dt.date(2026, 11, 23)
    assert earliest == dt.date(2010, 11, 24)
