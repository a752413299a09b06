"""Dated residences: where a child lived on any day, kept in step by the writers (the base of every statistic)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction

from treem.registry import services
from treem.registry.models import Child, ChildStatus, Household, Residence
from treem.registry.services.bulk import BulkWriter

pytestmark = pytest.mark.django_db

D = dt.date


def places(child: Child) -> list[tuple[str, dt.date | None, dt.date | None]]:
    return [(r.unit_path, r.moved_in, r.left_on) for r in Residence.objects.filter(child=child).order_by("pk")]


def test_a_registered_child_lived_there_since_birth(child, tree):
    assert places(child) == [(tree.village.path, None, None)]
    assert Residence.objects.on(D(2014, 1, 1)).filter(child=child).exists()


def test_a_household_move_closes_the_old_place_on_the_day_and_opens_the_new(child, household, officer, tree):
    services.household_move(
        actor=officer, household=household, commune=tree.commune, village=tree.sibling_village, on=D(2025, 3, 10)
    )
    assert places(child) == [
        (tree.village.path, None, D(2025, 3, 10)),
        (tree.sibling_village.path, D(2025, 3, 10), None),
    ]
    on_day = Residence.objects.on(D(2025, 3, 10)).get(child=child)
    before = Residence.objects.on(D(2025, 3, 9)).get(child=child)
    assert (on_day.unit_path, before.unit_path) == (tree.sibling_village.path, tree.village.path)


def test_moving_again_on_the_same_day_corrects_the_place_instead_of_adding_an_empty_interval(
    child, household, officer, tree
):
    day = D(2025, 3, 10)
    services.household_move(
        actor=officer, household=household, commune=tree.commune, village=tree.sibling_village, on=day
    )
    services.household_move(actor=officer, household=household, commune=tree.commune, village=None, on=day)
    assert places(child) == [(tree.village.path, None, day), (tree.commune.path, day, None)]


def test_moving_away_or_dying_ends_the_residence_on_that_day(child, officer):
    services.child_set_status(actor=officer, child=child, status=ChildStatus.MOVED_AWAY, on=D(2025, 8, 1))
    assert places(child)[-1][2] == D(2025, 8, 1)
    assert not Residence.objects.on(D(2025, 8, 1)).filter(child=child).exists()
    assert Residence.objects.on(D(2025, 7, 31)).filter(child=child).exists()


def test_active_again_before_the_departure_is_a_correction_after_it_a_return(child, officer, tree):
    services.child_set_status(actor=officer, child=child, status=ChildStatus.MOVED_AWAY, on=D(2025, 8, 1))
    services.child_set_status(actor=officer, child=child, status=ChildStatus.ACTIVE, on=D(2025, 8, 1))
    assert places(child) == [(tree.village.path, None, None)]
    services.child_set_status(actor=officer, child=child, status=ChildStatus.MOVED_AWAY, on=D(2025, 8, 1))
    services.child_set_status(actor=officer, child=child, status=ChildStatus.ACTIVE, on=D(2026, 2, 1))
    assert places(child) == [(tree.village.path, None, D(2025, 8, 1)), (tree.village.path, D(2026, 2, 1), None)]
    assert not Residence.objects.on(D(2025, 12, 31)).filter(child=child).exists()


def test_the_bulk_writer_gives_each_new_child_its_residence(tree, officer):
    with transaction.atomic():
        writer = BulkWriter(actor=officer)
        h = Household(commune=tree.commune, village=tree.village, head_name="Lò Văn A")
        writer.households([h])
        kids = writer.children([
            (Child(household=h, full_name="Lò Thị B", sex="F", date_of_birth=D(2015, 1, 1)), []),
            (Child(household=h, full_name="Lò Văn C", sex="M", date_of_birth=D(2012, 1, 1),
                   status=ChildStatus.DECEASED, status_date=D(2024, 6, 1)), []),
        ])  # fmt: skip
    assert places(kids[0]) == [(tree.village.path, None, None)]
    assert places(kids[1]) == [(tree.village.path, None, D(2024, 6, 1))]


def test_a_merge_leaves_each_record_its_own_residences(child, sibling_child, tree):
    from treem.registry.services.merge import children_merge

    children_merge(actor=None, survivor=child, other=sibling_child, reason="test", automatic=True)
    assert places(child) == [(tree.village.path, None, None)]
    assert places(sibling_child) == [(tree.sibling.path, None, None)]
