"""Reads for the review queue, always through the accounts scope helper (both children must be in scope)."""

from __future__ import annotations

import copy
import difflib
from dataclasses import dataclass

from django.db.models import Field, QuerySet
from django.utils.translation import gettext_lazy as _

from treem.accounts.models import User
from treem.accounts.scope import get_for_user_or_404, scope_queryset
from treem.registry.models import Child

from .models import CandidateStatus, MatchCandidate, MatchRun, Merge


def _in_scope(user: User, qs: QuerySet[MatchCandidate]) -> QuerySet[MatchCandidate]:
    qs = scope_queryset(user, qs, path_field="child_a__unit_path")
    return scope_queryset(user, qs, path_field="child_b__unit_path")


def queue_for_user(user: User, status: str = CandidateStatus.PENDING) -> QuerySet[MatchCandidate]:
    """Pairs waiting for the user's decision (or in another state), most probable first."""
    qs = MatchCandidate.objects.filter(status=status)
    if status != CandidateStatus.MERGED:  # a pair with a record merged away (by another pair) is decided already
        qs = qs.filter(child_a__merged_into__isnull=True, child_b__merged_into__isnull=True)
    return (
        _in_scope(user, qs)
        .select_related(
            "child_a", "child_b", "child_a__village", "child_b__village", "child_a__commune", "child_b__commune"
        )
        .order_by("-probability", "pk")
    )


def queue_counts(user: User) -> dict[str, int]:
    return {s: queue_for_user(user, s).count() for s in CandidateStatus.values}


def candidate_for_user(user: User, pk: int) -> MatchCandidate:
    """One pair in the user's scope; out of scope is a 404, like missing."""
    qs = MatchCandidate.objects.select_related(
        "child_a__household", "child_b__household", "child_a__village", "child_b__village", "child_a__commune",
        "child_b__commune", "decided_by",
    )  # fmt: skip
    qs = scope_queryset(user, qs, path_field="child_b__unit_path")
    return get_for_user_or_404(user, qs, path_field="child_a__unit_path", pk=pk)


def active_merge(candidate: MatchCandidate) -> Merge | None:
    return candidate.merges.filter(undone_at__isnull=True).select_related("merged_by").first()


def merges_into(child: Child) -> list[Merge]:
    """Every merge that kept this child (newest first), undone ones included: the record's trace of them."""
    qs = Merge.objects.filter(survivor=child).select_related(
        "other__village", "other__commune", "survivor__village", "survivor__commune", "merged_by", "undone_by"
    )  # the places: whether the reader may undo is asked of each merge (`can_merge`)
    return list(qs.order_by("-merged_at", "-pk"))


def merge_for_user(user: User, pk: int) -> Merge:
    """One merge whose kept record is in the user's scope; out of scope is a 404, like missing."""
    qs = Merge.objects.select_related("survivor__commune", "survivor__village", "other__commune", "other__village")
    return get_for_user_or_404(user, qs, path_field="survivor__unit_path", pk=pk)


def looks_like_twins(candidate: MatchCandidate) -> bool:
    """Same birth date and family but given names a letter apart: the score cannot tell twins from a typo."""
    f = candidate.features
    same_family = f.get("household") == "same" or f.get("guardian") in ("same", "typo")
    return f.get("date_of_birth") == "exact" and same_family and f.get("given_name") == "typo"


def run_for_user(user: User, pk: int) -> MatchRun:
    return get_for_user_or_404(user, MatchRun.objects.select_related("unit"), pk=pk)


def latest_runs(user: User, limit: int = 5) -> list[MatchRun]:
    return list(scope_queryset(user, MatchRun.objects.select_related("unit"))[:limit])


# --- side by side ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Segment:
    text: str
    differs: bool


@dataclass(frozen=True)
class Row:
    field: str  # the model field, or "" for a row that is shown but not chosen
    label: str
    a: list[Segment]
    b: list[Segment]
    differs: bool
    choose: bool  # both have a value and they differ: the officer picks one


# The rows of the comparison: (field, label); the first group can be chosen, the rest are shown.
COMPARED = (
    ("full_name", _("Full name")), ("date_of_birth", _("Date of birth")), ("sex", _("Sex")),
    ("ethnicity", _("Ethnicity")), ("personal_id", _("Personal ID")),
    ("birth_registered", _("Birth registered")), ("health_insurance_number", _("Health insurance card")),
    ("school_status", _("Schooling")), ("disability", _("Disability")), ("nutrition", _("Nutrition")),
    ("note", _("Note")),
)  # fmt: skip


def display(child: Child, field: str) -> str:
    value = getattr(child, field)
    if value is None or value == "":
        return "—"
    if field == "date_of_birth":
        return value.strftime("%d/%m/%Y")
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    f = Child._meta.get_field(field)
    if isinstance(f, Field) and f.choices:
        return str(dict(f.flatchoices).get(value, value))
    return str(value)


def segments(a: str, b: str) -> tuple[list[Segment], list[Segment]]:
    """Both texts cut into runs that are the same in the other text and runs that differ (highlighted)."""
    sa: list[Segment] = []
    sb: list[Segment] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if i2 > i1:
            sa.append(Segment(a[i1:i2], op != "equal"))
        if j2 > j1:
            sb.append(Segment(b[j1:j2], op != "equal"))
    return sa, sb


def _place(child: Child) -> str:
    village = child.village.name if child.village else ""
    return ", ".join(x for x in (village, child.commune.name) if x)


def _guardians(child: Child) -> str:
    names = child.guardianships.select_related("person").order_by("relation", "pk")
    return "; ".join(f"{g.get_relation_display()}: {g.person.full_name}" for g in names) or "—"


def merge_result(kept: Child, chosen: dict[str, object]) -> list[tuple[str, str]]:
    """(label, value) of the kept record as it will be after the merge: its own values, the chosen ones over them."""
    after = copy.copy(kept)
    for name, value in chosen.items():
        setattr(after, name, value)
    return [(str(label), display(after, field)) for field, label in COMPARED]


def comparison(candidate: MatchCandidate) -> list[Row]:
    a, b = candidate.child_a, candidate.child_b
    rows = []
    for field, label in COMPARED:
        ta, tb = display(a, field), display(b, field)
        differs = ta != tb
        sa, sb = segments(ta, tb) if differs else ([Segment(ta, False)], [Segment(tb, False)])
        rows.append(Row(field, str(label), sa, sb, differs, differs))
    for label, ta, tb in (
        (_("Place"), _place(a), _place(b)),
        (_("Household"), a.household.head_name or a.household.code, b.household.head_name or b.household.code),
        (_("Parents and caregivers"), _guardians(a), _guardians(b)),
    ):
        differs = ta != tb
        sa, sb = segments(ta, tb) if differs else ([Segment(ta, False)], [Segment(tb, False)])
        rows.append(Row("", str(label), sa, sb, differs, False))
    return rows
