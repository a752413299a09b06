"""The "training received" panel on a person's page of the staff roster (slot `core.panels.STAFF_WORKER`, registered
from `ActivitiesConfig.ready()`): the trainings the person is listed on as a trainee, newest first. The roster page
has already checked that the reader may see the person; a training links to its page only for a reader who may see
the activity."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from treem.core.panels import Panel

from .selectors import activities_for_user, trainings_of


def training_panel(request: Any, worker: Any) -> Panel:
    trainings = list(trainings_of(worker))
    visible = set(
        activities_for_user(request.user).filter(pk__in=[t.pk for t in trainings]).values_list("pk", flat=True)
    )
    rows = [{"activity": t, "link": t.pk in visible} for t in trainings]
    return Panel("activities/_training_panel.html", {"rows": rows}, title=_("Training received"))
