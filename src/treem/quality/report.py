"""The periodic report's section on data quality (`reporting.sections.register_section`, registered from
`ReportingConfig.ready()`; quality never imports reporting): the communes of the report's unit, each by its latest
monthly snapshot taken in the period, or, when none was taken there, by the figures counted now up to the period's
last day (`figures.compute`); the worst few by the documented ranking (`figures.rank`: the gap score, then pending
duplicates, days since the last update, code), and the gap score of them all. Nothing is added when no commune of
the unit has a record."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from treem.core.dates import today_vn
from treem.core.documents import Row, Section, Table
from treem.units.models import Level, Unit

from .figures import CommuneFigures, compute, rank
from .models import Snapshot
from .services import FIELDS

WORST = 5


def _score(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}".replace(".", ",")


def _from_snapshots(unit: Unit, start: dt.date, end: dt.date) -> tuple[list[CommuneFigures], list[dt.date]]:
    """Each commune's latest snapshot of the period, and the months they are of."""
    latest: dict[int, Snapshot] = {}
    rows = Snapshot.objects.filter(unit_path__path_prefix=unit.path, month__gte=start.replace(day=1), month__lte=end)
    for s in rows.select_related("commune").order_by("commune_id", "-month"):
        latest.setdefault(s.commune_id, s)
    figures = []
    for s in latest.values():
        f = CommuneFigures(s.commune)
        for name in FIELDS:
            setattr(f, name, getattr(s, name))
        figures.append(f)
    return rank(figures), sorted({s.month for s in latest.values()})


def quality_section(*, unit: Unit, start: dt.date, end: dt.date) -> Section | None:
    if unit.level == Level.VILLAGE:  # the figures are a commune's
        return None
    figures, months = _from_snapshots(unit, start, end)
    if figures:
        source = _("Each commune's latest monthly snapshot in the period (%(months)s).") % {
            "months": ", ".join(f"{m:%m/%Y}" for m in months)
        }
    else:
        on = min(end, today_vn())
        figures = compute(unit, on)
        source = _("Counted on %(day)s from the registry as it stands now (no monthly snapshot in the period).") % {
            "day": f"{on:%d/%m/%Y}"
        }
    ranked = [f for f in figures if f.rank is not None]
    if not ranked:
        return None
    whole = CommuneFigures(None)
    for f in ranked:
        for name in FIELDS:
            if name != "days_since_update":
                setattr(whole, name, getattr(whole, name) + getattr(f, name))
    paragraphs = (
        _(
            "%(communes)s communes ranked; their gap score taken together is %(score)s (0 best, 100 worst); "
            "%(no_id)s of %(children)s children have no personal ID and %(not_visited)s of %(households)s households "
            "were not visited this year."
        )
        % {
            "communes": len(ranked),
            "score": _score(whole.score),
            "no_id": whole.no_id,
            "children": whole.children,
            "not_visited": whole.not_visited,
            "households": whole.households,
        },  # fmt: skip
    )
    table = Table(
        _("Communes whose data lag most"),
        (
            _("Commune"),
            _("Rank"),
            _("Gap score"),
            _("Children"),
            _("Without ID"),
            _("Without guardian"),
            _("Households not visited"),
            _("Duplicates pending"),
        ),
        rows=tuple(
            Row(
                (
                    f.commune.name if f.commune else "",
                    str(f.rank),
                    _score(f.score),
                    str(f.children),
                    str(f.no_id),
                    str(f.no_guardian),
                    str(f.not_visited),
                    str(f.duplicates_pending),
                )
            )
            for f in ranked[:WORST]
        ),  # fmt: skip
        notes=(
            source,
            _(
                "Gap score: the mean of six shares in percent (without ID, date of birth not exact, without guardian, "
                "without village, households not visited this year, ID not confirmed by the police); worst first."
            ),
        ),  # fmt: skip
    )
    return Section(_("Data quality"), paragraphs=paragraphs, tables=(table,))
