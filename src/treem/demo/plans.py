"""Demo plans: Lai Châu's programme of action for children 2021–2030 (with the national targets of QĐ 23) and the
province's plan for the current year, its sections and tasks taken from the seed's provincial plan (Kế hoạch
42/KH-UBND, Hưng Yên 2022), assigned to the province's departments and to Khun Há: one task overdue, some in
progress, some done; the Month of Action with the year's theme, its report and children taking part; a children's
forum with recommendations. The education department's reporter is `sgd.laichau`. Safe to run again."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from treem.accounts.models import User
from treem.core.dates import today_vn
from treem.indicators.models import Target
from treem.plans import services
from treem.plans.kinds import kinds_sync
from treem.plans.models import Agency, AgencyKind, EventKind, Plan, Programme, Section, Task
from treem.plans.selectors import overdue_filter
from treem.registry.models import Child, ChildStatus
from treem.units.models import Unit

PROGRAMME_CODE = "lai-chau-2021-2030"
MONTH_OF_ACTION_THEME = "Chung tay bảo vệ trẻ em, hãy lên tiếng phòng, chống xâm hại, bạo lực trẻ em"

# (kind, name, short name, reporters)
AGENCIES = (
    ("education", "Sở Giáo dục và Đào tạo tỉnh Lai Châu", "Sở GD&ĐT", ("sgd.laichau", "nganh.giaoduc")),
    ("health", "Sở Y tế tỉnh Lai Châu", "Sở Y tế", ()),
    ("police", "Công an tỉnh Lai Châu", "Công an tỉnh", ()),
    ("justice", "Sở Tư pháp tỉnh Lai Châu", "Sở Tư pháp", ()),
    ("culture", "Sở Văn hóa, Thể thao và Du lịch tỉnh Lai Châu", "Sở VHTTDL", ()),
    ("unions", "Tỉnh đoàn Lai Châu", "Tỉnh đoàn", ()),
)

SECTIONS = (
    ("II.1", "Tổ chức thực hiện hiệu quả các nghị quyết, chương trình, đề án, kế hoạch về bảo vệ, chăm sóc, giáo dục "
             "trẻ em; nhân rộng mô hình xã, phường phù hợp với trẻ em"),
    ("II.2", "Nâng cao trách nhiệm của các cấp, các ngành; phòng ngừa, phát hiện, hỗ trợ, can thiệp, xử lý các vụ việc "
             "xâm hại trẻ em"),
    ("II.3", "Đẩy mạnh truyền thông phổ biến, giáo dục về kiến thức, kỹ năng thực hiện quyền trẻ em"),
    ("II.8", "Tháng hành động vì trẻ em và các sự kiện trong năm"),
    ("II.9", "Thu thập chỉ tiêu thống kê, báo cáo; cập nhật thông tin trẻ em trên phần mềm quản lý"),
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class PlanStats:
    plans: int
    tasks: int
    overdue: int


def _clamp(day: dt.date, today: dt.date) -> dt.date:
    """A report date: not in the future, not before the plan's year."""
    return max(dt.date(today.year, 1, 1), min(day, today))


def _agencies(province: Unit, specialist: User) -> dict[str, Agency]:
    out = {}
    for kind_code, name, short, reporters in AGENCIES:
        agency = Agency.objects.filter(unit=province, name=name).first()
        if agency is None:
            kind = AgencyKind.objects.get(code=kind_code)
            agency = services.agency_create(actor=specialist, unit=province, kind=kind, name=name, short_name=short)
        for username in reporters:
            user = User.objects.filter(username=username).first()
            if user is not None and not agency.members.filter(pk=user.pk).exists():
                services.agency_member_add(actor=specialist, agency=agency, user=user)
        out[kind_code] = agency
    return out


def _programme(province: Unit, specialist: User) -> Programme:
    programme = Programme.objects.filter(code=PROGRAMME_CODE).first()
    if programme is None:
        programme = services.programme_create(
            actor=specialist, code=PROGRAMME_CODE, unit=province, start_year=2021, end_year=2030,
            name="Chương trình hành động vì trẻ em tỉnh Lai Châu giai đoạn 2021 - 2030",
            document="Thực hiện Quyết định số 23/QĐ-TTg ngày 07/01/2021 của Thủ tướng Chính phủ (dữ liệu mẫu)",
            targets=list(Target.objects.filter(unit__isnull=True, year__in=(2025, 2030))),
        )  # fmt: skip
    return programme


