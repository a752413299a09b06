"""Who takes the decisions in a case (NĐ 56/2017, Luật Trẻ em): the worker proposes the closure and the commune
chairman decides it (Art. 30.1b–c); separation, its extension and its end are the chairman's (Art. 32.2–3), the end
only after the family's re-assessment (Mẫu 03); a vice-chairman signs "KT. Chủ tịch" only under a recorded
delegation, and the printed decisions say so."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from treem.accounts import roles
from treem.accounts.tests.helpers import login
from treem.audit.models import AuditEvent
from treem.cases import services
from treem.cases.access import cases_for_user
from treem.cases.models import Status
from treem.cases.tests.test_services import REVIEW, walk
from treem.core.dates import today_vn

pytestmark = pytest.mark.django_db

REFUSED = (PermissionDenied, ValidationError)


@pytest.fixture
def vice(tree, make_user):  # noqa: ANN001, ANN201
    return make_user(roles.COMMUNE_VICE_CHAIRMAN, tree.commune, first_name="Hùng", last_name="Lò Văn")


def delegate(chairman, vice, tree, *, start: int = -1, end: int = 30, document: str = "QĐ 12/QĐ-UBND"):  # noqa: ANN001, ANN201
    today = today_vn()
    return services.delegation_grant(
        actor=chairman, commune=tree.commune, delegate=vice, valid_from=today + dt.timedelta(days=start),
        valid_to=today + dt.timedelta(days=end), document=document,
    )  # fmt: skip


def to_review(case, worker, chairman):  # noqa: ANN001, ANN201
    return walk(case, worker, chairman, Status.REVIEW)


# --- 6. closure: the worker proposes, the chairman decides (Art. 30.1b–c) -----------------------------------------


def test_art_30_1c_the_worker_cannot_close_a_case_the_chairman_decides(case, worker, chairman) -> None:  # noqa: ANN001
    case = to_review(case, worker, chairman)
    with pytest.raises(REFUSED):
        services.case_transition(actor=worker, case=case, to=Status.CLOSED, data=REVIEW)
    case = services.case_transition(actor=worker, case=case, to=Status.CLOSURE_PROPOSED, data=REVIEW)
    with pytest.raises(PermissionDenied):
        services.case_transition(actor=worker, case=case, to=Status.CLOSED)
    case = services.case_transition(actor=chairman, case=case, to=Status.CLOSED, data={"decision_no": "31"})
    assert case.status == Status.CLOSED and case.closed_at is not None
    decision = case.events.get(to_status=Status.CLOSED)
    assert decision.by == chairman and decision.data["ground"] == "safe_stable"
    assert decision.data["signature"] == {"name": chairman.get_full_name() or chairman.username, "on_behalf": False}


def test_art_30_1b_the_chairman_cannot_close_without_the_workers_proposal(case, worker, chairman) -> None:  # noqa: ANN001
    case = to_review(case, worker, chairman)
    with pytest.raises(REFUSED):
        services.case_transition(actor=chairman, case=case, to=Status.CLOSED, data=REVIEW)
    with pytest.raises(PermissionDenied):  # proposing is the worker's step
        services.case_transition(actor=chairman, case=case, to=Status.CLOSURE_PROPOSED, data=REVIEW)


def test_art_30_1b_no_closure_before_an_assessment_without_verification(case, worker, chairman) -> None:  # noqa: ANN001
    """Straight from the intake nobody closes: not even the chairman (today's code let them)."""
    for actor, to in ((chairman, Status.CLOSED), (worker, Status.CLOSED), (worker, Status.CLOSURE_PROPOSED)):
        with pytest.raises(REFUSED):
            services.case_transition(actor=actor, case=case, to=to, data={"reason": "Báo tin sai"})
    case.refresh_from_db()
    assert case.status == Status.INTAKE


def test_art_30_1b_not_a_protection_case_after_verification_with_a_reason(case, worker, chairman) -> None:  # noqa: ANN001
    case = services.case_transition(actor=worker, case=case, to=Status.VERIFICATION, note="Đã xác minh")
    with pytest.raises(ValidationError):
        services.case_transition(actor=worker, case=case, to=Status.CLOSURE_PROPOSED, data={"reason": " "})
    case = services.case_transition(
        actor=worker, case=case, to=Status.CLOSURE_PROPOSED, note="Em sống cùng bà, an toàn",
        data={"reason": "Em sống cùng bà, an toàn"},
    )  # fmt: skip
    proposal = case.events.get(to_status=Status.CLOSURE_PROPOSED)
    assert proposal.data == {"reason": "Em sống cùng bà, an toàn", "ground": "not_protection_case"}
    case = services.case_transition(actor=chairman, case=case, to=Status.CLOSED)
    assert case.events.get(to_status=Status.CLOSED).data["ground"] == "not_protection_case"


def test_art_30_1b_no_early_closure_without_a_recorded_verification(case, worker) -> None:  # noqa: ANN001
    """Emergency first, then the initial assessment: there was no verification, so no 'not a protection case'."""
    case = services.case_transition(actor=worker, case=case, to=Status.EMERGENCY)
    case = services.case_transition(actor=worker, case=case, to=Status.INITIAL_ASSESSMENT)
    with pytest.raises(ValidationError):
        services.case_transition(actor=worker, case=case, to=Status.CLOSURE_PROPOSED, data={"reason": "Không sao"})


def test_art_30_1c_the_chairman_refuses_a_closure_and_the_case_goes_back(case, worker, chairman) -> None:  # noqa: ANN001
    case = to_review(case, worker, chairman)
    case = services.case_transition(actor=worker, case=case, to=Status.CLOSURE_PROPOSED, data=REVIEW)
    with pytest.raises(PermissionDenied):
        services.closure_refuse(actor=worker, case=case, note="x")
    with pytest.raises(ValidationError):
        services.closure_refuse(actor=chairman, case=case, note="")
    case = services.closure_refuse(actor=chairman, case=case, note="Cần theo dõi thêm một tháng")
    assert case.status == Status.REVIEW
    refusal = case.events.get(kind="closure_refused")
    assert refusal.note == "Cần theo dõi thêm một tháng" and refusal.to_status == Status.REVIEW


def test_art_30_1c_closure_through_the_pages(client, case, worker, chairman) -> None:  # noqa: ANN001
    from treem.cases.tests.test_views import post_step

    case = to_review(case, worker, chairman)
    login(client, worker)
    detail = client.get(reverse("cases:detail", args=[case.pk])).text
    assert reverse("cases:step", args=[case.pk, Status.CLOSURE_PROPOSED]) in detail
    assert reverse("cases:step", args=[case.pk, Status.CLOSED]) not in detail
    from treem.cases.tests.test_views import REVIEW_ROWS

    assert post_step(client, case, Status.CLOSURE_PROPOSED, **REVIEW_ROWS, conclusion="close").status_code == 302
    assert post_step(client, case, Status.CLOSED).status_code == 403
    login(client, chairman)
    detail = client.get(reverse("cases:detail", args=[case.pk])).text
    assert reverse("cases:step", args=[case.pk, Status.CLOSED]) in detail
    assert reverse("cases:closure_refuse", args=[case.pk]) in detail
    assert post_step(client, case, Status.CLOSED, decision_no="44").status_code == 302
    text = client.get(reverse("cases:document", args=[case.pk, "closure"])).text
    assert "44/QĐ-UBND" in text and "kết thúc hỗ trợ, can thiệp" in text.lower() and "Trẻ an toàn, ổn định" in text
    assert "<strong>CHỦ TỊCH</strong>" in text and "KT. CHỦ TỊCH" not in text


# --- 7. separation, extension and end: the chairman's decisions (Art. 32.2–3) -------------------------------------


def test_art_32_2_a_worker_does_not_decide_a_separation(case, worker, chairman) -> None:  # noqa: ANN001
    for kind in ("separation", "separation_extended", "separation_end"):
        with pytest.raises(PermissionDenied):
            services.case_add_event(actor=worker, case=case, kind=kind, data={"where": "Nhà bà ngoại"})
    assert not case.events.filter(kind__startswith="separation").exists()


def test_art_32_2_the_chairman_decides_the_separation_and_its_extension(case, chairman) -> None:  # noqa: ANN001
    event = services.case_add_event(actor=chairman, case=case, kind="separation", data={"where": "Nhà bà ngoại"})
    assert event.data["signature"]["on_behalf"] is False and event.data["where"] == "Nhà bà ngoại"
    extension = services.separation_extend(
        actor=chairman, case=case, decision_no="07/QĐ-UBND", decision_date=today_vn(), authority="Chủ tịch UBND xã",
        new_end=today_vn() + dt.timedelta(days=5), note="Gia hạn 5 ngày",
    )  # fmt: skip
    assert extension.data["signature"]["on_behalf"] is False


def test_art_32_3_ending_a_separation_needs_a_form_03_reassessment_first(case, worker, chairman) -> None:  # noqa: ANN001
    start = timezone.now() - dt.timedelta(hours=1)
    with pytest.raises(ValidationError):  # nothing to end
        services.case_add_event(actor=chairman, case=case, kind="separation_end")
    services.case_add_event(actor=chairman, case=case, kind="separation", at=start)
    with pytest.raises(ValidationError):
        services.case_add_event(actor=chairman, case=case, kind="separation_end")
    with pytest.raises(PermissionDenied):  # the re-assessment is the worker's, the end the chairman's
        services.case_add_event(actor=chairman, case=case, kind="separation_review", note="Cha mẹ an toàn")
    services.case_add_event(
        actor=worker, case=case, kind="separation_review", at=start + dt.timedelta(minutes=30),
        note="Cha mẹ đã cam kết, môi trường an toàn",
    )  # fmt: skip
    services.case_add_event(actor=chairman, case=case, kind="separation_end")
    assert case.events.filter(kind="separation_end").count() == 1


def test_art_32_3_a_reassessment_before_the_separation_does_not_count(case, worker, chairman) -> None:  # noqa: ANN001
    now = timezone.now()
    services.case_add_event(actor=worker, case=case, kind="separation_review", at=now - dt.timedelta(hours=2), note="x")
    services.case_add_event(actor=chairman, case=case, kind="separation", at=now - dt.timedelta(hours=1))
    with pytest.raises(ValidationError):
        services.case_add_event(actor=chairman, case=case, kind="separation_end")


def test_art_32_the_event_page_offers_each_their_own_events(client, case, worker, chairman) -> None:  # noqa: ANN001
    url = reverse("cases:event_add", args=[case.pk])
    login(client, worker)
    kinds = {v for v, _label in client.get(url).context["form"].fields["kind"].choices}
    assert "separation" not in kinds and "separation_review" in kinds and "service" in kinds
    response = client.post(url, {"on": today_vn().strftime("%d/%m/%Y"), "hour": "00:01", "kind": "separation"})
    assert response.status_code == 200 and not case.events.filter(kind="separation").exists()
    login(client, chairman)
    kinds = {v for v, _label in client.get(url).context["form"].fields["kind"].choices}
    assert kinds == {"separation", "separation_extended", "separation_end"}


# --- 8. a vice-chairman signs "KT. Chủ tịch" only under a recorded delegation ------------------------------------


def test_a_vice_chairman_without_a_delegation_does_not_approve(case, worker, chairman, vice) -> None:  # noqa: ANN001
    case = walk(case, worker, chairman, Status.PLAN_DRAFTED)
    with pytest.raises(PermissionDenied):
        services.case_transition(actor=vice, case=case, to=Status.PLAN_APPROVED)
    assert not cases_for_user(vice).filter(pk=case.pk).exists()


def test_a_vice_chairman_approves_kt_chu_tich_under_a_delegation(client, case, worker, chairman, vice, tree) -> None:  # noqa: ANN001
    case = walk(case, worker, chairman, Status.PLAN_DRAFTED)
    delegation = delegate(chairman, vice, tree)
    assert cases_for_user(vice).filter(pk=case.pk).exists()  # while the delegation runs
    case = services.case_transition(actor=vice, case=case, to=Status.PLAN_APPROVED, data={"decision_no": "15"})
    approval = case.events.get(to_status=Status.PLAN_APPROVED)
    assert approval.data["signature"] == {
        "name": "Lò Văn Hùng", "on_behalf": True, "delegation": delegation.pk, "document": "QĐ 12/QĐ-UBND",
    }  # fmt: skip
    login(client, vice)
    text = client.get(reverse("cases:document", args=[case.pk, "05"])).text
    assert "KT. CHỦ TỊCH" in text and "PHÓ CHỦ TỊCH" in text and "Lò Văn Hùng" in text
    detail = client.get(reverse("cases:detail", args=[case.pk])).text
    assert "QĐ 12/QĐ-UBND" in detail  # the timeline says in what capacity


def test_the_chairmans_own_decision_prints_chu_tich(client, case, worker, chairman) -> None:  # noqa: ANN001
    case = walk(case, worker, chairman, Status.PLAN_APPROVED)
    login(client, chairman)
    text = client.get(reverse("cases:document", args=[case.pk, "05"])).text
    assert "<strong>CHỦ TỊCH</strong>" in text and "KT. CHỦ TỊCH" not in text
    assert f"Chủ tịch Ủy ban nhân dân {case.commune.name}" in text  # the decision's heading and legal bases
    assert "Căn cứ Nghị định số 56/2017/NĐ-CP" in text


@pytest.mark.parametrize("when", ["expired", "future", "revoked", "other_commune"])
def test_a_delegation_that_is_not_valid_is_refused(case, worker, chairman, vice, tree, make_user, when) -> None:  # noqa: ANN001
    case = walk(case, worker, chairman, Status.PLAN_DRAFTED)
    if when == "expired":
        delegate(chairman, vice, tree, start=-30, end=-1)
    elif when == "future":
        delegate(chairman, vice, tree, start=1, end=30)
    elif when == "revoked":
        services.delegation_revoke(actor=chairman, delegation=delegate(chairman, vice, tree))
    else:
        other_vice = make_user(roles.COMMUNE_VICE_CHAIRMAN, tree.sibling)
        services.delegation_grant(
            actor=make_user(roles.COMMUNE_CHAIRMAN, tree.sibling), commune=tree.sibling, delegate=other_vice,
            valid_from=today_vn(), valid_to=today_vn(), document="QĐ 1",
        )  # fmt: skip
        vice = other_vice
    with pytest.raises(REFUSED):
        services.case_transition(actor=vice, case=case, to=Status.PLAN_APPROVED)


def test_the_decision_date_must_fall_in_the_delegation(case, worker, chairman, vice, tree) -> None:  # noqa: ANN001
    case = walk(case, worker, chairman, Status.PLAN_DRAFTED)
    delegate(chairman, vice, tree, start=0, end=5)
    yesterday = timezone.now() - dt.timedelta(days=1, hours=1)
    case.__class__.objects.filter(pk=case.pk).update(status_changed_at=yesterday - dt.timedelta(hours=1))
    case.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.case_transition(actor=vice, case=case, to=Status.PLAN_APPROVED, at=yesterday)


def test_a_vice_chairman_decides_closure_and_separation_kt_chu_tich(client, case, worker, chairman, vice, tree) -> None:  # noqa: ANN001
    delegate(chairman, vice, tree)
    event = services.case_add_event(actor=vice, case=case, kind="separation", data={"where": "Nhà bà ngoại"})
    assert event.data["signature"]["on_behalf"] is True
    login(client, vice)
    text = client.get(reverse("cases:document", args=[case.pk, "07"])).text
    assert "KT. CHỦ TỊCH" in text and "Lò Văn Hùng" in text
    case = to_review(case, worker, chairman)
    case = services.case_transition(actor=worker, case=case, to=Status.CLOSURE_PROPOSED, data=REVIEW)
    services.case_transition(actor=vice, case=case, to=Status.CLOSED)
    text = client.get(reverse("cases:document", args=[case.pk, "closure"])).text
    assert "KT. CHỦ TỊCH" in text and "PHÓ CHỦ TỊCH" in text and "Lò Văn Hùng" in text


def test_only_the_chairman_or_an_administrator_records_a_delegation(tree, chairman, vice, worker, make_user) -> None:  # noqa: ANN001
    with pytest.raises(PermissionDenied):
        delegate(worker, vice, tree)
    with pytest.raises(PermissionDenied):  # another commune's chairman
        delegate(make_user(roles.COMMUNE_CHAIRMAN, tree.sibling), vice, tree)
    with pytest.raises(ValidationError):  # a delegate who is not a vice-chairman
        delegate(chairman, worker, tree)
    with pytest.raises(ValidationError):
        delegate(chairman, vice, tree, start=5, end=1)
    with pytest.raises(ValidationError):
        delegate(chairman, vice, tree, document="  ")
    admin = make_user(roles.SYSTEM_ADMIN, tree.nation)
    delegation = delegate(admin, vice, tree)
    row = AuditEvent.objects.filter(target_type="delegation", target_id=str(delegation.pk)).get()
    assert "Ủy quyền ký thay Chủ tịch" in row.summary and row.unit_path == tree.commune.path


def test_the_delegation_is_recorded_in_the_admin_through_the_service(client, tree, chairman, vice) -> None:  # noqa: ANN001
    from treem.accounts.tests.factories import UserFactory

    root = UserFactory(is_superuser=True, is_staff=True, unit=None)
    login(client, root)
    today = today_vn()
    response = client.post(reverse("admin:cases_delegation_add"), {
        "commune": tree.commune.pk, "delegate": vice.pk, "valid_from": today.isoformat(),
        "valid_to": (today + dt.timedelta(days=3)).isoformat(), "document": "QĐ 7/QĐ-UBND",
    })  # fmt: skip
    assert response.status_code == 302
    assert AuditEvent.objects.filter(target_type="delegation").count() == 1


def test_events_recorded_as_reassessment_become_separation_reviews(case, worker) -> None:  # noqa: ANN001
    """The kind one branch called `reassessment` is `separation_review` (0009); rows already recorded follow (0010)."""
    import importlib

    from django.apps import apps

    from treem.cases.models import CaseEvent

    old = CaseEvent.objects.create(case=case, kind="reassessment", at=timezone.now(), by=worker, note="An toàn")
    importlib.import_module("treem.cases.migrations.0010_reassessment_events_renamed").rename(apps, None)
    old.refresh_from_db()
    assert old.kind == "separation_review"
