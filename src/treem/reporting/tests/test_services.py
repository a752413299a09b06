"""Deadlines per level, the report's steps, frozen figures, consolidation and who may do what."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from treem.audit.models import AuditEvent
from treem.core.documents import Row, RowKind, Section, Table
from treem.indicators.models import DataValue
from treem.reporting import services
from treem.reporting.models import Report, ReportStep, Status
from treem.reporting.sections import extra_sections, register_section, unregister_section
from treem.reporting.tests.conftest import put_figure, written
from treem.units.models import Level, Structure

pytestmark = pytest.mark.django_db


def test_deadlines_per_level_from_the_seeded_rules(report_types) -> None:  # noqa: ANN001
    six = report_types["six_month"]
    assert services.deadlines_of(six, "2025S1", Structure.CURRENT) == {
        "commune": "2025-05-10",
        "province": "2025-05-20",
    }
    assert services.deadlines_of(six, "2025S1", Structure.FORMER) == {
        "commune": "2025-05-10", "district": "2025-05-15", "province": "2025-05-20",
    }  # fmt: skip
    annual = services.deadlines_of(report_types["annual"], "2025", Structure.CURRENT)
    assert annual == {"commune": "2025-11-10", "province": "2025-11-25"}
    plan = services.deadlines_of(report_types["plan_annual"], "2025", Structure.CURRENT)
    assert plan == {"commune": "2025-11-25", "province": "2025-12-01"}
    moa = services.deadlines_of(report_types["month_of_action"], "2025", Structure.CURRENT)
    assert moa == {"commune": "2025-07-20", "province": "2025-07-31"}
    quarter = services.deadlines_of(report_types["quarterly"], "2025Q3", Structure.CURRENT)
    assert quarter == {"commune": "2025-10-10", "province": "2025-10-20"}  # days after the quarter's end
    forum = services.deadlines_of(report_types["forum"], "2025", Structure.CURRENT, dt.date(2025, 6, 1))
    assert forum["commune"] == "2025-06-16"  # within 15 days of the forum


def test_a_cycle_has_its_code_and_the_deadline_of_each_level(cycle, report_types) -> None:  # noqa: ANN001
    assert cycle.code == "2025S1"
    assert cycle.deadline_for(Level.COMMUNE) == dt.date(2025, 5, 10)
    assert cycle.deadline_for(Level.PROVINCE) == dt.date(2025, 5, 20)
    assert cycle.levels() == ["commune", "province"]
    moa = services.open_cycle(report_type=report_types["month_of_action"], period="2025")
    assert moa.code == "THD2025"


def test_submit_freezes_the_figures(tree, officer, cycle) -> None:  # noqa: ANN001
    put_figure(tree.commune, "children", 120)
    put_figure(tree.commune, "children", 70, "sex=F")
    report = services.start_report(cycle=cycle, unit=tree.commune, actor=officer)
    assert report.figures["children"] == {"": [120, 120, None], "sex=F": [70, 70, None]}
    put_figure(tree.commune, "children", 125)  # the figures change before submission: refreshed on request
    report = services.refresh_figures(report=report, actor=officer, recompute=False)
    assert report.figures["children"][""][0] == 125
    services.save_text(report=report, actor=officer, narratives=written())
    report = services.submit(report=report, actor=officer)
    frozen = report.figures

    put_figure(tree.commune, "children", 999)  # the registry and the figures move on after submission
    DataValue.objects.filter(unit=tree.commune, disagg="sex=F").delete()
    report.refresh_from_db()
    assert report.figures == frozen
    assert report.figures["children"][""][0] == 125
    with pytest.raises(PermissionDenied):  # no refreshing a submitted report
        services.refresh_figures(report=report, actor=officer, recompute=False)


def test_submit_freezes_the_sections_other_apps_add(tree, officer, cycle) -> None:  # noqa: ANN001
    """A registered section is read live while the report is written and kept as submitted afterwards, every part of
    it (subsections, heading and total rows, column widths, numbering) as it was."""
    count = {"n": 1}

    def provider(*, unit, start, end) -> Section:  # noqa: ANN001
        table = Table(
            f"Bảng {count['n']}", ("Loại", "Số"), widths=(3, 1),
            rows=(Row(("Nhóm",), RowKind.HEADING), Row(("A", str(count["n"]))), Row(("Cộng", "1"), RowKind.TOTAL)),
            notes=(f"Từ {start:%d/%m/%Y} đến {end:%d/%m/%Y} ({unit.name})",),
        )  # fmt: skip
        sub = Section("Chi tiết", paragraphs=("Dòng một\nDòng hai",), numbered=False)
        return Section("Phần thêm", paragraphs=(f"Có {count['n']} việc.",), tables=(table,), subsections=(sub,))

    period = {"unit": tree.commune, "start": dt.date(2025, 1, 1), "end": dt.date(2025, 6, 30)}

    def added(report: Report) -> list[Section]:  # this test's section among those the installed apps add
        return [s for s in extra_sections(report) if s.heading == "Phần thêm"]

    register_section(provider)
    try:
        report = services.start_report(cycle=cycle, unit=tree.commune, actor=officer)
        assert added(report) == [provider(**period)]
        services.save_text(report=report, actor=officer, narratives=written())
        report = services.submit(report=report, actor=officer)
        sent = provider(**period)
        count["n"] = 7  # what the section reads moves on after submission
        report.refresh_from_db()
        assert added(report) == [sent]
    finally:
        unregister_section(provider)
    assert added(report) == [sent]  # kept in the report, not in the registered provider


def test_submit_needs_every_section(tree, officer, cycle) -> None:  # noqa: ANN001
    report = services.start_report(cycle=cycle, unit=tree.commune, actor=officer)
    services.save_text(report=report, actor=officer, narratives={"results": "Đã làm"})
    with pytest.raises(ValidationError):
        services.submit(report=report, actor=officer)
    report.refresh_from_db()
    assert report.status == Status.DRAFT


def test_return_resubmit_approve_each_step_dated_signed_and_audited(tree, officer, province_officer, cycle) -> None:  # noqa: ANN001
    report = services.start_report(cycle=cycle, unit=tree.commune, actor=officer)
    services.save_text(report=report, actor=officer, narratives=written())
    report = services.submit(report=report, actor=officer)
    first = report.first_submitted_at
    with pytest.raises(ValidationError):
        services.return_report(report=report, actor=province_officer, comment="  ")
    report = services.return_report(report=report, actor=province_officer, comment="Thiếu số liệu tai nạn")
    assert report.status == Status.RETURNED and report.review_comment == "Thiếu số liệu tai nạn"
    with pytest.raises(PermissionDenied):  # a returned report is not approved before it comes back
        services.approve(report=report, actor=province_officer)
    services.save_text(report=report, actor=officer, narratives={"results": "Đã bổ sung số liệu tai nạn"})
    report = services.submit(report=report, actor=officer)
    assert report.first_submitted_at == first and report.submitted_at > first
    report = services.approve(report=report, actor=province_officer)
    assert report.status == Status.APPROVED and report.reviewed_by == province_officer
    steps = list(report.steps.values_list("action", "actor_id", "comment"))
    assert steps == [
        (ReportStep.Action.CREATED, officer.pk, ""),
        (ReportStep.Action.SUBMITTED, officer.pk, ""),
        (ReportStep.Action.RETURNED, province_officer.pk, "Thiếu số liệu tai nạn"),
        (ReportStep.Action.SUBMITTED, officer.pk, ""),
        (ReportStep.Action.APPROVED, province_officer.pk, ""),
    ]
    assert all(s.at for s in report.steps.all())
    audited = AuditEvent.objects.filter(target_type="report", target_id=str(report.pk))
    assert audited.filter(extra__step="approved", actor=province_officer).count() == 1
    assert audited.filter(extra__step="returned").count() == 1
    with pytest.raises(PermissionDenied):  # approved: nobody edits it any more
        services.save_text(report=report, actor=officer, narratives={"results": "x"})


def test_a_commune_cannot_approve_and_a_province_cannot_edit_a_commune_draft(
    tree, officer, sibling_officer, province_officer, make_user, cycle
) -> None:  # noqa: ANN001
    from treem.accounts import roles

    report = services.start_report(cycle=cycle, unit=tree.commune, actor=officer)
    with pytest.raises(PermissionDenied):
        services.save_text(report=report, actor=province_officer, narratives={"results": "Tỉnh sửa"})
    with pytest.raises(PermissionDenied):
        services.save_text(report=report, actor=sibling_officer, narratives={"results": "Xã khác sửa"})
    with pytest.raises(PermissionDenied):  # nobody starts another unit's report
        services.start_report(cycle=cycle, unit=tree.sibling, actor=province_officer)
    services.save_text(report=report, actor=officer, narratives=written())
    services.submit(report=report, actor=officer)
    chairman = make_user(roles.COMMUNE_CHAIRMAN, tree.commune)
    for commune_user in (officer, chairman, sibling_officer):
        with pytest.raises(PermissionDenied):
            services.approve(report=report, actor=commune_user)
    other = make_user(roles.PROVINCE_SPECIALIST, tree.other_province)
    with pytest.raises(PermissionDenied):  # not the level above this commune
        services.approve(report=report, actor=other)
    report.refresh_from_db()
    assert report.status == Status.SUBMITTED


def test_consolidation_is_the_sum_of_the_approved_snapshots(
    tree, officer, sibling_officer, province_officer, cycle
) -> None:  # noqa: ANN001
    put_figure(tree.commune, "children", 120)
    put_figure(tree.commune, "children_special", 12)
    put_figure(tree.sibling, "children", 80)
    put_figure(tree.sibling, "children_special", 3)
    put_figure(tree.province, "children", 5000)  # the province's own stored figure is not what it reports
    for user, unit in ((officer, tree.commune), (sibling_officer, tree.sibling)):
        report = services.start_report(cycle=cycle, unit=unit, actor=user)
        services.save_text(report=report, actor=user, narratives=written(results=f"Kết quả {unit.name}"))
        services.submit(report=report, actor=user)
        services.approve(report=report, actor=province_officer)
    put_figure(tree.commune, "children", 130)  # after approval: the snapshots stand
    mine = services.start_report(cycle=cycle, unit=tree.province, actor=province_officer)
    assert mine.consolidated
    assert mine.figures["children"][""][0] == 200
    assert mine.figures["children_special"][""][0] == 15
    parts = [r.figures for r in services.approved_reports(cycle, tree.province)]
    assert mine.figures["children"][""][0] == sum(p["children"][""][0] for p in parts)


def test_consolidation_leaves_out_what_is_not_approved(tree, officer, sibling_officer, province_officer, cycle) -> None:  # noqa: ANN001, E501
    put_figure(tree.commune, "children", 120)
    put_figure(tree.sibling, "children", 80)
    report = services.start_report(cycle=cycle, unit=tree.commune, actor=officer)
    services.save_text(report=report, actor=officer, narratives=written())
    services.submit(report=report, actor=officer)
    services.approve(report=report, actor=province_officer)
    other = services.start_report(cycle=cycle, unit=tree.sibling, actor=sibling_officer)
    services.save_text(report=other, actor=sibling_officer, narratives=written())
    services.submit(report=other, actor=sibling_officer)  # submitted, not yet approved
    mine = services.start_report(cycle=cycle, unit=tree.province, actor=province_officer)
    assert mine.figures["children"][""][0] == 120
    services.approve(report=other, actor=province_officer)
    mine = services.refresh_figures(report=mine, actor=province_officer)
    assert mine.figures["children"][""][0] == 200
    assert mine.steps.filter(action=ReportStep.Action.CONSOLIDATED).count() == 1


def test_ratios_add_up_from_their_parts() -> None:
    from treem.indicators.models import Indicator

    share = Indicator(code="s", measure="percent")
    summed = services.sum_figures([{"s": {"": [50.0, 1, 2]}}, {"s": {"": [10.0, 1, 10]}}], [share])
    assert summed["s"][""] == [pytest.approx(2 / 12 * 100), 2, 12]


def test_a_retired_ratio_is_still_summed_from_its_parts(
    tree, officer, sibling_officer, province_officer, cycle
) -> None:  # noqa: ANN001
    from treem.indicators.models import Indicator

    cycle.report_type.indicators = [*cycle.report_type.indicators, "children_special_share"]
    cycle.report_type.save(update_fields=["indicators"])
    for user, unit, (num, den) in ((officer, tree.commune, (1, 2)), (sibling_officer, tree.sibling, (1, 10))):
        report = services.start_report(cycle=cycle, unit=unit, actor=user)
        report.figures = {"children_special_share": {"": [num / den * 100, num, den]}}
        report.save(update_fields=["figures"])
        services.save_text(report=report, actor=user, narratives=written())
        services.approve(report=services.submit(report=report, actor=user), actor=province_officer)
    Indicator.objects.filter(code="children_special_share").update(is_active=False)  # retired after the snapshots
    mine = services.start_report(cycle=cycle, unit=tree.province, actor=province_officer)
    assert mine.figures["children_special_share"][""] == [pytest.approx(2 / 12 * 100), 2, 12]  # not 50 % + 10 %


@pytest.mark.parametrize(
    "deadlines",
    [{"communes": "2025-05-10"}, {"commune": "10/05/2025"}, {"commune": "2025-02-30"}, {"commune": 20250510}],
)
def test_a_cycle_refuses_deadlines_no_page_could_read(cycle, deadlines) -> None:  # noqa: ANN001
    cycle.deadlines = deadlines
    with pytest.raises(ValidationError) as refused:
        cycle.full_clean()
    assert "deadlines" in refused.value.message_dict


@pytest.mark.parametrize("when", [{}, {"month": 2, "day": 30}, {"month": 5}, {"month": 5, "day": 10, "days_after": 15}])
def test_a_deadline_rule_gives_one_valid_day(report_types, when) -> None:  # noqa: ANN001
    from treem.reporting.models import DeadlineRule

    rule = DeadlineRule(report_type=report_types["ad_hoc"], structure=Structure.CURRENT, level=Level.COMMUNE, **when)
    with pytest.raises(ValidationError):  # a rule without a day would silently leave the level out of the cycle
        rule.full_clean()


def test_valid_deadlines_pass(cycle, report_types) -> None:  # noqa: ANN001
    from treem.reporting.models import DeadlineRule

    cycle.full_clean()
    for rule in DeadlineRule.objects.all():  # the shipped rules
        rule.full_clean()
    for when in ({"month": 2, "day": 28}, {"days_after": 15}):
        DeadlineRule(report_type=report_types["ad_hoc"], level=Level.COMMUNE, **when).full_clean()
