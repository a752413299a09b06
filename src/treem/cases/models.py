"""Child protection cases under Nghị định 56/2017 Arts. 25–32: the case, its dated events, its legal clocks.

Status moves are checked against STATUS_FLOW and recorded as CaseEvent rows; deadlines are stored rows with an
indexed `due_at`; clock rules and calendar adjustments are data an administrator can correct.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
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


class EventKind(models.TextChoices):
    TRANSITION = "transition", _("Step")
    NOTE = "note", _("Note")
    SERVICE = "service", _("Service or referral")
    SEPARATION = "separation", _("Temporary separation")
    SEPARATION_END = "separation_end", _("Separation ended")
    SEPARATION_EXTENDED = "separation_extended", _("Separation extended")
    PLACEMENT = "placement", _("Alternative-care placement")
    FOLLOW_UP = "follow_up", _("Alternative-care follow-up")
    COURT_PETITION = "court_petition", _("Court petition")
    SEPARATION_REVIEW = "separation_review", _("Re-assessment of the family's safety (Form 03)")
    CARE_CHANGE = "care_change", _("Change of alternative carer or form of care")
    ASSIGNMENT = "assignment", _("Worker assigned")
    CLOSURE_REFUSED = "closure_refused", _("Closure refused by the chairman")
    TRANSFER = "transfer", _("Case transferred to another commune")


# The commune chairman's decisions among the events (NĐ 56 Art. 32.2–3): separation, its extension and its end.
DECISION_EVENT_KINDS = (EventKind.SEPARATION, EventKind.SEPARATION_EXTENDED, EventKind.SEPARATION_END)


class CaseEvent(models.Model):
    """Everything that happened in a case, dated: steps (with the form's content), services, placements…"""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=24, choices=EventKind.choices)
    from_status = models.CharField(max_length=30, blank=True)
    to_status = models.CharField(max_length=30, blank=True)
    at = models.DateTimeField(db_index=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    note = models.TextField(blank=True, max_length=NOTE_MAX_LENGTH, validators=[MaxLengthValidator(NOTE_MAX_LENGTH)])
    data = models.JSONField(default=dict, blank=True)  # the form's content (assessment factors, plan items…)

    class Meta:
        ordering = ["case", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.case} {self.kind} {self.to_status}"


class ClockRule(models.Model):
    """A legal time limit as data: starts at an event, stops at another, lasts hours, days or working days."""

    class Unit(models.TextChoices):
        HOURS = "hours", _("hours")
        DAYS = "days", _("calendar days")
        WORKING_DAYS = "working_days", _("working days")
        MONTHS = "months", _("months")

    code = models.SlugField(unique=True)
    name_vi = models.CharField(max_length=200)
    name_en = models.CharField(max_length=200)
    start_on = models.JSONField(default=list, help_text=_("statuses or event kinds that start the clock"))
    stop_on = models.JSONField(default=list, blank=True, help_text=_("statuses or event kinds that stop it"))
    amount = models.PositiveIntegerField()
    unit = models.CharField(max_length=14, choices=Unit.choices)
    only_if_emergency = models.BooleanField(default=False)
    skip_if_emergency = models.BooleanField(default=False)
    legal_basis = models.CharField(max_length=200, blank=True)
    is_active = models.BooleanField(default=True)
    # --- clock data (h6): where the count starts, the warning, and what outlives the case
    count_from_intake = models.BooleanField(
        default=False, help_text=_("counted from the intake time, whenever the start event happens (once per case)")
    )
    cumulative = models.BooleanField(
        default=False, help_text=_("a limit in total: a new start gets only what earlier runs left")
    )
    warn_after = models.PositiveIntegerField(
        null=True, blank=True, help_text=_("send a 'due soon' notice this long after the start")
    )
    warn_unit = models.CharField(max_length=14, choices=Unit.choices, blank=True)
    survives_closure = models.BooleanField(
        default=False, help_text=_("follows a placement, not the case: still watched after the case is closed")
    )

    class Meta:
        verbose_name = _("legal time limit")
        verbose_name_plural = _("legal time limits")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code

    def starts_on(self, name: str) -> bool:
        return name in (self.start_on if isinstance(self.start_on, list) else [self.start_on])


class Deadline(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="deadlines")
    rule = models.ForeignKey(ClockRule, on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField()
    due_at = models.DateTimeField(db_index=True)
    met_at = models.DateTimeField(null=True, blank=True)
    notified_at = models.DateTimeField(null=True, blank=True)
    warn_at = models.DateTimeField(null=True, blank=True)
    warned_at = models.DateTimeField(null=True, blank=True)
    stopped_by = models.CharField(max_length=40, blank=True)  # the status or event kind that stopped the clock

    class Meta:
        ordering = ["due_at"]
        indexes = [
            models.Index(fields=["due_at"], name="deadline_open_due", condition=Q(met_at__isnull=True)),
        ]

    def __str__(self) -> str:
        return f"{self.case} {self.rule.code} {self.due_at:%d/%m/%Y %H:%M}"


class WorkdayAdjustment(models.Model):
    """Extra days off and make-up working days the Government announces each year (on top of `holidays`)."""

    class Kind(models.TextChoices):
        DAY_OFF = "day_off", _("Extra day off")
        WORKDAY = "workday", _("Make-up working day")

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("working-day adjustment")
        verbose_name_plural = _("working-day adjustments")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {self.kind}"


class Notification(models.Model):
    class Kind(models.TextChoices):
        OVERDUE = "overdue", _("Overdue")
        DUE_SOON = "due_soon", _("Due soon")

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+", null=True, blank=True)
    deadline = models.ForeignKey(Deadline, on_delete=models.CASCADE, related_name="+", null=True, blank=True)
    message = models.CharField(max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.OVERDUE)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "deadline", "kind"], name="notification_once_per_deadline_kind"
            )
        ]

    def __str__(self) -> str:
        return self.message


