"""The work around the children, as records: campaigns, trainings, inspections, meetings, events, club sessions.

Activity types are rows (loaded from `fixtures/types.json`, editable by an administrator): each says which parts
of a record it uses (a list of trainees or of club members, materials produced, findings and follow-up, decisions).
An activity stores the path of its unit (`unit_path`) so that the scope helper filters it by one prefix; it may be
organised by an agency of `plans` and carry out a plan task. Its cost is split by funding source (`finance`).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from treem.core.money import vnd
from treem.finance.models import MAX_AMOUNT, FundingSource
from treem.indicators.models import Named
from treem.plans.models import Agency, Task
from treem.registry.models import Child
from treem.staff.models import Worker
from treem.units.models import Unit


class PeopleList(models.TextChoices):
    NONE = "", _("No list")
    TRAINEES = "trainees", _("Trainees (child protection staff)")
    CLUB_MEMBERS = "club_members", _("Club members (children of the registry)")


class ActivityType(Named):
    """A kind of activity and the parts of a record it uses."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    people_list = models.CharField(
        _("list of people"), max_length=20, choices=PeopleList.choices, blank=True, default=PeopleList.NONE
    )
    has_materials = models.BooleanField(_("records materials produced"), default=False)
    has_findings = models.BooleanField(_("records findings and follow-up"), default=False)
    has_decisions = models.BooleanField(_("records decisions"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    sort_order = models.PositiveSmallIntegerField(default=100)

    class Meta:
        verbose_name = _("activity type")
        verbose_name_plural = _("activity types")
        ordering = ["sort_order", "code"]


class Activity(models.Model):
    """One activity of a unit: what, when, who organised it, who took part (counts by sex, children and adults)."""

    type = models.ForeignKey(ActivityType, verbose_name=_("type"), on_delete=models.PROTECT, related_name="activities")
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    unit_path = models.CharField(max_length=120, db_index=True, editable=False)
    title = models.CharField(_("title"), max_length=400)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"), null=True, blank=True)
    place = models.CharField(_("venue"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    organiser = models.ForeignKey(
        Agency, verbose_name=_("organiser"), null=True, blank=True, on_delete=models.PROTECT, related_name="activities"
    )
    task = models.ForeignKey(
        Task, verbose_name=_("plan task"), null=True, blank=True, on_delete=models.SET_NULL, related_name="activities"
    )
    children_male = models.PositiveIntegerField(_("boys"), default=0)
    children_female = models.PositiveIntegerField(_("girls"), default=0)
    adults_male = models.PositiveIntegerField(_("men"), default=0)
    adults_female = models.PositiveIntegerField(_("women"), default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["-starts_on", "-pk"]
        indexes = [models.Index(fields=["unit_path", "starts_on"], name="activity_path_start")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=models.F("starts_on")),
                name="activity_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: object, **kwargs: object) -> None:
        self.unit_path = self.unit.path
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    @property
    def children(self) -> int:
        return self.children_male + self.children_female

    @property
    def adults(self) -> int:
        return self.adults_male + self.adults_female

    @property
    def participants(self) -> int:
        return self.children + self.adults


class ListedPerson(models.Model):
    """A person on the activity's list: a club member (a child of the registry) or a trainee (a staff person)."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="people")
    child = models.ForeignKey(Child, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    worker = models.ForeignKey(
        Worker, null=True, blank=True, on_delete=models.PROTECT, related_name="activity_listings"
    )
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("listed person")
        verbose_name_plural = _("listed people")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["activity", "child"], name="activity_child_once"),
            models.UniqueConstraint(fields=["activity", "worker"], name="activity_worker_once"),
            models.CheckConstraint(
                condition=models.Q(child__isnull=False, worker__isnull=True)
                | models.Q(child__isnull=True, worker__isnull=False),
                name="activity_person_one",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.activity_id}: {self.child_id or self.worker_id}"


class MaterialKind(models.TextChoices):
    LEAFLET = "leaflet", _("Leaflets")
    POSTER = "poster", _("Posters, banners")
    BROADCAST = "broadcast", _("Radio and loudspeaker broadcasts")
    VIDEO = "video", _("Videos, reports on television")
    ONLINE = "online", _("Online posts")
    OTHER = "other", _("Other materials")


class Material(models.Model):
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="materials")
    kind = models.CharField(_("kind"), max_length=20, choices=MaterialKind.choices)
    count = models.PositiveIntegerField(_("number"))
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("material")
        verbose_name_plural = _("materials")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.count} {self.get_kind_display()}"


class Finding(models.Model):
    """What an inspection found, and the follow-up asked for."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="findings")
    text = models.TextField(_("finding"))
    follow_up = models.TextField(_("follow-up action"), blank=True)
    responsible = models.CharField(_("responsible"), max_length=300, blank=True)
    due_on = models.DateField(_("due on"), null=True, blank=True)
    done_on = models.DateField(_("done on"), null=True, blank=True)

    class Meta:
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.text[:80]


class Decision(models.Model):
    """What a meeting decided, who carries it out, by when."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="decisions")
    text = models.TextField(_("decision"))
    responsible = models.CharField(_("responsible"), max_length=300, blank=True)
    due_on = models.DateField(_("due on"), null=True, blank=True)

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.text[:80]


class CostLine(models.Model):
    """A part of the activity's cost paid from one source of funds (VND, whole đồng). The finance ledger reads these
    lines (`ledger.activity_costs`): the figure is entered here only."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="cost_lines")
    source = models.ForeignKey(
        FundingSource, verbose_name=_("source of funds"), on_delete=models.PROTECT, related_name="activity_costs"
    )
    amount = models.PositiveBigIntegerField(_("amount (VND)"))
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("cost line")
        verbose_name_plural = _("cost lines")
        ordering = ["source__sort_order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__gt=0, amount__lte=MAX_AMOUNT), name="activity_cost_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source}: {self.amount}"

    @property
    def amount_text(self) -> str:
        return vnd(self.amount)


class Evidence(models.Model):
    """A file that shows the activity took place (a report, a photo, a signed list), read through its page."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(upload_to="activities/%Y/%m/", max_length=300)
    name = models.CharField(_("file name"), max_length=200)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self) -> str:
        return self.name
