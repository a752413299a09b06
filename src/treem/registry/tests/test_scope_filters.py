"""The children list filters a unit by the one exact, indexed equality of its level (`selectors.in_unit`): the
same children as the scope's path prefix, and a query each database serves from the index made for it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.models import CharField, Value

from treem.accounts import roles
from treem.registry import selectors, services
from treem.registry.models import Child
from treem.registry.selectors import ChildFilter
from treem.units.models import Level, Unit, province_path
from treem.units.tests.factories import make_unit

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("path", "province"),
    [
        ("C.", "C."),
        ("C.12.", "C.12."),
        ("C.12.03430.", "C.12."),
        ("C.12.03430.03430-1.", "C.12."),
        ("C.12~2.03430.", "C.12~2."),  # a province whose code was given anew keeps a longer path segment
        ("F.01.002.00031.", "F.01."),  # the former structure: province, district, commune
    ],
)
def test_province_path_is_the_first_two_segments(tree, path: str, province: str) -> None:  # noqa: ANN001
    got = (
        Unit.objects.filter(pk=tree.village.pk)
        .annotate(stored=Value(path, output_field=CharField()), p=province_path("stored"))
        .values_list("p", flat=True)
        .get()
    )
    assert got == province


def _child(officer, commune: Unit, village: Unit | None, name: str) -> Child:  # noqa: ANN001
    household = services.household_create(actor=officer, commune=commune, village=village, head_name=f"Chủ hộ {name}")
    return services.child_register(
        actor=officer, household=household,
        data=services.ChildInput(full_name=name, sex="F", date_of_birth=dt.date(2015, 3, 4)),
    )  # fmt: skip


@pytest.fixture
def spread(tree, make_user):  # noqa: ANN001, ANN201
    """Children in a village, in a commune without village, in a sibling commune, in another province, and in a
    province whose path segment is longer (`C.12~2.`): its path starts like the first province's but is not in it."""
    twin = make_unit(tree.nation, Level.PROVINCE, "12~2", "Tỉnh Lai Châu Mới", "Tỉnh")
    twin_commune = make_unit(twin, Level.COMMUNE, "09999", "Xã Nậm Tăm", "Xã")
    writers = {
        u.pk: make_user(roles.COMMUNE_OFFICER, u) for u in (tree.commune, tree.sibling, tree.far_commune, twin_commune)
    }
    _child(writers[tree.commune.pk], tree.commune, tree.village, "Sùng Thị Ma")
    _child(writers[tree.commune.pk], tree.commune, tree.sibling_village, "Giàng Thị Dua")
    _child(writers[tree.commune.pk], tree.commune, None, "Lò Thị Hoa")
    _child(writers[tree.sibling.pk], tree.sibling, None, "Vàng Thị Sinh")
    _child(writers[tree.far_commune.pk], tree.far_commune, None, "Nguyễn Thị Lan")
    _child(writers[twin_commune.pk], twin_commune, None, "Lò Văn Tâm")
    return twin


def test_each_level_gives_the_children_of_its_path(tree, spread) -> None:  # noqa: ANN001
    twin = spread
    every = Child.objects.filter(merged_into__isnull=True)
    units = [tree.nation, tree.province, tree.other_province, twin, tree.commune, tree.sibling, tree.far_commune,
             tree.village, tree.sibling_village]  # fmt: skip
    for unit in units:
        expected = set(every.filter(unit_path__path_prefix=unit.path).values_list("pk", flat=True))
        assert set(selectors.in_unit(every, unit).values_list("pk", flat=True)) == expected, unit.path
    assert selectors.in_unit(every, tree.province).count() == 4  # not the twin province's child


def test_the_list_of_a_province_user_and_of_a_chosen_unit(tree, spread, make_user) -> None:  # noqa: ANN001
    twin = spread
    specialist = make_user(roles.PROVINCE_SPECIALIST, tree.province)
    names = lambda f: sorted(c.full_name for c in selectors.child_list(specialist, f))  # noqa: E731
    assert names(ChildFilter()) == ["Giàng Thị Dua", "Lò Thị Hoa", "Sùng Thị Ma", "Vàng Thị Sinh"]
    assert names(ChildFilter(unit_id=tree.commune.pk)) == ["Giàng Thị Dua", "Lò Thị Hoa", "Sùng Thị Ma"]
    assert names(ChildFilter(unit_id=tree.village.pk)) == ["Sùng Thị Ma"]
    assert names(ChildFilter(unit_id=tree.far_commune.pk)) == []  # out of scope: nothing, not the other province
    assert names(ChildFilter(unit_id=twin.pk)) == []


