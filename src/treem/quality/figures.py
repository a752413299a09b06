"""Each commune's data-quality figures, computed in a fixed number of grouped queries whatever the number of
communes (a province has hundreds): one per source table, grouped by commune.

The measures (children: the registry's active children, merged-away records left out):
- completeness: children without a personal ID, whose date of birth is missing or not exact to the day, without a
  recorded guardian, without a village;
- freshness: days since the last change of a child record of the commune, active households not visited in the
  year of the day counted (`registry.HouseholdVisit`);
- duplicates pending: candidate pairs waiting for review with a child of the commune (a pair across two communes
  counts in both);
- Đề án 06 progress: children whose latest police answer (`registry.IdCheck`) is verified, corrected, not found.

The ranking rule (worst first): the **gap score**, the mean of six shares in percent — without ID, date of birth
not exact, without guardian, without village, households not visited this year, and ID not confirmed by the
police (no latest answer "verified" or "corrected") — higher is worse; ties go to more pending duplicates, then more
days since the last update, then the commune's code. A commune with no child recorded has no score: it is listed
apart, after the ranked ones."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, Exists, F, Max, OuterRef, Q, Subquery
from django.utils import timezone

from treem.core.dates import DatePrecision
from treem.matching.models import CandidateStatus, MatchCandidate
from treem.registry.models import (
    Child,
    ChildStatus,
    Guardianship,
    Household,
    HouseholdVisit,
    IdCheck,
    IdCheckOutcome,
)
from treem.registry.selectors import WITHOUT_ID
from treem.units.models import Level, Structure, Unit


@dataclass
class CommuneFigures:
    commune: Unit | None  # None: a total over several communes
    children: int = 0
    no_id: int = 0
    dob_inexact: int = 0
    no_guardian: int = 0
    no_village: int = 0
    households: int = 0
    not_visited: int = 0
    last_update: dt.date | None = None
    days_since_update: int | None = None
    duplicates_pending: int = 0
    id_verified: int = 0
    id_corrected: int = 0
    id_not_found: int = 0
    rank: int | None = field(default=None, compare=False)
    # The unit the counts cover when it is not the whole commune (a collaborator's village): the registry list the
    # figures link to is filtered to it.
    within: Unit | None = field(default=None, compare=False)

    @property
    def area(self) -> Unit | None:
        return self.within or self.commune

    @staticmethod
    def _pct(part: int, whole: int) -> float:
        return 100.0 * part / whole if whole else 0.0

    @property
    def id_confirmed(self) -> int:
        return self.id_verified + self.id_corrected

    def share(self, name: str) -> float:
        """A measure as a percentage of the children (households for `not_visited`)."""
        if name == "not_visited":
            return self._pct(self.not_visited, self.households)
        if name == "id_unconfirmed":
            return self._pct(self.children - self.id_confirmed, self.children)
        return self._pct(getattr(self, name), self.children)

    @property
    def shares(self) -> dict[str, int]:
        """The scored measures as whole percentages, for a page."""
        return {name: round(self.share(name)) for name in SCORED}

    @property
    def score(self) -> float | None:
        """The gap score (0 best, 100 worst); None without children."""
        if not self.children:
            return None
        return round(sum(self.share(n) for n in SCORED) / len(SCORED), 1)

    def sort_key(self) -> tuple[float, int, int, str]:
        code = self.commune.code if self.commune else ""
        return (-(self.score or 0.0), -self.duplicates_pending, -(self.days_since_update or 0), code)


SCORED = ("no_id", "dob_inexact", "no_guardian", "no_village", "not_visited", "id_unconfirmed")


def _communes(root: Unit | None) -> dict[int, Unit]:
    qs = Unit.objects.filter(level=Level.COMMUNE, structure=Structure.CURRENT)
    if root is not None:
        qs = qs.filter(path__path_prefix=root.path)
    return {u.pk: u for u in qs.only("pk", "code", "name", "path", "level", "short_name")}


def compute(root: Unit | None, on: dt.date) -> list[CommuneFigures]:
    """The figures of every current commune under `root` (everywhere for None) with a child or a household recorded,
    on `on` (the visits of `on`'s year up to `on`, days since the last update counted to `on`). Six queries."""
    communes = _communes(root)
    village = root if root is not None and root.level == Level.VILLAGE else None
    if village is not None:  # a collaborator: the village within its commune
        communes = {u.pk: u for u in Unit.objects.filter(pk=village.parent_id or 0)}
    path = root.path if root is not None else ""
    out: dict[int, CommuneFigures] = {}

    def row(commune_id: int) -> CommuneFigures | None:
        if commune_id not in communes:
            return None
        if commune_id not in out:
            out[commune_id] = CommuneFigures(communes[commune_id], within=village)
        return out[commune_id]

    children = Child.objects.filter(status=ChildStatus.ACTIVE, merged_into__isnull=True)
    if path:
        children = children.filter(unit_path__path_prefix=path)
    latest = IdCheck.objects.filter(child=OuterRef("pk"), checked_on__lte=on).order_by("-checked_on", "-pk")
    guarded = Guardianship.objects.filter(child=OuterRef("pk"))
    rows = (
        children.order_by()
        .values("commune_id")
        .annotate(
            total=Count("pk"),
            no_id=Count("pk", filter=WITHOUT_ID),
            dob_inexact=Count("pk", filter=Q(date_of_birth__isnull=True) | ~Q(dob_precision=DatePrecision.DAY)),
            no_guardian=Count("pk", filter=~Exists(guarded)),
            no_village=Count("pk", filter=Q(village__isnull=True)),
            last_update=Max("updated_at"),
        )
    )
    for r in rows:
        f = row(r["commune_id"])
        if f is None:
            continue
        f.children, f.no_id, f.dob_inexact = r["total"], r["no_id"], r["dob_inexact"]
        f.no_guardian, f.no_village = r["no_guardian"], r["no_village"]
        if r["last_update"] is not None:
            f.last_update = timezone.localtime(r["last_update"]).date()
            f.days_since_update = max(0, (on - f.last_update).days)
    checks = (
        children.order_by()
        .annotate(outcome=Subquery(latest.values("outcome")[:1]))
        .filter(outcome__isnull=False)
        .values("commune_id", "outcome")
        .annotate(n=Count("pk"))
    )
    for c in checks:
        f = row(c["commune_id"])
        if f is not None:
            attr = {IdCheckOutcome.VERIFIED: "id_verified", IdCheckOutcome.CORRECTED: "id_corrected"}.get(
                c["outcome"], "id_not_found"
            )
            setattr(f, attr, getattr(f, attr) + c["n"])
    households = Household.objects.filter(is_active=True)
    if path:
        households = households.filter(unit_path__path_prefix=path)
    visited = HouseholdVisit.objects.filter(
        household=OuterRef("pk"), visited_on__gte=on.replace(month=1, day=1), visited_on__lte=on
    )
    for h in (
        households.order_by()
        .values("commune_id")
        .annotate(total=Count("pk"), not_visited=Count("pk", filter=~Exists(visited)))
    ):
        f = row(h["commune_id"])
        if f is not None:
            f.households, f.not_visited = h["total"], h["not_visited"]
    pending = MatchCandidate.objects.filter(status=CandidateStatus.PENDING)
    for side in ("child_a", "child_b"):
        qs = pending
        if path:
            qs = qs.filter(**{f"{side}__unit_path__path_prefix": path})
        if side == "child_b":  # a pair within one commune counts once
            qs = qs.exclude(child_a__commune_id=F("child_b__commune_id"))
        for r in qs.order_by().values(f"{side}__commune_id").annotate(n=Count("pk")):
            f = row(r[f"{side}__commune_id"])
            if f is not None:
                f.duplicates_pending += r["n"]
    return rank(out.values())


def rank(figures: Iterable[CommuneFigures]) -> list[CommuneFigures]:
    """Worst first by the documented rule; the communes without children after, by code, unranked."""
    figures = list(figures)
    scored = sorted((f for f in figures if f.children), key=CommuneFigures.sort_key)
    for i, f in enumerate(scored, start=1):
        f.rank = i
    empty = sorted((f for f in figures if not f.children), key=lambda f: f.commune.code if f.commune else "")
    return scored + empty
