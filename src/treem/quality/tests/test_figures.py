"""The data-quality figures on a hand-built commune (each measure), the ranking, the scope, the query count."""

from __future__ import annotations

import datetime as dt

import pytest

from treem.core.dates import today_vn
from treem.quality import selectors
from treem.quality.figures import compute
from treem.registry import services
from treem.units.tests.factories import make_unit

pytestmark = pytest.mark.django_db


def test_each_measure_on_a_hand_built_commune(tree, built) -> None:  # noqa: ANN001
    today = today_vn()
    figures = {f.commune.pk: f for f in compute(tree.province, today)}
    f = figures[tree.commune.pk]
    assert f.children == 4  # the child who moved away is not counted
    assert (f.no_id, f.dob_inexact, f.no_guardian, f.no_village) == (1, 2, 1, 1)
    assert (f.households, f.not_visited) == (3, 2)
    assert f.last_update == dt.date(2026, 3, 1)
    assert f.days_since_update == (today - dt.date(2026, 3, 1)).days
    assert f.duplicates_pending == 2  # one pair inside, one across to the sibling commune; a decided pair is not
    assert (f.id_verified, f.id_corrected, f.id_not_found) == (1, 1, 1)  # not found, then corrected: corrected
    # the gap score: the mean of 25 % without ID, 50 % date of birth, 25 % guardian, 25 % village,
    # 2/3 of the households not visited, 50 % ID not confirmed
    assert f.score == round((25 + 50 + 25 + 25 + 200 / 3 + 50) / 6, 1)
    s = figures[tree.sibling.pk]
    assert (s.children, s.no_id, s.not_visited, s.duplicates_pending, s.id_verified) == (1, 0, 0, 1, 1)
    assert (s.no_village, s.score) == (1, round(100 / 6, 1))  # its one household has no village


def test_a_day_in_the_past_counts_the_answers_and_visits_known_then(tree, built) -> None:  # noqa: ANN001
    yesterday = today_vn() - dt.timedelta(days=1)
    f = next(f for f in compute(tree.province, yesterday) if f.commune == tree.commune)
    assert (f.id_verified, f.id_corrected, f.id_not_found) == (0, 0, 1)  # only the first answer about the third
    assert f.not_visited == (3 if yesterday.year == today_vn().year else 2)


def test_worst_first_and_communes_without_children_apart(tree, built, make_user) -> None:  # noqa: ANN001
    nothing = make_unit(tree.province, "commune", "03999", "Xã Mù Cả", "Xã")
    households_only = make_unit(tree.province, "commune", "03001", "Xã Pa Vệ Sủ", "Xã")
    officer = make_user("commune_officer", households_only)
    services.household_create(actor=officer, commune=households_only, head_name="Hờ A Chư")
    ranked = compute(tree.province, today_vn())
    assert [f.commune for f in ranked] == [tree.commune, tree.sibling, households_only]
    assert [f.rank for f in ranked] == [1, 2, None]  # households but no child: no score, listed after
    assert nothing not in [f.commune for f in ranked]  # nothing recorded: not in the table


def test_the_table_is_the_users_scope(tree, built, officer, viewer, make_user) -> None:  # noqa: ANN001
    assert [f.commune for f in selectors.table(viewer)] == [tree.commune, tree.sibling]
    assert [f.commune for f in selectors.table(officer)] == [tree.commune]
    far = make_user("province_specialist", tree.other_province)
    assert selectors.table(far) == []


def test_a_fixed_number_of_queries_whatever_the_number_of_communes(
    tree,
    built,
    make_user,
    django_assert_num_queries,  # noqa: ANN001
) -> None:
    with django_assert_num_queries(6):
        compute(tree.province, today_vn())
    for i in range(5):  # five more communes, each with a household and a child
        commune = make_unit(tree.province, "commune", f"0350{i}", f"Xã Thử {i}", "Xã")
        officer = make_user("commune_officer", commune)
        h = services.household_create(actor=officer, commune=commune, head_name=f"Hộ {i}")
        services.child_register(actor=officer, household=h, data=services.ChildInput(full_name=f"Trẻ {i}", sex="M"))
    with django_assert_num_queries(6):
        assert len(compute(tree.province, today_vn())) == 7
