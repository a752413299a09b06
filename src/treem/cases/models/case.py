"""The case (Mẫu 01 and what the steps find) and its steps: STATUS_FLOW, the choices of its fields."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from treem.core.dates import date_vn
from treem.core.text import LONG_TEXT_MAX_LENGTH, NOTE_MAX_LENGTH
from treem.registry.models import CHILD_AGE_LIMIT, YOUNG_PERSON_AGE_LIMIT, Child
from treem.units.models import Unit


class Status(models.TextChoices):
    INTAKE = "intake", _("Intake (Form 01)")
    VERIFICATION = "verification", _("Verification")
    INITIAL_ASSESSMENT = "initial_assessment", _("Initial assessment (Form 02)")
    EMERGENCY = "emergency", _("Emergency measures (Form 07)")
    COMPREHENSIVE_ASSESSMENT = "comprehensive_assessment", _("Comprehensive assessment (Form 03)")
    CASE_CONFERENCE = "case_conference", _("Case conference")
    PLAN_DRAFTED = "plan_drafted", _("Plan drafted (Form 04)")
    PLAN_APPROVED = "plan_approved", _("Plan approved (Form 05)")
    IMPLEMENTATION = "implementation", _("Implementation")
    REVIEW = "review", _("Review (Form 06)")
    CLOSURE_PROPOSED = "closure_proposed", _("Closure proposed to the chairman")
    CLOSED = "closed", _("Closed")


S = Status

STATUS_FLOW: dict[str, tuple[str, ...]] = {
    S.INTAKE: (S.VERIFICATION, S.EMERGENCY),
    # Before an assessment a case closes only as "not a protection case", after its verification (services).
    S.VERIFICATION: (S.INITIAL_ASSESSMENT, S.EMERGENCY, S.CLOSURE_PROPOSED),
    S.INITIAL_ASSESSMENT: (S.EMERGENCY, S.COMPREHENSIVE_ASSESSMENT, S.CLOSURE_PROPOSED),
    S.EMERGENCY: (S.INITIAL_ASSESSMENT, S.COMPREHENSIVE_ASSESSMENT),
    S.COMPREHENSIVE_ASSESSMENT: (S.CASE_CONFERENCE,),
    S.CASE_CONFERENCE: (S.PLAN_DRAFTED,),
    S.PLAN_DRAFTED: (S.PLAN_APPROVED, S.PLAN_DRAFTED),
    S.PLAN_APPROVED: (S.IMPLEMENTATION,),
    S.IMPLEMENTATION: (S.REVIEW,),
    S.REVIEW: (S.CLOSURE_PROPOSED, S.PLAN_DRAFTED),
    # NĐ 56 Art. 30.1b–c: the worker proposes the closure, the commune chairman decides it (or refuses: back).
    S.CLOSURE_PROPOSED: (S.CLOSED,),
    S.CLOSED: (),
}

OPEN_STATUSES = tuple(s for s in Status.values if s != Status.CLOSED)


class Channel(models.TextChoices):
    HOTLINE_111 = "hotline_111", _("Hotline 111")
    POLICE = "police", _("Police")
    COMMUNE = "commune", _("Commune People's Committee")
    SOCIAL_AFFAIRS = "social_affairs", _("Social-affairs office")
    SCHOOL = "school", _("School")
    HEALTH = "health", _("Health facility")
    COMMUNITY = "community", _("Community, neighbours")
    SELF = "self", _("The child")
    OTHER = "other", _("Other")


class Category(models.TextChoices):
    ABUSED = "abused", _("Abused")
    AT_RISK = "at_risk", _("At risk of violence, exploitation or abandonment")
    SPECIAL = "special", _("In special circumstances")


class AbuseForm(models.TextChoices):
    VIOLENCE = "violence", _("Violence")
    EXPLOITATION = "exploitation", _("Exploitation")
    SEXUAL_ABUSE = "sexual_abuse", _("Sexual abuse")
    TRAFFICKING = "trafficking", _("Trafficking")
    ABANDONMENT = "abandonment", _("Abandonment")
    NEGLECT = "neglect", _("Neglect")


class Setting(models.TextChoices):
    HOME = "home", _("Family, home")
    SCHOOL = "school", _("School")
    COMMUNITY = "community", _("Community, public place")
    ONLINE = "online", _("Online")
    WORKPLACE = "workplace", _("Workplace")
    FACILITY = "facility", _("Care or social facility")
    OTHER = "other", _("Other")


class AbuserRelation(models.TextChoices):
    UNKNOWN = "", _("Unknown")
    PARENT = "parent", _("Parent")
    CAREGIVER = "caregiver", _("Caregiver or guardian")
    RELATIVE = "relative", _("Other relative")
    ACQUAINTANCE = "acquaintance", _("Acquaintance, neighbour")
    TEACHER = "teacher", _("Teacher, school staff")
    STRANGER = "stranger", _("Stranger")
    OTHER_CHILD = "other_child", _("Another child")


class FeedbackMeans(models.TextChoices):
    PHONE = "phone", _("Phone call")
    EMAIL = "email", _("E-mail")
    LETTER = "letter", _("Letter or official dispatch")
    SYSTEM = "system", _("The helpline's information system")
    OTHER = "other", _("Other")


class Confidentiality(models.TextChoices):
    CONFIDENTIAL = "confidential", _("Confidential (Mật)")
    RESTRICTED = "restricted", _("Restricted (Hạn chế)")


# Mẫu 01 A.2: the parents' names, ages and occupations, the family situation, the likely consequence without
# help and the measures already taken (NĐ 56 Art. 25; the form's fields).
INTAKE_FAMILY_FIELDS = (
    "father_name", "father_age", "father_occupation", "mother_name", "mother_age", "mother_occupation",
    "family_situation", "likely_consequence", "measures_taken",
)  # fmt: skip


class Case(models.Model):
    SCOPE_PATH_FIELD = "unit_path"

    code = models.CharField(_("case number"), max_length=30, unique=True)
    commune = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("commune"))
    unit_path = models.CharField(max_length=120, db_index=True, editable=False)
    child = models.ForeignKey(
        Child, on_delete=models.PROTECT, null=True, blank=True, related_name="cases", verbose_name=_("child")
    )
    child_name = models.CharField(_("child's name as reported"), max_length=200, blank=True)
    child_sex = models.CharField(_("sex"), max_length=1, blank=True)
    child_age_estimate = models.PositiveSmallIntegerField(_("estimated age"), null=True, blank=True)
    intake_at = models.DateTimeField(_("received at"))
    channel = models.CharField(_("received through"), max_length=20, choices=Channel.choices)
    category = models.CharField(_("category"), max_length=10, choices=Category.choices)
    abuse_forms = models.JSONField(_("forms of abuse"), default=list, blank=True)
    setting = models.CharField(_("where it happened"), max_length=12, choices=Setting.choices, blank=True)
    description = models.TextField(
        _("what happened"), max_length=LONG_TEXT_MAX_LENGTH, validators=[MaxLengthValidator(LONG_TEXT_MAX_LENGTH)]
    )
    abuser_relation = models.CharField(
        _("suspected abuser"), max_length=20, choices=AbuserRelation.choices, blank=True, default=""
    )
    in_danger = models.BooleanField(_("life, health or dignity seriously threatened"), default=False)
    serious = models.BooleanField(_("death or grave injury"), default=False)
    # Mẫu 01 A.2 (NĐ 56 Art. 25): the parents and the family, the likely consequence, what was already done.
    father_name = models.CharField(_("father's name"), max_length=200, blank=True)
    father_age = models.PositiveSmallIntegerField(_("father's age"), null=True, blank=True)
    father_occupation = models.CharField(_("father's occupation"), max_length=200, blank=True)
    mother_name = models.CharField(_("mother's name"), max_length=200, blank=True)
    mother_age = models.PositiveSmallIntegerField(_("mother's age"), null=True, blank=True)
    mother_occupation = models.CharField(_("mother's occupation"), max_length=200, blank=True)
    family_situation = models.TextField(
        _("family situation"), blank=True, max_length=NOTE_MAX_LENGTH, validators=[MaxLengthValidator(NOTE_MAX_LENGTH)]
    )
    likely_consequence = models.TextField(
        _("likely consequence without help"), blank=True, max_length=NOTE_MAX_LENGTH,
        validators=[MaxLengthValidator(NOTE_MAX_LENGTH)],
    )  # fmt: skip
    measures_taken = models.TextField(
        _("measures already taken"), blank=True, max_length=NOTE_MAX_LENGTH,
        validators=[MaxLengthValidator(NOTE_MAX_LENGTH)],
    )  # fmt: skip
    informant_consents = models.BooleanField(_("informant agreed to give their identity"), default=False)
    informant_name = models.CharField(_("informant's name"), max_length=200, blank=True)
    informant_contact = models.CharField(_("informant's contact"), max_length=200, blank=True)
    status = models.CharField(_("step"), max_length=30, choices=Status.choices, default=Status.INTAKE)
    status_changed_at = models.DateTimeField(_("step since"))
    confidentiality = models.CharField(
        _("confidentiality"), max_length=12, choices=Confidentiality.choices, default=Confidentiality.CONFIDENTIAL
    )
    workers = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="cases", verbose_name=_("assigned workers"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # The 111 helpline's own reference for a case it passed on; when the case closes, the commune tells the helpline
    # how it ended (Tổng đài 111): when, who, how.
    helpline_ref = models.CharField(_("helpline 111 reference"), max_length=40, blank=True, db_index=True)
    helpline_feedback_on = models.DateField(_("feedback to the helpline on"), null=True, blank=True)
    helpline_feedback_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("feedback given by"),
    )  # fmt: skip
    helpline_feedback_how = models.CharField(
        _("feedback given by means of"), max_length=20, choices=FeedbackMeans.choices, blank=True
    )
    helpline_feedback_note = models.CharField(_("feedback note"), max_length=500, blank=True)
    # When the notice "abuse case without legal outcome" went out (once per case; `notifications.notify_unresolved`).
    unresolved_notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-intake_at"]
        indexes = [models.Index(fields=["unit_path", "status"], name="case_path_status")]

    def __str__(self) -> str:
        return self.code

    @property
    def is_open(self) -> bool:
        return self.status != Status.CLOSED

    def can_transition_to(self, status: str) -> bool:
        return status in STATUS_FLOW[Status(self.status)]

    def child_age_on(self, day: dt.date) -> int | None:
        """The child's age on `day`: from the registry's date of birth, else the estimate at intake plus the years
        since."""
        if self.child is not None and self.child.date_of_birth is not None:
            return self.child.age_on(day)
        if self.child_age_estimate is None:
            return None
        intake = date_vn(self.intake_at)
        return self.child_age_estimate + day.year - intake.year - ((day.month, day.day) < (intake.month, intake.day))

    @property
    def child_age_at_intake(self) -> int | None:
        """The child's age on the intake date (from the registry's date of birth), else the reported estimate."""
        return self.child_age_on(date_vn(self.intake_at))

    @property
    def is_young_person(self) -> bool:
        """16–17 on the intake date: người chưa thành niên, not a child (Luật Trẻ em Art. 1)."""
        age = self.child_age_at_intake
        return age is not None and CHILD_AGE_LIMIT <= age < YOUNG_PERSON_AGE_LIMIT

    @property
    def needs_emergency(self) -> bool:
        """NĐ 56 Art. 31.1: serious threat to (or harm done to) life, health or dignity, or the abuser is the parent or
        caregiver. The clocks add what the initial assessment (Mẫu 02) finds: `clocks.emergency_known`."""
        return (
            self.in_danger or self.serious or self.abuser_relation in (AbuserRelation.PARENT, AbuserRelation.CAREGIVER)
        )