def seed_plans(*, province: Unit, commune: Unit) -> PlanStats:
    kinds_sync()
    specialist = User.objects.get(username="tinh.laichau")
    reporter = User.objects.get(username="sgd.laichau")
    officer = User.objects.get(username="canbo.khunha")
    today = today_vn()
    year = today.year
    agencies = _agencies(province, specialist)
    programme = _programme(province, specialist)
    plan = Plan.objects.filter(unit=province, year=year, programme=programme).first()
    if plan is not None:
        return _stats(plan, today)
    plan = services.plan_create(
        actor=specialist, unit=province, year=year, programme=programme, number="42/KH-UBND",
        title=f"Kế hoạch thực hiện công tác trẻ em tỉnh Lai Châu năm {year}",
    )  # fmt: skip
    services.plan_approve(
        actor=specialist,
        plan=plan,
        approved_on=_clamp(dt.date(year, 3, 11), today),
        approved_by="Phó Chủ tịch UBND tỉnh",
    )
    sections: dict[str, Section] = {
        number: services.section_create(actor=specialist, plan=plan, number=number, title=title)
        for number, title in SECTIONS
    }
    end = dt.date(year, 12, 31)
    late = max(dt.date(year, 1, 1), today - dt.timedelta(days=15))
    kind = {k.code: k for k in EventKind.objects.all()}

    def task(section: str, number: str, title: str, deadline: dt.date, **kw: object) -> Task:
        return services.task_create(
            actor=specialist,
            section=sections[section],
            number=number,
            title=title,
            deadline=deadline,
            **kw,  # type: ignore[arg-type]
        )

    def report(
        t: Task, actor: User, days_ago: int, status: str, percent: int, note: str, difficulties: str = ""
    ) -> None:
        services.progress_record(
            actor=actor, task=t, on=_clamp(today - dt.timedelta(days=days_ago), today), status=status,
            percent=percent, note=note, difficulties=difficulties,
        )  # fmt: skip

    school = task(
        "II.1", "6.a", "Xây dựng môi trường giáo dục lành mạnh, thân thiện, không có bạo lực; tổ chức các hoạt "
        "động thúc đẩy quyền tham gia của trẻ em trong trường học", end, agency=agencies["education"],
        expected_result="100% cơ sở giáo dục có kế hoạch phòng, chống bạo lực học đường",
        budget=120_000_000, funding_source="agency",
    )  # fmt: skip
    report(school, reporter, 90, "in_progress", 30, "Ban hành kế hoạch, tập huấn cho cán bộ quản lý các trường")
    report(school, reporter, 10, "in_progress", 60, "Đã tổ chức 46 buổi sinh hoạt chuyên đề về quyền tham gia",
           "Một số điểm trường vùng sâu chưa có đường truyền Internet")  # fmt: skip
    inspect = task(
        "II.2", "6.d", "Thanh tra, kiểm tra, giám sát hoạt động của các cơ sở giáo dục trẻ em trên địa bàn tỉnh, "
        "nhất là các cơ sở mầm non", late, agency=agencies["education"],
        expected_result="Kiểm tra ít nhất 30 cơ sở mầm non ngoài công lập",
    )  # fmt: skip
    report(inspect, reporter, 40, "in_progress", 40, "Đã kiểm tra 12/30 cơ sở",
           "Thiếu cán bộ thanh tra; đề nghị lùi thời hạn")  # fmt: skip
    clinic = task(
        "II.1", "5.b", "Chỉ đạo tổ chức thực hiện có hiệu quả chính sách khám bệnh, chữa bệnh cho trẻ em dưới 6 tuổi",
        end, agency=agencies["health"], expected_result="100% trẻ em dưới 6 tuổi được cấp thẻ bảo hiểm y tế",
    )  # fmt: skip
    report(clinic, specialist, 20, "in_progress", 75, "Đã cấp thẻ cho 97% trẻ em dưới 6 tuổi")
    task(
        "II.2", "7", "Phối hợp hỗ trợ, can thiệp, bảo vệ an toàn cho trẻ em là nạn nhân bị xâm hại; đấu tranh phòng, "
        "chống tội phạm xâm hại trẻ em và tội phạm mua bán người", end, agency=agencies["police"],
    )  # fmt: skip
    birth = dt.date(year, 9, 30)
    births = task(
        "II.1", "4.b", "Hướng dẫn đăng ký khai sinh cho trẻ em có hoàn cảnh đặc biệt, bảo đảm 100% trẻ em trên địa bàn "
        "tỉnh được đăng ký khai sinh", birth, agency=agencies["justice"],
    )  # fmt: skip
    if birth < today:
        report(births, specialist, (today - birth).days + 5, "done", 100, "100% trẻ em sinh ra được đăng ký khai sinh")
    else:
        report(births, specialist, 5, "in_progress", 80, "Đăng ký khai sinh lưu động tại 6 xã vùng cao")
    task(
        "II.3", "8.b", "Triển khai hiệu quả Chương trình bơi an toàn, phòng, chống đuối nước trẻ em trong trường học "
        "và ngoài cộng đồng", end, agency=agencies["culture"], budget=60_000_000, funding_source="local",
    )  # fmt: skip
    forum = task(
        "II.8", "10", "Tổ chức Diễn đàn trẻ em tỉnh; phát triển mô hình Hội đồng đội trẻ em", end,
        agency=agencies["unions"], event_kind=kind["children_forum"], budget=80_000_000, funding_source="fund",
    )  # fmt: skip
    rec = services.recommendation_add(
        actor=specialist, task=forum, text="Xây thêm điểm vui chơi cho trẻ em ở các bản xa trung tâm",
        addressed_to="UBND tỉnh",
    )  # fmt: skip
    services.recommendation_follow_up(
        actor=specialist, recommendation=rec, follow_up="Đã giao Sở VHTTDL đưa vào kế hoạch năm sau", status="answered"
    )
    services.recommendation_add(
        actor=specialist, task=forum, text="Tăng thời lượng dạy bơi trong hè", addressed_to="Sở VHTTDL"
    )
    _month_of_action(task, report, specialist, kind["month_of_action"], agencies["health"], commune, today)
    data = task(
        "II.9", "12.b", "Rà soát, thu thập, cập nhật số liệu trẻ em vào phần mềm quản lý dữ liệu trẻ em tại cơ sở theo "
        "tháng, quý", end, assignee_unit=commune,
    )  # fmt: skip
    report(data, officer, 7, "in_progress", 50, "Đã cập nhật thông tin trẻ em của 6/9 thôn, bản")
    return _stats(plan, today)


