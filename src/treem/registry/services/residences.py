"""Where each child lived, as dated intervals (`Residence`): kept in step with the child's place by the writers.

Statistics count a child where they lived on a day, so every change of place or presence goes through here:
`residence_follow` when the child's place may have changed (registration, household move, change of household),
`residence_end` when the child leaves (moved away, died), `residence_resume` when a child is active again.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from treem.core.dates import today_vn

from ..models import Child, ChildStatus, Residence

GONE = (ChildStatus.MOVED_AWAY, ChildStatus.DECEASED)


def _open(child: Child) -> Residence | None:
    return Residence.objects.filter(child=child, left_on__isnull=True).order_by("-pk").first()


def _new(child: Child, moved_in: dt.date | None) -> Residence:
    return Residence.objects.create(
        child=child, commune_id=child.commune_id, village_id=child.village_id, unit_path=child.unit_path,
        moved_in=moved_in,
    )  # fmt: skip


def residence_follow(child: Child, on: dt.date) -> None:
    """Make the child's open residence its current place: the first one runs since birth; after a change of place
    the child lives in the new place from `on` (and no longer in the old one on that day).

    A child who is not living in the commune (moved away, died) gets no open residence."""
    current = _open(child)
    if current is None:
        if child.status in GONE:
            return
        _new(child, None if not Residence.objects.filter(child=child).exists() else on)
        return
    if (current.commune_id, current.village_id) == (child.commune_id, child.village_id):
        if current.unit_path != child.unit_path:  # the unit itself was renamed or moved: same place
            Residence.objects.filter(pk=current.pk).update(unit_path=child.unit_path)
        return
    if current.moved_in is not None and on <= current.moved_in:
        # Moved again on the day of the last move (a correction): the place of that interval is wrong, not dated.
        Residence.objects.filter(pk=current.pk).update(
            commune_id=child.commune_id, village_id=child.village_id, unit_path=child.unit_path
        )
        return
    Residence.objects.filter(pk=current.pk).update(left_on=on)
    _new(child, on)


def residence_end(child: Child, on: dt.date) -> None:
    """The child stopped living in the place on `on` (moved away, died): not counted there from that day."""
    current = _open(child)
    if current is None:
        return
    if current.moved_in is not None and on <= current.moved_in:
        on = current.moved_in + dt.timedelta(days=1)
    Residence.objects.filter(pk=current.pk).update(left_on=on)


def residence_resume(child: Child, on: dt.date) -> None:
    """The child lives in the commune again. A date on or before the last departure corrects it (the departure was
    a mistake: the interval is reopened); a later date is a return, a new interval from `on`."""
    if _open(child) is not None:
        return
    last = Residence.objects.filter(child=child).order_by("-left_on", "-pk").first()
    if last is not None and last.left_on is not None and on <= last.left_on:
        Residence.objects.filter(pk=last.pk).update(left_on=None)
    residence_follow(child, on)


def first_residence_rows(children: list[Child]) -> list[dict[str, Any]]:
    """Rows for the bulk writer: each new child's residence since birth (closed on its status date when the child
    arrives already gone)."""
    rows = []
    for child in children:
        gone = child.status in GONE
        rows.append({
            "child_id": child.pk, "commune_id": child.commune_id, "village_id": child.village_id,
            "unit_path": child.unit_path, "moved_in": None,
            "left_on": (child.status_date or today_vn()) if gone else None,
        })  # fmt: skip
    return rows


def first_residence_dicts(children: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """`first_residence_rows` of new children given as dicts (attname -> value, primary key set; status left out:
    the default, living here)."""
    return [
        {"child_id": c["id"], "commune_id": c["commune_id"], "village_id": c["village_id"],
         "unit_path": c["unit_path"], "moved_in": None, "left_on": None}
        for c in children
    ]  # fmt: skip
