"""Demo child-friendly commune assessments of the last finished year in Lai Châu: Khun Há self-assessed and awaiting
the province's appraisal, a second commune recognised, a third still a draft; then the indicator
`child_friendly_communes` computed for that year, so the list, the form and the indicator all open with data.

Every step goes through the services (signed, audited); the recognised one's dates are then set back to the
assessment season of its year (November–December), as the assessment would have happened then."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile

from treem.accounts import roles
from treem.accounts.models import Role, User
from treem.assessments import services
from treem.assessments.models import Assessment, Category, Score
from treem.core.dates import VN_TZ, today_vn
from treem.core.periods import Period
from treem.indicators.models import Indicator
from treem.indicators.services import compute
from treem.units.models import Unit

from .indicators import demo_periods


@dataclass(frozen=True, slots=True)
class AssessmentStats:
    year: int
    assessments: int


def _fill(actor: User, assessment: Assessment, share: float) -> None:
    """Score every item still empty at `share` of its points (synthetic, at least 1)."""
    for score in Score.objects.filter(assessment=assessment, points__isnull=True).select_related("item"):
        points = max(1, round(score.item.max_points * share))
        services.score_set(actor=actor, assessment=assessment, item=score.item, points=points, note="Dữ liệu mẫu")


def _commune_officer(commune: Unit) -> User:
    """The commune's child-protection officer who signs its self-assessment (no password: not a demo login)."""
    user, created = User.objects.get_or_create(
        username=f"canbo.{commune.code}",
        defaults={
            "first_name": "Thị Thu", "last_name": "Lò", "unit": commune,
            "role": Role.objects.get(code=roles.COMMUNE_OFFICER),
        },
    )  # fmt: skip
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def seed_assessments(*, communes: list[Unit], commune: Unit) -> AssessmentStats:
    officer = User.objects.get(username="canbo.khunha")
    province = User.objects.get(username="tinh.laichau")
    year = int(str(demo_periods()[0]))
    mountain = Category.objects.get(code="disadvantaged")
    others = [c for c in communes if c.pk != commune.pk][:2]
    seeded = 0
    if Assessment.objects.filter(unit__in=[commune, *others], year=year).exists():
        return AssessmentStats(year, 0)

    # Khun Há: pre-filled from its figures, the rest scored, signed and sent to the province
    khun_ha = services.assessment_start(actor=officer, unit=commune, year=year)
    services.category_set(actor=officer, assessment=khun_ha, category=mountain)
    _fill(officer, khun_ha, 0.85)
    evidence = SimpleUploadedFile(
        "bien-ban-tu-danh-gia.txt", "Biên bản tự đánh giá xã phù hợp với trẻ em (dữ liệu mẫu)".encode(),
        content_type="text/plain",
    )  # fmt: skip
    services.evidence_add(actor=officer, assessment=khun_ha, item=None, upload=evidence)
    services.assessment_submit(actor=officer, assessment=khun_ha)
    seeded += 1

    if others:  # a second commune: recognised by the province (every criterion scored by hand)
        own = _commune_officer(others[0])
        done = services.assessment_start(actor=own, unit=others[0], year=year)
        services.category_set(actor=own, assessment=done, category=mountain)
        Score.objects.filter(assessment=done).update(points=None, prefilled=False)
        _fill(own, done, 0.9)
        services.assessment_submit(actor=own, assessment=done)
        services.assessment_appraise(actor=province, assessment=done, agree=True)
        services.assessment_decide(actor=province, assessment=done, number=f"215/QĐ-UBND-{year}", date=today_vn())
        at = dt.datetime(year, 11, 20, 9, tzinfo=VN_TZ)
        Assessment.objects.filter(pk=done.pk).update(
            self_assessed_at=at, appraised_at=at + dt.timedelta(days=10), decided_at=at + dt.timedelta(days=20),
            decision_date=(at + dt.timedelta(days=20)).date(),
        )  # fmt: skip
        seeded += 1
    if len(others) > 1:  # a third: a draft with a few items scored
        own = _commune_officer(others[1])
        draft = services.assessment_start(actor=own, unit=others[1], year=year)
        _fill(own, draft, 0.7)
        for score in Score.objects.filter(assessment=draft, item__criterion__number__gte=10):
            services.score_set(actor=own, assessment=draft, item=score.item, points=None)
        seeded += 1

    indicator = Indicator.objects.filter(code="child_friendly_communes").first()
    if indicator is not None:
        compute(Period.parse(str(year)), [commune.parent or commune], indicators=[indicator])
    return AssessmentStats(year, seeded)
