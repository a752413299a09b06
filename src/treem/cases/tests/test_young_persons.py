"""Luật Trẻ em Art. 1: a child is under 16. A case about someone of 16–17 is about a young person (người chưa thành
niên từ 16 đến dưới 18 tuổi): labelled so at intake and never counted among abused children."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from treem.cases import services
from treem.cases.models import RapidAlert
from treem.cases.selectors import abused_children_counts
from treem.core.dates import today_vn

pytestmark = pytest.mark.django_db


def _open(worker, tree, **kwargs):  # noqa: ANN001, ANN003, ANN202
    return services.case_open(
        actor=worker, commune=tree.commune, intake_at=timezone.now() - dt.timedelta(days=2), channel="police",
        category="abused", description="x", abuse_forms=["sexual_abuse"], setting="home", **kwargs,
    )  # fmt: skip


def test_rapid_alert_calls_a_16_year_old_a_young_person_not_a_child(worker, tree) -> None:  # noqa: ANN001
    """Luật Trẻ em Art. 1: the Báo cáo nhanh names a 16–17-year-old "người chưa thành niên", not "trẻ"."""
    case = _open(worker, tree, child_name="Lò Thị Ánh", child_sex="F", child_age_estimate=16)
    summary = RapidAlert.objects.get(case=case).summary
    assert "người chưa thành niên nữ, từ 16 đến dưới 18 tuổi" in summary
    assert "trẻ nữ" not in summary
    assert case.is_young_person
    child_case = _open(worker, tree, child_name="Lò Thị Én", child_sex="F", child_age_estimate=15)
    assert "trẻ nữ, 11–15 tuổi" in RapidAlert.objects.get(case=child_case).summary
    assert not child_case.is_young_person


def test_young_person_is_judged_by_the_age_on_the_intake_date(worker, tree, household) -> None:  # noqa: ANN001
    """Luật Trẻ em Art. 1, by the date: born 16 years and a day before the intake, the person was 16 at intake."""
    from treem.registry import services as registry

    intake = timezone.now() - dt.timedelta(days=2)
    born = intake.date().replace(year=intake.date().year - 16) - dt.timedelta(days=1)
    person = registry.child_register(
        actor=worker, household=household,
        data=registry.ChildInput(full_name="Sùng Thị Dua", sex="F", date_of_birth=born),
    )  # fmt: skip
    case = services.case_open(
        actor=worker, commune=tree.commune, intake_at=intake, channel="police", category="abused",
        description="x", abuse_forms=["sexual_abuse"], setting="home", child=person, child_sex="F",
    )  # fmt: skip
    assert case.is_young_person
    assert "người chưa thành niên" in RapidAlert.objects.get(case=case).summary


def test_abused_children_counts_leave_out_young_persons(worker, tree) -> None:  # noqa: ANN001
    """TT 13/2021 indicator 0101 counts abused *children* (Luật Trẻ em Art. 1: under 16 on the date counted)."""
    _open(worker, tree, child_name="A", child_sex="F", child_age_estimate=15)
    _open(worker, tree, child_name="B", child_sex="F", child_age_estimate=16)
    _open(worker, tree, child_name="C", child_sex="M", child_age_estimate=17)
    today = today_vn()
    counts = abused_children_counts(tree.province.path, today - dt.timedelta(days=30), today)
    assert [(c.sex, c.age_group, c.children) for c in counts] == [("F", "11-15", 1)]


def test_case_page_labels_a_young_person(client, worker, tree) -> None:  # noqa: ANN001
    from django.urls import reverse

    young = _open(worker, tree, child_name="Lò Thị Ánh", child_sex="F", child_age_estimate=17)
    child = _open(worker, tree, child_name="Lò Thị Én", child_sex="F", child_age_estimate=12)
    client.force_login(worker, backend="django.contrib.auth.backends.ModelBackend")
    assert 'data-testid="case-young-person"' in client.get(reverse("cases:detail", args=[young.pk])).text
    assert 'data-testid="case-young-person"' not in client.get(reverse("cases:detail", args=[child.pk])).text
