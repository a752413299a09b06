"""The forms of Nghị định 56/2017 (Mẫu 01–07) as documents: printable HTML in the Vietnamese administrative layout,
and the same page as a PDF through WeasyPrint. Filled from the case and its events; a form whose step has not
happened yet prints blank, for writing by hand.

Documents are always in Vietnamese (they are official papers, not UI), whatever the reader's UI language.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, overload

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from treem.core.dates import VN_TZ, today_vn
from treem.core.money import vnd
from treem.registry.models import DatePrecision, Relation

from .calendar import iso_date
from .models import AbuseForm, Case, CaseEvent, Disclosure, Distribution, EventKind, Status


@dataclass(frozen=True)
class FormSpec:
    number: str
    title: str  # the official title, printed
    label: Any  # UI name (i18n)
    statuses: tuple[str, ...] = ()  # the steps whose content fills it
    kinds: tuple[str, ...] = ()  # or the events
    distribution: str = Distribution.CASE_TEAM  # who it may be given to (NĐ 56 Art. 24.3) without a disclosure


FORMS: dict[str, FormSpec] = {
    f.number: f
    for f in (
        FormSpec("01", "BÁO CÁO TIẾP NHẬN THÔNG TIN TRẺ EM", _("Form 01: intake report"), (Status.INTAKE,)),
        FormSpec("02", "ĐÁNH GIÁ NGUY CƠ BAN ĐẦU, MỨC ĐỘ TỔN HẠI", _("Form 02: initial risk and harm assessment"),
                 (Status.INITIAL_ASSESSMENT,)),
        FormSpec("03", "THU THẬP THÔNG TIN, ĐÁNH GIÁ NGUY CƠ CỤ THỂ", _("Form 03: comprehensive assessment"),
                 (Status.COMPREHENSIVE_ASSESSMENT,)),
        FormSpec("04", "KẾ HOẠCH HỖ TRỢ, CAN THIỆP", _("Form 04: support and intervention plan"),
                 (Status.PLAN_DRAFTED,), distribution=Distribution.IMPLEMENTERS),
        FormSpec("05", "Về việc phê duyệt kế hoạch hỗ trợ, can thiệp", _("Form 05: plan approval decision"),
                 (Status.PLAN_APPROVED,), distribution=Distribution.IMPLEMENTERS),
        FormSpec("06", "RÀ SOÁT, ĐÁNH GIÁ TÌNH TRẠNG TRẺ EM SAU KHI THỰC HIỆN KẾ HOẠCH", _("Form 06: case review"),
                 (Status.REVIEW, Status.CLOSURE_PROPOSED, Status.CLOSED)),
        FormSpec("07", "Về việc tạm thời cách ly trẻ em khỏi cha, mẹ, người chăm sóc",
                 _("Form 07: temporary separation decision"), (Status.EMERGENCY,), (EventKind.SEPARATION,),
                 distribution=Distribution.IMPLEMENTERS),
        # No official form: the chairman's closure decision (NĐ 56 Art. 30.1c), in the layout of Mẫu 05.
        FormSpec("closure", "Về việc kết thúc hỗ trợ, can thiệp đối với trẻ em", _("Closure decision"),
                 (Status.CLOSED,), distribution=Distribution.IMPLEMENTERS),
    )
}  # fmt: skip

CATEGORY_TITLE = {
    "abused": "BỊ XÂM HẠI",
    "at_risk": "CÓ NGUY CƠ BỊ BẠO LỰC, BÓC LỘT, BỎ RƠI",
    "special": "CÓ HOÀN CẢNH ĐẶC BIỆT",
}
SEX_VI = {"M": "Nam", "F": "Nữ"}
LEVELS_VI = [("high", "Cao"), ("medium", "Trung bình"), ("low", "Thấp")]
INITIAL_FACTORS_VI = [
    ("harm", "Mức độ nghiêm trọng của tổn hại"),
    ("danger", "Nguy hiểm hiện tại đối với tính mạng, sức khỏe, nhân phẩm của trẻ em"),
    ("access", "Khả năng người bị nghi gây tổn hại tiếp cận trẻ em"),
    ("obstacles", "Trở ngại đối với sự an toàn của trẻ em tại nơi sinh sống"),
    ("capacity", "Khả năng tự bảo vệ của trẻ em"),
]
ASSESSMENT_ITEMS_VI = [
    ("a", "a) Tình trạng thể chất, tâm lý, tình cảm của trẻ em"),
    ("b", "b) Hoàn cảnh gia đình, khả năng bảo vệ trẻ em của cha, mẹ, người chăm sóc trẻ em"),
    ("c", "c) Các yếu tố có thể dẫn đến việc trẻ em bị xâm hại hoặc tiếp tục bị xâm hại, tiếp tục rơi vào hoàn cảnh "
          "đặc biệt"),
    ("d", "d) Tình trạng học tập, khả năng tự bảo vệ của trẻ em"),
    ("dd", "đ) Sự an toàn, hỗ trợ của cộng đồng"),
    ("e", "e) Nhu cầu về chăm sóc sức khỏe, trợ giúp xã hội, giáo dục, đào tạo nghề, trợ giúp pháp lý, tư vấn tâm "
          "lý và các dịch vụ khác"),
    ("g", "g) Ý kiến của trẻ em"),
    ("h", "h) Ý kiến của cha, mẹ, người chăm sóc trẻ em (trừ trường hợp là người xâm hại trẻ em)"),
]  # fmt: skip
REVIEW_GROUPS_VI = [
    ("a) Mức độ tổn hại", [
        ("harm", "1. Tổn hại đối với trẻ em còn nghiêm trọng không"),
        ("access", "2. Khả năng tiếp cận trẻ em của đối tượng xâm hại"),
        ("obstacles", "3. Trở ngại đối với sự an toàn của trẻ em trong môi trường chăm sóc"),
    ]),
    ("b) Khả năng tự bảo vệ và phục hồi của trẻ em", [
        ("self_protection", "1. Khả năng tự bảo vệ của trẻ em"),
        ("recovery", "2. Sự phục hồi về thể chất, tâm lý của trẻ em"),
    ]),
]  # fmt: skip
# The scope of distribution printed on each document (NĐ 56 Art. 24.3: who may receive it).
DISTRIBUTION_VI = {
    Distribution.CASE_TEAM: [
        "Người làm công tác bảo vệ trẻ em được phân công xử lý vụ việc",
        "Chủ tịch Ủy ban nhân dân xã",
        "Lưu: hồ sơ vụ việc",
    ],
    Distribution.IMPLEMENTERS: [
        "Người làm công tác bảo vệ trẻ em được phân công xử lý vụ việc",
        "Cơ quan, tổ chức, cá nhân thực hiện kế hoạch hỗ trợ, can thiệp",
        "Cha, mẹ, người chăm sóc trẻ em (Điều 28.5 Nghị định 56/2017/NĐ-CP)",
        "Lưu: hồ sơ vụ việc",
    ],
}
DISTRIBUTION_NOTE_VI = (
    "Tài liệu mật: không cung cấp cho người ngoài phạm vi trên khi chưa có sự đồng ý của trẻ em từ đủ 07 tuổi "
    "trở lên và của cha, mẹ, người giám hộ (Điều 6.11 Luật Trẻ em; Điều 24 Nghị định 56/2017/NĐ-CP)."
)


def distribution(spec: FormSpec, disclosure: Disclosure | None = None) -> dict[str, Any]:
    """Who this print may be given to: the form's own scope, or the one recipient of a recorded disclosure."""
    if disclosure is not None:
        parent = f"cha, mẹ, người giám hộ ({disclosure.parent_consent_name})"
        consents = [f"{parent} ngày {disclosure.parent_consent_on:%d/%m/%Y}"]
        if disclosure.child_consent_on:
            consents.append(f"trẻ em ngày {disclosure.child_consent_on:%d/%m/%Y}")
        return {
            "scope": Distribution.DISCLOSURE, "recipients": [disclosure.recipient, "Lưu: hồ sơ vụ việc"],
            "purpose": disclosure.purpose, "consents": "; ".join(consents), "disclosure": disclosure,
        }  # fmt: skip
    return {"scope": spec.distribution, "recipients": DISTRIBUTION_VI[Distribution(spec.distribution)]}


