"""Synthetic child-protection cases in Xã Khun Há, so that every case page shows something on the demo's first run.

Each case is written through the cases app's own services (intake, steps, events, assignment, disclosure, transfer),
dated in the past where the story needs it, on children the demo registry created:
- two clocks to watch on the dashboard: an emergency clock due soon and one overdue;
- a plan approved "KT. Chủ tịch" by the vice-chairman under the chairman's delegation;
- an abuse case past its comprehensive assessment, whose special-circumstance group proposal awaits the officer;
- a case being implemented, with a disclosure recorded with the parent's and the child's consent;
- a closure proposed, awaiting the chairman's decision;
- a case transferred to Long Khánh (Đồng Nai), where the family moved.
A case is known by its description: re-running adds only the missing ones. Synthetic data only.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from treem.accounts.models import User
from treem.cases import services
from treem.cases.disclosures import disclosure_record
from treem.cases.models import AbuseForm, AbuserRelation, Case, Category, Channel, EventKind, Setting, Status
from treem.cases.notifications import notify_overdue
from treem.core.dates import VN_TZ, date_vn
from treem.registry.models import Child, ChildStatus, Relation
from treem.units.models import Unit

WORKER, OFFICER, CHAIRMAN, VICE = "ctxh.khunha", "canbo.khunha", "chutich.khunha", "phochutich.khunha"
DECIDERS = (Status.PLAN_APPROVED, Status.CLOSED)


@dataclass(frozen=True, slots=True)
class CaseStats:
    created: int = 0
    existing: int = 0
    skipped: int = 0  # stories without a fitting child in the registry
    notices: int = 0  # clock notices sent
    stories: tuple[str, ...] = ()  # what the new cases show (`Story.label`)


@dataclass(frozen=True, slots=True)
class Step:
    to: str
    at: dt.datetime
    note: str = ""
    data: dict[str, Any] = field(default_factory=dict)
    by: str = WORKER


@dataclass
class Story:
    key: str
    label: str  # what the case shows, for the seed's summary line
    description: str
    ages: tuple[int, int]  # the child's age today, inclusive
    intake: dict[str, Any]
    steps: list[Step] = field(default_factory=list)
    after: Callable[[Case, Child, dict[str, User]], None] | None = None
    not_in_group: str = ""  # a special-circumstance group the child must not be in already
    prefer: Q | None = None  # children who fit the story best, when the registry has some


class Clock:
    """Times of the stories, relative to now (Vietnam time): `day(k, 9, 30)` is k days ago at 09:30."""

    def __init__(self) -> None:
        self.now = timezone.now().astimezone(VN_TZ)
        self.today = self.now.date()

    def day(self, days_ago: int, hour: int, minute: int = 0) -> dt.datetime:
        at = dt.datetime.combine(self.today - dt.timedelta(days=days_ago), dt.time(hour, minute), tzinfo=VN_TZ)
        return min(at, self.now - dt.timedelta(minutes=days_ago + 1))  # never in the future, in order

    def ago(self, hours: float) -> dt.datetime:
        return self.now - dt.timedelta(hours=hours)

    def iso(self, days_from_now: int) -> str:
        return (self.today + dt.timedelta(days=days_from_now)).isoformat()


def _plan(c: Clock, start: int) -> dict[str, Any]:
    """Mẫu 04: the goal and its rows (services, responsible people, dates, costs), from `start` days from now."""
    return {
        "goal": "Trẻ được an toàn, đi học đều và gia đình đủ khả năng chăm sóc, bảo vệ trẻ.",
        "plan": [
            {"service": "Tư vấn tâm lý cho trẻ và gia đình", "responsible": "Công chức văn hóa - xã hội xã",
             "provider": "Trung tâm Công tác xã hội tỉnh Lai Châu", "start": c.iso(start), "end": c.iso(start + 60),
             "cost": 0},
            {"service": "Hỗ trợ sách vở, đồ dùng học tập và theo dõi chuyên cần", "responsible": "Nhà trường",
             "provider": "Trường PTDTBT THCS xã Khun Há", "start": c.iso(start + 2), "end": c.iso(start + 150),
             "cost": 850_000},
            {"service": "Thăm gia đình hằng tháng", "responsible": "Cộng tác viên bản",
             "provider": "", "start": c.iso(start + 7), "end": c.iso(start + 180), "cost": 0},
        ],
    }  # fmt: skip


RISK_MEDIUM = {"harm": "medium", "danger": "low", "access": "medium", "obstacles": "medium", "capacity": "medium"}
REVIEW_LOW = {"harm": "low", "access": "low", "obstacles": "low", "self_protection": "medium", "recovery": "low"}
ASSESSMENT = {
    "a": "Sức khỏe bình thường, trẻ còn lo lắng, ít nói.",
    "b": "Bố mẹ đi làm ăn xa, trẻ sống với bà nội đã cao tuổi, khả năng chăm sóc hạn chế.",
    "c": "Gia đình khó khăn, trẻ có nguy cơ bỏ học đi làm thuê.",
    "d": "Trẻ đang học, kết quả học tập giảm sút.",
    "dd": "Trưởng bản và hàng xóm sẵn sàng hỗ trợ.",
    "e": "Cần tư vấn tâm lý, hỗ trợ học tập, trợ giúp xã hội.",
    "g": "Trẻ muốn tiếp tục đi học.",
    "h": "Bà nội mong được hỗ trợ để trẻ tiếp tục đi học.",
}
CONFERENCE = {
    "chair": "Chủ tịch UBND xã",
    "participants": "Công chức văn hóa - xã hội, nhân viên công tác xã hội, trưởng bản, đại diện nhà trường, "
    "trạm y tế xã",
    "decisions": "Thống nhất nhu cầu của trẻ và giao xây dựng kế hoạch hỗ trợ, can thiệp trong 05 ngày làm việc.",
}


def _to_plan(c: Clock, start: int, found: str, family: str, carer: str) -> list[Step]:
    """From verification to the drafted plan, beginning `start` days ago; `family` and `carer` fill Mẫu 03 b) and h)."""
    assessment = {**ASSESSMENT, "b": family, "h": f"{carer} mong được hỗ trợ để trẻ tiếp tục đi học."}
    return [
        Step(Status.VERIFICATION, c.day(start, 9), f"Đã đến nhà xác minh: {found}"),
        Step(Status.INITIAL_ASSESSMENT, c.day(start - 1, 10), "Nguy cơ ở mức trung bình, trẻ không bị đe dọa ngay.",
             {"risk": RISK_MEDIUM}),
        Step(Status.COMPREHENSIVE_ASSESSMENT, c.day(start - 3, 14), "Trẻ cần được hỗ trợ, can thiệp.",
             {"assessment": assessment}),
        Step(Status.CASE_CONFERENCE, c.day(start - 4, 8, 30), "", CONFERENCE),
        Step(Status.PLAN_DRAFTED, c.day(start - 5, 15), "", _plan(c, -(start - 7))),
    ]  # fmt: skip


def _approved_by_vice(c: Clock) -> dt.datetime:
    """The vice-chairman's approval: two days ago, but never before 1 January (the delegation runs this year)."""
    new_year = dt.datetime(c.today.year, 1, 1, 7, 30, tzinfo=VN_TZ)
    return min(max(c.day(2, 10), new_year), c.now - dt.timedelta(minutes=1))


