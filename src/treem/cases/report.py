"""The periodic report's section on the directory of services (`reporting.sections.register_section`, registered
from `ReportingConfig.ready()`; cases never imports reporting). It lives here, not in `directory`, because the
referrals are case records and the directory sits below cases (it may not read them).

Counts only: the places of the report's unit and below it open on the period's last day, by kind (the play spots and
cultural facilities for children among them), and the referrals of the unit's cases made and acknowledged in the
period, by the kind of provider — never a case, a child or a provider's name. Nothing is added when there is
neither a place nor a referral."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.db.models import Count, QuerySet
from django.utils.translation import gettext as _

from treem.core.documents import Row, RowKind, Section, Table
from treem.directory.models import ProviderKind
from treem.directory.selectors import open_on
from treem.units.models import Unit

from .models import Referral


def _by_kind(referrals: QuerySet[Referral]) -> Counter[int]:
    """The referrals per kind of provider (the kind's pk)."""
    return Counter(dict(referrals.order_by().values_list("provider__kind_id").annotate(n=Count("pk"))))


def directory_section(*, unit: Unit, start: dt.date, end: dt.date) -> Section | None:
    open_places = open_on(path=unit.path, day=end)
    places: dict[int, int] = dict(open_places.order_by().values_list("kind_id").annotate(n=Count("pk")))
    play_spots = open_places.filter(kind__play_spot=True).count()
    referrals = Referral.objects.filter(unit_path__path_prefix=unit.path)
    made = _by_kind(referrals.filter(referred_on__range=(start, end)))
    acknowledged = _by_kind(referrals.filter(acknowledged_on__range=(start, end)))
    if not (places or made or acknowledged):
        return None
    day = f"{end:%d/%m/%Y}"
    period = {"start": f"{start:%d/%m/%Y}", "end": day}
    paragraphs = (
        _(
            "On %(day)s, %(places)s service providers and facilities for children were open, %(play)s of them play "
            "spots or cultural facilities for children. From %(start)s to %(end)s, %(made)s cases were referred to "
            "a provider and %(acknowledged)s referrals were acknowledged."
        )
        % {
            "day": day,
            "places": sum(places.values()),
            "play": play_spots,
            "made": made.total(),
            "acknowledged": acknowledged.total(),
            **period,
        },  # fmt: skip
    )
    kinds = ProviderKind.objects.filter(pk__in={*places, *made, *acknowledged})
    table = Table(
        _("Directory of services and referrals"),
        (_("Kind"), _("Open places"), _("Referrals made"), _("Referrals acknowledged")),
        rows=(
            *(Row((k.name, str(places.get(k.pk, 0)), str(made[k.pk]), str(acknowledged[k.pk]))) for k in kinds),
            Row((_("Total"), str(sum(places.values())), str(made.total()), str(acknowledged.total())), RowKind.TOTAL),
        ),
        notes=(
            _(
                "Places open on %(end)s; referrals of the cases of the unit made, and acknowledged, from %(start)s to "
                "%(end)s."
            )
            % period,
        ),  # fmt: skip
    )
    return Section(_("Services for children and referrals"), paragraphs=paragraphs, tables=(table,))