def _latest(events: list[CaseEvent], spec: FormSpec) -> CaseEvent | None:
    found = [
        e for e in events
        if (e.kind == EventKind.TRANSITION and e.to_status in spec.statuses) or e.kind in spec.kinds
    ]  # fmt: skip
    if spec.number == "06":  # the review itself; a closure carries a copy of it (or the review, if written then)
        found = [e for e in found if e.data.get("review")]
        found = [e for e in found if e.to_status == Status.REVIEW] or found
    return found[-1] if found else None


def available(case: Case, events: list[CaseEvent] | None = None) -> list[dict[str, Any]]:
    """Each form with whether the case has its content yet (a form without it prints blank); `events`: the case's,
    when the caller has them already."""
    events = list(case.events.all()) if events is None else events
    return [{"number": n, "label": f.label, "filled": _latest(events, f) is not None} for n, f in FORMS.items()]


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


@overload
def _local(value: dt.datetime) -> dt.datetime: ...
@overload
def _local(value: dt.datetime | None) -> dt.datetime | None: ...
def _local(value: dt.datetime | None) -> dt.datetime | None:
    return value.astimezone(VN_TZ) if value else None


def _dob(case: Case) -> str:
    child = case.child
    if child and child.date_of_birth:
        d = child.date_of_birth
        if child.dob_precision == DatePrecision.MONTH:
            return f"{d:%m/%Y}"
        if child.dob_precision in (DatePrecision.YEAR, DatePrecision.ESTIMATED):
            return f"{d.year}"
        return f"{d:%d/%m/%Y}"
    if case.child_age_estimate is not None:
        return f"khoảng {case.child_age_estimate} tuổi (ước tính)"
    return ""