def _disclose(case: Case, child: Child, users: dict[str, User]) -> None:
    """The plan given to the school that implements it, with the parent's and the child's consent (Art. 6.11)."""
    today = date_vn(timezone.now())
    parent = (
        child.guardianships.filter(relation__in=[Relation.MOTHER, Relation.FATHER], person__is_deceased=False)
        .select_related("person")
        .order_by("relation")
        .first()
    )
    name = parent.person.full_name if parent else child.household.head_name or "Người giám hộ"
    disclosure_record(
        actor=users[WORKER], case=case, recipient="Trường PTDTBT THCS xã Khun Há",
        purpose="Phối hợp thực hiện hỗ trợ học tập theo kế hoạch đã phê duyệt", form_number="04",
        disclosed_on=today - dt.timedelta(days=15), parent_consent_name=name,
        parent_consent_on=today - dt.timedelta(days=16), child_consent_on=today - dt.timedelta(days=16),
    )  # fmt: skip


def _transfer(to: Unit) -> Callable[[Case, Child, dict[str, User]], None]:
    def run(case: Case, child: Child, users: dict[str, User]) -> None:
        services.case_transfer(
            actor=users[WORKER], case=case, to_commune=to, at=timezone.now() - dt.timedelta(days=1),
            reason=f"Gia đình chuyển vào {to.name} làm công nhân; trẻ sống cùng mẹ tại nơi ở mới.",
        )  # fmt: skip

    return run