def _month_of_action(
    task: Callable[..., Task], report: Callable[..., None], specialist: User, kind: EventKind, agency: Agency,
    commune: Unit, today: dt.date,
) -> None:  # fmt: skip
    """The Month of Action (June) with the year's theme, run by the health department (the province's child-affairs
    focal point since 2025): its report and children of Khun Há taking part."""
    year = today.year
    end = dt.date(year, 6, 30)
    month = task(
        "II.8", "8", f"Tổ chức Tháng hành động vì trẻ em năm {year}", end, agency=agency,
        event_kind=kind, theme=MONTH_OF_ACTION_THEME, event_date=dt.date(year, 6, 1), budget=150_000_000,
        funding_source="local",
    )  # fmt: skip
    if end < today:
        report(month, specialist, (today - end).days + 2, "done", 100, "Hoàn thành các hoạt động của Tháng hành động")
        services.event_report_save(
            actor=specialist, task=month, held_on=dt.date(year, 6, 1), children_count=1850, adults_count=420,
            narrative="Lễ phát động tại Khun Há; thăm, tặng quà trẻ em có hoàn cảnh đặc biệt; "
            "truyền thông về Tổng đài 111.",
        )  # fmt: skip
    else:
        report(month, specialist, 3, "in_progress", 30, "Ban hành kế hoạch, chuẩn bị lễ phát động")
    children = Child.objects.filter(commune=commune, status=ChildStatus.ACTIVE, merged_into__isnull=True).order_by("pk")
    for child in children[:8]:
        services.participant_add(actor=specialist, task=month, child=child)


def _stats(plan: Plan, today: dt.date) -> PlanStats:
    tasks = Task.objects.filter(plan__unit=plan.unit)
    return PlanStats(
        plans=Plan.objects.filter(unit=plan.unit).count(),
        tasks=tasks.count(),
        overdue=tasks.filter(overdue_filter(today)).count(),
    )