class RapidAlert(models.Model):
    """'Báo cáo nhanh': a serious new case reported to the province with no identifying details."""

    province = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    unit_path = models.CharField(max_length=120, db_index=True)
    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="rapid_alert")
    created_at = models.DateTimeField(auto_now_add=True)
    summary = models.CharField(max_length=500)
    acknowledged_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.summary


class RapidReportRule(models.Model):
    """Which new cases a province wants a rapid report (báo cáo nhanh) of: data, not code.

    The rule with an empty `province_code` is the default (serious cases, sexual abuse, trafficking); a province's
    own rule replaces it. The province is named by its official code, the same in the former and current trees.
    """

    province_code = models.CharField(
        _("province code"), max_length=20, unique=True, blank=True,
        help_text=_("Official code of the province; empty for the default rule"),
    )  # fmt: skip
    categories = models.JSONField(_("case categories"), default=list, blank=True)
    abuse_forms = models.JSONField(_("forms of abuse that trigger a report"), default=list, blank=True)
    on_serious = models.BooleanField(_("every case with death or grave injury"), default=True)
    on_danger = models.BooleanField(_("every case where the child is seriously threatened"), default=False)
    note = models.CharField(_("basis"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("rapid report rule")
        verbose_name_plural = _("rapid report rules")
        ordering = ["province_code"]

    def __str__(self) -> str:
        return self.province_code or "*"

    def applies_to(self, case: Case) -> bool:
        if case.category not in self.categories:
            return False
        forms = set(case.abuse_forms) & set(self.abuse_forms)
        return bool(forms) or (self.on_serious and case.serious) or (self.on_danger and case.in_danger)


class Distribution(models.TextChoices):
    """Who a case document may be given to (NĐ 56 Art. 24.3): its scope of distribution."""

    CASE_TEAM = "case_team", _("The case team only")
    IMPLEMENTERS = "implementers", _("The case team, the plan's implementers and the parents or caregiver")
    DISCLOSURE = "disclosure", _("A named recipient outside the case team, with consent")


class Disclosure(models.Model):
    """Case information given outside the case team (Luật Trẻ em Art. 6.11, NĐ 56 Art. 24, 36).

    Made only through `disclosures.disclosure_record`, which checks the consents: the parent's or guardian's always,
    the child's when the child is 7 or older on the day.
    """

    SCOPE_PATH_FIELD = "unit_path"

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="disclosures")
    unit_path = models.CharField(max_length=120, db_index=True, editable=False)
    form_number = models.CharField(
        _("form"), max_length=10, blank=True, help_text=_("Mẫu 01–07 or a decision, or empty")
    )
    recipient = models.CharField(_("given to"), max_length=200)
    purpose = models.CharField(_("purpose"), max_length=500)
    disclosed_on = models.DateField(_("date"))
    parent_consent_name = models.CharField(_("parent or guardian who consented"), max_length=200)
    parent_consent_on = models.DateField(_("parent's consent on"))
    child_consent_on = models.DateField(_("child's consent on"), null=True, blank=True)
    child_age = models.PositiveSmallIntegerField(_("child's age on the day"), null=True, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("disclosure")
        verbose_name_plural = _("disclosures")
        ordering = ["-disclosed_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.case} → {self.recipient}"


from .proposal_models import GroupProposal, GroupRule, ProposalStatus  # noqa: E402, F401 - registers them with the app

# --- who decides: delegations to a vice-chairman, and transfers between communes ---------------------------------


class Delegation(models.Model):
    """A vice-chairman signs case decisions "KT. Chủ tịch" (on behalf of the chairman) only under a recorded
    delegation: who, in which commune, from when to when, and the document that gave it."""

    commune = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("commune"))
    delegate = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="delegations", verbose_name=_("vice-chairman")
    )
    valid_from = models.DateField(_("from"))
    valid_to = models.DateField(_("to"))
    document = models.CharField(_("delegation document"), max_length=200)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("delegation to sign for the chairman")
        verbose_name_plural = _("delegations to sign for the chairman")
        ordering = ["-valid_from", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(valid_to__gte=models.F("valid_from")), name="delegation_dates_ordered")
        ]

    def __str__(self) -> str:
        return f"{self.delegate} · {self.valid_from:%d/%m/%Y}–{self.valid_to:%d/%m/%Y} · {self.document}"


class CaseTransfer(models.Model):
    """A case moved to the commune where the child now lives (Luật Trẻ em Art. 52.2), with its history. The sending
    commune keeps read access to what happened up to `event` (the transfer's own timeline row)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="transfers")
    event = models.OneToOneField(CaseEvent, on_delete=models.CASCADE, related_name="+")
    from_commune = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    from_path = models.CharField(max_length=120, db_index=True)
    to_commune = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(max_length=NOTE_MAX_LENGTH, validators=[MaxLengthValidator(NOTE_MAX_LENGTH)])
    workers = models.JSONField(default=list, blank=True)  # the sending commune's workers on the case (user ids)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.case} {self.from_commune} → {self.to_commune}"
