"""Case forms and confidentiality: Mẫu 01's family part, Mẫu 04's dates and costs, the scope of distribution of each
document, disclosures outside the case team with the consents of the child (7+) and parent, and the rapid report
rule as data per province."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from treem.accounts import roles
from treem.audit.models import AuditEvent
from treem.cases import disclosures, services
from treem.cases.forms import PlanRowForm
from treem.cases.models import Case, Disclosure, RapidAlert, RapidReportRule, Status
from treem.cases.tests.test_services import PLAN_ROW, walk
from treem.cases.tests.test_views import login, when
from treem.core.dates import today_vn

pytestmark = pytest.mark.django_db

FAMILY = {
    "father_name": "Lò Văn Pành", "father_age": 38, "father_occupation": "Làm nương",
    "mother_name": "Tao Thị Mai", "mother_age": 35, "mother_occupation": "Buôn bán nhỏ",
    "family_situation": "Hộ nghèo, bố thường xuyên say rượu",
    "likely_consequence": "Em có thể phải bỏ học, bị đưa đi làm thuê",
    "measures_taken": "Trưởng bản đã đến nhà nhắc nhở",
}  # fmt: skip


def _child_born(household, officer, born: dt.date):  # noqa: ANN001, ANN202
    from treem.registry import services as registry

    return registry.child_register(
        actor=officer, household=household,
        data=registry.ChildInput(full_name="Giàng Thị Dua", sex="F", date_of_birth=born),
    )  # fmt: skip


def _open(worker, commune, intake_time, **kwargs):  # noqa: ANN001, ANN003, ANN202
    base = {
        "actor": worker, "commune": commune, "intake_at": intake_time, "channel": "hotline_111",
        "category": "abused", "description": "Em bị đánh", "child_name": "Không rõ", "child_age_estimate": 9,
        "abuse_forms": ["violence"],
    }  # fmt: skip
    return services.case_open(**{**base, **kwargs})


# --- 10. Mẫu 01 (NĐ 56 Art. 25) and Mẫu 04 (Art. 28.3a, 28.3d) -------------------------------------------------


def test_mau01_intake_records_parents_family_consequence_and_measures_nd56_art25(
    client,
    worker,
    tree,
    intake_time,  # noqa: ANN001
) -> None:
    """Mẫu 01 A.2: the parents' ages and occupations, the family situation, the likely consequence without help and
    the measures already taken are asked on the intake page, stored on the case, and printed on Mẫu 01."""
    login(client, worker)
    data = {
        **when(30), "channel": "hotline_111", "category": "at_risk", "description": "Em nghỉ học",
        "child_name": "Lò Thị Hoa", "child_age_estimate": "10", **{k: str(v) for k, v in FAMILY.items()},
    }  # fmt: skip
    response = client.post(reverse("cases:intake"), data)
    assert response.status_code == 302, response.context and response.context["form"].errors
    case = Case.objects.get(child_name="Lò Thị Hoa")
    assert {k: getattr(case, k) for k in FAMILY} == FAMILY
    text = client.get(reverse("cases:document", args=[case.pk, "01"])).text
    for value in ("38", "Làm nương", "35", "Buôn bán nhỏ", *list(FAMILY.values())[-3:], "Lò Văn Pành"):
        assert str(value) in text


def test_mau04_plan_row_needs_start_end_and_cost_nd56_art28_3() -> None:
    """Art. 28.3a and 28.3d: each service or task has its start and expected end dates and its cost estimate."""
    row = {"service": "Tư vấn", "responsible": "Công chức xã", "start": "01/12/2026", "end": "31/12/2026"}
    assert not PlanRowForm(row).is_valid()  # no cost
    assert not PlanRowForm({**row, "cost": "0", "start": ""}).is_valid()
    assert not PlanRowForm({**row, "cost": "0", "end": ""}).is_valid()
    assert PlanRowForm({**row, "cost": "0"}).is_valid()


@pytest.mark.parametrize("missing", ["start", "end", "cost"])
def test_plan_service_refuses_a_row_without_dates_or_cost_nd56_art28_3(case, worker, chairman, missing) -> None:  # noqa: ANN001
    """The rule lives in the service too (Art. 28.3a, 28.3d): a plan written by any caller is checked."""
    walk(case, worker, chairman, Status.CASE_CONFERENCE)
    row = {k: v for k, v in PLAN_ROW.items() if k != missing}
    with pytest.raises(ValidationError):
        services.case_transition(actor=worker, case=case, to=Status.PLAN_DRAFTED, data={"plan": [row]})
    bad = {**PLAN_ROW, "end": "2026-11-01"}
    with pytest.raises(ValidationError):
        services.case_transition(actor=worker, case=case, to=Status.PLAN_DRAFTED, data={"plan": [bad]})
    case.refresh_from_db()
    assert case.status == Status.CASE_CONFERENCE


# --- 11. Distribution scope (NĐ 56 Art. 24.3) and disclosures (Law Art. 6.11, NĐ 56 Art. 36) ----------------------


def test_each_document_prints_and_audits_its_scope_of_distribution_nd56_art24_3(client, case, worker) -> None:  # noqa: ANN001
    login(client, worker)
    for mau in ("01", "04"):
        text = client.get(reverse("cases:document", args=[case.pk, mau])).text
        assert 'data-testid="distribution"' in text and "Phạm vi phân phối" in text
    text = client.get(reverse("cases:document", args=[case.pk, "04"])).text
    assert "thực hiện kế hoạch hỗ trợ, can thiệp" in text  # the plan goes to its implementers (Art. 28.5)
    prints = AuditEvent.objects.filter(target_id=str(case.pk), action="print")
    assert prints.count() == 3 and all("phạm vi" in e.summary for e in prints)


def test_disclosure_refused_without_parent_consent_law_art6_11(case, worker) -> None:  # noqa: ANN001
    with pytest.raises(ValidationError) as exc:
        disclosures.disclosure_record(
            actor=worker, case=case, recipient="Phóng viên báo X", purpose="Viết bài", disclosed_on=today_vn(),
            parent_consent_name="", parent_consent_on=None, child_consent_on=today_vn(),
        )  # fmt: skip
    assert "parent_consent_on" in exc.value.message_dict
    assert not Disclosure.objects.exists()


def test_disclosure_needs_the_childs_consent_from_age_7_on_the_day_law_art6_11(
    worker,
    tree,
    household,
    officer,
    intake_time,  # noqa: ANN001
) -> None:
    """The child's own consent is required when the child is 7 or older on the day of the disclosure."""
    today = today_vn()
    seven_today = _child_born(household, officer, today.replace(year=today.year - 7))
    case = _open(worker, tree.commune, intake_time, child=seven_today)
    common = {"actor": worker, "case": case, "recipient": "Bệnh viện tỉnh", "purpose": "Điều trị",
              "parent_consent_name": "Giàng A Chứ", "parent_consent_on": today - dt.timedelta(days=2)}  # fmt: skip
    with pytest.raises(ValidationError) as exc:
        disclosures.disclosure_record(**common, disclosed_on=today)
    assert "child_consent_on" in exc.value.message_dict
    # the day before the seventh birthday the child is 6: the parent's consent alone
    yesterday = today - dt.timedelta(days=1)
    earlier = disclosures.disclosure_record(**common, disclosed_on=yesterday)
    assert earlier.child_age == 6 and earlier.child_consent_on is None
    ok = disclosures.disclosure_record(**common, disclosed_on=today, child_consent_on=today)
    assert ok.child_age == 7 and ok.child_consent_on == today


