"""Demo activities of the current year, recorded through the services: in Khun Há a communication campaign in the
Month of Action (leaflets, posters, broadcasts; its cost from the commune's budget and raised funds), an inspection of
summer hazards with findings, one of them remedied, two steering committee meetings with their decisions, and a
children's club with its members; a training of the province's education department (recorded by its reporter
`sgd.laichau`) with Khun Há's officer and collaborators as trainees, paid from the province budget; in every other
demo commune of Lai Châu a campaign and, in every second one, a meeting, so that the communes differ. Dates are
clamped to today (nothing is recorded in the future). Safe to run again: a commune with activities this year is left
as it is."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from treem.accounts.models import User
from treem.activities import services
from treem.activities.kinds import types_sync
from treem.activities.models import Activity, ActivityType
from treem.core.dates import today_vn
from treem.finance.models import FundingSource
from treem.plans.models import Agency, Task
from treem.plans.selectors import tasks_for_user
from treem.registry.models import Child, ChildStatus
from treem.staff.models import Worker
from treem.units.models import Level, Unit


@dataclass(frozen=True, slots=True)
class ActivityStats:
    activities: int
    communes: int


def _day(month: int, day: int, today: dt.date) -> dt.date:
    return max(dt.date(today.year, 1, 1), min(dt.date(today.year, month, day), today))


def _cost(actor: User, activity: Activity, code: str, amount: int, note: str = "") -> None:
    source = FundingSource.objects.filter(code=code).first()
    if source is not None:
        services.cost_add(actor=actor, activity=activity, source=source, amount=amount, note=note)


def _khun_ha(commune: Unit, types: dict[str, ActivityType], today: dt.date) -> None:
    officer = User.objects.get(username="canbo.khunha")
    commune_task = tasks_for_user(officer).filter(assignee_unit=commune, plan__year=today.year).first()
    campaign = services.activity_create(
        actor=officer, type=types["campaign"], unit=commune, task=commune_task, starts_on=_day(6, 1, today),
        ends_on=_day(6, 30, today), title="Truyền thông Tháng hành động vì trẻ em và Tổng đài 111",
        place="Nhà văn hóa các bản", children_male=212, children_female=198, adults_male=96, adults_female=121,
        description="Phát tờ rơi, treo băng rôn, phát thanh trên loa truyền thanh xã về phòng, chống xâm hại trẻ em "
        "và số điện thoại Tổng đài quốc gia bảo vệ trẻ em 111.",
    )  # fmt: skip
    services.material_add(actor=officer, activity=campaign, kind="leaflet", count=1500, note="Tờ rơi Tổng đài 111")
    services.material_add(actor=officer, activity=campaign, kind="poster", count=12)
    services.material_add(actor=officer, activity=campaign, kind="broadcast", count=20, note="Tin phát thanh")
    _cost(officer, campaign, "local", 6_500_000, "In tờ rơi, băng rôn")
    _cost(officer, campaign, "raised", 2_000_000, "Quà cho trẻ em")

    inspection = services.activity_create(
        actor=officer, type=types["inspection"], unit=commune, starts_on=_day(7, 8, today),
        title="Kiểm tra phòng, chống đuối nước trẻ em mùa hè", place="Các ao, hồ, suối trên địa bàn", adults_male=5,
        adults_female=2,
    )  # fmt: skip
    services.finding_add(
        actor=officer, activity=inspection, text="Ao nhà văn hóa bản Hon chưa có rào chắn, biển cảnh báo",
        follow_up="Lắp rào chắn và biển cảnh báo", responsible="Trưởng bản Hon", due_on=_day(7, 31, today),
    )  # fmt: skip
    remedied = services.finding_add(
        actor=officer, activity=inspection, text="Chưa có danh sách trẻ em biết bơi",
        follow_up="Trường học lập danh sách, tổ chức dạy bơi", responsible="Trường THCS xã",
    )  # fmt: skip
    services.finding_done(actor=officer, finding=remedied, done_on=_day(8, 20, today))
    _cost(officer, inspection, "local", 800_000)

    for month, title, decision in (
        (1, "Họp Ban chỉ đạo công tác trẻ em xã, triển khai kế hoạch năm", "Giao các bản rà soát trẻ em có hoàn cảnh "
         "đặc biệt trước 31/3"),
        (7, "Họp Ban chỉ đạo sơ kết 6 tháng", "Tăng cường phòng, chống đuối nước trong dịp hè"),
    ):  # fmt: skip
        meeting = services.activity_create(
            actor=officer, type=types["meeting"], unit=commune, starts_on=_day(month, 15, today), title=title,
            place="Hội trường UBND xã", adults_male=9, adults_female=4,
        )  # fmt: skip
        services.decision_add(actor=officer, activity=meeting, text=decision, responsible="Công chức văn hóa – xã hội")

    club = services.activity_create(
        actor=officer, type=types["club_session"], unit=commune, starts_on=_day(9, 20, today),
        title="Sinh hoạt Câu lạc bộ quyền trẻ em: kỹ năng tự bảo vệ", place="Trường THCS xã", children_male=9,
        children_female=11, adults_female=1,
    )  # fmt: skip
    members = Child.objects.filter(commune=commune, status=ChildStatus.ACTIVE, merged_into__isnull=True)
    for child in members.order_by("-date_of_birth", "pk")[:20]:
        services.person_add(actor=officer, activity=club, child=child)


def _training(province: Unit, commune: Unit, types: dict[str, ActivityType], today: dt.date) -> None:
    reporter = User.objects.get(username="sgd.laichau")
    education = Agency.objects.filter(unit=province, kind__code="education", members=reporter).first()
    if education is None:
        return
    task: Task | None = tasks_for_user(reporter).filter(agency=education, plan__year=today.year).first()
    training = services.activity_create(
        actor=reporter, type=types["training"], unit=province, organiser=education, task=task,
        starts_on=_day(4, 12, today), ends_on=_day(4, 13, today),
        title="Tập huấn kỹ năng bảo vệ trẻ em cho cán bộ, cộng tác viên cấp xã", place="Thành phố Lai Châu",
        adults_male=31, adults_female=43,
    )  # fmt: skip
    services.material_add(actor=reporter, activity=training, kind="other", count=80, note="Tài liệu tập huấn")
    _cost(reporter, training, "province", 45_000_000, "Kinh phí tổ chức lớp")
    trainees = Worker.objects.filter(unit_path__path_prefix=commune.path, until__isnull=True).order_by("pk")
    for worker in trainees[:6]:
        services.person_add(actor=reporter, activity=training, worker=worker)


def _other_commune(commune: Unit, n: int, types: dict[str, ActivityType], today: dt.date) -> None:
    specialist = User.objects.get(username="tinh.laichau")
    campaign = services.activity_create(
        actor=specialist, type=types["campaign"], unit=commune, starts_on=_day(6, 5 + n % 20, today),
        title="Truyền thông Tháng hành động vì trẻ em", children_male=40 + 7 * n, children_female=38 + 5 * n,
        adults_male=12, adults_female=15,
    )  # fmt: skip
    _cost(specialist, campaign, "local", 1_000_000 + 250_000 * (n % 5))
    if n % 2:
        return
    services.activity_create(
        actor=specialist, type=types["meeting"], unit=commune, starts_on=_day(7, 10, today),
        title="Họp Ban chỉ đạo sơ kết 6 tháng", adults_male=7, adults_female=3,
    )  # fmt: skip


def seed_activities(*, communes: list[Unit], commune: Unit) -> ActivityStats:
    """A year of activities for the demo communes of Khun Há's province (see the module)."""
    types_sync()
    types = {t.code: t for t in ActivityType.objects.all()}
    today = today_vn()
    province = commune.parent
    while province is not None and province.level != Level.PROVINCE:
        province = province.parent
    done = set(Activity.objects.filter(starts_on__year=today.year).values_list("unit_path", flat=True).distinct())
    before, touched = Activity.objects.count(), 0
    if commune.path not in done:
        _khun_ha(commune, types, today)
        if province is not None:
            _training(province, commune, types, today)
        touched += 1
    for n, other in enumerate(u for u in communes if u.pk != commune.pk):
        if other.path not in done:
            _other_commune(other, n, types, today)
            touched += 1
    return ActivityStats(Activity.objects.count() - before, touched)