def stories(c: Clock, transfer_to: Unit) -> list[Story]:
    hotline = {"channel": Channel.HOTLINE_111}
    return [
        Story(
            "due_soon",
            "emergency clock due soon",
            "Tổng đài 111 nhận tin: trẻ bị bố đánh nhiều lần sau khi bố uống rượu, đêm qua trẻ phải sang nhà hàng "
            "xóm ngủ.",
            (8, 13),
            {
                **hotline,
                "category": Category.ABUSED,
                "abuse_forms": [AbuseForm.VIOLENCE],
                "setting": Setting.HOME,
                "abuser_relation": AbuserRelation.PARENT,
                "in_danger": True,
                "intake_at": c.ago(8 + 10 / 60),
            },
            prefer=_living("father"),
        ),  # fmt: skip
        Story(
            "overdue",
            "emergency clock overdue",
            "Trưởng bản báo: trẻ bị người chăm sóc đánh, có vết bầm ở tay, trẻ sợ không dám về nhà.",
            (6, 11),
            {
                "channel": Channel.COMMUNITY,
                "category": Category.ABUSED,
                "abuse_forms": [AbuseForm.VIOLENCE],
                "setting": Setting.HOME,
                "abuser_relation": AbuserRelation.CAREGIVER,
                "in_danger": True,
                "intake_at": c.day(3, 16, 20),
            },
            [Step(Status.VERIFICATION, c.day(2, 10), "Đã gặp trẻ tại trường; trẻ có vết bầm ở cánh tay trái.")],
        ),  # fmt: skip
        Story(
            "plan_on_behalf",
            "plan approved KT. Chủ tịch",
            "Trẻ có hoàn cảnh đặc biệt, bố mẹ đi làm ăn xa; trẻ sống với bà nội già yếu, thường xuyên nghỉ học.",
            (9, 14),
            {
                "channel": Channel.SCHOOL,
                "category": Category.SPECIAL,
                "setting": Setting.HOME,
                "intake_at": c.day(9, 9, 15),
            },
            [
                *_to_plan(c, 8, "trẻ sống với bà nội, bố mẹ đi làm ở tỉnh khác.", ASSESSMENT["b"], "Bà nội"),
                Step(Status.PLAN_APPROVED, _approved_by_vice(c), "", {"decision_no": "15/QĐ-UBND"}, by=VICE),
            ],
            prefer=Q(circumstances__type__kind="special", circumstances__valid_to__isnull=True),
        ),  # fmt: skip
        Story(
            "group_proposal",
            "group proposal",
            "Trẻ bị chủ quán ở trung tâm xã bắt làm việc nhiều giờ mỗi ngày, không được trả công, phải nghỉ học.",
            (12, 15),
            {
                **hotline,
                "category": Category.ABUSED,
                "abuse_forms": [AbuseForm.EXPLOITATION],
                "setting": Setting.WORKPLACE,
                "abuser_relation": AbuserRelation.ACQUAINTANCE,
                "intake_at": c.day(6, 11, 40),
            },
            [
                Step(Status.VERIFICATION, c.day(5, 9), "Trẻ làm việc tại quán từ 6 giờ sáng đến tối."),
                Step(
                    Status.INITIAL_ASSESSMENT,
                    c.day(4, 15),
                    "Trẻ không còn làm tại quán, đã về ở với gia đình.",
                    {"risk": RISK_MEDIUM},
                ),
                Step(
                    Status.COMPREHENSIVE_ASSESSMENT,
                    c.day(1, 10),
                    "Trẻ bị bóc lột sức lao động; cần hỗ trợ trở lại trường.",
                    {"assessment": {**ASSESSMENT, "c": "Gia đình nghèo, trẻ bị dụ đi làm thuê."}},
                ),
            ],
            not_in_group="k",
        ),  # fmt: skip
        Story(
            "disclosure",
            "disclosure",
            "Nhà trường báo: trẻ nghỉ học nhiều ngày để lên nương cùng gia đình, có nguy cơ bỏ học.",
            (10, 14),
            {
                "channel": Channel.SCHOOL,
                "category": Category.AT_RISK,
                "setting": Setting.HOME,
                "intake_at": c.day(40, 8, 45),
            },
            [
                *_to_plan(
                    c,
                    39,
                    "gia đình khó khăn, trẻ phải đi làm nương.",
                    "Gia đình thuộc hộ nghèo, bố mẹ làm nương xa nhà, ít quan tâm đến việc học của trẻ.",
                    "Bố mẹ",
                ),
                Step(Status.PLAN_APPROVED, c.day(33, 10), "", {"decision_no": "09/QĐ-UBND"}, by=CHAIRMAN),
                Step(Status.IMPLEMENTATION, c.day(32, 8), "Bắt đầu thực hiện kế hoạch."),
            ],
            after=_disclose,
        ),  # fmt: skip
        Story(
            "closure_proposed",
            "closure proposed",
            "Trẻ có nguy cơ bị bỏ mặc khi bố mẹ đi làm thuê dài ngày, để trẻ ở nhà một mình.",
            (7, 12),
            {
                "channel": Channel.COMMUNITY,
                "category": Category.AT_RISK,
                "setting": Setting.HOME,
                "intake_at": c.day(80, 14),
            },
            [
                *_to_plan(
                    c,
                    79,
                    "bố mẹ thường đi làm thuê cả tuần.",
                    "Bố mẹ đi làm thuê theo mùa vụ, để trẻ ở nhà một mình nhiều ngày.",
                    "Bố mẹ",
                ),
                Step(Status.PLAN_APPROVED, c.day(73, 9), "", {"decision_no": "05/QĐ-UBND"}, by=CHAIRMAN),
                Step(Status.IMPLEMENTATION, c.day(72, 8)),
                Step(
                    Status.REVIEW,
                    c.day(4, 9),
                    "Trẻ an toàn, bố mẹ đã thu xếp người trông nom.",
                    {"review": REVIEW_LOW, "conclusion": "close"},
                ),
                Step(
                    Status.CLOSURE_PROPOSED,
                    c.day(2, 15),
                    "Trẻ an toàn và ổn định; đề nghị kết thúc vụ việc.",
                    {"review": REVIEW_LOW, "conclusion": "close"},
                ),
            ],
        ),  # fmt: skip
        Story(
            "transferred",
            "transferred out",
            "Trẻ có nguy cơ phải bỏ học theo gia đình đi làm ăn xa, không được chăm sóc khi bố mẹ đi làm.",
            (6, 10),
            {
                "channel": Channel.COMMUNE,
                "category": Category.AT_RISK,
                "setting": Setting.HOME,
                "intake_at": c.day(9, 10),
            },
            [
                Step(Status.VERIFICATION, c.day(8, 9), "Gia đình chuẩn bị chuyển vào miền Nam làm công nhân."),
                Step(Status.INITIAL_ASSESSMENT, c.day(7, 14), "Nguy cơ ở mức trung bình.", {"risk": RISK_MEDIUM}),
            ],
            after=_transfer(transfer_to),
            prefer=_living("mother"),
        ),  # fmt: skip
    ]


