"""Demo reports: the 6-month cycle of the last half year in progress for Lai Châu, so the completeness page opens with
data: some communes approved (one of them late), some submitted and waiting for the province, Khun Há returned with
a comment (its officer corrects and resubmits it in the demo), the rest not submitted. The cycle's deadlines are
moved around today (they are data): the communes' a few days ago, the province's in ten days."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from treem.accounts import roles
from treem.accounts.models import Role, User
from treem.core.dates import VN_TZ, today_vn
from treem.core.periods import Period, PeriodKind
from treem.reporting import services
from treem.reporting.models import Cycle, Report, ReportStep, ReportType
from treem.units.models import Level, Unit

APPROVED, SUBMITTED = 5, 3  # communes besides Khun Há; one of the approved was late

TEXTS = {
    "situation": "Toàn xã có {children} trẻ em dưới 16 tuổi; trẻ em có hoàn cảnh đặc biệt được theo dõi, cập nhật "
    "vào sổ ghi chép thông tin trẻ em của các thôn, bản.",
    "results": "Tổ chức 4 buổi truyền thông phòng, chống xâm hại trẻ em tại các bản; tặng quà trẻ em có hoàn cảnh đặc "
    "biệt nhân dịp Tết Thiếu nhi 1/6; rà soát, cập nhật thông tin trẻ em trên phần mềm.",
    "difficulties": "Địa bàn rộng, giao thông khó khăn; cộng tác viên thôn, bản thay đổi nhiều, chưa được tập huấn "
    "đầy đủ.",
    "tasks": "Tiếp tục rà soát, làm sạch dữ liệu trẻ em; tổ chức Diễn đàn trẻ em cấp xã; phòng, chống đuối nước "
    "trong mùa mưa lũ.",
    "proposals": "Đề nghị tỉnh tổ chức tập huấn nghiệp vụ cho công chức làm công tác trẻ em và cộng tác viên.",
}
RETURN_COMMENT = "Đề nghị xã bổ sung số liệu trẻ em bị tai nạn, thương tích và kết quả hỗ trợ trẻ em bị xâm hại."


@dataclass(frozen=True, slots=True)
class ReportingStats:
    cycle: str
    approved: int
    submitted: int
    returned: int


def _writer(commune: Unit, role: Role) -> User:
    """A commune's report writer (synthetic; no password: the demo logs in as Khun Há's officer only)."""
    user, created = User.objects.get_or_create(
        username=f"baocao.{commune.code}",
        defaults={"first_name": "Cán bộ", "last_name": commune.short_name, "role": role, "unit": commune},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def _backdate(report: Report, moment: dt.datetime) -> None:
    """The demo's submissions happened before today: the report and its steps carry the day they were made."""
    Report.objects.filter(pk=report.pk).update(first_submitted_at=moment, submitted_at=moment)
    ReportStep.objects.filter(report=report).update(at=moment)


def _write(report: Report, actor: User) -> Report:
    children = report.figures.get("children", {}).get("", [0])[0]
    texts = {code: text.format(children=int(children or 0)) for code, text in TEXTS.items()}
    return services.save_text(report=report, actor=actor, narratives=texts, signer_name="Nguyễn Văn An")


def seed_reporting(*, province: Unit, commune: Unit, officer: User, reviewer: User) -> ReportingStats:
    today = today_vn()
    period = Period.containing(today, PeriodKind.HALF).previous()
    rtype = ReportType.objects.get(code="six_month")
    code = services.cycle_code(rtype, str(period))
    if Cycle.objects.filter(code=code).exists():  # seeded before
        return ReportingStats(code, 0, 0, 0)
    due = today - dt.timedelta(days=4)
    cycle = services.open_cycle(
        report_type=rtype, period=str(period), actor=reviewer,
        deadlines={Level.COMMUNE: due.isoformat(), Level.PROVINCE: (today + dt.timedelta(days=10)).isoformat()},
    )  # fmt: skip
    role = Role.objects.get(code=roles.COMMUNE_OFFICER)
    others = [u for u in services.reporting_units(cycle, province) if u.pk != commune.pk][: APPROVED + SUBMITTED]

    def at(day: dt.date, hour: int) -> dt.datetime:
        return dt.datetime.combine(day, dt.time(hour), tzinfo=VN_TZ)

    for i, unit in enumerate(others):
        writer = _writer(unit, role)
        report = _write(services.start_report(cycle=cycle, unit=unit, actor=writer), writer)
        report = services.submit(report=report, actor=writer)
        late = i == APPROVED - 1
        _backdate(report, at(due + dt.timedelta(days=2), 9) if late else at(due - dt.timedelta(days=3 - i % 3), 15))
        if i < APPROVED:
            services.approve(report=report, actor=reviewer)
    # Khun Há: submitted on time, returned by the province with what to add
    report = _write(services.start_report(cycle=cycle, unit=commune, actor=officer), officer)
    report = services.submit(report=report, actor=officer)
    _backdate(report, at(due - dt.timedelta(days=1), 16))
    services.return_report(report=report, actor=reviewer, comment=RETURN_COMMENT)
    return ReportingStats(code, APPROVED, SUBMITTED, 1)
