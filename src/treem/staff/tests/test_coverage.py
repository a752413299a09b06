"""Coverage on a hand-built tree: communes with no officer in post, villages with no collaborator in post, counted per
the unit above the communes (a district where there is one, else the province)."""

from __future__ import annotations

import datetime as dt

import pytest

from treem.staff.models import Position, Worker
from treem.staff.selectors import coverage
from treem.units.models import Level
from treem.units.tests.factories import make_unit

pytestmark = pytest.mark.django_db

DAY = dt.date(2025, 9, 30)


def _post(unit, position: str, since: dt.date = dt.date(2025, 1, 1), until: dt.date | None = None) -> Worker:  # noqa: ANN001
    return Worker.objects.create(
        unit=unit, unit_path=unit.path, position=position, full_name="Người Thử", since=since, until=until
    )


@pytest.fixture
def land():  # noqa: ANN201
    """Nation → province P with districts D1 (communes a, b) and D2 (commune c, and d inactive); province Q with
    commune e directly below it. Villages: a1, a2 in a; b1 in b; d1 in d (inactive commune); e1 in e."""
    nation = make_unit(None, Level.NATION, "VN", "Việt Nam", "Quốc gia")
    p = make_unit(nation, Level.PROVINCE, "01", "Tỉnh P", "Tỉnh")
    q = make_unit(nation, Level.PROVINCE, "02", "Tỉnh Q", "Tỉnh")
    d1 = make_unit(p, Level.DISTRICT, "001", "Huyện Một", "Huyện")
    d2 = make_unit(p, Level.DISTRICT, "002", "Huyện Hai", "Huyện")
    a = make_unit(d1, Level.COMMUNE, "00001", "Xã A", "Xã")
    b = make_unit(d1, Level.COMMUNE, "00002", "Xã B", "Xã")
    c = make_unit(d2, Level.COMMUNE, "00003", "Xã C", "Xã")
    d = make_unit(d2, Level.COMMUNE, "00004", "Xã D", "Xã")
    d.is_active = False
    d.save(update_fields=["is_active"])
    e = make_unit(q, Level.COMMUNE, "00005", "Xã E", "Xã")
    v = {name: make_unit(parent, Level.VILLAGE, f"{parent.code}-{name}", f"Thôn {name}", "Thôn")
         for name, parent in (("a1", a), ("a2", a), ("b1", b), ("d1", d), ("e1", e))}  # fmt: skip
    return nation, p, q, d1, d2, a, b, c, d, e, v


def test_gaps_and_counts_per_group(land) -> None:  # noqa: ANN001
    nation, p, q, d1, d2, a, b, c, d, e, v = land
    _post(a, Position.OFFICER)
    _post(a, Position.OFFICER)  # two officers: counted as officers, the commune once
    _post(b, Position.OFFICER, until=DAY)  # stopped on the day: not in post
    _post(c, Position.OFFICER, since=DAY + dt.timedelta(days=1))  # not yet
    _post(e, Position.OFFICER)
    _post(v["a1"], Position.COLLABORATOR)
    _post(v["b1"], Position.COLLABORATOR, until=dt.date(2025, 12, 31))
    _post(v["d1"], Position.COLLABORATOR)  # the village of an inactive commune: not counted
    _post(a, Position.COLLABORATOR)  # a collaborator row on a commune covers no village

    cover = coverage(nation, day=DAY)
    assert [u.name for u in cover.communes_without_officer] == ["Xã B", "Xã C"]
    assert [u.name for u in cover.villages_without_collaborator] == ["Thôn a2", "Thôn e1"]
    by_group = {
        r.group.name: (r.communes, r.communes_without_officer, r.officers, r.villages, r.villages_without_collaborator,
                       r.collaborators)
        for r in cover.rows
    }  # fmt: skip
    assert by_group == {
        "Huyện Một": (2, 1, 2, 3, 1, 2),
        "Huyện Hai": (1, 1, 0, 0, 0, 0),
        "Tỉnh Q": (1, 0, 1, 1, 1, 0),
    }
    t = cover.total
    assert t is not None
    assert (t.communes, t.communes_without_officer, t.villages, t.villages_without_collaborator) == (4, 2, 4, 2)


def test_coverage_of_a_subtree_stays_in_it(land) -> None:  # noqa: ANN001
    nation, p, q, d1, d2, a, b, c, d, e, v = land
    cover = coverage(d1, day=DAY)
    assert [r.group.name for r in cover.rows] == ["Huyện Một"]
    assert [u.name for u in cover.communes_without_officer] == ["Xã A", "Xã B"]
    cover = coverage(a, day=DAY)
    assert [r.group for r in cover.rows] == [a]
    assert (cover.total.communes, cover.total.villages) == (1, 2)  # type: ignore[union-attr]
    _post(v["a2"], Position.COLLABORATOR)
    cover = coverage(v["a2"], day=DAY)
    assert (cover.total.communes, cover.total.villages, cover.villages_without_collaborator) == (0, 1, [])  # type: ignore[union-attr]
