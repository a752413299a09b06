"""Administrative units: one tree per structure (former three-tier, current two-tier), villages below communes."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Func
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

PATH_SEP = "."


class Structure(models.TextChoices):
    CURRENT = "current", _("Current (since 1 July 2025)")
    FORMER = "former", _("Former (before 1 July 2025)")


class Level(models.TextChoices):
    NATION = "nation", _("Nation")
    PROVINCE = "province", _("Province")
    DISTRICT = "district", _("District")
    COMMUNE = "commune", _("Commune")
    VILLAGE = "village", _("Village")


LEVEL_DEPTH = {Level.NATION: 0, Level.PROVINCE: 1, Level.DISTRICT: 2, Level.COMMUNE: 3, Level.VILLAGE: 4}


class UnitQuerySet(models.QuerySet["Unit"]):
    def current(self) -> UnitQuerySet:
        return self.filter(structure=Structure.CURRENT)

    def former(self) -> UnitQuerySet:
        return self.filter(structure=Structure.FORMER)

    def active(self) -> UnitQuerySet:
        return self.filter(is_active=True)

    def subtree(self, unit: Unit) -> UnitQuerySet:
        """The unit and everything below it: one indexed prefix filter on the materialised path."""
        return self.filter(path__path_prefix=unit.path)


class Unit(models.Model):
    """One administrative unit. `path` is the materialised path, e.g. `C.12.03421.` (structure, codes)."""

    structure = models.CharField(_("structure"), max_length=10, choices=Structure.choices)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    code = models.CharField(_("code"), max_length=20, help_text=_("Official code (NSO); villages: commune code-number"))
    name = models.CharField(_("name"), max_length=200, help_text=_("Full name with its type, e.g. Xã Bản Hon"))
    short_name = models.CharField(_("short name"), max_length=200)
    unit_type = models.CharField(_("type"), max_length=40, help_text=_("Tỉnh, Thành phố, Huyện, Xã, Phường, Thôn…"))
    parent = models.ForeignKey(
        "self", verbose_name=_("parent"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    path = models.CharField(_("path"), max_length=120, unique=True)
    full_path = models.CharField(_("full name with parents"), max_length=400, blank=True)
    search_key = models.CharField(_("search key"), max_length=400, blank=True, db_index=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    is_local = models.BooleanField(_("added locally"), default=False, help_text=_("Villages added by the commune"))

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("administrative unit")
        verbose_name_plural = _("administrative units")
        ordering = ["path"]
        constraints = [models.UniqueConstraint(fields=["structure", "code"], name="unit_unique_code_per_structure")]
        indexes = [models.Index(fields=["structure", "level"], name="unit_structure_level")]

    def __str__(self) -> str:
        return self.name

    @property
    def depth(self) -> int:
        return LEVEL_DEPTH[Level(self.level)]

    @property
    def is_current(self) -> bool:
        return self.structure == Structure.CURRENT

    def is_within(self, other: Unit) -> bool:
        """True when this unit is `other` or lies below it."""
        return self.path.startswith(other.path)

    def ancestor_paths(self) -> list[str]:
        parts = self.path.rstrip(PATH_SEP).split(PATH_SEP)
        return [PATH_SEP.join(parts[: i + 1]) + PATH_SEP for i in range(1, len(parts))]


class Succession(models.Model):
    """Former commune → current commune(s), as the 2025 reform decided. A split commune has several rows."""

    former = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="successors", verbose_name=_("former unit"))
    current = models.ForeignKey(
        Unit, on_delete=models.CASCADE, related_name="predecessors", verbose_name=_("current unit")
    )
    is_partial = models.BooleanField(_("split between several units"), default=False)
    is_default = models.BooleanField(_("default successor"), default=True)
    share = models.DecimalField(
        _("share"), max_digits=5, decimal_places=4, null=True, blank=True,
        help_text=_("Part of a split commune that went to this unit (0–1), for apportioning figures; empty: an equal "
                    "split among the successors without a share"),
    )  # fmt: skip
    effective_date = models.DateField(_("effective date"))

    class Meta:
        verbose_name = _("succession")
        verbose_name_plural = _("successions")
        constraints = [models.UniqueConstraint(fields=["former", "current"], name="succession_unique_pair")]

    def __str__(self) -> str:
        return f"{self.former} → {self.current}"


DEFAULT_PATH_FIELD = "unit_path"


def unit_path_field(model: type[models.Model]) -> str:
    """The field that holds the materialised path of a record's unit, which scope filters on and a moved unit
    rewrites: `path` for Unit itself, else the model's `SCOPE_PATH_FIELD` (by default `unit_path`)."""
    if model is Unit:
        return "path"
    return getattr(model, "SCOPE_PATH_FIELD", DEFAULT_PATH_FIELD)


