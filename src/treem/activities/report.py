"""The periodic report's section "activities this period" (`reporting.sections.register_section`, registered from
`ActivitiesConfig.ready()`): the activities of the report's unit and below it begun in the period, by type, with the
materials produced and the findings of the inspections. Nothing is added when no activity was recorded."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _

from treem.core.documents import Row, RowKind, Section, Table
from treem.core.money import vnd
from treem.units.models import Unit

from .models import Finding, Material, MaterialKind
from .selectors import in_period, summary_by_type, under


def activities_section(*, unit: Unit, start: dt.date, end: dt.date) -> Section | None:
    activities = in_period(under([unit.path]), start, end)
    rows, total = summary_by_type(activities)
    if not total.count:
        return None
    paragraphs = [
        _(
            "In the period %(count)s activities were held, with %(participants)s participants (%(children)s of them "
            "children); their cost was %(cost)s VND."
        )
        % {
            "count": total.count,
            "participants": vnd(total.participants),
            "children": vnd(total.children),
            "cost": vnd(total.cost),
        }  # fmt: skip
    ]
    materials = (
        Material.objects.filter(activity__in=activities).values("kind").annotate(n=Sum("count")).order_by("kind")
    )
    if materials:
        parts = [f"{MaterialKind(m['kind']).label}: {vnd(m['n'])}" for m in materials]
        paragraphs.append(_("Materials produced: %(list)s.") % {"list": "; ".join(parts)})
    findings = Finding.objects.filter(activity__in=activities).aggregate(
        n=Count("pk"), done=Count("pk", filter=Q(done_on__isnull=False))
    )
    if findings["n"]:
        paragraphs.append(
            _("Inspections found %(n)s shortcomings; %(done)s of them have been remedied.")
            % {"n": findings["n"], "done": findings["done"]}
        )
    period = {"start": f"{start:%d/%m/%Y}", "end": f"{end:%d/%m/%Y}"}
    table = Table(
        _("Activities by type"),
        (_("Type"), _("Activities"), _("People taking part"), _("Of them children"), _("Cost (VND)")),
        rows=(
            *(Row((r.label, str(r.count), vnd(r.participants), vnd(r.children), vnd(r.cost))) for r in rows if r.count),
            Row(
                (_("Total"), str(total.count), vnd(total.participants), vnd(total.children), vnd(total.cost)),
                RowKind.TOTAL,
            ),
        ),  # fmt: skip
        notes=(_("Activities begun from %(start)s to %(end)s.") % period,),
    )
    return Section(_("Activities this period"), paragraphs=tuple(paragraphs), tables=(table,))