def test_disclosure_is_recorded_and_audited_nd56_art36(case, worker) -> None:  # noqa: ANN001
    day = today_vn()
    disclosure = disclosures.disclosure_record(
        actor=worker, case=case, recipient="Công an huyện", purpose="Điều tra", disclosed_on=day,
        parent_consent_name="Sùng A Páo", parent_consent_on=day, child_consent_on=day, form_number="03",
    )  # fmt: skip
    assert (disclosure.by, disclosure.unit_path, disclosure.child_age) == (worker, case.unit_path, 13)
    event = AuditEvent.objects.get(target_id=str(case.pk), extra__disclosure=disclosure.pk)
    assert "Công an huyện" in event.summary and event.extra["child_consent_on"] == day.isoformat()


def test_disclosure_only_by_the_case_team(case, tree, make_user) -> None:  # noqa: ANN001
    from django.core.exceptions import PermissionDenied

    outsider = make_user(roles.COMMUNE_OFFICER, tree.commune)
    with pytest.raises(PermissionDenied):
        disclosures.disclosure_record(
            actor=outsider, case=case, recipient="X", purpose="Y", disclosed_on=today_vn(),
            parent_consent_name="Z", parent_consent_on=today_vn(), child_consent_on=today_vn(),
        )  # fmt: skip


