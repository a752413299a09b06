"""The household child record book: households, people, children, guardians, and dated circumstances.

Special-circumstance groups and risk flags are intervals (`Circumstance.valid_from`/`valid_to`) so a count on any
past date is exact. Every row is versioned by django-simple-history (who, when, what changed).
Records carry `unit_path`, the materialised path of their village (or commune), for the scope filter.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from treem.core.dates import DatePrecision, today_vn
from treem.core.ethnicity import ETHNIC_GROUPS
from treem.core.text import NOTE_MAX_LENGTH, format_address
from treem.units.models import Unit, province_path

CHILD_AGE_LIMIT = 16  # Luật Trẻ em 2016, Art. 1: a child is a person under 16
YOUNG_PERSON_AGE_LIMIT = 18  # 16-17: kept and labelled, never counted as children
DISABILITY_GROUP = "d"  # the special-circumstance group of children with disabilities (Law on Children Art. 10.1.d)

ETHNICITY_CHOICES = [(name, name) for _code, name in ETHNIC_GROUPS]


class Sex(models.TextChoices):
    MALE = "M", _("Male")
    FEMALE = "F", _("Female")


class PovertyStatus(models.TextChoices):
    POOR = "poor", _("Poor household")
    NEAR_POOR = "near_poor", _("Near-poor household")


class Relation(models.TextChoices):
    FATHER = "father", _("Father")
    MOTHER = "mother", _("Mother")
    GRANDPARENT = "grandparent", _("Grandparent")
    SIBLING = "sibling", _("Adult sibling")
    RELATIVE = "relative", _("Other relative")
    GUARDIAN = "guardian", _("Legal guardian")
    CAREGIVER = "caregiver", _("Alternative caregiver")
    OTHER = "other", _("Other")


class SchoolStatus(models.TextChoices):
    UNKNOWN = "", _("Not recorded")
    NOT_OF_AGE = "not_of_age", _("Not yet of school age")
    PRESCHOOL = "preschool", _("Preschool")
    PRIMARY = "primary", _("Primary school")
    LOWER_SECONDARY = "lower_secondary", _("Lower secondary school")
    UPPER_SECONDARY = "upper_secondary", _("Upper secondary or vocational")
    DROPPED_OUT = "dropped_out", _("Dropped out")
    NEVER_ENROLLED = "never_enrolled", _("Never enrolled")


class Disability(models.TextChoices):
    NONE = "", _("None recorded")
    MILD = "mild", _("Mild")
    SEVERE = "severe", _("Severe")
    VERY_SEVERE = "very_severe", _("Very severe")


class Nutrition(models.TextChoices):
    UNKNOWN = "", _("Not recorded")
    NORMAL = "normal", _("Normal")
    UNDERWEIGHT = "underweight", _("Underweight")
    STUNTED = "stunted", _("Stunted")
    WASTED = "wasted", _("Wasted")
    OVERWEIGHT = "overweight", _("Overweight")


class ChildStatus(models.TextChoices):
    ACTIVE = "active", _("Living in the commune")
    AGED_OUT = "aged_out", _("Aged out")
    MOVED_AWAY = "moved_away", _("Moved away")
    DECEASED = "deceased", _("Deceased")


class DeathCause(models.TextChoices):
    """What a child died of (a death recorded before causes were asked for is "unknown")."""

    NONE = "", _("Not recorded")
    INJURY = "injury", _("Injury or accident")
    ILLNESS = "illness", _("Illness")
    OTHER = "other", _("Other cause")
    UNKNOWN = "unknown", _("Cause unknown")


class CircumstanceKind(models.TextChoices):
    SPECIAL = "special", _("Special circumstance (Law on Children, Art. 10)")
    RISK = "risk", _("Risk")


class CircumstanceType(models.Model):
    """A group of children in special circumstances (letters a…o of Art. 10) or a risk flag; loaded as data."""

    kind = models.CharField(_("kind"), max_length=10, choices=CircumstanceKind.choices)
    code = models.CharField(_("code"), max_length=20)
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=300)
    name_en = models.CharField(_("name (English)"), max_length=300)
    legal_basis = models.CharField(_("legal basis"), max_length=200, blank=True)
    sort_order = models.PositiveSmallIntegerField(default=100)
    is_active = models.BooleanField(default=True)
    confidential = models.BooleanField(
        _("case data (abuse-related)"),
        default=False,
        help_text=_(
            "Membership comes from a child protection case: shown only to those who may see the case, "
            "never in lists, filters, exports or books for anyone else"
        ),
    )
    # Words communes write for the group in their lists (an import reads them besides the letter and the name).
    synonyms = models.JSONField(
        _("other names"),
        default=list,
        blank=True,
        help_text=_("What communes write for this group in their lists; compared without case or diacritics"),
    )

    class Meta:
        verbose_name = _("circumstance type")
        verbose_name_plural = _("circumstance types")
        ordering = ["kind", "sort_order"]
        constraints = [models.UniqueConstraint(fields=["kind", "code"], name="circumstance_type_unique_code")]

    def __str__(self) -> str:
        prefix = f"{self.code}. " if self.kind == CircumstanceKind.SPECIAL else ""
        return prefix + self.name

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "vi").startswith("en") else self.name_vi


class CircumstanceSubtype(models.Model):
    type = models.ForeignKey(CircumstanceType, on_delete=models.CASCADE, related_name="subtypes")
    code = models.CharField(_("code"), max_length=20)
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=400)
    name_en = models.CharField(_("name (English)"), max_length=400)

    class Meta:
        ordering = ["type", "code"]
        constraints = [models.UniqueConstraint(fields=["type", "code"], name="circumstance_subtype_unique_code")]

    def __str__(self) -> str:
        return self.name_en if (get_language() or "vi").startswith("en") else self.name_vi


class Household(models.Model):
    SCOPE_PATH_FIELD = "unit_path"

    code = models.CharField(_("household code"), max_length=40, blank=True, db_index=True)
    commune = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("commune"))
    village = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", null=True, blank=True, verbose_name=_("village")
    )
    unit_path = models.CharField(max_length=120, db_index=True, editable=False)
    address = models.CharField(_("address"), max_length=300, blank=True)
    head = models.ForeignKey(
        "Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("head")
    )
    head_name = models.CharField(_("head of household"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    note = models.TextField(
        _("note"), blank=True, max_length=NOTE_MAX_LENGTH, validators=[MaxLengthValidator(NOTE_MAX_LENGTH)]
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")
        ordering = ["unit_path", "head_name"]

    def __str__(self) -> str:
        return self.head_name or self.code or f"#{self.pk}"

    @property
    def full_address(self) -> str:
        """The written address, then the village and commune (each once): needs `village` and `commune`."""
        return format_address(self.address, self.village.name if self.village else "", self.commune.name)


class HouseholdVisit(models.Model):
    """A dated visit of a household by the commune's officer or a village collaborator (the yearly review of the
    household book: who lives there, what changed). Written only by `services.household_visit_record`."""

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="visits")
    visited_on = models.DateField(_("visited on"))
    visited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("visited by"),
    )  # fmt: skip
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("household visit")
        verbose_name_plural = _("household visits")
        ordering = ["household", "-visited_on", "-pk"]
        indexes = [models.Index(fields=["household", "visited_on"], name="household_visit_day")]
        constraints = [models.UniqueConstraint(fields=["household", "visited_on"], name="household_visit_once_a_day")]

    def __str__(self) -> str:
        return f"{self.household} ({self.visited_on:%d/%m/%Y})"


class HouseholdPoverty(models.Model):
    """Poverty status of a household over time (poor / near-poor), as the commune's annual review decides."""

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="poverty_periods")
    status = models.CharField(_("status"), max_length=10, choices=PovertyStatus.choices)
    valid_from = models.DateField(_("from"))
    valid_to = models.DateField(_("to"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["household", "valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="poverty_period_ordered",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_status_display()} ({self.valid_from}–{self.valid_to or '…'})"


class PersonFields(models.Model):
    full_name = models.CharField(_("full name"), max_length=200)
    name_key = models.CharField(max_length=200, db_index=True, editable=False)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    dob_precision = models.CharField(
        _("date of birth precision"), max_length=10, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    ethnicity = models.CharField(_("ethnicity"), max_length=40, choices=ETHNICITY_CHOICES, blank=True)
    personal_id = models.CharField(_("personal ID number"), max_length=12, null=True, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.full_name


class Person(PersonFields):
    """An adult in a household: parent, grandparent, guardian or caregiver."""

    SCOPE_PATH_FIELD = "unit_path"

    household = models.ForeignKey(
        Household, on_delete=models.SET_NULL, null=True, blank=True, related_name="adults", verbose_name=_("household")
    )
    unit_path = models.CharField(max_length=120, db_index=True, editable=False, blank=True)
    occupation = models.CharField(_("occupation"), max_length=120, blank=True)
    is_deceased = models.BooleanField(_("deceased"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        constraints = [
            models.UniqueConstraint(
                fields=["personal_id"], condition=Q(personal_id__isnull=False), name="person_unique_personal_id"
            )
        ]


class Child(PersonFields):
    """A child of the registry (under 16; 16–17 kept as young people, labelled, never counted as children)."""

    SCOPE_PATH_FIELD = "unit_path"

    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="children", verbose_name=_("household")
    )
    commune = models.ForeignKey(  # indexed first in `child_commune_name`
        Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("commune"), db_index=False
    )
    village = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", null=True, blank=True, verbose_name=_("village")
    )
    unit_path = models.CharField(max_length=120, editable=False, db_index=True)
    search_text = models.CharField(max_length=600, editable=False, blank=True)
    birth_registered = models.BooleanField(_("birth registered"), null=True, blank=True)
    birth_registration_date = models.DateField(_("birth registration date"), null=True, blank=True)
    health_insurance_number = models.CharField(_("health insurance card"), max_length=20, blank=True)
    school_status = models.CharField(
        _("schooling"), max_length=20, choices=SchoolStatus.choices, blank=True, default=SchoolStatus.UNKNOWN
    )
    disability = models.CharField(
        _("disability"), max_length=20, choices=Disability.choices, blank=True, default=Disability.NONE
    )
    nutrition = models.CharField(
        _("nutrition"), max_length=20, choices=Nutrition.choices, blank=True, default=Nutrition.UNKNOWN
    )
    # Đề án 06: the day the commune police confirmed (or corrected) the personal ID against the population database
    id_verified_on = models.DateField(_("personal ID verified on"), null=True, blank=True, editable=False)
    status = models.CharField(_("status"), max_length=12, choices=ChildStatus.choices, default=ChildStatus.ACTIVE)
    status_date = models.DateField(_("status since"), null=True, blank=True)
    status_note = models.CharField(_("status note"), max_length=300, blank=True)
    death_cause = models.CharField(
        _("cause of death"), max_length=10, choices=DeathCause.choices, blank=True, default=DeathCause.NONE
    )
    note = models.TextField(
        _("note"), blank=True, max_length=NOTE_MAX_LENGTH, validators=[MaxLengthValidator(NOTE_MAX_LENGTH)]
    )
    merged_into = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+", db_index=False,
        verbose_name=_("merged into"), help_text=_("Set when this record was found to be a duplicate and merged"),
    )  # fmt: skip
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords(excluded_fields=["updated_at", "search_text", "name_key"])

    class Meta:
        verbose_name = _("child")
        verbose_name_plural = _("children")
        ordering = ["name_key", "date_of_birth"]
        indexes = [
            models.Index(fields=["unit_path", "name_key"], name="child_path_name"),
            models.Index(fields=["commune", "name_key", "date_of_birth", "id"], name="child_commune_name"),
            # the few merged records only: a list's `merged_into IS NULL` must never look like a reason to walk it
            models.Index(fields=["merged_into"], condition=Q(merged_into__isnull=False), name="child_merged_into"),
            # a province in name order by an exact equality (see `selectors.in_unit`), on both databases
            models.Index(province_path(), F("name_key"), F("date_of_birth"), F("id"), name="child_province_name"),
            models.Index(fields=["date_of_birth", "name_key"], name="child_dob_name"),  # matching after an import
            models.Index(fields=["name_key", "date_of_birth"], name="child_name_dob"),  # matching after an import
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["personal_id"], condition=Q(personal_id__isnull=False), name="child_unique_personal_id"
            )
        ]

    def age_on(self, day: dt.date) -> int | None:
        if self.date_of_birth is None:
            return None
        b = self.date_of_birth
        return day.year - b.year - ((day.month, day.day) < (b.month, b.day))

    @property
    def age(self) -> int | None:
        return self.age_on(today_vn())

    @property
    def is_young_person(self) -> bool:
        age = self.age
        return age is not None and CHILD_AGE_LIMIT <= age < YOUNG_PERSON_AGE_LIMIT

    @property
    def place(self) -> str:
        """Where the child lives: village and commune (needs `village` and `commune`)."""
        return format_address(self.village.name if self.village else "", self.commune.name)


class IdCheckOutcome(models.TextChoices):
    """What the commune police answered about a child's personal ID (Đề án 06)."""

    VERIFIED = "verified", _("Verified")
    CORRECTED = "corrected", _("Corrected")
    NOT_FOUND = "not_found", _("Not found")


class IdCheck(models.Model):
    """One answer of the police about a child's personal ID against the population database (Đề án 06): every
    answer is kept, the latest one is the child's state (a number not found then corrected counts as corrected).
    Written only by `services.id_check_record`."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="id_checks")
    outcome = models.CharField(_("police answer"), max_length=10, choices=IdCheckOutcome.choices)
    checked_on = models.DateField(_("checked on"))
    personal_id = models.CharField(_("personal ID number asked about"), max_length=12, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("ID check")
        verbose_name_plural = _("ID checks")
        ordering = ["child", "-checked_on", "-pk"]
        indexes = [models.Index(fields=["child", "-checked_on", "-id"], name="id_check_latest")]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} ({self.checked_on:%d/%m/%Y})"


class ResidenceQuerySet(models.QuerySet["Residence"]):
    def on(self, day: dt.date) -> ResidenceQuerySet:
        """Where children lived on `day`: moved in on or before it (or since birth), not yet left."""
        return self.filter(Q(moved_in__isnull=True) | Q(moved_in__lte=day)).filter(
            Q(left_on__isnull=True) | Q(left_on__gt=day)
        )


class Residence(models.Model):
    """Where a child lived from one date to another: the registry's dated place, which statistics count by.

    `moved_in` empty means since birth (records are often entered after the fact: before the first recorded move
    the child lived there). `left_on` is the day the child stopped living there (moved away, died): the child is
    not counted there on that day. Written only by the registry services, never edited by hand."""

    SCOPE_PATH_FIELD = "unit_path"

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="residences")
    commune = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("commune"))
    village = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", null=True, blank=True, verbose_name=_("village")
    )
    unit_path = models.CharField(max_length=120, editable=False, db_index=True)
    moved_in = models.DateField(_("moved in"), null=True, blank=True, help_text=_("Empty: since birth"))
    left_on = models.DateField(_("left on"), null=True, blank=True)

    objects = ResidenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("residence")
        verbose_name_plural = _("residences")
        ordering = ["child", "moved_in"]
        indexes = [
            models.Index(fields=["child", "left_on"], name="residence_child_left"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(moved_in__isnull=True) | Q(left_on__gt=models.F("moved_in")),
                name="residence_period_ordered",
            )
        ]

    def __str__(self) -> str:
        return f"{self.village or self.commune} ({self.moved_in or '…'}–{self.left_on or '…'})"


class Guardianship(models.Model):
    """Who cares for the child: father, mother, grandparent, guardian…, and whether they live together."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="guardianships")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="guardianships")
    relation = models.CharField(_("relation"), max_length=20, choices=Relation.choices)
    lives_with_child = models.BooleanField(_("lives with the child"), default=True)
    is_primary_caregiver = models.BooleanField(_("primary caregiver"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("guardian")
        verbose_name_plural = _("guardians")
        constraints = [models.UniqueConstraint(fields=["child", "person"], name="guardianship_unique_pair")]

    def __str__(self) -> str:
        return f"{self.get_relation_display()}: {self.person}"


class CircumstanceQuerySet(models.QuerySet["Circumstance"]):
    def on(self, day: dt.date) -> CircumstanceQuerySet:
        """Intervals that include `day` (both ends inclusive; an open end means still in force)."""
        return self.filter(valid_from__lte=day).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))


class Circumstance(models.Model):
    """A child's membership of a special-circumstance group or a risk flag, from one date to another."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="circumstances")
    type = models.ForeignKey(CircumstanceType, on_delete=models.PROTECT, related_name="+", verbose_name=_("group"))
    subtype = models.ForeignKey(
        CircumstanceSubtype,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sub-type"),
    )
    valid_from = models.DateField(_("from"))
    valid_to = models.DateField(_("to"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=200, blank=True, help_text=_("Who or what established it"))
    note = models.TextField(
        _("note"), blank=True, max_length=NOTE_MAX_LENGTH, validators=[MaxLengthValidator(NOTE_MAX_LENGTH)]
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    # Case data: copied from the type when recorded (a row stays confidential if the type is changed later).
    # `source_case_id`/`source_unit_path` name the case that established it; a plain id, not a foreign key,
    # because the registry does not depend on the cases app (cases registers who may see it, see `confidential`).
    confidential = models.BooleanField(_("case data"), default=False, editable=False)
    source_case_id = models.PositiveBigIntegerField(null=True, blank=True, editable=False, db_index=True)
    source_unit_path = models.CharField(max_length=120, blank=True, editable=False)
    history = HistoricalRecords()

    objects = CircumstanceQuerySet.as_manager()

    class Meta:
        verbose_name = _("circumstance")
        verbose_name_plural = _("circumstances")
        ordering = ["child", "valid_from"]
        indexes = [models.Index(fields=["type", "valid_from", "valid_to"], name="circumstance_type_period")]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="circumstance_period_ordered",
            )
        ]

    def __str__(self) -> str:
        return f"{self.type} ({self.valid_from}–{self.valid_to or '…'})"

    def is_open_on(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or self.valid_to >= day)


# --- injuries and accidents -----------------------------------------------------------------------------------


class IncidentKind(models.Model):
    """A kind of injury or accident (drowning, traffic, fall…): loaded as data, an administrator may add kinds."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    sort_order = models.PositiveSmallIntegerField(default=100)
    is_active = models.BooleanField(default=True)
    # Words communes write for the kind in their injury lists (an import reads them besides the name).
    synonyms = models.JSONField(_("other names"), default=list, blank=True)

    class Meta:
        verbose_name = _("kind of injury")
        verbose_name_plural = _("kinds of injury")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name_en if (get_language() or "vi").startswith("en") else self.name_vi


class IncidentPlace(models.TextChoices):
    HOME = "home", _("At home")
    SCHOOL = "school", _("School")
    WATER = "water", _("River, lake, pond or stream")
    ROAD = "road", _("Road")
    WORKPLACE = "workplace", _("Workplace")
    OTHER = "other", _("Other place")


class IncidentOutcome(models.TextChoices):
    HOME_CARE = "home_care", _("Treated at home")
    HEALTH_STATION = "health_station", _("Treated at the health station")
    HOSPITAL = "hospital", _("Treated in hospital")
    DISABILITY = "disability", _("Left a disability")
    DEATH = "death", _("Death")


class Supervision(models.TextChoices):
    UNKNOWN = "", _("Not known")
    ADULT = "adult", _("With an adult watching")
    CHILD = "child", _("Only with other children")
    ALONE = "alone", _("Alone, nobody watching")


class Incident(models.Model):
    """An injury or accident that happened to a child (a dated event, like the child's other facts).

    Counted where the child lived on the incident's date (the residences), whatever the child's place today."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="incidents", verbose_name=_("child"))
    occurred_on = models.DateField(_("date"))
    occurred_time = models.TimeField(_("time"), null=True, blank=True)
    kind = models.ForeignKey(IncidentKind, on_delete=models.PROTECT, related_name="+", verbose_name=_("kind"))
    place = models.CharField(_("place"), max_length=12, choices=IncidentPlace.choices)
    outcome = models.CharField(_("outcome"), max_length=16, choices=IncidentOutcome.choices)
    activity = models.CharField(_("what the child was doing"), max_length=200, blank=True)
    supervision = models.CharField(
        _("supervision at the time"), max_length=8, choices=Supervision.choices, blank=True, default=""
    )
    note = models.TextField(
        _("note"), blank=True, max_length=NOTE_MAX_LENGTH, validators=[MaxLengthValidator(NOTE_MAX_LENGTH)]
    )
    source = models.CharField(_("source"), max_length=200, blank=True, help_text=_("Who reported it, or the list"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("injury or accident")
        verbose_name_plural = _("injuries and accidents")
        ordering = ["child", "occurred_on", "occurred_time"]
        indexes = [models.Index(fields=["occurred_on", "child"], name="incident_date_child")]

    def __str__(self) -> str:
        return f"{self.kind} ({self.occurred_on:%d/%m/%Y})"
