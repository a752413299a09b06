"""The demo directory of services: in every demo province a social work centre (with a user account that receives
referrals: `ttctxh.laichau`, one of the demo logins) and a legal aid centre; in every demo commune a health station, a
school and the police, and in most of them a play spot or a cultural house (not in all, so the share of communes with
a play spot differs). Two Khun Há cases referred to the province's social work centre: one acknowledged by the
centre, one waiting. Safe to run again: the providers are found by their note marker, the referrals by their case."""

from __future__ import annotations

import datetime as dt

from treem.accounts.models import User
from treem.cases import referrals
from treem.cases.models import OPEN_STATUSES, Case
from treem.core.dates import today_vn
from treem.directory.models import Provider, ProviderKind
from treem.units.models import Level, Unit

MARK = "(dữ liệu mẫu – danh bạ)"
CENTRE_USER = "ttctxh.laichau"  # one of the demo logins (`services.DEMO_USERS`)
OPENED = dt.date(2020, 1, 1)
WORKER = "ctxh.khunha"

# kind code, name pattern ({} is the unit's short name), capacity
IN_PROVINCE = (
    ("social_work_centre", "Trung tâm Công tác xã hội tỉnh {}", 60),
    ("legal_aid", "Trung tâm Trợ giúp pháp lý tỉnh {}", None),
)
IN_COMMUNE = (
    ("health_facility", "Trạm y tế {}", 20),
    ("school", "Trường PTDTBT Tiểu học {}", 350),
    ("police", "Công an xã {}", None),
)
PLAY = (("play_spot", "Điểm vui chơi trẻ em {}", 50), ("cultural_house", "Nhà văn hóa {}", 120))


def _add(kind: str, unit: Unit, name: str, capacity: int | None) -> Provider:
    return Provider.objects.create(
        kind=ProviderKind.objects.get(code=kind), unit=unit, unit_path=unit.path, name=name.format(unit.short_name),
        capacity=capacity, address=unit.full_path, phone="0213 3800 111", opened_on=OPENED, note=MARK,
    )  # fmt: skip


def seed_directory(*, provinces: list[Unit], communes: list[Unit]) -> int:
    """The directory of the demo units, then the two referrals. Returns the providers added."""
    added = 0
    if not Provider.objects.filter(note=MARK).exists():
        for province in provinces:
            for kind, name, capacity in IN_PROVINCE:
                _add(kind, province, name, capacity)
                added += 1
        for i, commune in enumerate(sorted(communes, key=lambda u: u.path)):
            for kind, name, capacity in IN_COMMUNE:
                _add(kind, commune, name, capacity)
                added += 1
            if i % 3 != 2:  # two communes in three have a place to play
                village = Unit.objects.filter(parent=commune, level=Level.VILLAGE).order_by("path").first()
                kind, name, capacity = PLAY[i % 2]
                _add(kind, village or commune, name, capacity)
                added += 1
    lai_chau = next((p for p in provinces if p.code == "12"), None)
    if lai_chau is not None:
        _seed_referrals(lai_chau)
    return added


def _seed_referrals(province: Unit) -> None:
    centre = Provider.objects.filter(note=MARK, unit=province, kind__code="social_work_centre").first()
    worker = User.objects.filter(username=WORKER).first()
    user = User.objects.filter(username=CENTRE_USER).first()
    if centre is None or worker is None or user is None:
        return
    centre.users.add(user)
    if Case.objects.filter(referrals__provider=centre).exists():
        return
    cases = list(Case.objects.filter(workers=worker, status__in=OPEN_STATUSES).order_by("pk")[:2])
    today = today_vn()
    stories = (
        (12, "Tham vấn tâm lý cho trẻ", "Em cần được tham vấn tâm lý sau sự việc; gia đình đồng ý đưa em đến.", True),
        (3, "Hỗ trợ trợ giúp xã hội khẩn cấp", "Gia đình khó khăn, cần hỗ trợ tạm thời về chỗ ở và ăn uống.", False),
    )
    for case, (days_ago, service, summary, acknowledged) in zip(cases, stories, strict=False):
        on = today - dt.timedelta(days=days_ago)
        referral = referrals.referral_make(
            actor=worker, case=case, provider=centre, referred_on=on, service=service, summary=summary,
            parent_consent_name="Người giám hộ (dữ liệu mẫu)", parent_consent_on=on, child_consent_on=on,
        )  # fmt: skip
        if acknowledged:
            referrals.referral_acknowledge(
                actor=user, referral=referral, acknowledged_on=on + dt.timedelta(days=1),
                note="Đã liên hệ gia đình, hẹn buổi tham vấn đầu tiên.",
            )  # fmt: skip