def test_disclosure_page_records_then_prints_for_the_recipient_law_art6_11(
    client,
    worker,
    tree,
    intake_time,  # noqa: ANN001
) -> None:
    """The print for a disclosure names its recipient, purpose and consents, and never the informant."""
    case = _open(worker, tree.commune, intake_time, informant_consents=True, informant_name="Bà Lò Thị Lan")
    login(client, worker)
    assert "Bà Lò Thị Lan" in client.get(reverse("cases:document", args=[case.pk, "01"])).text
    url = reverse("cases:disclosure_add", args=[case.pk])
    assert client.get(url).status_code == 200
    day = today_vn().strftime("%d/%m/%Y")
    data = {"form_number": "01", "recipient": "Trung tâm trợ giúp pháp lý", "purpose": "Trợ giúp pháp lý",
            "disclosed_on": day, "parent_consent_name": "Lò Văn Pành", "parent_consent_on": day}  # fmt: skip
    response = client.post(url, data)
    assert response.status_code == 200 and "child_consent_on" in response.context["form"].errors
    response = client.post(url, {**data, "child_consent_on": day})
    disclosure = Disclosure.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"?disclosure={disclosure.pk}")
    text = client.get(response["Location"]).text
    assert "Trung tâm trợ giúp pháp lý" in text and "Trợ giúp pháp lý" in text
    assert "Bà Lò Thị Lan" not in text and "được giữ bí mật" in text
    assert "Trung tâm trợ giúp pháp lý" in client.get(reverse("cases:detail", args=[case.pk])).text
    # the disclosure was for Mẫu 01: another form is not printed for it
    assert (
        client.get(reverse("cases:document", args=[case.pk, "02"]) + f"?disclosure={disclosure.pk}").status_code == 404
    )


# --- 12. The rapid report rule as data per province ------------------------------------------------------------


def test_rapid_report_default_rule_as_before(worker, tree, make_user, intake_time) -> None:  # noqa: ANN001
    """Outside Lai Châu (Đồng Nai, code 75): serious cases, sexual abuse and trafficking only."""
    far = make_user(roles.COMMUNE_OFFICER, tree.far_commune)
    violence = _open(far, tree.far_commune, intake_time)
    sexual = _open(far, tree.far_commune, intake_time, abuse_forms=["sexual_abuse"])
    serious = _open(far, tree.far_commune, intake_time, serious=True)
    assert set(RapidAlert.objects.values_list("case", flat=True)) == {sexual.pk, serious.pk}
    assert violence.pk not in RapidAlert.objects.values_list("case", flat=True)


def test_rapid_report_lai_chau_every_abuse_case(worker, tree, intake_time) -> None:  # noqa: ANN001
    """Lai Châu (Tam Đường) asks for a rapid report of every abuse and violence case (seeded rule, code 12)."""
    assert RapidReportRule.objects.filter(province_code="12").exists()
    for form in ("violence", "neglect", "abandonment"):
        case = _open(worker, tree.commune, intake_time, abuse_forms=[form])
        alert = RapidAlert.objects.get(case=case)
        assert alert.province == tree.province and "nghiêm trọng" not in alert.summary
    at_risk = _open(worker, tree.commune, intake_time, category="at_risk", abuse_forms=[])
    assert not RapidAlert.objects.filter(case=at_risk).exists()


def test_rapid_report_rule_is_data(worker, tree, intake_time) -> None:  # noqa: ANN001
    RapidReportRule.objects.filter(province_code="12").update(abuse_forms=["trafficking"], on_serious=False)
    assert not RapidAlert.objects.filter(case=_open(worker, tree.commune, intake_time, serious=True)).exists()
    assert RapidAlert.objects.filter(
        case=_open(worker, tree.commune, intake_time, abuse_forms=["trafficking"])
    ).exists()


def test_rapid_report_rules_admin_page(client, tree, intake_time) -> None:  # noqa: ANN001
    from treem.accounts.models import User

    admin = User.objects.create_superuser("quantri", password="x")
    login(client, admin)
    assert client.get(reverse("admin:cases_rapidreportrule_changelist")).status_code == 200
    rule = RapidReportRule.objects.get(province_code="12")
    page = client.get(reverse("admin:cases_rapidreportrule_change", args=[rule.pk]))
    assert page.status_code == 200 and "Tỉnh Lai Châu" in page.text
