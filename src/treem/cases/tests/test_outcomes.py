"""The legal outcome of abuse cases, the unresolved list and its notice, the 111 helpline reference and feedback."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from treem.accounts import roles
from treem.audit.models import AuditEvent
from treem.cases import outcomes, services
from treem.cases.models import Case, LegalOutcome, Notification, Status
from treem.cases.notifications import notify_unresolved
from treem.cases.selectors import case_list
from treem.core.dates import VN_TZ, today_vn
from treem.ui.selectors import inbox

DAYS = 90


@pytest.fixture
def abuse_case(worker, tree, child):  # noqa: ANN001, ANN201, F811
    at = (timezone.now() - dt.timedelta(days=DAYS + 10)).astimezone(VN_TZ)
    return services.case_open(
        actor=worker, commune=tree.commune, intake_at=at, channel="hotline_111", category="abused",
        description="Em bị đánh nhiều lần", child=child, abuse_forms=["violence"], setting="home",
        helpline_ref="111-2026-0815",
    )  # fmt: skip


@pytest.fixture
def recent_abuse_case(worker, tree):  # noqa: ANN001, ANN201
    at = (timezone.now() - dt.timedelta(days=DAYS - 10)).astimezone(VN_TZ)
    return services.case_open(
        actor=worker, commune=tree.commune, intake_at=at, channel="police", category="abused",
        description="Bị bỏ mặc", child_name="Giàng A Páo", child_age_estimate=9, abuse_forms=["neglect"],
    )  # fmt: skip


@pytest.fixture
def province_specialist(tree, make_user):  # noqa: ANN001, ANN201
    return make_user(roles.PROVINCE_SPECIALIST, tree.province)


def _outcome(actor, case, **kw):  # noqa: ANN001, ANN003, ANN202
    data = {"kind": "criminal", "stage": "reported", "decided_on": today_vn() - dt.timedelta(days=5)} | kw
    return outcomes.outcome_record(actor=actor, case=case, **data)


def test_outcomes_are_a_dated_history_and_each_write_is_audited(abuse_case, worker, chairman):
    _outcome(
        worker, abuse_case, stage="reported", decided_on=today_vn() - dt.timedelta(days=40), authority="Công an xã"
    )
    _outcome(chairman, abuse_case, stage="investigated", decided_on=today_vn() - dt.timedelta(days=20))
    _outcome(worker, abuse_case, stage="verdict", decided_on=today_vn() - dt.timedelta(days=1), note="3 năm tù")
    rows = outcomes.outcomes_of(abuse_case)
    assert [r.stage for r in rows] == ["reported", "investigated", "verdict"]  # earlier rows stay
    assert rows[-1].label == "Truy cứu trách nhiệm hình sự: Đã có bản án"
    audits = AuditEvent.objects.filter(target_type="case", target_id=str(abuse_case.pk), action="create")
    assert audits.filter(summary__startswith="Ghi kết quả xử lý").count() == 3


def test_an_administrative_sanction_needs_its_decree_and_keeps_the_fine(abuse_case, worker):
    with pytest.raises(ValidationError) as exc:
        _outcome(worker, abuse_case, kind="administrative", stage="", amount=5_000_000)
    assert "decree" in exc.value.message_dict
    row = _outcome(
        worker, abuse_case, kind="administrative", stage="tried", decree="QĐ 12/QĐ-XPHC; NĐ 130/2021/NĐ-CP",
        amount=5_000_000,
    )  # fmt: skip
    assert (row.stage, row.amount, row.amount_vnd) == ("", 5_000_000, "5.000.000")  # a stage is only criminal


def test_outcome_rules(abuse_case, worker, case):  # noqa: ANN001 - `case` is an at-risk case
    with pytest.raises(ValidationError):
        _outcome(worker, case)  # not an abuse case
    with pytest.raises(ValidationError) as exc:
        _outcome(worker, abuse_case, stage="")
    assert "stage" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        _outcome(worker, abuse_case, decided_on=today_vn() + dt.timedelta(days=1))
    assert "decided_on" in exc.value.message_dict
    no_violation = _outcome(worker, abuse_case, kind="no_violation", stage="verdict", amount=10)
    assert (no_violation.stage, no_violation.amount) == ("", None)


def test_only_the_case_team_records_an_outcome(abuse_case, tree, make_user, province_specialist):
    other_worker = make_user(roles.COMMUNE_OFFICER, tree.commune)  # same commune, not on the case
    for actor in (other_worker, province_specialist, make_user(roles.VILLAGE_COLLABORATOR, tree.village)):
        with pytest.raises(PermissionDenied):
            _outcome(actor, abuse_case)
    assert not LegalOutcome.objects.exists()


def test_outcome_page_reads_are_audited_and_out_of_scope_is_404(client, abuse_case, worker, tree, make_user):
    url = reverse("cases:outcome_add", args=[abuse_case.pk])
    for outsider in (
        make_user(roles.COMMUNE_OFFICER, tree.sibling),
        make_user(roles.VILLAGE_COLLABORATOR, tree.village),
    ):
        client.force_login(outsider)
        assert client.get(url).status_code == 404
        assert client.post(url, {"kind": "no_violation", "decided_on": "01/01/2026"}).status_code == 404
    client.force_login(worker)
    before = AuditEvent.objects.filter(actor=worker, action="view").count()
    assert client.get(url).status_code == 200
    assert AuditEvent.objects.filter(actor=worker, action="view").count() == before + 1
    day = today_vn() - dt.timedelta(days=3)
    response = client.post(url, {
        "kind": "administrative", "decided_on": f"{day:%d/%m/%Y}", "decree": "NĐ 130/2021/NĐ-CP", "amount": "2000000",
        "authority": "Công an huyện",
    })  # fmt: skip
    assert response.status_code == 302
    html = client.get(reverse("cases:detail", args=[abuse_case.pk])).content.decode()
    assert "Xử phạt vi phạm hành chính" in html and "2.000.000" in html and "111-2026-0815" in html


def test_the_unresolved_list_counts_abuse_cases_past_n_days_without_outcome(
    abuse_case, recent_abuse_case, case, worker, settings
):  # fmt: skip
    settings.TREEM_UNRESOLVED_ABUSE_DAYS = DAYS
    assert [c.pk for c in case_list(worker, unresolved=True)] == [abuse_case.pk]
    assert inbox(worker).count("abuse_unresolved") == 1
    settings.TREEM_UNRESOLVED_ABUSE_DAYS = 30  # the setting decides
    assert {c.pk for c in case_list(worker, unresolved=True)} == {abuse_case.pk, recent_abuse_case.pk}
    settings.TREEM_UNRESOLVED_ABUSE_DAYS = DAYS
    _outcome(worker, abuse_case)  # any outcome, even a first stage, resolves the list's question
    assert case_list(worker, unresolved=True) == []
    assert inbox(worker).count("abuse_unresolved") == 0


def test_the_unresolved_notice_goes_once_to_the_commune_and_the_province(
    abuse_case, recent_abuse_case, worker, chairman, province_specialist, tree, make_user, settings
):  # fmt: skip
    settings.TREEM_UNRESOLVED_ABUSE_DAYS = DAYS
    far = make_user(roles.PROVINCE_SPECIALIST, tree.other_province)
    first = notify_unresolved()
    assert (first.unresolved_cases, first.notices_sent) == (1, 3)
    notices = Notification.objects.filter(kind=Notification.Kind.UNRESOLVED)
    assert {n.recipient_id for n in notices} == {worker.pk, chairman.pk, province_specialist.pk}
    assert all(n.case_id == abuse_case.pk and abuse_case.code in n.message for n in notices)
    assert not notices.filter(recipient=far).exists()
    assert notify_unresolved().notices_sent == 0  # once
    assert inbox(province_specialist).count("abuse_unresolved") == 1
    call_command("cases", "notify-unresolved")
    assert notices.count() == 3


def test_helpline_reference_is_searched_and_feedback_waits_for_the_closure(abuse_case, worker, chairman, client):
    assert [c.pk for c in case_list(worker, helpline_ref="111-2026")] == [abuse_case.pk]
    assert case_list(worker, helpline_ref="111-2025") == []
    client.force_login(worker)
    assert abuse_case.code in client.get(reverse("cases:dashboard"), {"ref": "111-2026-08"}).content.decode()
    with pytest.raises(ValidationError):
        outcomes.helpline_feedback_record(actor=worker, case=abuse_case, on=today_vn(), how="phone")
    Case.objects.filter(pk=abuse_case.pk).update(status=Status.CLOSED, closed_at=timezone.now())
    abuse_case.refresh_from_db()
    assert outcomes.needs_helpline_feedback(abuse_case)
    with pytest.raises(ValidationError):
        outcomes.helpline_feedback_record(actor=worker, case=abuse_case, on=today_vn(), how="pigeon")
    outcomes.helpline_feedback_record(actor=worker, case=abuse_case, on=today_vn(), how="phone", note="Đã báo")
    abuse_case.refresh_from_db()
    assert (abuse_case.helpline_feedback_by, abuse_case.helpline_feedback_how) == (worker, "phone")
    assert not outcomes.needs_helpline_feedback(abuse_case)
    assert AuditEvent.objects.filter(summary__startswith="Phản hồi Tổng đài 111").count() == 1
    html = client.get(reverse("cases:detail", args=[abuse_case.pk])).content.decode()
    assert 'data-testid="helpline-feedback"' in html


def test_intake_form_records_the_helpline_reference(client, worker, tree):
    client.force_login(worker)
    now = timezone.now().astimezone(VN_TZ) - dt.timedelta(minutes=10)
    response = client.post(reverse("cases:intake"), {
        "on": f"{now:%d/%m/%Y}", "hour": f"{now:%H:%M}", "channel": "hotline_111", "helpline_ref": " 111-99 ",
        "category": "abused", "abuse_forms": ["violence"], "description": "Bị đánh", "child_name": "Lò Văn A",
    })  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Case.objects.get().helpline_ref == "111-99"
