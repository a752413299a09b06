"""The dashboard's panel "report completeness of the current cycle" (slot `treem.core.panels.DASHBOARD`, registered
in `ReportingConfig.ready()`, so that the dashboard imports nothing of `reporting`): for the dashboard's unit, the
latest open cycle's sub-units submitted / approved / late / missing — the totals of `treem reports status` — with a
link to the completeness page. Only for those who may see reports, and only on a unit in their scope."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils.translation import gettext as _

from treem.accounts import permissions as rules
from treem.accounts.scope import unit_in_scope
from treem.core.panels import Panel

from . import selectors

if TYPE_CHECKING:
    from treem.accounts.web import AuthedRequest
    from treem.core.periods import Period
    from treem.units.models import Unit


def completeness_panel(request: AuthedRequest, unit: Unit, period: Period) -> Panel | None:
    """The panel, or None (nothing shown) for a reader who may not see reports, a unit out of the reader's scope,
    or a unit whose sub-units report in no open cycle. The dashboard's period does not choose the cycle: the
    current one is the latest open. Four queries at most, however many sub-units and cycles."""
    user = request.user
    if not rules.SEE_REPORTS.allows(user) or not unit_in_scope(user, unit):
        return None
    cycle = selectors.current_cycle(unit)
    if cycle is None:
        return None
    data = selectors.completeness(cycle, unit)
    if not data.rows:
        return None
    context = {
        "cycle": cycle, "totals": data.totals, "deadline": data.deadline,
        "url": f"{reverse('reporting:cycle', args=[cycle.pk])}?unit={unit.pk}",
    }  # fmt: skip
    return Panel("reporting/_dashboard_completeness.html", context, title=_("Report completeness of the current cycle"))