def _living(relation: str) -> Q:
    return Q(guardianships__relation=relation, guardianships__person__is_deceased=False)


def _candidates(commune: Unit) -> QuerySet[Child]:
    return (
        Child.objects.filter(commune=commune, merged_into__isnull=True, status=ChildStatus.ACTIVE, cases__isnull=True)
        .exclude(date_of_birth=None)
        .select_related("household")
        .order_by("pk")
    )


def _pick(story: Story, pool: QuerySet[Child], today: dt.date, households: set[int]) -> Child | None:
    """A child of the story's age, one per household, the same one on every run (a seeded choice)."""
    lo, hi = story.ages
    youngest = dt.date(today.year - lo, today.month, min(today.day, 28))
    oldest = dt.date(today.year - hi - 1, today.month, min(today.day, 28))
    qs = pool.filter(date_of_birth__lte=youngest, date_of_birth__gt=oldest).exclude(household_id__in=households)
    if story.not_in_group:
        qs = qs.exclude(
            pk__in=Child.objects.filter(
                circumstances__type__code=story.not_in_group, circumstances__valid_to__isnull=True
            ).values("pk")
        )
    rng = random.Random(f"demo-case:{story.key}")  # noqa: S311 - a demo's choice, not a secret
    if story.prefer is not None:
        fitting = list(qs.filter(story.prefer).distinct())
        if fitting:
            return rng.choice(fitting)
    children = list(qs)
    return rng.choice(children) if children else None