def _family(case: Case) -> dict[str, str]:
    if case.child is None:
        return {}
    names: dict[str, list[str]] = {"father": [], "mother": [], "caregiver": []}
    for g in case.child.guardianships.select_related("person"):
        key = g.relation if g.relation in (Relation.FATHER, Relation.MOTHER) else "caregiver"
        if key == "caregiver" and not g.is_primary_caregiver:
            continue
        names[key].append(g.person.full_name)
    return {k: ", ".join(v) for k, v in names.items()}


def plan_rows(data: dict[str, Any]) -> tuple[list[dict[str, Any]], int]:
    rows, total = [], 0
    for r in data.get("plan") or []:
        if not isinstance(r, dict):
            continue
        dates = {key: iso_date(r.get(key)) for key in ("start", "end")}
        cost = r.get("cost") if isinstance(r.get("cost"), int) else None
        total += cost or 0
        rows.append({**r, **dates, "cost": cost, "cost_text": money(cost)})
    return rows, total


def money(amount: int | None) -> str:
    """500.000: Vietnamese groups thousands with dots."""
    return "" if amount is None else vnd(amount)


def context(case: Case, number: str, *, show_informant: bool, disclosure: Disclosure | None = None) -> dict[str, Any]:
    spec = FORMS[number]
    events = list(case.events.select_related("by"))
    event = _latest(events, spec)
    data = event.data if event else {}
    if number == "05":  # the decision approves the plan in force: the latest one drafted before it
        plan = _latest(events, FORMS["04"])
        plan_data = plan.data if plan else {}
    else:
        plan_data = data
    rows, total = plan_rows(plan_data)
    signed_at = _local(event.at if event else None)
    separation = None
    if number == "07" and event is not None:
        separation = _separation_period(events, event)
    risk = _dict(data.get("risk")) if number == "02" else {}
    assessment = _dict(data.get("assessment")) if number == "03" else {}
    review = _dict(data.get("review")) if number == "06" else {}
    counts = {code: sum(1 for v in review.values() if v == code) for code, _label in LEVELS_VI}
    return {
        "case": case, "spec": spec, "number": number, "event": event, "data": data, "plan_data": plan_data,
        "rows": rows, "total_cost": money(total), "signed_at": signed_at, "intake_at": _local(case.intake_at),
        "today": today_vn(), "commune": case.commune, "province": case.commune.parent,
        "child": case.child, "dob": _dob(case), "sex": SEX_VI.get(case.child_sex, "Không rõ"),
        "family": _family(case), "show_informant": show_informant,
        "abuse_forms": ", ".join(str(AbuseForm(f).label) for f in case.abuse_forms if f in AbuseForm.values),
        "category_title": CATEGORY_TITLE.get(case.category, ""), "levels": LEVELS_VI,
        "initial_rows": [(label, risk.get(key, "")) for key, label in INITIAL_FACTORS_VI],
        "assessment_rows": [(label, assessment.get(key, "")) for key, label in ASSESSMENT_ITEMS_VI],
        "review_rows": [
            (group, [(label, review.get(key, "")) for key, label in factors]) for group, factors in REVIEW_GROUPS_VI
        ],
        "counts": [counts[code] if review else "" for code, _label in LEVELS_VI], "separation": separation,
        "plan_event": _latest(events, FORMS["04"]), "approval": _latest(events, FORMS["05"]),
        "signature": decision_signature(event), "proposal": _proposal(events, data),
        "distribution": distribution(spec, disclosure), "distribution_note": DISTRIBUTION_NOTE_VI,
    }  # fmt: skip