def test_an_inactive_user_sees_nothing(tree, spread, make_user) -> None:  # noqa: ANN001
    specialist = make_user(roles.PROVINCE_SPECIALIST, tree.province, is_active=False)
    assert not selectors.child_list(specialist, ChildFilter()).exists()
    assert not selectors.child_list(specialist, ChildFilter(unit_id=tree.commune.pk)).exists()


def _plan(qs) -> str:  # noqa: ANN001
    sql, params = qs.query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")  # tiny test tables: ask whether the index can serve
            cursor.execute(f"EXPLAIN {sql}", params)
        else:
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        return "\n".join(str(row) for row in cursor.fetchall())


@pytest.mark.parametrize(
    ("unit_attr", "index"), [("province", "child_province_name"), ("commune", "child_commune_name")]
)
def test_the_page_query_can_use_its_index(tree, spread, make_user, unit_attr: str, index: str) -> None:  # noqa: ANN001
    """The expression of the query is the expression of the index (a change to one of them alone would make every
    province page scan the province): the planner finds the index for the first page in name order."""
    specialist = make_user(roles.PROVINCE_SPECIALIST, tree.province)
    unit = getattr(tree, unit_attr)
    f = ChildFilter(unit_id=unit.pk) if unit_attr != "province" else ChildFilter()
    plan = _plan(selectors.child_list(specialist, f).select_related(None)[:50])
    assert index in plan, plan


@pytest.mark.skipif("connection.vendor != 'sqlite'", reason="SQLite's planner: statistics without histograms")
def test_an_age_band_does_not_lure_sqlite_off_the_scope_index(tree, spread, make_user) -> None:  # noqa: ANN001
    """With statistics (ANALYZE), SQLite guesses that a date-of-birth range keeps 1 row in 64 and took an index on
    the date of birth for a province's age list, then sorted every match (613 ms at 1,000,000 children). The list's
    date filters are kept off the indexes on SQLite, so the province's index in name order serves the page."""
    specialist = make_user(roles.PROVINCE_SPECIALIST, tree.province)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        cursor.execute("DELETE FROM sqlite_stat1 WHERE tbl = 'registry_child'")
        indexes = [row[1] for row in cursor.execute("PRAGMA index_list('registry_child')").fetchall()]
        for name in indexes:  # a province holds a third of a million-row registry; a day, a few hundred children
            columns = len(cursor.execute(f"PRAGMA index_info('{name}')").fetchall())
            stat = "1000000 333333" if name == "child_province_name" else "1000000 300"
            cursor.execute(
                "INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES ('registry_child', %s, %s)",
                [name, stat + " 2" * (columns - 1)],
            )
        cursor.execute("ANALYZE sqlite_schema")  # load the statistics just written
    f = ChildFilter(age_band="6-10", sex="F")
    plan = _plan(selectors.child_list(specialist, f).select_related(None)[:50])
    assert "child_province_name" in plan and "TEMP B-TREE" not in plan, plan
    f = ChildFilter(ageing_out=True)
    assert "child_province_name" in _plan(selectors.child_list(specialist, f).select_related(None)[:50])


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="the trigram index is PostgreSQL's (pg_trgm)")
def test_the_search_words_can_use_the_trigram_index(tree, spread) -> None:  # noqa: ANN001
    """A rare name searched in a province walked every child of the province (the capped count of a search with
    fewer than 1,000 matches always did): 145 ms at 330,000 children, 480 ms p95 under load. The search's own
    filter (`search_filter`: a word at the start of a word) must be one the trigram index serves."""
    qs = selectors.search_filter(Child.objects.order_by(), "Đặng Bảo").only("pk")
    assert "child_search_trgm" in _plan(qs), _plan(qs)