def _tell(story: Story, child: Child, commune: Unit, users: dict[str, User]) -> Case:
    worker = users[WORKER]
    case = services.case_open(actor=worker, commune=commune, child=child, description=story.description, **story.intake)
    services.case_assign(actor=worker, case=case, worker=users[OFFICER])
    for step in story.steps:
        data = step.data
        if step.to == Status.CLOSURE_PROPOSED and case.status == Status.REVIEW:
            review = case.events.filter(to_status=Status.REVIEW).order_by("-at", "-pk").first()
            data = {**data, "review_event": review.pk} if review else data  # as the step's page: the review's copy
        case = services.case_transition(
            actor=users[step.by], case=case, to=step.to, at=step.at, note=step.note, data=data
        )
    if story.key == "disclosure":  # a service delivered since the plan was approved
        services.case_add_event(
            actor=worker, case=case, kind=EventKind.SERVICE, at=timezone.now() - dt.timedelta(days=20),
            note="Trẻ được nhận sách vở, đồ dùng học tập; đã đi học đều trở lại.",
            data={"where": "Trường PTDTBT THCS xã Khun Há"},
        )  # fmt: skip
    if story.after is not None:
        story.after(case, child, users)
    return case


@transaction.atomic
def seed_cases(*, commune: Unit, transfer_to: Unit) -> CaseStats:
    """The demo's cases in `commune` (Khun Há), one of them transferred to `transfer_to`; only the missing ones."""
    users = {u.username: u for u in User.objects.filter(username__in=[WORKER, OFFICER, CHAIRMAN, VICE])}
    missing = {WORKER, OFFICER, CHAIRMAN, VICE} - set(users)
    if missing:
        raise RuntimeError(f"demo users missing: {sorted(missing)}")
    clock = Clock()
    pool = _candidates(commune)
    existing = skipped = 0
    told: list[str] = []
    households: set[int] = set()
    for story in stories(clock, transfer_to):
        if Case.objects.filter(description=story.description).exists():
            existing += 1
            continue
        child = _pick(story, pool, clock.today, households)
        if child is None:
            skipped += 1
            continue
        households.add(child.household_id)
        _tell(story, child, commune, users)
        told.append(story.label)
    notices = notify_overdue().notices_sent if told else 0
    return CaseStats(len(told), existing, skipped, notices, tuple(told))