def decision_signature(event: CaseEvent | None) -> dict[str, Any]:
    """The signer recorded with a decision (its capacity: the chairman, or "KT. Chủ tịch"); blank for none."""
    if event is None:
        return {"name": "", "on_behalf": False}
    sig = _dict(event.data.get("signature"))
    if sig:
        return {"name": str(sig.get("name", "")), "on_behalf": bool(sig.get("on_behalf"))}
    if event.kind == EventKind.TRANSITION and event.to_status == Status.EMERGENCY:
        return {"name": "", "on_behalf": False}  # emergency measures: the separation decision is not yet recorded
    return {"name": event.by.get_full_name() or event.by.username, "on_behalf": False}


def _proposal(events: list[CaseEvent], data: dict[str, Any]) -> CaseEvent | None:
    pk = data.get("proposal_event")
    return next((e for e in events if e.pk == pk), None) if pk else None


def _separation_period(events: list[CaseEvent], event: CaseEvent) -> dict[str, Any]:
    """Mẫu 07 prints the period the decision set (NĐ 56 Art. 32.3), not a presumed 15 days: its end if written
    (blank for writing by hand otherwise), and the extensions decided since, each with its decision."""
    start = _local(event.at)
    until = iso_date(event.data.get("until"))
    end = dt.datetime.combine(until, dt.time(23, 59), tzinfo=VN_TZ) if until else None
    extensions = [
        {
            "decision_no": e.data.get("decision_no", ""), "decision_date": iso_date(e.data.get("decision_date")),
            "authority": e.data.get("authority", ""), "new_end": iso_date(e.data.get("new_end")),
        }
        for e in events
        if e.kind == EventKind.SEPARATION_EXTENDED and e.at >= event.at
    ]  # fmt: skip
    return {"start": start, "end": end, "where": event.data.get("where", ""), "extensions": extensions}


def render_html(
    request: HttpRequest, case: Case, number: str, *, show_informant: bool, pdf: bool = False,
    disclosure: Disclosure | None = None,
) -> str:  # fmt: skip
    with translation.override("vi"):
        ctx = {**context(case, number, show_informant=show_informant, disclosure=disclosure), "pdf": pdf}
        return render_to_string(f"cases/print/mau_{number}.html", ctx, request)


def render_pdf(
    request: HttpRequest, case: Case, number: str, *, show_informant: bool, disclosure: Disclosure | None = None
) -> bytes:
    import weasyprint  # heavy (cairo, pango): loaded only when a PDF is asked for

    html = render_html(request, case, number, show_informant=show_informant, pdf=True, disclosure=disclosure)
    return weasyprint.HTML(string=html).write_pdf()  # no base_url: the template loads nothing from outside


def filename(case: Case, number: str) -> str:
    return f"quyet-dinh-ket-thuc-{case.code}.pdf" if number == "closure" else f"mau-{number}-{case.code}.pdf"
