"""The periodic report's section on staffing (`reporting.sections.register_section`, registered from
`ReportingConfig.ready()`; staff never imports reporting): the coverage of the report's unit and below it on the
period's last day (`selectors.coverage`, the same computation as the coverage page): officers and collaborators in
post, communes without an officer, villages without a collaborator. Nothing is added when the unit has no commune
or village on the roll."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from treem.core.documents import Row, RowKind, Section, Table
from treem.units.models import Unit

from .selectors import coverage

LISTED = 20  # communes without an officer named in the text; beyond, the count only


def staffing_section(*, unit: Unit, start: dt.date, end: dt.date) -> Section | None:
    cov = coverage(unit, day=end)
    total = cov.total
    if total is None or not (total.communes or total.villages):
        return None
    day = f"{end:%d/%m/%Y}"
    paragraphs = [
        _(
            "On %(day)s, %(officers)s child-protection officers and %(collaborators)s village collaborators were in "
            "post; %(no_officer)s of %(communes)s communes had no officer and %(no_collaborator)s of %(villages)s "
            "villages had no collaborator."
        )
        % {
            "day": day,
            "officers": total.officers,
            "collaborators": total.collaborators,
            "no_officer": total.communes_without_officer,
            "communes": total.communes,
            "no_collaborator": total.villages_without_collaborator,
            "villages": total.villages,
        }  # fmt: skip
    ]
    if cov.communes_without_officer:
        names = [c.name for c in cov.communes_without_officer[:LISTED]]
        more = len(cov.communes_without_officer) - len(names)
        listed = "; ".join(names) + (_(" and %(n)s more") % {"n": more} if more else "")
        paragraphs.append(_("Communes without an officer: %(list)s.") % {"list": listed})
    table = Table(
        _("Child-protection staff in post"),
        (
            _("Unit"),
            _("Communes"),
            _("Without an officer"),
            _("Officers"),
            _("Villages"),
            _("Without a collaborator"),
            _("Collaborators"),
        ),
        rows=(
            *(
                Row(
                    (
                        r.group.name,
                        str(r.communes),
                        str(r.communes_without_officer),
                        str(r.officers),
                        str(r.villages),
                        str(r.villages_without_collaborator),
                        str(r.collaborators),
                    )
                )
                for r in cov.rows
            ),
            Row(
                (
                    _("Total"),
                    str(total.communes),
                    str(total.communes_without_officer),
                    str(total.officers),
                    str(total.villages),
                    str(total.villages_without_collaborator),
                    str(total.collaborators),
                ),
                RowKind.TOTAL,
            ),
        ),  # fmt: skip
        notes=(_("In post on %(day)s, the last day of the period.") % {"day": day},),
    )
    return Section(_("Child-protection staff"), paragraphs=tuple(paragraphs), tables=(table,))
