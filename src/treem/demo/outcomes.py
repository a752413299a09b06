"""Demo legal outcomes of abuse cases in Khun Há: one fined under NĐ 130/2021 (passed on by the 111 helpline), one
prosecuted (reported, then investigated), one where no violation was found, and one received four months ago with no
outcome yet, past `TREEM_UNRESOLVED_ABUSE_DAYS` (the unresolved list and its notice). Safe to run again: the cases
are found by their helpline or description marker."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from treem.accounts.models import User
from treem.cases import outcomes, services
from treem.cases.models import Case
from treem.cases.notifications import notify_unresolved
from treem.core.dates import VN_TZ, today_vn
from treem.registry.models import Child, ChildStatus
from treem.units.models import Unit

WORKER = "ctxh.khunha"
MARK = "(dữ liệu mẫu – kết quả xử lý)"

# (days ago received, form of abuse, what happened, helpline reference, outcomes: (days ago, kind, stage, extra))
STORIES: tuple[tuple[int, str, str, str, tuple[tuple[int, str, str, dict[str, object]], ...]], ...] = (
    (
        150,
        "violence",
        "Trẻ bị người hàng xóm đánh gây thương tích nhẹ",
        "111-2026-0412",
        (
            (
                110,
                "administrative",
                "",
                {
                    "decree": "QĐ số 15/QĐ-XPHC; Nghị định 130/2021/NĐ-CP, Điều 22",
                    "amount": 12_000_000,
                    "authority": "Chủ tịch UBND xã",
                },
            ),
        ),
    ),
    (
        130,
        "sexual_abuse",
        "Trẻ bị người quen có hành vi dâm ô",
        "",
        (
            (125, "criminal", "reported", {"authority": "Công an xã"}),
            (90, "criminal", "investigated", {"authority": "Cơ quan CSĐT Công an tỉnh"}),
        ),
    ),
    (
        100,
        "neglect",
        "Nghi trẻ bị bỏ mặc, không được chăm sóc khi ốm",
        "",
        ((70, "no_violation", "", {"authority": "UBND xã", "note": "Gia đình đã đưa trẻ đi khám, có giấy ra viện"}),),
    ),
    (120, "violence", "Trẻ bị cha dượng đánh nhiều lần", "111-2026-0533", ()),  # unresolved
)


def seed_outcomes(*, commune: Unit) -> int:
    """Returns how many cases were opened (0 when they exist already)."""
    if Case.objects.filter(commune=commune, description__endswith=MARK).exists():
        return 0
    worker = User.objects.get(username=WORKER)
    children = list(
        Child.objects.filter(unit_path__path_prefix=commune.path, status=ChildStatus.ACTIVE, cases__isnull=True)
        .exclude(date_of_birth__isnull=True)
        .filter(date_of_birth__lte=today_vn() - dt.timedelta(days=365 * 8))
        .order_by("pk")[: len(STORIES)]
    )
    opened = 0
    now = timezone.now()
    for (days, form, what, ref, steps), child in zip(STORIES, children, strict=False):
        at = (now - dt.timedelta(days=days)).astimezone(VN_TZ).replace(hour=9, minute=30, second=0, microsecond=0)
        case = services.case_open(
            actor=worker, commune=commune, intake_at=at, channel="hotline_111" if ref else "police",
            category="abused", description=f"{what} {MARK}", child=child, abuse_forms=[form], setting="home",
            helpline_ref=ref,
        )  # fmt: skip
        for ago, kind, stage, extra in steps:
            outcomes.outcome_record(
                actor=worker, case=case, kind=kind, stage=stage, decided_on=today_vn() - dt.timedelta(days=ago),
                **extra,  # type: ignore[arg-type]
            )  # fmt: skip
        opened += 1
    notify_unresolved()
    return opened