@deconstructible(path="treem.units.models.ProvincePath")
class ProvincePath(Func):
    """The path of the province a stored path lies in: its first two segments (`C.33.` of `C.33.12345.7.`).

    Written with literal constants, not bound parameters: SQLite uses an index on an expression only when the
    query's expression is the same text, and a parameter is not a literal."""

    output_field = models.CharField()

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list[Any]]:  # type: ignore[override]
        sql, params = compiler.compile(self.source_expressions[0])
        return f"SUBSTR({sql}, 1, INSTR(SUBSTR({sql}, 3), '.') + 2)", [*params, *params]

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list[Any]]:
        sql, params = compiler.compile(self.source_expressions[0])
        return f"SUBSTRING({sql}, 1, STRPOS(SUBSTRING({sql}, 3), '.') + 2)", [*params, *params]


def province_path(field: str = DEFAULT_PATH_FIELD) -> ProvincePath:
    """The province of the stored path in `field`, as a database expression: an index on it serves "this province,
    in name order" as an exact equality on both databases, and it follows a moved unit because it is computed from
    the path itself. A nation path gives itself."""
    return ProvincePath(F(field))


class CorrectionKind(models.TextChoices):
    RENAME = "rename", _("Rename")
    RECODE = "recode", _("New code")
    REPARENT = "reparent", _("New parent")


class UnitCorrectionQuerySet(models.QuerySet["UnitCorrection"]):
    def applied(self) -> UnitCorrectionQuerySet:
        return self.filter(applied_at__isnull=False)

    def pending(self) -> UnitCorrectionQuerySet:
        return self.filter(applied_at__isnull=True)


class UnitCorrection(models.Model):
    """A dated correction of the official unit list (rename, new code, new parent) with the document behind it.

    Rows are history: applied corrections are never edited or removed, a wrong one is undone by a new one.
    `old_value`/`new_value` are the name, the code, or the parent's code before and after."""

    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="corrections", verbose_name=_("administrative unit")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=CorrectionKind.choices)
    old_value = models.CharField(_("old value"), max_length=200)
    new_value = models.CharField(_("new value"), max_length=200)
    effective_date = models.DateField(_("effective date"))
    source_document = models.CharField(
        _("source document"), max_length=300, help_text=_("The decision or notice, e.g. QĐ 19/2025/QĐ-TTg")
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_by_name = models.CharField(_("recorded by"), max_length=200, blank=True)
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    applied_by_name = models.CharField(_("applied by"), max_length=200, blank=True)
    applied_at = models.DateTimeField(_("applied at"), null=True, blank=True)

    objects = UnitCorrectionQuerySet.as_manager()

    class Meta:
        verbose_name = _("unit correction")
        verbose_name_plural = _("unit corrections")
        ordering = ["effective_date", "pk"]
        indexes = [models.Index(fields=["unit", "kind", "effective_date"], name="unitcorrection_unit_kind_date")]

    def __str__(self) -> str:
        return f"{self.unit.code} {self.get_kind_display()}: {self.old_value} → {self.new_value}"

    @property
    def is_applied(self) -> bool:
        return self.applied_at is not None
