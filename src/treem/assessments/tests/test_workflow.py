"""A commune's assessment: pre-filled from the indicators, scored with evidence, self-assessed, appraised by the
upper level and decided; every step dated, signed and audited; a commune never appraises or recognises itself."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from treem.assessments import services
from treem.assessments.models import Category, Item, Score, Status
from treem.audit.models import AuditEvent
from treem.core.dates import today_vn
from treem.core.periods import Period
from treem.indicators.entry import Cell, figures_enter
from treem.indicators.models import DataValue, Indicator
from treem.indicators.services import compute, computed_indicators

from .conftest import score_all

pytestmark = pytest.mark.django_db


def _value(unit, code: str, value: float, year: int = 2025) -> None:  # noqa: ANN001
    DataValue.objects.create(
        indicator=Indicator.objects.get(code=code), unit=unit, period=str(year), value=value, computed_at=timezone.now()
    )


def _points(assessment) -> dict[str, int | None]:  # noqa: ANN001
    return {s.item.code: s.points for s in Score.objects.filter(assessment=assessment).select_related("item")}


# --- pre-filling -----------------------------------------------------------------------------------------------


def test_start_prefills_the_items_the_indicators_give(tree, officer) -> None:  # noqa: ANN001
    _value(tree.commune, "birth_registration_under5", 99.0)  # ≥ 98.5: full points
    _value(tree.commune, "abused_children_share", 5.0)  # > 4.5: 0
    _value(tree.commune, "children_special_assisted", 19)  # 19 of 20 = 95%: full points
    _value(tree.commune, "children_special", 20)
    _value(tree.commune, "plans_approved_on_time_share", 50.0)  # < 100: 0
    _value(tree.commune, "kindergarten_5", 99.0, year=2024)  # another year: not read
    _value(tree.sibling, "stunting_under5", 1.0)  # another commune: not read
    assessment = services.assessment_start(actor=officer, unit=tree.commune, year=2025)
    points = _points(assessment)
    assert points["2.1"] == 75 and points["3.1"] == 0 and points["6.1"] == 50 and points["6.2"] == 0
    assert points["10.1"] is None and points["8.2"] is None and points["1.1"] is None
    six = Score.objects.get(assessment=assessment, item__code="6.1")
    assert six.prefilled and six.indicator_value == pytest.approx(95.0)
    assert assessment.unit_path == tree.commune.path and assessment.status == Status.DRAFT
    assert AuditEvent.objects.filter(target_type="assessment", target_id=str(assessment.pk), action="create").exists()


def test_an_entered_figure_prefills_and_a_refill_keeps_scores_changed_by_hand(tree, officer) -> None:  # noqa: ANN001
    assessment = services.assessment_start(actor=officer, unit=tree.commune, year=2025)
    assert _points(assessment)["7.1"] is None
    figures_enter(
        actor=officer, unit=tree.commune, period=Period.parse("2025"),
        figures={"immunised_under1": {"": Cell(numerator=49, denominator=50)}},
    )  # fmt: skip
    # no play spot in the directory: the computed share of communes with one is 0
    compute(Period.parse("2025"), [tree.commune], indicators=computed_indicators(["communes_play_spot"]))
    item = Item.objects.get(code="12.1")
    services.score_set(actor=officer, assessment=assessment, item=item, points=60, note="Sân chơi ở nhà văn hóa")
    assert services.assessment_prefill(actor=officer, assessment=assessment) == 1
    points = _points(assessment)
    assert points["7.1"] == 50  # 98% immunised
    assert points["12.1"] == 60  # the figure says 0, the commune's own score stays


def test_default_category_from_the_unit_type(tree) -> None:  # noqa: ANN001
    assert services.default_category(tree.commune).code == "other"  # Xã
    assert services.default_category(tree.far_commune).code == "urban_ward"  # Phường


# --- the steps ---------------------------------------------------------------------------------------------------


def test_the_whole_way_to_recognition(tree, officer, province, draft) -> None:  # noqa: ANN001
    score_all(draft, {"1.1": 25, "2.1": 25, "3.1": 25})  # 850: the threshold of "other"
    services.assessment_submit(actor=officer, assessment=draft)
    draft.refresh_from_db()
    assert draft.status == Status.SELF_ASSESSED and draft.self_assessed_by == officer
    assert draft.self_assessed_by_name and draft.self_assessed_at is not None
    services.assessment_appraise(actor=province, assessment=draft, agree=True)
    draft.refresh_from_db()
    assert draft.status == Status.APPRAISED and draft.appraised_by == province
    services.assessment_decide(actor=province, assessment=draft, number="123/QĐ-UBND", date=today_vn())
    draft.refresh_from_db()
    assert draft.status == Status.RECOGNISED
    assert (draft.decision_number, draft.decision_date, draft.decided_by) == ("123/QĐ-UBND", today_vn(), province)
    actions = list(
        AuditEvent.objects.filter(target_type="assessment", target_id=str(draft.pk)).values_list("action", "actor")
    )
    assert actions.count(("transition", officer.pk)) == 1 and actions.count(("transition", province.pk)) == 2
    assert AuditEvent.objects.filter(target_id=str(draft.pk), unit_path=tree.commune.path).count() == len(actions)


def test_the_decision_follows_the_verdict_not_recognised_below_the_threshold(officer, province, draft) -> None:  # noqa: ANN001
    score_all(draft, {"1.1": 25, "2.1": 25, "3.1": 24})  # 849
    services.assessment_submit(actor=officer, assessment=draft)
    services.assessment_appraise(actor=province, assessment=draft, agree=True)
    services.assessment_decide(actor=province, assessment=draft, number="5/QĐ", date=today_vn())
    draft.refresh_from_db()
    assert draft.status == Status.NOT_RECOGNISED


def test_an_incomplete_assessment_is_not_sent(officer, draft) -> None:  # noqa: ANN001
    score_all(draft, {"9.1": None})
    with pytest.raises(ValidationError):
        services.assessment_submit(actor=officer, assessment=draft)
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


def test_the_upper_level_returns_it_with_a_note_and_may_correct_scores(officer, province, draft) -> None:  # noqa: ANN001
    score_all(draft)
    services.assessment_submit(actor=officer, assessment=draft)
    item = Item.objects.get(code="13.1")
    with pytest.raises(PermissionDenied):  # the commune no longer edits once it signed
        services.score_set(actor=officer, assessment=draft, item=item, points=10)
    services.score_set(actor=province, assessment=draft, item=item, points=10, note="Khảo sát chưa đủ mẫu")
    with pytest.raises(ValidationError):
        services.assessment_appraise(actor=province, assessment=draft, agree=False, note="")
    services.assessment_appraise(actor=province, assessment=draft, agree=False, note="Bổ sung biên bản")
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT and draft.appraisal_note == "Bổ sung biên bản"
    assert draft.self_assessed_at is None
    services.score_set(actor=officer, assessment=draft, item=item, points=70)  # the commune edits again


def test_scores_are_checked_against_the_item(officer, draft) -> None:  # noqa: ANN001
    item = Item.objects.get(code="7.1")
    with pytest.raises(ValidationError):
        services.score_set(actor=officer, assessment=draft, item=item, points=51)
    services.score_set(actor=officer, assessment=draft, item=item, points=None)
    assert _points(draft)["7.1"] is None


def test_the_decision_needs_its_number_and_a_date_not_in_the_future(officer, province, draft) -> None:  # noqa: ANN001
    score_all(draft)
    services.assessment_submit(actor=officer, assessment=draft)
    services.assessment_appraise(actor=province, assessment=draft, agree=True)
    with pytest.raises(ValidationError) as exc:
        services.assessment_decide(actor=province, assessment=draft, number=" ", date=today_vn() + dt.timedelta(days=1))
    assert set(exc.value.message_dict) == {"number", "date"}


def test_a_decided_assessment_no_longer_changes(officer, province, draft) -> None:  # noqa: ANN001
    score_all(draft)
    services.assessment_submit(actor=officer, assessment=draft)
    services.assessment_appraise(actor=province, assessment=draft, agree=True)
    services.assessment_decide(actor=province, assessment=draft, number="1/QĐ", date=today_vn())
    with pytest.raises(ValidationError):
        services.score_set(actor=province, assessment=draft, item=Item.objects.first(), points=0)
    with pytest.raises(ValidationError):
        services.category_set(actor=province, assessment=draft, category=Category.objects.get(code="urban_ward"))


def test_evidence_is_stored_and_audited(officer, draft) -> None:  # noqa: ANN001
    upload = SimpleUploadedFile("bien-ban.pdf", b"%PDF-1.4 synthetic", content_type="application/pdf")
    evidence = services.evidence_add(actor=officer, assessment=draft, item=Item.objects.get(code="1.1"), upload=upload)
    assert evidence.name == "bien-ban.pdf" and evidence.file.read() == b"%PDF-1.4 synthetic"
    assert AuditEvent.objects.filter(target_id=str(draft.pk), action="create", extra__evidence=evidence.pk).exists()


# --- who may ------------------------------------------------------------------------------------------------------


def test_a_commune_cannot_appraise_or_recognise_itself(tree, officer, chairman, make_user, draft) -> None:  # noqa: ANN001
    from treem.accounts import roles

    score_all(draft)
    services.assessment_submit(actor=officer, assessment=draft)
    # a user of the commune with the review capability (a province role given to a commune user) still may not
    reviewer_in_commune = make_user(roles.PROVINCE_SPECIALIST, tree.commune)
    for actor in (officer, chairman, reviewer_in_commune):
        with pytest.raises(PermissionDenied):
            services.assessment_appraise(actor=actor, assessment=draft, agree=True)
    draft.status = Status.APPRAISED
    draft.save()
    for actor in (officer, chairman, reviewer_in_commune):
        with pytest.raises(PermissionDenied):
            services.assessment_decide(actor=actor, assessment=draft, number="1", date=today_vn())
    draft.refresh_from_db()
    assert draft.status == Status.APPRAISED


def test_out_of_scope_users_can_do_nothing(tree, sibling_officer, other_province, draft) -> None:  # noqa: ANN001
    with pytest.raises(PermissionDenied):
        services.assessment_start(actor=sibling_officer, unit=tree.commune, year=2024)
    with pytest.raises(PermissionDenied):
        services.score_set(actor=sibling_officer, assessment=draft, item=Item.objects.first(), points=1)
    score_all(draft)
    draft.status = Status.SELF_ASSESSED
    draft.save()
    with pytest.raises(PermissionDenied):
        services.assessment_appraise(actor=other_province, assessment=draft, agree=True)


def test_one_assessment_per_commune_and_year_and_only_for_a_commune(tree, officer, province, draft) -> None:  # noqa: ANN001
    with pytest.raises(ValidationError):
        services.assessment_start(actor=officer, unit=tree.commune, year=2025)
    with pytest.raises(ValidationError):
        services.assessment_start(actor=province, unit=tree.province, year=2025)


def test_who_signed_the_self_assessment_does_not_appraise_it(tree, province, make_user) -> None:  # noqa: ANN001
    from treem.accounts import roles

    assessment = services.assessment_start(actor=province, unit=tree.commune, year=2025)
    score_all(assessment)
    services.assessment_submit(actor=province, assessment=assessment)  # the province filled it in for the commune
    with pytest.raises(ValidationError):
        services.assessment_appraise(actor=province, assessment=assessment, agree=True)
    colleague = make_user(roles.PROVINCE_SPECIALIST, tree.province)
    services.assessment_appraise(actor=colleague, assessment=assessment, agree=True)
