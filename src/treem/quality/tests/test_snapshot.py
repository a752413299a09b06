"""`treem quality snapshot`: each commune's figures stored for a month, replaced when taken again; the worker task."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command

from treem.core.dates import today_vn
from treem.quality import selectors
from treem.quality.models import Snapshot
from treem.quality.tasks import take_snapshot
from treem.registry import services

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("quality", *args, stdout=out)
    return out.getvalue()


def test_the_command_stores_the_month_and_replaces_it(tree, built, officer) -> None:  # noqa: ANN001
    assert run("snapshot", "--month", "2026-10") == "2026-10: 2 communes\n"
    rows = {s.commune_id: s for s in Snapshot.objects.filter(month=dt.date(2026, 10, 1))}
    s = rows[tree.commune.pk]
    assert (s.children, s.no_id, s.dob_inexact, s.no_guardian, s.no_village) == (4, 1, 2, 1, 1)
    assert (s.households, s.duplicates_pending, s.days_since_update) == (
        3,
        2,
        (dt.date(2026, 10, 31) - dt.date(2026, 3, 1)).days,
    )
    assert (s.id_verified, s.id_corrected, s.id_not_found) == (0, 0, 0)  # the answers came after October
    assert s.unit_path == tree.commune.path
    services.household_visit_record(actor=officer, household=built.households[1])
    run("snapshot")  # the running month
    run("snapshot")  # again: replaced, not added
    this_month = Snapshot.objects.filter(month=today_vn().replace(day=1))
    assert this_month.count() == 2
    assert this_month.get(commune=tree.commune).id_corrected == 1
    assert Snapshot.objects.count() == 4


def test_a_unit_only_and_a_bad_month(tree, built) -> None:  # noqa: ANN001
    assert run("snapshot", "--unit", tree.sibling.code, "--month", "2026-11") == "2026-11: 1 communes\n"
    assert list(Snapshot.objects.values_list("commune_id", flat=True)) == [tree.sibling.pk]
    with pytest.raises(CommandError):
        run("snapshot", "--month", "11/2026")
    with pytest.raises(CommandError):
        run("snapshot", "--unit", "99999")


def test_the_worker_task_and_the_trend_by_scope(tree, built, viewer, officer) -> None:  # noqa: ANN001
    take_snapshot.call("2026-09-15", None)
    run("snapshot", "--month", "2026-10", "--enqueue")  # the test settings run tasks at once
    months = selectors.trend(viewer)
    assert [m.month for m in months] == [dt.date(2026, 9, 1), dt.date(2026, 10, 1)]
    assert months[-1].figures.children == 5  # both communes summed
    assert [m.figures.children for m in selectors.trend(officer)] == [4, 4]  # the officer's commune only
    assert [m.figures.children for m in selectors.trend(viewer, within=tree.sibling)] == [1, 1]
