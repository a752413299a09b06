"""The demo roster: people without an account beside the demo accounts, with gaps for the coverage view, once."""

from __future__ import annotations

import pytest

from treem.accounts import roles
from treem.core.dates import today_vn
from treem.demo.staff import seed_staff
from treem.staff.models import Position, Worker
from treem.staff.selectors import coverage
from treem.units.services import village_add

pytestmark = pytest.mark.django_db


def test_the_demo_roster_has_gaps_and_is_seeded_once(tree, make_user, officer) -> None:  # noqa: ANN001
    admin = make_user(roles.SYSTEM_ADMIN, tree.nation, is_superuser=True, is_staff=True)
    for name in ("Pa Pe", "Sin Chải", "Phiêng"):
        village_add(commune=tree.commune, name=name, unit_type="Bản")
    communes = [tree.commune, tree.sibling, tree.far_commune]
    stats = seed_staff(communes=communes, commune=tree.commune, admin=admin)
    assert stats.added > 0
    assert Worker.objects.filter(user=officer).count() == 1  # the officer's account is not typed in again
    assert Worker.objects.filter(unit=tree.commune, position=Position.OFFICER).count() == 1
    cover = coverage(tree.nation, day=today_vn())
    assert cover.communes_without_officer and cover.villages_without_collaborator
    assert len(cover.communes_without_officer) == stats.communes_without_officer
    assert len(cover.villages_without_collaborator) == stats.villages_without_collaborator
    left = Worker.objects.get(unit__parent=tree.commune, until__isnull=False)
    assert left.until < today_vn() and left.user is None
    rows = Worker.objects.count()
    assert seed_staff(communes=communes, commune=tree.commune, admin=admin).added == 0
    assert Worker.objects.count() == rows
